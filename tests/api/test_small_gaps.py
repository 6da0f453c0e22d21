"""Smaller things a client meets: updates on a graph that is not there, JSON asked for as application/json."""
from __future__ import annotations

import httpx
import pytest
from rdflib import Graph


@pytest.mark.parametrize("verb", ["DROP", "CLEAR"])
def test_an_update_on_a_missing_graph_fails_clearly_or_succeeds_silently(verb: str, client: httpx.Client,
                                                                          auth: dict[str, str]) -> None:
    missing = "urn:x-test:no-such-graph"
    r = client.post("/sparql", data={"update": f"{verb} GRAPH <{missing}>"}, headers=auth)
    assert r.status_code in (400, 404) and missing in r.text
    r = client.post("/sparql", data={"update": f"{verb} SILENT GRAPH <{missing}>"}, headers=auth)
    assert r.status_code in (200, 204)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's JSON-LD parser uses its ConjunctiveGraph
@pytest.mark.parametrize("path", ["/id/person/narendra-modi", "/data/person/narendra-modi", "/sparql",
                                  "/.well-known/void", "/ontology"])
def test_application_json_gets_json_ld(path: str, client: httpx.Client) -> None:
    r = client.get(path, headers={"Accept": "application/json"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(("application/ld+json", "application/json"))
    doc = r.json()
    assert "@context" in doc
    assert len(Graph().parse(data=r.text, format="json-ld")) > 3
