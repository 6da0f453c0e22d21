"""Every IRI the README's IRI table shows dereferences, on a server holding only the seed, to RDF about it."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from kg.config import DEFAULT_BASE_IRI
from tests.api.conftest import Live

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_iris() -> list[str]:
    """The IRIs of the table under "What comes out", relative to the base; ``#x`` continues the IRI before it."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| IRI | what |"):]
    table = table[:table.index("\n\n")]
    out: list[str] = []
    for row in table.splitlines()[2:]:
        for code in re.findall(r"`([^`]+)`", row.split("|")[1]):
            if code.startswith("#"):
                out.append(out[-1].split("#")[0] + code)
            elif "..." not in code:
                out.append(code)
    return out


def test_the_table_lists_every_kind_of_iri() -> None:
    iris = readme_iris()
    for kind in ("id/article/", "id/country/", "id/person/", "id/organization/", "id/place/", "id/post/",
                 "id/membership/", "ontology#", "shapes#", "topics/", "plover/", "cameo/", "graph/"):
        assert any(i.startswith(kind) for i in iris), kind


@pytest.fixture(scope="module")
def article_hex(seed_live: Live) -> str:
    q = "SELECT ?a WHERE { ?a a <https://w3id.org/dipkg/ontology#NewsArticle> }"
    with seed_live.client() as c:
        rows = c.get("/sparql", params={"query": q}).json()["results"]["bindings"]
    return str(rows[0]["a"]["value"]).rsplit("/", 1)[-1]


@pytest.mark.parametrize("relative", readme_iris())
def test_readme_iri_dereferences_to_rdf_about_it(relative: str, seed_client: httpx.Client, article_hex: str) -> None:
    value = DEFAULT_BASE_IRI + relative.replace("<16 hex>", article_hex)
    r = seed_client.get("/" + value[len(DEFAULT_BASE_IRI):].split("#")[0], headers={"Accept": "text/turtle"},
                        follow_redirects=True)
    assert r.status_code == 200, f"{value}: {r.status_code} {r.text[:200]}"
    g = Graph().parse(data=r.text, format="turtle")
    if relative.startswith("graph/"):
        assert len(g) > 0          # a graph IRI answers with the graph (the Graph Store)
    else:
        assert (URIRef(value), None, None) in g, f"nothing about {value} in {r.url}"


def test_a_concept_in_another_case_answers_301_with_its_iri(seed_live: Live) -> None:
    with seed_live.client() as c:
        r = c.get("/topics/cybersecurity", headers={"Accept": "text/turtle"})
        assert r.status_code == 301 and r.headers["location"].endswith("/topics/Cybersecurity")
        assert c.get("/topics/no-such-topic").status_code == 404
