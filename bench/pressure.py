"""The server under hostile and heavy load (issue 8): does a cheap query still get through?

    .venv/bin/python bench/pressure.py                    # a store of the seed plus 200 synthetic articles
    .venv/bin/python bench/pressure.py --store PATH       # a copy of an existing store

Scenario "pathological": 32 clients send, over and over, the requests that once froze or killed the server
(a 32 KB text that made the lexer quadratic, 4 MB of braces, 10,000 nested parentheses or '!', a 10 MB
Accept header, an RDF/XML billion-laughs upload, a 64 KB query) while one client times a cheap query.
Scenario "expensive": 32 clients send queries that run until the timeout (cross joins), to show what the
worker cap and the bounded wait do. Scenario "writers": 8 clients POST articles while 4 clients send a
30 ms query again and again; none of those may get 503. Prints cheap-query latency (median, p90, max),
status counts, and the most query workers seen at once (counted from /proc) against the cap.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sparql import free_port  # noqa: E402

TOKEN = "bench-token"
CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/dipkg/ontology#Country> } LIMIT 5"
THIRTY_MS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
          + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
          'rdf:about="http://ex/x"><rdf:value>&j;</rdf:value></rdf:Description></rdf:RDF>')


def pathological(i: int) -> dict[str, object]:
    kinds: list[dict[str, object]] = [
        {"method": "POST", "url": "/sparql", "data": {"query": "a." * 16_000}},
        {"method": "POST", "url": "/sparql", "content": "SELECT * {" + "{}" * 2_000_000 + "}",
         "headers": {"Content-Type": "application/sparql-query"}},
        {"method": "POST", "url": "/sparql", "data": {"query": "SELECT * { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000
                                                      + ") }"}},
        {"method": "POST", "url": "/sparql", "data": {"query": "SELECT * { FILTER(" + "!" * 10_000 + "true) }"}},
        {"method": "GET", "url": "/", "headers": {"Accept": "text/html," + "a/b;q=0.1," * 1_000_000}},
        {"method": "PUT", "url": "/graphs?graph=http://ex/laughs", "content": LAUGHS,
         "headers": {"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {TOKEN}"}},
        {"method": "POST", "url": "/sparql", "data": {"query": "ASK {} #" + "x" * 65_000}},
    ]
    return kinds[i % len(kinds)]


def workers_of(pid: int) -> int:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    count = 0
    for c in children:
        try:
            if b"api.worker" in Path(f"/proc/{c}/cmdline").read_bytes():
                count += 1
        except OSError:
            pass
    return count


class Run:
    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.cheap: Counter[int] = Counter()
        self.load: Counter[int | str] = Counter()
        self.errors: Counter[str] = Counter()
        self.peak = 0

    def watch(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, workers_of(self.pid))
            time.sleep(0.01)

    def timed(self, query: str) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as c:
            while not self.stop.is_set():
                t0 = time.perf_counter()
                r = c.get("/sparql", params={"query": query})
                self.latencies.append(time.perf_counter() - t0)
                self.cheap[r.status_code] += 1
                if r.status_code != 200:
                    self.errors[r.text.strip()[:160]] += 1

    def hammer(self, make: object) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as c:
            i = 0
            while not self.stop.is_set():
                try:
                    r = c.request(**make(i))  # type: ignore[operator]
                    self.load[r.status_code] += 1
                except httpx.HTTPError as exc:
                    self.load[type(exc).__name__] += 1
                i += 1

    def go(self, threads: list[threading.Thread], seconds: float) -> None:
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join()

    def report(self, name: str, cap: int) -> None:
        lat = sorted(self.latencies)
        if not lat:
            print(f"{name}: no cheap query finished")
            return
        p90 = lat[int(0.9 * (len(lat) - 1))]
        print(f"{name}: cheap queries {len(lat)}, median {1000 * statistics.median(lat):.0f} ms, "
              f"p90 {1000 * p90:.0f} ms, max {1000 * lat[-1]:.0f} ms, statuses {dict(self.cheap)}")
        print(f"  load statuses {dict(self.load)}; most query workers at once {self.peak} (cap {cap})")
        for message, n in self.errors.most_common(5):
            print(f"  {n} x {message}")


def articles(n: int) -> list[bytes]:
    from ingest import generate
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), n, 11)
        return [p.read_bytes() for p in sorted(Path(tmp).iterdir()) if p.is_file()]


def build(path: Path, n: int) -> None:
    from ingest import generate

    from kg.pipeline import Ingester, article_paths
    from kg.store import Store
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), n, 5)
        store = Store(path)
        Ingester(store, None).run(article_paths([Path(tmp), ROOT / "seeds"]))
        store.flush()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--timeout", type=float, default=10.0, help="KG_QUERY_TIMEOUT of the server")
    p.add_argument("--only", choices=["pathological", "expensive", "writers"], action="append",
                   help="run this scenario (repeatable; default all)")
    p.add_argument("--server-log", type=Path, help="write the server's stderr here")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-pressure-"))
    store = tmp / "store"
    if args.store:
        shutil.copytree(args.store, store)
    else:
        build(store, 200)
    port = free_port()
    env = {**os.environ, "KG_API_TOKEN": TOKEN, "KG_QUERY_TIMEOUT": str(args.timeout)}
    only = set(args.only or ["pathological", "expensive", "writers"])
    log = args.server_log.open("wb") if args.server_log else subprocess.DEVNULL
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    cap = max(2, os.cpu_count() or 2) + 4
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/sparql", params={"query": "ASK {}"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        print(f"load average {os.getloadavg()[0]:.2f}; server workers: {max(2, os.cpu_count() or 2)} + 4 spare")
        if "pathological" in only:
            pathological_run(url, server.pid, args.seconds, cap)
        if "expensive" in only:
            expensive_run(url, server.pid, args.seconds, cap)
        if "writers" in only:
            writers_run(url, server.pid, args.seconds, cap)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


def pathological_run(url: str, pid: int, seconds: float, cap: int) -> None:
    run = Run(url, pid)
    run.go([threading.Thread(target=run.watch), threading.Thread(target=run.timed, args=(CHEAP,)),
            *(threading.Thread(target=run.hammer, args=(pathological,)) for _ in range(32))], seconds)
    run.report("pathological x32", cap)


def expensive_run(url: str, pid: int, seconds: float, cap: int) -> None:
    run = Run(url, pid)
    run.go([threading.Thread(target=run.watch), threading.Thread(target=run.timed, args=(CHEAP,)),
            *(threading.Thread(target=run.hammer, args=(lambda i: {"method": "GET", "url": "/sparql",
                                                                    "params": {"query": EXPENSIVE}},))
              for _ in range(32))], seconds)
    run.report("expensive x32", cap)


def writers_run(url: str, pid: int, seconds: float, cap: int) -> None:
    texts = articles(400)
    run = Run(url, pid)
    post = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    run.go([threading.Thread(target=run.watch),
            *(threading.Thread(target=run.timed, args=(THIRTY_MS,)) for _ in range(4)),
            *(threading.Thread(target=run.hammer, args=(lambda i, k=k: {
                "method": "POST", "url": "/articles", "content": texts[(8 * i + k) % len(texts)],
                "headers": post},)) for k in range(8))], seconds)
    run.report("writers x8 (POST /articles) against 30 ms queries", cap)


if __name__ == "__main__":
    main()
