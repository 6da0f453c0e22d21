from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from tests.api.conftest import TOKEN, Live, new_store, serve


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = serve(new_store(tmp_path_factory.mktemp("articles") / "store"), api_token=TOKEN)
    yield server
    server.stop()


def test_posting_an_article_stores_it_and_answers_its_iri(empty: Live, seed_path: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    with empty.client() as c:
        r = c.post("/articles", content=seed_path.read_bytes(), headers=auth)
        assert r.status_code == 201
        iri = r.text
        assert r.headers["location"] == iri and iri.startswith(f"{empty.minter.base}id/article/")
        ask = c.get("/sparql", params={"query": f"ASK {{ GRAPH <{iri}> {{ <{iri}> ?p ?o }} }}"})
        assert ask.json()["boolean"] is True
        again = c.post("/articles", content=seed_path.read_bytes(), headers=auth)
        assert again.status_code == 200 and again.text == iri
        assert c.get("/ontology", headers={"Accept": "text/turtle"}).status_code == 200   # shared graphs put in place


def test_an_invalid_article_gets_422_with_the_shacl_report(empty: Live) -> None:
    with empty.client() as c:
        r = c.post("/articles", content=b"hello", headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "text/plain"})
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/turtle")
        report = Graph().parse(data=r.text, format="turtle")
        assert (None, SH.conforms, Literal(False)) in report
        refused = empty.minter.article("hello")
        assert c.get("/sparql", params={"query": f"ASK {{ <{refused}> ?p ?o }}"}).json()["boolean"] is False


def test_posting_needs_the_token_and_a_text_type(empty: Live) -> None:
    with empty.client() as c:
        assert c.post("/articles", content=b"hello", headers={"Content-Type": "text/plain"}).status_code == 401
        assert c.post("/articles", content=b"hello", headers={"Authorization": f"Bearer {TOKEN}",
                                                             "Content-Type": "image/png"}).status_code == 415
        assert c.post("/articles", content=b"", headers={"Authorization": f"Bearer {TOKEN}",
                                                        "Content-Type": "text/plain"}).status_code == 400
