"""Every JSON-LD document the server writes loads, as served, with pyld's and rdflib's default document loaders
(jsonld.js runs the same check in tests/api/test_node_clients.py), and says what its Turtle form says."""
from __future__ import annotations

import gzip

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from tests.api.conftest import Live

DOCUMENTS = ["/data/person/narendra-modi.jsonld", "/data/country/IND", "/id/person/narendra-modi",
             "/data/membership/narendra-modi--ind-prime-minister--2014-05-26", "/.well-known/void", "/sparql",
             "/dumps/", "/ontology.jsonld"]


def turtle(client: httpx.Client, path: str) -> Graph:
    r = client.get(path.removesuffix(".jsonld"), headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    return Graph().parse(data=r.text, format="turtle")


def _same(a: Graph, b: Graph, server: str) -> bool:
    """Isomorphic, but for what a document says about itself (its URL differs between .ttl and .jsonld)."""
    def about_things(g: Graph) -> Graph:
        out = Graph()
        for s, p, o in g:
            if not str(s).startswith(server + "/data/"):
                out.add((s, p, o))
        return out
    return isomorphic(about_things(a), about_things(b))


@pytest.mark.parametrize("path", DOCUMENTS)
def test_pyld_loads_the_document_with_its_default_loader(path: str, seed_live: Live, seed_client: httpx.Client) -> None:
    nquads = jsonld.to_rdf(seed_live.url + path, {"format": "application/n-quads"})
    g = Graph().parse(data=nquads, format="nt")    # the default graph only: N-Quads lines are N-Triples
    assert len(g) > 3
    assert _same(g, turtle(seed_client, path), seed_live.url)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's JSON-LD parser uses its ConjunctiveGraph
@pytest.mark.parametrize("path", DOCUMENTS)
def test_rdflib_loads_the_document_with_its_default_loader(path: str, seed_live: Live,
                                                           seed_client: httpx.Client) -> None:
    g = Graph().parse(seed_live.url + path, format="json-ld")
    assert len(g) > 3
    assert _same(g, turtle(seed_client, path), seed_live.url)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_dump_loads_in_pyld_and_rdflib_as_served(seed_live: Live, seed_client: httpx.Client) -> None:
    url = seed_live.url + "/dumps/dataset.jsonld"
    quads = {line for line in jsonld.to_rdf(url, {"format": "application/n-quads"}).splitlines() if line}
    d = Dataset()
    d.parse(url, format="json-ld")
    nq = seed_client.get("/dumps/dataset.nq.gz")
    assert nq.status_code == 200
    served = list(ox.parse(gzip.decompress(nq.content), ox.RdfFormat.N_QUADS))
    assert len(quads) == sum(1 for _ in d.quads()) == len(served) > 1000


def test_the_published_context_is_the_embedded_one(seed_client: httpx.Client) -> None:
    published = seed_client.get("/context.jsonld").json()["@context"]
    for path in ("/dumps/dataset.jsonld", "/data/country/IND.jsonld"):
        assert seed_client.get(path).json()["@context"] == published


def test_json_ld_is_served_in_the_streaming_profile_key_order(seed_client: httpx.Client) -> None:
    """@context first, then in each node @type before @id: what lets Comunica's parser read the dump in one pass."""
    for path in ("/dumps/dataset.jsonld", "/data/country/IND.jsonld"):
        r = seed_client.get(path)
        assert r.headers["content-type"].endswith("profile=http://www.w3.org/ns/json-ld#streaming")
        doc = r.json()
        assert next(iter(doc)) == "@context"
        nodes = [n for top in doc["@graph"] for n in top.get("@graph", [top])]
        typed = [list(n)[:2] for n in nodes if "@type" in n]
        assert typed and all(keys == ["@type", "@id"] for keys in typed)
