"""SPARQL endpoint benchmark: the same queries over HTTP (a live `kg serve`) and in-process on pyoxigraph.

    .venv/bin/python bench/sparql.py                      # builds a >=1M-triple store in a temp folder
    .venv/bin/python bench/sparql.py --store data/store   # an existing store (not written to)
    .venv/bin/python bench/sparql.py --store URL --build /tmp/build   # the embedded store against a SPARQL store

With a URL (an empty SPARQL 1.1 store: its KG_STORE form, credentials from KG_STORE_USER/KG_STORE_PASSWORD),
the same build (made in --build, or reused from there) is loaded into a fresh embedded store and into the
remote one through the same writes, a `kg serve` runs on each, and the same queries, lookups and dump are
timed on both, side by side.

Prints, per query: in-process ms, HTTP ms (medians) and their ratio; point lookups per second with 32
concurrent keep-alive clients (and errors); the N-Triples dump's first build and its download in MB/s;
the server's RSS (main process, and its query workers) before and after.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.iris import Minter  # noqa: E402
from kg.namespaces import DIP, SCHEMA, SEM  # noqa: E402
from kg.setquery import distinct_matches, query_form  # noqa: E402


def build(path: Path, target: int) -> None:
    """A store of real pipeline output: bench/ingest.py's synthetic articles, 1,000 at a time."""
    from ingest import generate

    from kg.pipeline import Ingester, article_paths
    from kg.store import Store
    kg_store = Store(path)
    seed = 7
    with tempfile.TemporaryDirectory() as tmp:
        while len(kg_store.ox) < target:
            folder = Path(tmp) / f"s{seed}"
            generate(folder, 1000, seed)
            Ingester(kg_store, None).run(article_paths([folder]))
            print(f"  {len(kg_store.ox):,} quads", flush=True)
            seed += 1
    kg_store.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_rss(pid: int) -> tuple[float, float]:
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return rss_mb(pid), sum(rss_mb(c) for c in children)


def queries(person: str, minter: Minter) -> dict[str, tuple[str, str]]:
    """name -> (query, Accept); the Accept the in-process run serializes to as well."""
    j, nt = "application/sparql-results+json", "application/n-triples"
    return {
        "point lookup": (f"SELECT ?p ?o WHERE {{ <{person}> ?p ?o }}", j),
        "two-hop join": (f"SELECT ?country (COUNT(*) AS ?n) WHERE {{ ?event <{SEM.hasActor}> ?person . "
                         f"?person <{DIP.actsFor}> ?country . ?event a <{DIP.Meeting}> }} GROUP BY ?country", j),
        "GROUP BY aggregate": ("SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type ORDER BY DESC(?n)",
                               j),
        "regex scan": (f'SELECT ?s ?name WHERE {{ ?s <{SCHEMA.name}> ?name '
                       f'FILTER(REGEX(?name, "(ov|ova|ev)$", "i")) }}',
                       j),
        "CONSTRUCT ~10k triples": (f"CONSTRUCT {{ ?e ?p ?o }} WHERE {{ ?e a <{DIP.Summit}> ; ?p ?o }} LIMIT 10000", nt),
        "DESCRIBE": (f"DESCRIBE <{person}>", nt),
    }


RESULT = {"application/sparql-results+json": ox.QueryResultsFormat.JSON}


