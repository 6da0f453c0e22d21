"""Every IRI under the base that the seed's graphs use dereferences, as a linked-data client would (Accept:
text/turtle, following 303), to a document that says something about it: the IRI is a subject or an object
of one of its triples. ``X#y`` is answered by the document of X, which must then describe X#y as well."""
from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.namespaces import ONTOLOGY_IRI, OWL, SHAPES_IRI
from tests.api.conftest import Live

EVERY_IRI = f"""SELECT DISTINCT ?x WHERE {{
  GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?x ?o }} UNION {{ ?s ?p ?x }} }}
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{DEFAULT_BASE_IRI}"))
}}"""


def _mentioned(text: str) -> set[str]:
    out = set()
    for t in ox.parse(text.encode(), ox.RdfFormat.TURTLE):
        out.update(term.value for term in (t.subject, t.object) if isinstance(term, ox.NamedNode))
    return out


@pytest.fixture(scope="module")
def documents(seed_live: Live) -> dict[str, list[str]]:
    """Document path -> the IRIs it must describe."""
    with seed_live.client() as c:
        rows = c.post("/sparql", data={"query": EVERY_IRI},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    by_document: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        value = row["x"]["value"]
        by_document["/" + value[len(DEFAULT_BASE_IRI):].split("#")[0]].append(value)
    return by_document


def test_the_seed_uses_thousands_of_iris_of_every_kind(documents: dict[str, list[str]]) -> None:
    iris = [i for values in documents.values() for i in values]
    assert len(iris) > 5000
    for kind in ("/id/article/", "/id/membership/", "/id/place/", "/id/post/", "/ontology", "/topics/", "/cameo/"):
        assert any(d.startswith(kind) for d in documents), kind
    assert any("#term" in i for i in iris) and f"{ONTOLOGY_IRI}/0.1.0" in iris


def test_every_iri_under_the_base_dereferences_to_a_document_about_it(seed_served: str,
                                                                     documents: dict[str, list[str]]) -> None:
    """Against `kg serve` in its own process (the in-thread test server would share this process's GIL)."""
    client = httpx.Client(base_url=seed_served, timeout=60)   # one client (a client per request costs 20 ms)

    def check(item: tuple[str, list[str]]) -> list[str]:
        path, iris = item
        r = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
        if r.status_code != 200:
            return [f"{i}: {r.status_code}" for i in iris]
        mentioned = _mentioned(r.text)
        return [f"{i}: nothing about it in {r.url}" for i in iris if i not in mentioned]

    with client, ThreadPoolExecutor(4) as pool:
        failures = [f for found in pool.map(check, documents.items()) for f in found]
    assert failures == [], f"{len(failures)} of {sum(map(len, documents.values()))} IRIs: {failures[:20]}"


@pytest.mark.parametrize("vocabulary", [ONTOLOGY_IRI, SHAPES_IRI])
def test_a_version_iri_answers_while_it_is_the_current_version(vocabulary: str, seed_client: httpx.Client) -> None:
    path = vocabulary[len(DEFAULT_BASE_IRI) - 1:]
    r = seed_client.get(path + "/0.1.0", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = [q.triple for q in ox.parse(r.content, ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode(vocabulary), ox.NamedNode(str(OWL.versionIRI)),
                     ox.NamedNode(vocabulary + "/0.1.0")) in g
    missing = seed_client.get(path + "/9.9.9")
    assert missing.status_code == 404 and "0.1.0" in missing.text
