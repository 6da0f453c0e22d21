"""A remote store: what is sent to it, what is not, its deadlines, limits and credentials, and its atomicity.

Two stores: a small one written here (it records every request, and can stall, cut answers short or ask for
credentials), for what must hold whatever the store does; and the session's Virtuoso (tests/virtuoso.py) for
what a real store does with what it is sent.
"""
from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pyoxigraph as ox
import pytest

from api.sparqltext import Refused
from api.storelink import Link
from kg.cli import main
from kg.iris import Minter
from kg.pipeline import Worker
from kg.rdf import to_oxigraph
from kg.remote import RemoteStore
from kg.sparqlhttp import Endpoints, StoreError, digest
from kg.store import graph_digest, split_history
from tests.api.conftest import serve
from tests.virtuoso import Virtuoso, wiped

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from ingest import generate  # noqa: E402

RESULT = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/>'
          '</head><results>{}</results></sparql>')
ROW = '<result><binding name="x"><literal>{}</literal></binding></result>'
BOOLEAN = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
           '<boolean>true</boolean></sparql>')


class FakeStore:
    """A SPARQL endpoint on loopback that records what it is sent. A query mentioning "stall" is answered after
    30 s; "capped" gets 3 rows and X-SPARQL-MaxRows: 3; "partial" gets Virtuoso's partial-answer header; any
    other query gets one row, or true for ASK. With ``password``, updates need Digest credentials."""

    def __init__(self, password: str | None = None) -> None:
        self.requests: list[dict[str, list[str]]] = []
        self.password = password
        self.nonce = "n0nce"
        store = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                store.requests.append(form)
                if "update" in form:
                    if store.password and not store.authorized(self.headers.get("Authorization", "")):
                        self.send_response(401)
                        self.send_header("WWW-Authenticate", f'Digest realm="fake", nonce="{store.nonce}", qop="auth"')
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    return self.answer(b"", "text/plain")
                text = form.get("query", [""])[0]
                if "stall" in text:
                    time.sleep(30)
                headers = {}
                if "capped" in text:
                    body, headers = RESULT.format(ROW.format("a") * 3), {"X-SPARQL-MaxRows": "3"}
                elif "partial" in text:
                    body, headers = RESULT.format(ROW.format("a")), {"X-SQL-State": "S1TAT"}
                elif text.lstrip().upper().startswith("ASK") or " ASK " in text:
                    body = BOOLEAN
                else:
                    body = RESULT.format(ROW.format("one"))
                self.answer(body.encode(), "application/sparql-results+xml", headers)

            def answer(self, body: bytes, media: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql#dialect=standard"

    def authorized(self, header: str) -> bool:
        if not header.startswith("Digest "):
            return False
        fields = dict(part.strip().split("=", 1) for part in header[7:].split(","))
        fields = {k: v.strip('"') for k, v in fields.items()}
        h = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1, ha2 = h(f"{fields['username']}:fake:{self.password}"), h(f"POST:{fields['uri']}")
        expected = h(f"{ha1}:{self.nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        return fields.get("response") == expected

    def sent(self, word: str) -> bool:
        return any(word in v for r in self.requests for values in r.values() for v in values)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def fake() -> Iterator[FakeStore]:
    store = FakeStore()
    yield store
    store.close()


# -- what is sent -----------------------------------------------------------------------------------------------

def test_a_refused_request_is_never_sent(fake: FakeStore) -> None:
    with closing(RemoteStore(fake.url)) as store:
        for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
                      "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
                      'PREFIX b: <http://www.openlinksw.com/schemas/bif#> SELECT (b:http_get("http://x/") AS ?y) {}',
                      'SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, "x")) }',
                      "DEFINE get:soft \"replace\" SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }"):
            with pytest.raises(Refused):
                store.query(query)
        for update in ("LOAD <http://127.0.0.1:1/x>", "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }"):
            with pytest.raises(Refused):
                store.update(update)
    assert fake.requests == []


def test_what_is_sent_is_the_text_that_was_checked(fake: FakeStore) -> None:
    """Codepoint escapes decoded, comments dropped and strings written one way: a store that lexes either
    otherwise (Virtuoso ends comments at LF only, and long strings at an escaped quote) parses what the check
    parsed."""
    with closing(RemoteStore(fake.url)) as store:
        list(store.query('SELECT ?x WHERE { BIND("\\u0041" AS ?x) } # note\r LIMIT 1'))
        list(store.query("SELECT ?x WHERE { BIND(\'\'\'it\\\'\'\' } # \'\'\' AS ?x) }"))
    first, second = (r["query"][0] for r in fake.requests[-2:])
    assert 'BIND("A" AS ?x)' in first and "\r" not in first and "note" not in first
    assert first.rstrip().endswith("LIMIT 1")
    assert second == 'SELECT ?x WHERE { BIND("it\'\'\' } # " AS ?x) }'


def test_the_server_sends_a_refused_query_nowhere(fake: FakeStore, tmp_path: Path) -> None:
    server = serve(fake.url, api_token="t", dumps_dir=tmp_path)
    try:
        with server.client() as c:
            r = c.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
            assert r.status_code == 400 and "SERVICE" in r.text
            r = c.post("/sparql", data={"update": "LOAD <http://127.0.0.1:1/x>"}, headers={"Authorization": "Bearer t"})
            assert r.status_code == 400 and "LOAD" in r.text
            assert c.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p ?o }"}).status_code == 200
    finally:
        server.stop()
    assert not fake.sent("SERVICE") and not fake.sent("LOAD") and fake.sent("SELECT ?x")


