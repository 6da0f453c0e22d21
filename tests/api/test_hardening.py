"""Requests that once stalled or killed the server, or answered wrongly (issue 8, findings 2-14)."""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import api.pool
from api.sparqltext import inspect_query
from kg.setquery import distinct_matches
from tests.api.conftest import TOKEN, Live, seeded_store, serve

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW_UPDATE = ("INSERT { <http://ex/slow> <http://ex/p> ?n } WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
               "GRAPH ?z { ?g ?h ?i } BIND(1 AS ?n) }")


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Live]:
    """A server of its own store: short timeouts, and spare workers retired after one idle second."""
    retire, api.pool.RETIRE_AFTER = api.pool.RETIRE_AFTER, 1.0
    server = serve(seeded_store(tmp_path_factory.mktemp("busy") / "store", seed_path), api_token=TOKEN,
                   query_timeout=2.0)
    yield server
    server.stop()
    api.pool.RETIRE_AFTER = retire


@pytest.fixture()
def own(busy: Live) -> Iterator[httpx.Client]:
    """A client of the busy server, for the tests that write (the shared server's store stays as seeded)."""
    with busy.client() as c:
        yield c


def pool_of(live: Live) -> api.pool.Pool:
    pool: api.pool.Pool = live.server.config.app.state.kg.pool
    return pool


def workers_running(live: Live) -> int:
    """The query workers of ``live``'s store, counted from /proc (not from the pool's own books)."""
    me, count, store = str(os.getpid()), 0, str(live.path).encode()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[1] == me and b"api.worker" in cmd and store in cmd:
            count += 1
    return count


def test_lexing_a_pathological_text_is_linear() -> None:
    started = time.perf_counter()
    for text in ("a." * 32_000, "a:" * 32_000, "{}" * 32_000, "'" * 64_000, "<a" * 32_000, "_:a." * 16_000):
        inspect_query(text)
        distinct_matches("SELECT * WHERE { ?s ?p " + text + " }")
    assert time.perf_counter() - started < 5    # 64 KB took 75-96 s with the quadratic lexer


def test_query_texts_over_the_limit_get_413_at_once(client: httpx.Client) -> None:
    r = client.post("/sparql", content="ASK {} #" + "x" * 70_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "KG_MAX_QUERY" in r.text
    r = client.post("/sparql", data={"update": "DROP ALL #" + "x" * 70_000}, headers=AUTH)
    assert r.status_code == 413
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_a_burst_of_slow_queries_never_runs_more_workers_than_the_cap(busy: Live) -> None:
    pool = pool_of(busy)
    statuses: list[int] = []
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, workers_running(busy))
            time.sleep(0.02)

    def ask() -> None:
        with busy.client() as c:
            r = c.get("/sparql", params={"query": SLOW})
            statuses.append(r.status_code)
            if r.status_code == 503:
                assert "retry-after" in r.headers

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=ask) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    assert statuses.count(503) == 30
    assert 0 < peak <= pool.cap
    deadline = time.monotonic() + 20
    while pool.workers > pool.size and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pool.workers == pool.size                     # the spare workers were retired once idle
    time.sleep(0.5)
    assert workers_running(busy) == pool.size
    with busy.client() as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_rdf_xml_with_entities_is_refused_before_it_expands(client: httpx.Client) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
              + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://ex/">'
              '<rdf:Description rdf:about="http://ex/x"><e:p>&j;</e:p></rdf:Description></rdf:RDF>')
    r = client.put("/graphs", params={"graph": "http://ex/laughs"}, content=laughs,
                   headers={"Content-Type": "application/rdf+xml", **AUTH})
    assert r.status_code == 400 and "DOCTYPE" in r.text
    assert client.get("/graphs", params={"graph": "http://ex/laughs"}).status_code == 404


@pytest.mark.parametrize("nested", ["(" * 10_000 + "1" + ")" * 10_000, "!" * 10_000 + "true", "<<" * 5_000,
                                    "[" * 10_000])
