"""No request makes the server fetch a URL, however SERVICE or LOAD is spelt (issue 8, finding 1).

A listener on loopback counts every connection made to it; it must count none, over a corpus of
spellings that earlier lexers missed and a fuzzer that mixes them. Two layers are tested apart: the
real parse that turns an attempt into a 400, and the sandbox that would stop the fetch anyway.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Live, backend_live
from tests.virtuoso import BACKENDS

live = pytest.fixture(scope="module", params=BACKENDS)(backend_live)   # these tests run on both stores


class Listener:
    """A TCP listener that accepts, records and closes every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    ear = Listener()
    yield ear
    ear.close()


def spellings(url: str) -> list[str]:
    """Queries that ask for SERVICE <url> in the ways lexers have been fooled."""
    host = url.rsplit("/", 1)[0] + "/"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ #\r SERVICE <{url}> {{ ?s ?p ?o }} }}",          # a comment ends at CR too
        f"SELECT * WHERE {{ #\r\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",         # codepoint escapes come first
        f"SELECT * WHERE {{ \\U00000053\\u0045RVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{host}> SELECT * WHERE {{ ?s e:a\\#b ?o . SERVICE e:x {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{host}> SELECT * WHERE {{ ?s ?p e:a\\#c . \n SERVICE e:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p \"\"\"a\\\"\"\"\" SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"BASE <{host}> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
    ]


def in_strings(url: str) -> list[str]:
    """SERVICE inside a string: nothing to fetch, whether the answer is rows or a refusal."""
    return [
        f"SELECT * WHERE {{ ?s ?p '''a\\''' . SERVICE <{url}> {{ ?s ?p ?o }} ''' }}",
        f"SELECT * WHERE {{ ?s ?p 'SERVICE <{url}> {{ }}' }}",
        f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{url}> {{ }}",
    ]


def update_spellings(url: str) -> list[str]:
    return [
        f"LOAD <{url}>",
        f"#\rLOAD <{url}>",
        f"\\u004cOAD <{url}> INTO GRAPH <http://example.org/g>",
        f"lOaD SILENT <{url}>",
        f"INSERT DATA {{ <http://a> <http://b> 'c' }} ; #\r LOAD <{url}>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ #\r SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_no_spelling_of_service_reaches_the_network(client: httpx.Client, listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/sparql"
    for query in spellings(url):
        r = client.post("/sparql", data={"query": query})
        assert r.status_code == 400, (query, r.status_code, r.text)
        assert "sparql-results" not in r.text and str(listener.port) not in r.text
    for query in in_strings(url):
        assert client.post("/sparql", data={"query": query}).status_code in (200, 400)
    assert listener.connections == 0


def test_functions_that_fetch_are_refused(client: httpx.Client, listener: Listener) -> None:
    """Virtuoso runs bif:http_get for an anonymous query (measured: it opened the connection): a remote store
    must never be sent a call to a function of its own."""
    url = f"http://127.0.0.1:{listener.port}/x"
    for query in (f'SELECT (bif:http_get("{url}") AS ?x) {{}}',
                  f'PREFIX b: <http://www.openlinksw.com/schemas/bif#> SELECT (b:http_get("{url}") AS ?x) {{}}',
                  f'SELECT * WHERE {{ BIND(<http://www.openlinksw.com/schemas/bif#http_get>("{url}") AS ?x) }}',
                  f'SELECT (sql:http_get("{url}") AS ?x) {{}}'):
        r = client.post("/sparql", data={"query": query})
        assert r.status_code == 400, (query, r.status_code, r.text)
    assert listener.connections == 0


def test_no_spelling_of_load_reaches_the_network(client: httpx.Client, auth: dict[str, str],
                                                 listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/data.ttl"
    for update in update_spellings(url):
        r = client.post("/sparql", data={"update": update}, headers=auth)
        assert r.status_code == 400, (update, r.status_code, r.text)
    assert listener.connections == 0


def test_graph_uri_parameters_must_be_absolute_iris(client: httpx.Client, auth: dict[str, str],
                                                    listener: Listener) -> None:
    injected = f"http://example.org/g> WHERE {{}} ; LOAD <http://127.0.0.1:{listener.port}/x> ; INSERT {{}} USING <x"
    update = "INSERT { <http://a> <http://b> ?o } WHERE { ?s ?p ?o }"
    for name in ("using-graph-uri", "using-named-graph-uri"):
        r = client.post("/sparql", data={"update": update, name: injected}, headers=auth)
        assert r.status_code == 400 and name in r.text
    for name in ("default-graph-uri", "named-graph-uri"):
        r = client.get("/sparql", params={"query": "ASK {}", name: "not an iri"})
        assert r.status_code == 400 and name in r.text
    assert listener.connections == 0


def test_using_graph_uri_still_scopes_each_operation(client: httpx.Client, auth: dict[str, str]) -> None:
    graph = "http://example.org/using-source"
    r = client.post("/sparql", headers=auth, data={
        "update": f"INSERT DATA {{ GRAPH <{graph}> {{ <http://ex/u1> <http://ex/p> 'from the source' }} }}"})
    assert r.status_code == 204
    # a comment ended by CR holds a decoy WHERE; the real one follows on the same line
    update = ("INSERT { GRAPH <http://example.org/using-target> { ?s ?p ?o } } # decoy WHERE\r "
              "WHERE { ?s <http://ex/p> ?o BIND(<http://ex/p> AS ?p) }")
    r = client.post("/sparql", data={"update": update, "using-graph-uri": graph}, headers=auth)
    assert r.status_code == 204, r.text
    ask = client.get("/sparql", params={"query": "ASK { GRAPH <http://example.org/using-target> { <http://ex/u1> ?p "
                                                 "'from the source' } }"})
    assert ask.json()["boolean"] is True


def test_the_row_cap_holds_whatever_limit_the_text_seems_to_have(client: httpx.Client, live: Live) -> None:
    cap = live.settings.max_rows
    for query in ("SELECT * WHERE { ?s ?p ?o } #\r\n", "SELECT * WHERE { ?s ?p ?o FILTER(?o != ' LIMIT 5 ') }",
                  # a long string holding an escaped quote: a lexer that ends it early sees a LIMIT outside it
                  "SELECT * WHERE { ?s ?p ?o } VALUES ?x { '''a\\''' } LIMIT 1 ''' }",
                  "SELECT * WHERE { ?s ?p ?o } # LIMIT 5", "SELECT * WHERE { ?s ?p ?o } LIMIT 100000"):
        r = client.get("/sparql", params={"query": query})
        if r.status_code == 502 and isinstance(live.path, str) and "No column x" in r.text:
            continue    # Virtuoso 7.2 cannot run SELECT * with a VALUES of its own variable: refused, not uncapped
        assert r.status_code == 200
        assert r.headers["x-sparql-maxrows"] == str(cap)
        assert len(r.json()["results"]["bindings"]) == cap


def test_every_worker_and_the_writer_run_under_seccomp(client: httpx.Client, auth: dict[str, str],
                                                       live: Live) -> None:
    update = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 'w' } }"
    r = client.post("/sparql", data={"update": update}, headers=auth)
    assert r.status_code == 204
    pool = live.server.config.app.state.kg.pool  # type: ignore[attr-defined]
    pids = [p.proc.pid for p in pool._procs] + [pool._writer.proc.pid]
    assert len(pids) >= 3
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        assert "Seccomp:\t2" in status, pid


