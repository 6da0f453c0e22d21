"""Clients nobody here wrote, from the npm registry (tests/node): jsonld.js loads every JSON-LD document as served;
Comunica queries the SPARQL endpoint, reads the dumps and, with its link-traversal engine, follows the /id/ IRIs
of a server whose base IRI is its own address."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.namespaces import DIP, SCHEMA
from tests.api.conftest import Live, Served

MODI = "https://w3id.org/dipkg/id/person/narendra-modi"
ACTS_FOR = f"SELECT ?o WHERE {{ <{MODI}> <{DIP.actsFor}> ?o }}"
INDIA = "https://w3id.org/dipkg/id/country/IND"


def node(node_clients: Path, script: str, *args: str) -> list[dict[str, object]]:
    run = subprocess.run(["node", script, *args], cwd=node_clients, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


JSONLD_DOCUMENTS = ["/dumps/dataset.jsonld", "/data/person/narendra-modi.jsonld", "/id/person/narendra-modi",
                    "/data/membership/narendra-modi--ind-prime-minister--2014-05-26", "/.well-known/void",
                    "/sparql", "/dumps/", "/ontology", "/shapes"]


def _size(c: httpx.Client, path: str) -> int:
    """Quads in the document's N-Quads form (or the dump's), as the server serializes them."""
    if path == "/dumps/dataset.jsonld":
        import gzip
        return sum(1 for _ in ox.parse(gzip.decompress(c.get("/dumps/dataset.nq.gz").content), ox.RdfFormat.N_QUADS))
    r = c.get(path.removesuffix(".jsonld"), headers={"Accept": "application/n-triples"}, follow_redirects=True)
    return sum(1 for _ in ox.parse(r.content, ox.RdfFormat.N_TRIPLES))


def test_jsonld_js_loads_every_json_ld_document_with_its_default_loader(node_clients: Path, seed_live: Live,
                                                                        seed_client: httpx.Client) -> None:
    for name in ("dataset.jsonld", "dataset.nq.gz"):   # written now, so that VoID lists the same sizes throughout
        assert seed_client.get(f"/dumps/{name}").status_code == 200
    results = node(node_clients, "jsonld.mjs", *(seed_live.url + p for p in JSONLD_DOCUMENTS))
    assert [r.get("error") for r in results] == [None] * len(JSONLD_DOCUMENTS), results
    for path, result in zip(JSONLD_DOCUMENTS, results):
        assert result["quads"] == _size(seed_client, path), path


def test_comunica_queries_the_endpoint(node_clients: Path, seed_live: Live) -> None:
    rows = node(node_clients, "comunica.mjs", "sparql", ACTS_FOR, f"sparql@{seed_live.url}/sparql")
    assert rows == [{"o": INDIA}]
    count = node(node_clients, "comunica.mjs", "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                 f"sparql@{seed_live.url}/sparql")
    distinct = node(node_clients, "comunica.mjs", "sparql",
                    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                    f"sparql@{seed_live.url}/sparql")
    assert count == distinct and int(str(count[0]["n"])) > 1000


@pytest.mark.parametrize("dump", ["dataset.nt", "dataset.ttl", "dataset.jsonld", "dataset.trig"])
def test_comunica_reads_a_dump_as_served(dump: str, node_clients: Path, seed_live: Live) -> None:
    # The JSON-LD and TriG dumps keep the graphs (one per article); the others are the merged graph.
    in_graphs = f"SELECT ?o WHERE {{ GRAPH ?g {{ <{MODI}> <{DIP.actsFor}> ?o }} }}"
    query = in_graphs if dump in ("dataset.jsonld", "dataset.trig") else ACTS_FOR
    rows = node(node_clients, "comunica.mjs", "sparql", query, f"{seed_live.url}/dumps/{dump}")
    assert rows == [{"o": INDIA}]


def test_comunica_follows_the_links_of_the_id_iris(node_clients: Path, served: Served) -> None:
    """From the article IRI alone, the traversal reaches the people it mentions and the states they act for."""
    with httpx.Client(base_url=served.url) as c:
        q = f"SELECT ?a WHERE {{ ?a a <{DIP.NewsArticle}> }}"
        article = c.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["a"]["value"]
    assert article.startswith(served.base + "id/article/")
    query = (f"SELECT DISTINCT ?name WHERE {{ <{article}> <{SCHEMA.mentions}> ?person . "
             f"?person <{DIP.actsFor}> ?state . ?state <{SCHEMA.name}> ?name }}")
    rows = node(node_clients, "comunica.mjs", "traversal", query, article)
    assert {"India", "United Kingdom"} <= {r["name"] for r in rows}
