from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from tests.api.conftest import backend_live
from tests.virtuoso import BACKENDS

ARTICLE = "https://w3id.org/dipkg/id/article/00000000000000aa"

live = pytest.fixture(scope="module", params=BACKENDS)(backend_live)   # these tests run on both stores


def test_get_a_graph_in_every_rdf_format(client: httpx.Client) -> None:
    for media, fmt in [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                       ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD),
                       ("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)]:
        r = client.get("/graphs", params={"graph": ARTICLE}, headers={"Accept": media})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        subjects = {q.subject for q in ox.parse(r.content, fmt)}
        assert ox.NamedNode(ARTICLE + "#event-1") in subjects, media
        assert ox.NamedNode("https://w3id.org/dipkg/id/country/TST") not in subjects  # only in the reference graph


def test_unknown_graph_is_404_for_get_and_head(client: httpx.Client) -> None:
    assert client.get("/graphs", params={"graph": "http://nowhere.example/g"}).status_code == 404
    head = client.head("/graphs", params={"graph": "http://nowhere.example/g"})
    assert head.status_code == 404 and head.content == b""
    ok = client.head("/graphs", params={"graph": ARTICLE}, headers={"Accept": "text/turtle"})
    assert ok.status_code == 200 and ok.content == b"" and ok.headers["content-type"].startswith("text/turtle")


def test_graph_store_requests_need_a_well_formed_target(client: httpx.Client) -> None:
    assert client.get("/graphs").status_code == 400
    assert client.get("/graphs", params={"graph": "not an iri"}).status_code == 400
    assert client.get("/graphs", params=[("graph", ARTICLE), ("default", "")]).status_code == 400


def test_writes_need_the_token_and_are_then_visible(client: httpx.Client, auth: dict[str, str]) -> None:
    g = "urn:x:gsp-test"
    body = "<urn:x:s> <urn:x:p> 'v' ."
    turtle = {"Content-Type": "text/turtle"}
    assert client.put("/graphs", params={"graph": g}, content=body, headers=turtle).status_code == 401
    assert client.put("/graphs", params={"graph": g}, content=body, headers={**turtle, **auth}).status_code == 201
    assert client.post("/graphs", params={"graph": g}, content="<urn:x:s> <urn:x:p> 'w' .",
                       headers={**turtle, **auth}).status_code == 204
    got = client.get("/graphs", params={"graph": g}, headers={"Accept": "application/n-triples"})
    assert sorted(got.text.splitlines()) == ['<urn:x:s> <urn:x:p> "v" .', '<urn:x:s> <urn:x:p> "w" .']
    assert client.put("/graphs", params={"graph": g}, content="not turtle",
                      headers={**turtle, **auth}).status_code == 400
    assert client.put("/graphs", params={"graph": g}, content=body,
                      headers={"Content-Type": "image/png", **auth}).status_code == 415
    assert client.delete("/graphs", params={"graph": g}).status_code == 401
    assert client.delete("/graphs", params={"graph": g}, headers=auth).status_code == 204
    assert client.get("/graphs", params={"graph": g}).status_code == 404
    assert client.delete("/graphs", params={"graph": g}, headers=auth).status_code == 404