# -- deadlines and limits ---------------------------------------------------------------------------------------

def test_a_stalled_store_is_left_at_the_deadline_without_holding_up_others(fake: FakeStore, tmp_path: Path) -> None:
    server = serve(fake.url, query_timeout=1.5, dumps_dir=tmp_path)
    try:
        result: dict[str, httpx.Response] = {}

        def stalled() -> None:
            with server.client() as c:
                result["slow"] = c.get("/sparql", params={"query": 'SELECT ?x WHERE { ?x ?p "stall" }'})

        thread = threading.Thread(target=stalled)
        started = time.monotonic()
        thread.start()
        time.sleep(0.2)
        with server.client() as c:
            quick = c.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p ?o }"})
        quick_done = time.monotonic() - started
        thread.join()
        assert quick.status_code == 200 and quick_done < 1.5
        assert result["slow"].status_code == 503 and "timed out" in result["slow"].text
        assert time.monotonic() - started < 5
    finally:
        server.stop()


def test_the_client_gives_up_on_a_store_that_stalls(fake: FakeStore) -> None:
    with closing(RemoteStore(fake.url + "&timeout=1")) as store:
        started = time.monotonic()
        with pytest.raises(StoreError, match="timed out|broke off"):
            list(store.query('SELECT ?x WHERE { ?x ?p "stall" }'))
        assert time.monotonic() - started < 4


def test_a_store_s_own_row_limit_is_announced_and_a_partial_answer_refused(fake: FakeStore, tmp_path: Path) -> None:
    server = serve(fake.url, max_rows=100, dumps_dir=tmp_path)
    try:
        with server.client() as c:
            r = c.get("/sparql", params={"query": 'SELECT ?x WHERE { ?x ?p "capped" }'})
            assert r.status_code == 200 and r.headers["x-sparql-maxrows"] == "3"
            assert len(r.json()["results"]["bindings"]) == 3
            r = c.get("/sparql", params={"query": 'SELECT ?x WHERE { ?x ?p "partial" }'})
            assert r.status_code == 503 and "partial" in r.text
    finally:
        server.stop()


# -- credentials and connections --------------------------------------------------------------------------------