class Connection:
    """A blocking keep-alive HTTP/1.1 client with nothing in the way, so the figures are the server's."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb", buffering=1 << 16)

    def get(self, path: str, accept: str) -> tuple[int, int]:
        """GET ``path``; (status, body bytes), the body read whole (Content-Length or chunked)."""
        status, body = self.get_body(path, accept, keep=False)
        return status, len(body) if isinstance(body, bytes) else body

    def get_body(self, path: str, accept: str, keep: bool = True) -> tuple[int, bytes | int]:
        """GET ``path``; (status, the body, or its length when not ``keep``)."""
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\n"
                          "Accept-Encoding: identity\r\n\r\n".encode())
        status = int(self.file.readline().split(b" ", 2)[1])
        headers = {}
        while (line := self.file.readline()) not in (b"\r\n", b""):
            k, _, v = line.decode().partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            data = self.file.read(int(headers["content-length"]))
            return status, data if keep else len(data)
        parts, total = [], 0
        while (size := int(self.file.readline().split(b";")[0], 16)) > 0:
            chunk = self.file.read(size)
            total += len(chunk)
            if keep:
                parts.append(chunk)
            self.file.readline()
        self.file.readline()
        return status, b"".join(parts) if keep else total


def in_process(store: ox.Store, query: str, accept: str) -> int:
    """The query as the server runs it: each triple of the union matched once, DESCRIBE without repeats."""
    result = store.query(distinct_matches(query), use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        if query_form(query) == "DESCRIBE":
            return len(ox.serialize(list(dict.fromkeys(result)), format=ox.RdfFormat.N_TRIPLES) or b"")
        return len(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    return len(result.serialize(format=RESULT[accept]) or b"")


def timed(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median ms of each function, the runs interleaved so that both see the same machine."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()  # warm
    for _ in range(repeat):
        for fn, out in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [statistics.median(t) * 1000 for t in times]


async def hammer(port: int, paths: list[str], clients: int, seconds: float) -> tuple[int, int, float]:
    """Keep-alive HTTP/1.1 GETs from ``clients`` connections for ``seconds``; (ok, errors, elapsed)."""
    ok = errors = 0
    stop = time.perf_counter() + seconds

    async def one(i: int) -> None:
        nonlocal ok, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        k = i
        while time.perf_counter() < stop:
            path = paths[k % len(paths)]
            k += clients
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n"
                         "Accept: application/sparql-results+json\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            await reader.readexactly(length)
            if status == 200:
                ok += 1
            else:
                errors += 1
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(clients)))
    return ok, errors, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", help="an existing store (default: build one in a temp folder), or the URL of an "
                   "empty SPARQL 1.1 store to compare the embedded store with")
    p.add_argument("--build", type=Path, help="with a URL: where the embedded build is made, or found")
    p.add_argument("--triples", type=int, default=1_000_000, help="size of the store to build")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10.0, help="length of the concurrency run")
    args = p.parse_args(argv)
    if args.store and args.store.startswith(("http://", "https://")):
        from compare import compare
        return compare(args)
    tmp = None
    store_path = Path(args.store) if args.store else None
    if store_path is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
        store_path = tmp / "store"
        t0 = time.perf_counter()
        build(store_path, args.triples)
        print(f"built in {time.perf_counter() - t0:.1f} s")
    minter = Minter()
    port = free_port()
    env = {**os.environ, "KG_QUERY_TIMEOUT": "120", "KG_MAX_ROWS": "1000000"}
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store_path), "--port",
                               str(port)], cwd=ROOT, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=300) as c:
            for _ in range(300):
                try:
                    c.get("/sparql", params={"query": "ASK {}"})
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            local = ox.Store.read_only(str(store_path))
            size = len(local)
            rss0 = server_rss(server.pid)
            persons = [row[0].value for row in local.query(
                f"SELECT ?p WHERE {{ ?p a <{DIP.Person}> }} LIMIT 2000", use_default_graph_as_union=True)]
            person = persons[len(persons) // 2]
            print(f"\nstore: {store_path} ({size:,} quads); server pid {server.pid}\n")
            print(f"{'query':24} {'bytes':>10} {'in-process ms':>14} {'HTTP ms':>9} {'ratio':>6} {'added ms':>9}")
            conn = Connection(port)
            for name, (query, accept) in queries(person, minter).items():
                nbytes = in_process(local, query, accept)
                path = "/sparql?" + urlencode({"query": query})
                status, got = conn.get(path, accept)
                assert status == 200 and got == nbytes, (name, status, got, nbytes)
                t_in, t_http = timed([lambda q=query, a=accept: in_process(local, q, a),
                                      lambda p=path, a=accept: conn.get(p, a)], args.repeat)
                print(f"{name:24} {nbytes:>10,} {t_in:>14.2f} {t_http:>9.2f} {t_http / t_in:>6.2f} "
                      f"{t_http - t_in:>9.2f}")
            paths = ["/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{x}> ?p ?o }}"}) for x in persons]
            ok, errors, elapsed = asyncio.run(hammer(port, paths, args.clients, args.seconds))
            print(f"\npoint lookups, {args.clients} concurrent clients: {ok / elapsed:,.0f}/s "
                  f"({ok:,} in {elapsed:.1f} s, {errors} errors)")
            rss1 = server_rss(server.pid)
            t0 = time.perf_counter()
            conn = Connection(port)   # the first one idled past the keep-alive timeout
            status, first = conn.get("/dumps/dataset.nt", "*/*")
            t_build = time.perf_counter() - t0
            rss2 = server_rss(server.pid)
            t0 = time.perf_counter()
            status, total = conn.get("/dumps/dataset.nt", "*/*")
            t_dump = time.perf_counter() - t0
            rss3 = server_rss(server.pid)
            assert status == 200 and total == first
            print(f"N-Triples dump: {total / 1e6:,.0f} MB; first request (writes the file) {t_build:.1f} s; "
                  f"download {total / 1e6 / t_dump:,.0f} MB/s")
            print("server RSS MB (main / query workers): "
                  + "  ".join(f"{label} {m:.0f} / {w:.0f}" for label, (m, w) in
                              [("start", rss0), ("after lookups", rss1), ("after dump build", rss2),
                               ("after download", rss3)]))
    finally:
        server.terminate()
        server.wait(30)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
