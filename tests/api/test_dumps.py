from __future__ import annotations

import gzip
import json

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.namespaces import DCAT, VOID
from tests.api.conftest import backend_live
from tests.virtuoso import BACKENDS

FORMATS = {"dataset.nt": ox.RdfFormat.N_TRIPLES, "dataset.nt.gz": ox.RdfFormat.N_TRIPLES,
           "dataset.nq.gz": ox.RdfFormat.N_QUADS, "dataset.trig": ox.RdfFormat.TRIG,
           "dataset.ttl": ox.RdfFormat.TURTLE}

live = pytest.fixture(scope="module", params=BACKENDS)(backend_live)   # these tests run on both stores


def whole(client: httpx.Client) -> set[ox.Quad]:
    r = client.get("/dumps/dataset.nq.gz")
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
    return set(ox.parse(gzip.decompress(r.content), ox.RdfFormat.N_QUADS))


def test_every_dump_carries_the_whole_dataset(client: httpx.Client) -> None:
    quads = whole(client)
    triples = {q.triple for q in quads}
    assert len(quads) > 1000
    for name, fmt in FORMATS.items():
        r = client.get(f"/dumps/{name}")
        assert r.status_code == 200, name
        body = gzip.decompress(r.content) if name.endswith(".gz") else r.content
        parsed = set(ox.parse(body, fmt))
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            assert parsed == quads, name
        else:
            assert {q.triple for q in parsed} == triples, name


def test_jsonld_dump_embeds_the_published_context(client: httpx.Client) -> None:
    context = client.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    doc = client.get("/dumps/dataset.jsonld").json()
    assert doc["@context"] == context.json()["@context"]
    node = next(n for g in doc["@graph"] for n in g.get("@graph", []) if n["@id"].endswith("person/ada-tester"))
    assert "schema:name" in node and node["schema:name"] == ["Ada Tester"]
    parsed = set(ox.parse(json.dumps(doc).encode(), ox.RdfFormat.JSON_LD))
    assert parsed == whole(client)


def test_dumps_have_validators_and_answer_304(client: httpx.Client) -> None:
    first = client.get("/dumps/dataset.nt")
    etag = first.headers["etag"]
    assert first.headers["last-modified"].endswith("GMT")
    again = client.get("/dumps/dataset.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/dumps/dataset.ttl", headers={"If-None-Match": etag})
    assert other.status_code == 200
    head = client.head("/dumps/dataset.nt")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    part = client.get("/dumps/dataset.nt", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == first.content[:100]


def test_a_write_changes_the_etag(client: httpx.Client, auth: dict[str, str]) -> None:
    before = client.get("/dumps/dataset.nt")
    r = client.put("/graphs", params={"graph": "urn:x:dump-test"}, content="<urn:x:s> <urn:x:p> <urn:x:o> .",
                   headers={"Content-Type": "application/n-triples", **auth})
    assert r.status_code == 201
    try:
        after = client.get("/dumps/dataset.nt", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert b"<urn:x:s> <urn:x:p> <urn:x:o> ." in after.content
    finally:
        client.delete("/graphs", params={"graph": "urn:x:dump-test"}, headers=auth)


def test_listing_is_html_for_people_and_dcat_for_machines(client: httpx.Client) -> None:
    html = client.get("/dumps/", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and "dataset.nq.gz" in html.text
    r = client.get("/dumps/", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    urls = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    assert {u.rsplit("/", 1)[-1] for u in urls} == {"dataset.nt", "dataset.nt.gz", "dataset.nq.gz", "dataset.trig",
                                                    "dataset.ttl", "dataset.jsonld"}
    assert set(g.objects(None, VOID.dataDump)) == {URIRef(u) for u in urls}
    assert client.get("/dumps/nothing.csv").status_code == 404


def test_downloads_are_not_compressed_on_the_fly(client: httpx.Client) -> None:
    r = client.get("/dumps/dataset.nt", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
