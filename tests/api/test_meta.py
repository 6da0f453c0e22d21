from __future__ import annotations

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.namespaces import DCAT, DCTERMS, OWL, SCHEMA, VOID, WD


def void(client: httpx.Client) -> Graph:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=r.text, format="turtle")


def test_void_counts_match_the_endpoint(client: httpx.Client, live: object) -> None:
    g = void(client)
    dataset = URIRef(live.minter.dataset)  # type: ignore[attr-defined]
    assert (dataset, RDF.type, VOID.Dataset) in g and (dataset, RDF.type, DCAT.Dataset) in g
    assert g.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{live.url}/sparql")  # type: ignore[attr-defined]
    assert g.value(dataset, VOID.uriSpace) == Literal(f"{live.minter.base}id/")  # type: ignore[attr-defined]
    merged = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    count = client.get("/sparql", params={"query": merged})
    assert int(g.value(dataset, VOID.triples)) == int(count.json()["results"]["bindings"][0]["n"]["value"])
    persons = next(p for p in g.objects(dataset, VOID.classPartition) if g.value(p, VOID["class"]) == SCHEMA.Person)
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SCHEMA.Person}> }}"
    n = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(g.value(persons, VOID.entities)) == int(n)
    assert len(set(g.objects(dataset, VOID.dataDump))) == 6
    assert g.value(dataset, DCTERMS.modified) is not None and g.value(dataset, DCTERMS.license) is not None
    assert URIRef(str(SCHEMA)) in set(g.objects(dataset, VOID.vocabulary))


def test_linksets_to_wikidata_and_geonames_have_sizes(client: httpx.Client) -> None:
    g = void(client)
    sizes = {}
    for linkset in g.subjects(RDF.type, VOID.Linkset):
        assert g.value(linkset, VOID.linkPredicate) == OWL.sameAs
        sizes[str(g.value(g.value(linkset, VOID.objectsTarget), DCTERMS.title))] = int(g.value(linkset, VOID.triples))
    q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{OWL.sameAs}> ?o "
         f'FILTER(STRSTARTS(STR(?o), "{WD}")) }} }}')
    n = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
    assert sizes["Wikidata"] == int(n) > 0 and sizes["GeoNames"] > 0


def test_home_page_tells_what_and_where(client: httpx.Client) -> None:
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200
    for link in ('href="/sparql"', 'href="/dumps/"', 'href="/ontology"', 'href="/.well-known/void"'):
        assert link in r.text


def test_query_page_bundles_its_assets(client: httpx.Client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "/static/yasgui/yasgui.min.js" in r.text
    assert "https://" not in r.text.split("<main>")[0].replace("https://w3id.org", "")   # no CDN in <head>
    js = client.get("/static/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000


def test_read_endpoints_are_open_to_cors_and_gzip(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 40"},
                   headers={"Origin": "https://elsewhere.example", "Accept-Encoding": "gzip"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers.get("content-encoding") == "gzip"
    pre = client.options("/sparql", headers={"Origin": "https://elsewhere.example",
                                             "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200


def test_openapi_docs_are_served_without_a_cdn(client: httpx.Client) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "/sparql" in client.get("/openapi.json").json()["paths"]
