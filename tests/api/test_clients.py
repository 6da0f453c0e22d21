"""Real SPARQL clients against the live server on loopback."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from kg.namespaces import SCHEMA
from tests.api.conftest import Live, free_port

ADA = "https://w3id.org/dipkg/id/person/ada-tester"


def test_sparqlwrapper_select_ask_construct(live: Live) -> None:
    sw = SPARQLWrapper(f"{live.url}/sparql")
    sw.setQuery(f"SELECT ?name WHERE {{ <{ADA}> <{SCHEMA.name}> ?name }}")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [r["name"]["value"] for r in rows] == ["Ada Tester"]
    sw.setQuery(f"ASK {{ <{ADA}> ?p ?o }}")
    sw.setReturnFormat(XML)
    assert sw.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    sw.setQuery(f"CONSTRUCT {{ <{ADA}> ?p ?o }} WHERE {{ <{ADA}> ?p ?o }}")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert (URIRef(ADA), SCHEMA.name, Literal("Ada Tester")) in g


def test_sparqlwrapper_post(live: Live) -> None:
    sw = SPARQLWrapper(f"{live.url}/sparql")
    sw.setMethod("POST")
    sw.setQuery(f"SELECT ?name WHERE {{ <{ADA}> <{SCHEMA.name}> ?name }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["results"]["bindings"][0]["name"]["value"] == "Ada Tester"  # type: ignore[index]


def test_rdflib_sparqlstore(live: Live) -> None:
    g = Graph(store=SPARQLStore(f"{live.url}/sparql"))
    rows = list(g.query(f"SELECT ?name WHERE {{ <{ADA}> <{SCHEMA.name}> ?name }}"))
    assert [str(r[0]) for r in rows] == ["Ada Tester"]
    assert (URIRef(ADA), SCHEMA.name, Literal("Ada Tester")) in g
    constructed = g.query(f"CONSTRUCT {{ <{ADA}> ?p ?o }} WHERE {{ <{ADA}> ?p ?o }}").graph
    assert constructed is not None and (URIRef(ADA), SCHEMA.name, Literal("Ada Tester")) in constructed


def test_kg_serve_is_the_entry_point(live: Live, tmp_path: Path) -> None:
    """The README's command: `kg serve` on a store, answering on loopback."""
    port = free_port()
    env = {**os.environ, "KG_QUERY_TIMEOUT": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--create", "--store", str(tmp_path / "store"),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(30)