def test_digest_credentials_answer_the_challenge_and_go_only_to_the_update_endpoint() -> None:
    store = FakeStore(password="s3cret")
    try:
        env = {"KG_STORE_USER": "kg", "KG_STORE_PASSWORD": "s3cret"}
        endpoints = Endpoints.parse(f"http://127.0.0.1:{store.port}/sparql#update=/update&dialect=standard", env)
        assert not endpoints.query_auth and endpoints.without_write_credentials().password is None
        with closing(RemoteStore(endpoints)) as remote:
            remote.update("INSERT DATA { <http://ex/a> <http://ex/b> 1 }")
            remote.update("INSERT DATA { <http://ex/a> <http://ex/b> 2 }")   # the nonce is reused, the count goes up
        wrong = Endpoints.parse(f"http://127.0.0.1:{store.port}/sparql#update=/update&dialect=standard",
                                {**env, "KG_STORE_PASSWORD": "nope"})
        with closing(RemoteStore(wrong)) as remote, pytest.raises(StoreError, match="credentials|401"):
            remote.update("INSERT DATA { <http://ex/a> <http://ex/b> 3 }")
    finally:
        store.close()
    challenge = {"realm": "r", "nonce": "n", "qop": "auth", "algorithm": "SHA-256"}
    assert 'algorithm=SHA-256' in digest(challenge, "u", "p", "POST", "/x", 1)


def test_a_child_gets_connections_to_the_store_and_to_nothing_else(fake: FakeStore) -> None:
    """The sandboxed side of api/storelink.py: no socket of its own, only the ones the server opens for it."""
    import asyncio

    endpoints = Endpoints.parse(fake.url)
    code = (
        "import os, socket, sys\n"
        "from kg.sandbox import deny_network\n"
        "from api.storelink import child_store\n"
        "deny_network()\n"
        "store = child_store(sys.argv[1], 'https://w3id.org/dipkg/')\n"
        "print('rows', len(list(store.query('SELECT ?x WHERE { ?x ?p ?o }'))))\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', int(sys.argv[2])), 2)\n"
        "except OSError as exc:\n"
        "    print('own socket refused:', exc.errno)\n"
        "from api.storelink import child_opener\n"
        "from kg.sparqlhttp import Endpoints\n"
        "try:\n"
        "    child_opener(int(os.environ['KG_STORE_LINK']), Endpoints.parse(sys.argv[1]))('example.org', 80, 2)\n"
        "except Exception as exc:\n"
        "    print('other host refused:', exc)\n"
    )

    async def run() -> str:
        link = Link(endpoints)
        ours, theirs = link.pair()
        with theirs:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", code, fake.url, str(fake.port), cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                pass_fds=(theirs.fileno(),), env={**os.environ, "KG_STORE_LINK": str(theirs.fileno())})
        serving = asyncio.create_task(link.serve(ours))
        out, _ = await proc.communicate()
        serving.cancel()
        return out.decode()

    out = asyncio.run(run())
    assert "rows 1" in out and "own socket refused: 13" in out and "other host refused:" in out, out


# -- a real store: Virtuoso -------------------------------------------------------------------------------------

@pytest.fixture()
def remote(virtuoso: Virtuoso) -> Iterator[RemoteStore]:
    with closing(wiped(virtuoso)) as store:
        yield store


def test_literals_blank_nodes_and_language_tags_come_back_as_written(remote: RemoteStore) -> None:
    g = ox.NamedNode("http://example.org/round-trip")
    b = ox.BlankNode()
    quads = [ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), o, g) for o in (
        ox.Literal("trailing space "), ox.Literal("  leading"), ox.Literal(" "), ox.Literal("tab\tand\nnewline\n"),
        ox.Literal("Zürich 😀"), ox.Literal("en-GB", language="en-GB"), ox.Literal("x <y> & z"),
        ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ox.Literal("2024-02-29", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), b)]
    quads.append(ox.Quad(b, ox.NamedNode("http://ex/q"), ox.Literal("in a blank node"), g))
    assert remote.set_graph(g, quads, replace=True) is True
    assert graph_digest(remote.ox.quads_for_pattern(None, None, None, g)) == graph_digest(quads)
    out = io.BytesIO()
    remote.export("nq", out)
    assert graph_digest(q for q in ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS) if q.graph_name == g) \
        == graph_digest(quads)