def test_a_sandboxed_process_cannot_fetch_even_unchecked(listener: Listener, tmp_path: Path) -> None:
    """Below the parse: pyoxigraph asked directly for SERVICE and LOAD, inside the sandbox."""
    url = f"http://127.0.0.1:{listener.port}/x"
    code = (
        "import pyoxigraph as ox\n"
        "from kg.sandbox import deny_network\n"
        "deny_network()\n"
        "s = ox.Store()\n"
        f"for run in (lambda: list(s.query('SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}')),\n"
        f"            lambda: s.update('LOAD <{url}>')):\n"
        "    try:\n"
        "        run()\n"
        "    except OSError as exc:\n"
        "        print('refused:', exc)\n"
    )
    before = listener.connections
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2], env={**os.environ})
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("refused: Permission denied") == 2, out.stdout
    assert listener.connections == before


_PIECES = st.sampled_from([
    "#\r", "#\n", "# x\r\n", " ", "\t", "{ ", " }", "( ", " )", "'''a\\''' ", "\"b\\\"\" ", "'c' ",
    "?s ?p ?o . ", "OPTIONAL ", "SILENT ", "e:a\\#b ", "<http://ex/a> ", "\\u0020", ";",
])
_KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "\\u0053\\u0045RVICE",
                            "\\U00000073ervice", "SERV\\u0049CE"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_PIECES, max_size=6), keyword=_KEYWORD, after=st.lists(_PIECES, max_size=4),
       form=st.sampled_from(["query", "update"]))
def test_fuzzed_spellings_never_connect(client: httpx.Client, auth: dict[str, str], listener: Listener,
                                        before: list[str], keyword: str, after: list[str], form: str) -> None:
    target = f"<http://127.0.0.1:{listener.port}/fuzz>"
    core = f"{''.join(before)}{keyword} {''.join(after)}{target} {{ ?s ?p ?o }}"
    if form == "query":
        r = client.post("/sparql", data={"query": f"PREFIX e: <http://ex/> SELECT * WHERE {{ {core} }}"})
    else:
        text = f"PREFIX e: <http://ex/> INSERT {{ <http://ex/a> <http://ex/b> ?o }} WHERE {{ {core} }}"
        r = client.post("/sparql", data={"update": text}, headers=auth)
    assert r.status_code in (400, 200, 204)
    assert listener.connections == 0