def test_deep_nesting_is_refused_without_killing_anything(client: httpx.Client, live: Live, nested: str) -> None:
    pool = pool_of(live)
    before = sorted(p.proc.pid for p in pool._procs)
    r = client.post("/sparql", data={"query": f"SELECT * WHERE {{ FILTER({nested}) }}"})
    assert r.status_code == 400 and "deep" in r.text
    r = client.post("/sparql", data={"update": f"INSERT {{ <http://ex/a> <http://ex/b> ?x }} WHERE {{ BIND({nested} "
                                               "AS ?x) }"}, headers=AUTH)
    assert r.status_code == 400 and "deep" in r.text
    assert sorted(p.proc.pid for p in pool._procs) == before
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_a_slow_update_is_stopped_and_leaves_the_store_as_it_was(busy: Live) -> None:
    with busy.client() as c:
        r = c.post("/sparql", data={"update": SLOW_UPDATE}, headers=AUTH)
        assert r.status_code == 503 and "nothing was written" in r.text
        ask = {"query": "ASK { <http://ex/slow> ?p ?o }"}
        assert c.get("/sparql", params=ask).json()["boolean"] is False
        quick = c.post("/sparql", data={"update": "INSERT DATA { <http://ex/after> <http://ex/p> 1 }"}, headers=AUTH)
        assert quick.status_code == 204                  # the write lock was released, a new writer started
        assert c.get("/sparql", params={"query": "ASK { <http://ex/after> ?p 1 }"}).json()["boolean"] is True


def test_oversized_headers_get_431(client: httpx.Client) -> None:
    r = client.get("/", headers={"Accept": "text/html," + "a/b;q=0.1," * 1_000_000})
    assert r.status_code == 431
    r = client.get("/", headers={f"X-Filler-{i}": "x" for i in range(200)})
    assert r.status_code == 431
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_the_public_url_replaces_whatever_host_a_request_names(store: Path) -> None:
    server = serve(store, public_url="https://kg.example.org/")
    try:
        with server.client(headers={"Host": "evil.example"}) as c:
            r = c.get("/id/country/IND", headers={"Accept": "text/turtle"}, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("https://kg.example.org/data/")
            sd = c.get("/sparql", headers={"Accept": "text/turtle"}).text
            assert "evil.example" not in sd and "https://kg.example.org/sparql" in sd
            base = c.get("/sparql", params={"query": 'SELECT (IRI("x") AS ?i) {}'}).json()
            assert base["results"]["bindings"][0]["i"]["value"] == "https://kg.example.org/x"
            doc = c.get("/data/country/IND.nt").text
            assert "evil.example" not in doc and "<https://kg.example.org/data/country/IND.nt>" in doc
    finally:
        server.stop()


def test_a_chunked_multipart_upload_counts_against_the_body_limit(store: Path) -> None:
    server = serve(store, api_token=TOKEN, max_body_bytes=10_000)
    boundary = "XyZ"

    def body() -> Iterator[bytes]:
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"g\"; filename=\"g.nt\"\r\n"
               "Content-Type: application/n-triples\r\n\r\n").encode()
        for i in range(2_000):
            yield f"<http://ex/s{i}> <http://ex/p> \"{'x' * 20}\" .\n".encode()
        yield f"\r\n--{boundary}--\r\n".encode()

    try:
        with server.client() as c:
            r = c.put("/graphs", params={"graph": "http://ex/big"}, content=body(),
                      headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **AUTH})
            assert r.status_code == 413
            assert c.get("/graphs", params={"graph": "http://ex/big"}).status_code == 404
    finally:
        server.stop()


def test_pages_link_only_http_iris_and_send_security_headers(busy: Live, own: httpx.Client) -> None:
    client = own
    trap = f"{busy.minter.base}id/trap/one"
    update = (f"INSERT DATA {{ <{trap}> <http://ex/see> <javascript:alert(1)> , <data:text/html,x> , "
              "<https://ex.org/ok> }")
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    page = client.get("/page/trap/one")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text and 'href="data:' not in page.text
    assert "javascript:alert(1)" in page.text and 'href="https://ex.org/ok"' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
    for path in ("/sparql", "/docs", "/", "/page/trap/one"):
        assert "<script>" not in client.get(path, headers={"Accept": "text/html"}).text, path   # CSP: none inline


