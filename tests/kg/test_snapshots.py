"""Readers of a served store read checkpoints the writer took, never the files it is writing."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.serving import ServeLock
from kg.snapshots import View, newest, prune, take, views_dir

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