def test_a_large_graph_is_swapped_in_whole(remote: RemoteStore) -> None:
    """More triples than one operation carries go through a staging graph, moved over the target at once."""
    g = ox.NamedNode("http://example.org/large")
    quads = [ox.Quad(ox.NamedNode(f"http://ex/s{i}"), ox.NamedNode("http://ex/p"), ox.Literal(str(i)), g)
             for i in range(3500)]
    remote.set_graph(g, quads, replace=True)
    assert remote.count(g.value) == 3500
    remote.set_graph(g, quads[:10], replace=True)
    assert remote.count(g.value) == 10
    assert {x.value for x in remote.ox.named_graphs()} == {g.value, str(remote.minter.graph("meta"))}
    staged = remote.ox._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                               f'FILTER(STRSTARTS(STR(?g), "{remote.ox.staging}")) }}')
    assert [int(row["n"].value) for row in staged] == [0]


def test_limit_and_offset_hold_for_a_construct_of_the_union(remote: RemoteStore) -> None:
    """Virtuoso ignores them on a CONSTRUCT whose pattern holds a subquery, as the set rewrite makes every
    pattern on the union (kg.setquery); kg.virtuoso.ordered_construct gives such a query an order."""
    from kg.setquery import distinct_matches
    for i in range(2):      # the same 30 triples in two graphs: the union holds each once
        g = ox.NamedNode(f"http://example.org/copy{i}")
        remote.set_graph(g, [ox.Quad(ox.NamedNode(f"http://ex/s{k}"), ox.NamedNode("http://ex/p"), ox.Literal(str(k)),
                                     g) for k in range(30)], replace=True)
    query = distinct_matches("CONSTRUCT { ?s <http://ex/q> ?o } WHERE { ?s <http://ex/p> ?o } LIMIT 7 OFFSET 20")
    assert "SELECT DISTINCT" in query
    assert len(set(remote.query(query))) == 7
    assert len(set(remote.query(query.replace("LIMIT 7 ", "")))) == 10


_INGEST = """
import sys
from pathlib import Path
from kg.pipeline import Ingester, article_paths
from kg.remote import RemoteStore
def progress(done, total, summary):
    print(done, flush=True)
Ingester(RemoteStore(sys.argv[1]), None, workers=1, chunk=4, write_batch=1, progress=progress).run(
    article_paths([Path(sys.argv[2])]))
"""