@pytest.mark.parametrize("path", ["/page/person/a%20b", "/id/a%3Cb%3E", "/data/a%3Cb%3E", "/graph/a%3Cb%3E",
                                  "/topics/a%20b", "/page/a%22b"])
def test_paths_that_cannot_be_iris_get_404(client: httpx.Client, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 404, (path, r.status_code, r.text)
    assert r.headers["content-type"].startswith("text/plain")


def test_update_runtime_errors_are_client_errors(own: httpx.Client) -> None:
    client = own

    def update(text: str) -> httpx.Response:
        return client.post("/sparql", data={"update": text}, headers=AUTH)
    assert update("CREATE SILENT GRAPH <http://ex/made>").status_code == 204
    assert update("INSERT DATA { GRAPH <http://ex/made> { <http://ex/a> <http://ex/b> 1 } }").status_code == 204
    created_twice = update("CREATE GRAPH <http://ex/made>")
    assert created_twice.status_code == 400 and "already exists" in created_twice.text
    missing = update("DROP GRAPH <http://ex/never-made>")
    assert missing.status_code == 404 and "does not exist" in missing.text
    assert update("DROP SILENT GRAPH <http://ex/never-made>").status_code == 204


def test_a_triple_term_upload_is_refused_plainly(own: httpx.Client) -> None:
    client = own
    body = "<http://ex/a> <http://ex/b> <<( <http://ex/c> <http://ex/d> <http://ex/e> )>> .\n"
    r = client.put("/graphs", params={"graph": "http://ex/tt"}, content=body,
                   headers={"Content-Type": "application/n-triples", **AUTH})
    assert 400 <= r.status_code < 500 and r.headers["content-type"].startswith("text/plain")


def test_a_stream_cut_by_the_deadline_is_an_error_for_the_client(busy: Live) -> None:
    query = "CONSTRUCT { ?s ?p ?a } WHERE { ?s ?p ?o . ?a ?b ?c }"     # streams at once, ends never
    chunks: list[bytes] = []
    with busy.client() as c, pytest.raises(httpx.RemoteProtocolError):  # noqa: PT012
        with c.stream("GET", "/sparql", params={"query": query},
                      headers={"Accept": "application/n-triples", "Accept-Encoding": "identity"}) as r:
            assert r.status_code == 200
            for chunk in r.iter_raw():
                chunks.append(chunk)
    body = b"".join(chunks)
    assert len(body) > 256 * 1024
    assert body.rstrip().endswith(b"this answer is incomplete")
    assert b"# ERROR: query timed out" in body


def test_xml_results_never_carry_what_xml_cannot(own: httpx.Client) -> None:
    client = own
    update = 'INSERT DATA { <http://ex/ctl> <http://ex/v> "bell\\u0007here" }'
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    query = {"query": "SELECT ?v WHERE { <http://ex/ctl> <http://ex/v> ?v }"}
    xml = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+xml"})
    assert xml.status_code == 406 and "U+0007" in xml.text
    as_json = client.get("/sparql", params=query).json()
    assert as_json["results"]["bindings"][0]["v"]["value"] == "bell\x07here"
    capped = {"query": "SELECT ?v WHERE { ?s ?p ?v FILTER(?s = <http://ex/ctl>) }"}
    tsv = [client.get("/sparql", params=q, headers={"Accept": "text/tab-separated-values"}).text
           for q in (query, capped)]
    assert tsv[0] == tsv[1] and "\\u0007" in tsv[0]


def test_options_answers_allow_and_openapi_declares_path_parameters(client: httpx.Client) -> None:
    for path, methods in (("/sparql", {"GET", "HEAD", "POST"}), ("/graphs", {"GET", "HEAD", "PUT", "POST", "DELETE"})):
        r = client.options(path)
        assert r.status_code == 204
        assert {m.strip() for m in r.headers["allow"].split(",")} == methods | {"OPTIONS"}
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        declared = {p["name"] for op in operations.values() for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path
