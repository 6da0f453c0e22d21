"""Readers of a served store read checkpoints the writer took, never the files it is writing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.serving import ServeLock
from kg.snapshots import Busy, View, newest, prune, take, views_dir

G = ox.NamedNode("http://example.org/g")


def quad(i: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i), G)


def count(store: ox.Store) -> int:
    return len(list(store.quads_for_pattern(None, None, None, G)))


@pytest.fixture
def served(tmp_path: Path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    lock = ServeLock(path)
    lock.acquire("http://localhost:1")
    yield path, store
    lock.release()


def test_a_reader_of_a_served_store_sees_the_newest_checkpoint_not_later_writes(served) -> None:
    path, store = served
    store.add(quad(1))
    take(store, path)
    view = View(path)
    store.add(quad(2))            # written, not yet checkpointed
    assert view.number == newest(path) == 1
    assert count(view.ox) == 1
    assert not view.stale
    take(store, path)
    assert view.stale
    assert count(View(path).ox) == 2


def test_a_pinned_checkpoint_is_never_deleted_and_an_unpinned_one_is(served) -> None:
    path, store = served
    take(store, path)
    held = View(path)
    store.add(quad(1))
    take(store, path)
    take(store, path)
    names = set(os.listdir(views_dir(path)))
    assert "1" in names and "2" not in names and "3" in names
    assert count(held.ox) == 0    # still readable: its files were not removed under it
    held.close()
    prune(path, keep=3)
    assert {n for n in os.listdir(views_dir(path)) if n.isdigit()} == {"3"}


def test_an_unserved_store_is_read_itself_even_with_checkpoints_left_over(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    take(store, path)             # left by a server that has stopped
    store.add(quad(1))            # then written by the CLI
    store.flush()
    del store
    view = View(path)
    assert view.number == 0
    assert count(view.ox) == 1


def test_an_interrupted_checkpoint_is_cleared_and_never_read(served) -> None:
    path, store = served
    take(store, path)
    (views_dir(path) / "2.part").mkdir()
    assert newest(path) == 1
    take(store, path)
    assert not (views_dir(path) / "2.part").exists()


@pytest.fixture
def written_elsewhere(tmp_path: Path):
    """A store another process holds open read-write, taking no checkpoints (as kg ingest does)."""
    path = tmp_path / "store"
    ox.Store(str(path)).flush()
    proc = subprocess.Popen([sys.executable, "-c", f"import pyoxigraph as ox, sys; s = ox.Store({str(path)!r}); "
                             "print('open', flush=True); sys.stdin.read()"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "open\n"
    yield path, proc.pid
    proc.communicate("", timeout=30)


def test_a_store_another_process_writes_without_checkpoints_is_not_read(written_elsewhere) -> None:
    path, pid = written_elsewhere
    with pytest.raises(Busy, match=f"process {pid} is writing it"):
        View(path)


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["serve", "--port", "1"]])
def test_the_cli_neither_reads_nor_serves_a_store_another_process_writes(written_elsewhere, command) -> None:
    path, pid = written_elsewhere
    kg = Path(sys.executable).with_name("kg")
    r = subprocess.run([str(kg), command[0], "--store", str(path), *command[1:]], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2
    assert f"process {pid} is writing" in r.stderr


def test_opening_a_store_for_writing_clears_the_checkpoints_a_killed_server_left(tmp_path: Path) -> None:
    from kg.store import Store
    path = tmp_path / "store"
    store = ox.Store(str(path))
    take(store, path)
    take(store, path)
    del store
    Store(path).flush()
    assert not [n for n in os.listdir(views_dir(path)) if n.isdigit()]
