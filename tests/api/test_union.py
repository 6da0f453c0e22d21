"""The union default graph is an RDF graph, a set: a triple stated in two graphs is one triple of it, in
queries, DESCRIBE, the merged dumps and the counts (VoID, the home page)."""
from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.namespaces import DIP, VOID
from kg.store import Store
from tests.api.conftest import Live, seeded_store, serve

COPY = "urn:x-test:copy"          # a second graph stating everything the seed article states
MODI = "https://w3id.org/dipkg/id/person/narendra-modi"


@pytest.fixture(scope="module")
def doubled(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Live]:
    path = seeded_store(tmp_path_factory.mktemp("doubled") / "store", seed_path, fixture=False)
    store = Store(path)
    article = next(store.article_iris())
    store.ox.update(f"INSERT {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}")
    store.flush()
    del store
    server = serve(path)
    yield server
    server.stop()


@pytest.fixture()
def c(doubled: Live) -> Iterator[httpx.Client]:
    with doubled.client() as client:
        yield client


def select(c: httpx.Client, query: str) -> list[dict[str, dict[str, str]]]:
    r = c.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    rows: list[dict[str, dict[str, str]]] = r.json()["results"]["bindings"]
    return rows


def test_the_store_really_has_triples_in_two_graphs(c: httpx.Client) -> None:
    rows = select(c, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]["value"]) > 100


def test_count_star_equals_count_distinct_on_the_union(c: httpx.Client) -> None:
    star = select(c, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    distinct = select(c, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert star[0]["n"]["value"] == distinct[0]["n"]["value"]


def test_a_fact_two_graphs_state_comes_back_once(c: httpx.Client) -> None:
    rows = select(c, f"SELECT ?o WHERE {{ <{MODI}> <{DIP.actsFor}> ?o }}")
    assert [r["o"]["value"] for r in rows] == ["https://w3id.org/dipkg/id/country/IND"]


def test_a_dataset_of_two_overlapping_graphs_is_their_merge(c: httpx.Client) -> None:
    article = select(c, f"SELECT ?a WHERE {{ ?a a <{DIP.NewsArticle}> }} LIMIT 1")[0]["a"]["value"]
    q = f"SELECT (COUNT(*) AS ?n) FROM <{article}> FROM <{COPY}> WHERE {{ ?s ?p ?o }}"
    one = f"SELECT (COUNT(*) AS ?n) FROM <{article}> WHERE {{ ?s ?p ?o }}"
    assert select(c, q)[0]["n"]["value"] == select(c, one)[0]["n"]["value"]


def test_sparqlwrapper_sees_each_answer_once(doubled: Live) -> None:
    w = SPARQLWrapper(f"{doubled.url}/sparql")
    w.setQuery(f"SELECT ?name WHERE {{ ?e a <{DIP.Visit}> ; <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> ?a . "
               "?a <https://schema.org/name> ?name }")
    w.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in w.queryAndConvert()["results"]["bindings"]]  # type: ignore[index]
    assert names and len(names) == len(set(names))


def test_describe_repeats_no_triple(c: httpx.Client) -> None:
    r = c.get("/sparql", params={"query": f"DESCRIBE <{MODI}>"}, headers={"Accept": "application/n-triples"})
    lines = [line for line in r.text.splitlines() if line.strip()]
    assert r.status_code == 200 and len(lines) > 5
    assert len(lines) == len(set(lines))


def _void_triples(c: httpx.Client) -> int:
    r = c.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    dataset = "<https://w3id.org/dipkg/dataset>"
    return next(int(re.match(r'"(\d+)"', line.split(" ", 2)[2]).group(1))  # type: ignore[union-attr]
                for line in r.text.splitlines() if line.startswith(f"{dataset} <{VOID.triples}> "))


@pytest.mark.parametrize("name", ["dataset.nt", "dataset.nt.gz", "dataset.ttl"])
def test_the_merged_dumps_state_each_triple_once_and_void_counts_them(name: str, c: httpx.Client) -> None:
    r = c.get(f"/dumps/{name}")
    assert r.status_code == 200
    data = gzip.decompress(r.content) if name.endswith(".gz") else r.content
    fmt = ox.RdfFormat.TURTLE if name.endswith(".ttl") else ox.RdfFormat.N_TRIPLES
    triples = list(ox.parse(data, fmt))
    assert len(triples) == len(set(triples))
    assert len(triples) == _void_triples(c)


def test_the_home_page_shows_the_merged_size(c: httpx.Client) -> None:
    assert f"{_void_triples(c):,}" in c.get("/", headers={"Accept": "text/html"}).text