def test_killing_an_ingest_leaves_every_article_fully_in_or_fully_out(remote: RemoteStore, virtuoso: Virtuoso,
                                                                      tmp_path: Path) -> None:
    worker = Worker(Minter().base)
    paths = generate(tmp_path / "articles", 40, seed=11)
    expected = {}
    for p in paths:
        built = worker.build(str(p))      # what was extracted, without when (kg.store.split_history)
        name = ox.NamedNode(built.article)
        expected[built.article] = graph_digest(split_history(name, to_oxigraph(built.triples, built.article))[0])
    spec = virtuoso.store + "&batch=300"          # about one article per request: many requests to land in
    rng = random.Random(5)
    partial_seen = False
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _INGEST, spec, str(tmp_path / "articles")], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 6)):
            if not proc.stdout.readline():
                break
        time.sleep(rng.uniform(0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        present = [name for name in expected if remote.count(name)]
        for name in present:
            node = ox.NamedNode(name)
            stored = graph_digest(split_history(node, remote.ox.quads_for_pattern(None, None, None, node))[0])
            assert stored == expected[name], f"{name} is half written"
        partial_seen = partial_seen or 0 < len(present) < len(expected)
    assert partial_seen, "no kill landed in the middle of the ingest; the test proved nothing"


def test_the_commands_work_against_a_remote_store(remote: RemoteStore, virtuoso: Virtuoso, seed_path: Path,
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = virtuoso.store
    assert main(["ingest", str(seed_path), "--store", spec, "--workers", "1"]) == 0
    assert "1 added" in capsys.readouterr().out
    assert main(["ingest", str(seed_path), "--store", spec, "--workers", "1"]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert main(["query", "--store", spec, "--format", "csv",
                 "SELECT ?a WHERE { ?a a <https://w3id.org/dipkg/ontology#NewsArticle> }"]) == 0
    article = capsys.readouterr().out.splitlines()[1].strip()
    assert article.startswith("https://w3id.org/dipkg/id/article/")
    assert main(["query", "--store", spec, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"]) == 2
    assert "SERVICE is not allowed" in capsys.readouterr().err
    out = tmp_path / "all.nq"
    assert main(["export", "--store", spec, "--format", "nq", "-o", str(out)]) == 0
    graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert article in graphs and str(Minter().reference_graph) in graphs
    assert main(["remove", "--store", spec, article]) == 0
    assert remote.count(article) == 0 and remote.count(str(Minter().reference_graph)) > 1000
    assert main(["query", "--store", "http://127.0.0.1:1/sparql", "ASK {}"]) == 2
    assert "cannot reach the store" in capsys.readouterr().err


def test_the_server_reaches_the_store_only_through_its_own_connections(virtuoso: Virtuoso, tmp_path: Path) -> None:
    """Every socket a worker or the writer holds was opened by the server, to the store's address."""
    with closing(wiped(virtuoso)):
        pass
    server = serve(virtuoso.store, api_token="t", dumps_dir=tmp_path)
    try:
        with server.client() as c:
            assert c.post("/sparql", data={"update": "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> "
                                                     "<http://ex/b> 1 } }"}, headers={"Authorization": "Bearer t"}
                          ).status_code == 204
            assert c.get("/sparql", params={"query": "ASK { ?s ?p 1 }"}).json()["boolean"] is True
        pool = server.server.config.app.state.kg.pool  # type: ignore[attr-defined]
        pids = [p.proc.pid for p in pool._procs] + [pool._writer.proc.pid]
        for pid in pids:
            for peer in _tcp_peers(pid):
                assert peer == ("127.0.0.1", virtuoso.http_port), (pid, peer)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory, virtuoso: Virtuoso) -> Iterator[RemoteStore]:
    """A second Virtuoso that cuts every answer at 100 rows (ResultSetMaxRows), emptied."""
    from tests.virtuoso import start
    small = start(tmp_path_factory.mktemp("capped"), rows=100)
    try:
        with closing(wiped(small)) as store:
            yield store
    finally:
        small.stop()


def test_a_store_that_cuts_answers_short_is_read_whole(capped: RemoteStore) -> None:
    """Reads that meet the store's row limit page through it: graphs, listings and every dump come out whole,
    and a merged dump holds a triple two graphs share once."""
    ex = "http://example.org/"
    graphs = [ox.NamedNode(f"{ex}g{i}") for i in range(3)]
    for i, g in enumerate(graphs):           # 250, 250 and 40 triples; g2 repeats 40 of g0's
        n = 40 if i == 2 else 250
        quads = [ox.Quad(ox.NamedNode(f"{ex}s{k}"), ox.NamedNode(f"{ex}p{0 if i == 2 else i}"), ox.Literal(str(k)), g)
                 for k in range(n)]
        capped.set_graph(g, quads, replace=True)
    assert sum(1 for _ in capped.ox.quads_for_pattern(None, None, None, graphs[0])) == capped.count(graphs[0].value)
    assert capped.count(graphs[0].value) == 250
    meta = str(Minter().graph("meta"))                    # the store's modification time: one triple
    assert sorted(g.value for g in capped.ox.named_graphs()) == sorted([meta, *(g.value for g in graphs)])
    out = io.BytesIO()
    capped.export("nq", out)
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads)) == len(capped.ox) == 541
    out = io.BytesIO()
    capped.export("nt", out)
    triples = list(ox.parse(out.getvalue(), ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(set(triples)) == len({q.triple for q in quads}) == 501


def _tcp_peers(pid: int) -> list[tuple[str, int]]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    peers = []
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if cols[9] in inodes:
            host, port = cols[2].split(":")
            peers.append((socket.inet_ntoa(bytes.fromhex(host)[::-1]), int(port, 16)))
    return peers
