"""The server reads the store only through checkpoints its writer takes (kg.snapshots), pinned while read."""
from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from kg.snapshots import newest, views_dir
from tests.api.conftest import TOKEN, new_store, serve

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"


def pinned(path: Path, n: int) -> bool:
    fd = os.open(views_dir(path) / f"{n}.pin", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def count(client) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_every_write_is_read_from_a_new_pinned_checkpoint_and_none_outlives_the_server(tmp_path: Path) -> None:
    path = new_store(tmp_path / "store")
    live = serve(path, api_token=TOKEN)
    try:
        with live.client() as c:
            first = newest(path)
            assert first > 0 and count(c) == 0 and pinned(path, first)
            body = "<http://example.org/s> <http://example.org/p> 1 ."
            assert c.put("/graphs", params={"graph": "http://example.org/g"}, content=body,
                         headers=AUTH).status_code == 201
            assert newest(path) > first
            assert count(c) == 1                       # read after write: the new checkpoint
            assert pinned(path, newest(path))
    finally:
        live.stop()
    assert newest(path) == 0


def test_queries_during_steady_writes_all_answer(tmp_path: Path) -> None:
    path = new_store(tmp_path / "store")
    live = serve(path, api_token=TOKEN)
    seen: list[int] = []
    try:
        def write() -> None:
            with live.client() as c:
                for i in range(40):
                    body = f"<http://example.org/s{i}> <http://example.org/p> {i} ."
                    c.post("/graphs", params={"graph": "http://example.org/g"}, content=body, headers=AUTH)

        writer = threading.Thread(target=write)
        writer.start()
        with live.client() as c:
            while writer.is_alive():
                seen.append(count(c))
        writer.join()
        with live.client() as c:
            assert count(c) == 40
    finally:
        live.stop()
    assert seen == sorted(seen)                        # never an older state after a newer one
