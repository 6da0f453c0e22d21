"""The embedded store and a SPARQL 1.1 store, side by side on the same build (bench/sparql.py --store URL).

1. The build: bench/sparql.py's (pipeline output, >= --triples quads), made in --build or reused from there.
2. Load: its graphs written into a fresh embedded store and into the remote store by the same calls (article
   graphs through ``write`` in batches of about 100,000 triples, as ingest does; the shared graphs through
   ``set_graph``); seconds and triples/s for each.
3. A `kg serve` on each; per query the median HTTP time on both (answers compared by size); point lookups/s
   with concurrent clients; the N-Triples dump's first build and its download.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.iris import Minter  # noqa: E402
from kg.namespaces import DIP  # noqa: E402

WRITE_BATCH = 100_000


def graphs_of(build: Path) -> tuple[list[list[tuple[str, str]]], list[tuple[ox.NamedNode, list[ox.Quad]]], int]:
    """The build's article graphs as write() batches of (IRI, N-Triples), its other graphs, and its quads."""
    store = ox.Store.read_only(str(build))
    articles = f"{Minter().id}article/"
    batches: list[list[tuple[str, str]]] = [[]]
    shared = []
    size = total = 0
    for g in sorted(store.named_graphs(), key=str):
        quads = list(store.quads_for_pattern(None, None, None, g))
        total += len(quads)
        if not g.value.startswith(articles):
            shared.append((g, quads))
            continue
        if size + len(quads) > WRITE_BATCH and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append((g.value, ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
                            .decode()))
        size += len(quads)
    return batches, shared, total


def load(store: object, batches: list[list[tuple[str, str]]], shared: list[tuple[ox.NamedNode, list[ox.Quad]]]
         ) -> float:
    t0 = time.perf_counter()
    for g, quads in shared:
        store.set_graph(g, quads, replace=True)  # type: ignore[attr-defined]
    for batch in batches:
        outcomes = store.write(batch)  # type: ignore[attr-defined]
        assert set(outcomes) == {"added"}, set(outcomes)
    store.flush()  # type: ignore[attr-defined]
    return time.perf_counter() - t0


def serve(store: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KG_QUERY_TIMEOUT": "300", "KG_MAX_ROWS": "1000000",
           "KG_DUMPS": tempfile.mkdtemp(prefix="bench-dumps-")}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", store, "--port", str(port)],
                            cwd=ROOT, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    with httpx.Client(timeout=30) as c:
        for _ in range(600):
            try:
                c.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"})
                return proc
            except httpx.TransportError:
                time.sleep(0.1)
    raise RuntimeError(f"kg serve --store {store} did not start")


def answer_size(status: int, body: bytes, accept: str) -> int:
    """Rows (results) or distinct triples (graphs): what two stores must agree on."""
    assert status == 200, (status, body[:300])
    if accept.startswith("application/sparql-results"):
        return len(json.loads(body)["results"]["bindings"])
    return len(set(ox.parse(body, ox.RdfFormat.N_TRIPLES)))


def compare(args: argparse.Namespace) -> int:
    from sparql import Connection, build, free_port, hammer, queries, server_rss

    from kg.remote import RemoteStore
    from kg.store import Store
    work = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    built = args.build or work / "build"
    if not (built / "CURRENT").exists():
        t0 = time.perf_counter()
        build(built, args.triples)
        print(f"built {built} in {time.perf_counter() - t0:.1f} s")
    batches, shared, total = graphs_of(built)
    articles = sum(len(b) for b in batches)
    print(f"build: {total:,} quads, {articles:,} article graphs, {len(shared)} shared graphs")
    remote = RemoteStore(args.store)
    if len(remote.ox):
        raise SystemExit(f"{args.store.partition('#')[0]} is not empty: give an empty store to load into")
    embedded_dir = work / "embedded"
    t_emb = load(Store(embedded_dir), batches, shared)
    t_rem = load(remote, batches, shared)
    assert len(remote.ox) == total, (len(remote.ox), total)
    print(f"\nload (the same writes)   embedded {t_emb:7.1f} s {total / t_emb:9,.0f} triples/s"
          f"   remote {t_rem:7.1f} s {total / t_rem:9,.0f} triples/s")
    ports = free_port(), free_port()
    servers = [serve(str(embedded_dir), ports[0]), serve(args.store, ports[1])]
    try:
        local = ox.Store.read_only(str(embedded_dir))
        persons = [row[0].value for row in local.query(
            f"SELECT ?p WHERE {{ ?p a <{DIP.Person}> }} LIMIT 2000", use_default_graph_as_union=True)]
        person = persons[len(persons) // 2]
        print(f"\n{'query':24} {'answer':>8} {'embedded ms':>12} {'remote ms':>10} {'remote/embedded':>16}")
        conns = [Connection(p) for p in ports]
        for name, (query, accept) in queries(person, Minter()).items():
            path = "/sparql?" + urlencode({"query": query})
            sizes = [answer_size(*c.get_body(path, accept), accept) for c in conns]
            times = []
            for c in conns:
                runs = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    c.get(path, accept)
                    runs.append(time.perf_counter() - t0)
                times.append(statistics.median(runs) * 1000)
            same = "" if sizes[0] == sizes[1] else f"  (answers differ: {sizes[0]} / {sizes[1]})"
            print(f"{name:24} {sizes[0]:>8,} {times[0]:>12.2f} {times[1]:>10.2f} {times[1] / times[0]:>16.2f}{same}")
        paths = ["/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{x}> ?p ?o }}"}) for x in persons]
        for label, port in zip(("embedded", "remote"), ports):
            ok, errors, elapsed = asyncio.run(hammer(port, paths, args.clients, args.seconds))
            print(f"point lookups, {args.clients} clients, {label:8}: {ok / elapsed:8,.0f}/s ({errors} errors)")
        for label, port, server in zip(("embedded", "remote"), ports, servers):
            conn = Connection(port)
            t0 = time.perf_counter()
            status, first = conn.get("/dumps/dataset.nt", "*/*")
            t_build = time.perf_counter() - t0
            t0 = time.perf_counter()
            status, again = conn.get("/dumps/dataset.nt", "*/*")
            t_down = time.perf_counter() - t0
            assert status == 200 and again == first
            main_mb, workers_mb = server_rss(server.pid)
            print(f"N-Triples dump, {label:8}: {first / 1e6:,.0f} MB written in {t_build:6.1f} s "
                  f"({first / 1e6 / t_build:5.1f} MB/s from the store), download {first / 1e6 / t_down:,.0f} MB/s;"
                  f" server RSS {main_mb:.0f} MB + workers {workers_mb:.0f} MB")
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)
        remote.close()
    return 0
