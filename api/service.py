"""GET /sparql without a query: the SPARQL 1.1 Service Description, or the query page for a browser."""
from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from api.documents import HTML, RDF_OFFERS, choose, here, iri, page, rdf_response
from api.state import State
from kg.namespaces import FORMATS, PREFIXES, RDF, RDFS, SD, VOID

RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N-Quads", "TriG")


def _example(body: str, *prefixes: str) -> str:
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in prefixes) + body


EXAMPLES = {
    "Classes and how many things each has": _example(
        "SELECT ?class (COUNT(DISTINCT ?thing) AS ?things)\nWHERE { ?thing a ?class }\nGROUP BY ?class\n"
        "ORDER BY DESC(?things)"),
    "People and the offices they held": _example(
        "SELECT ?name ?office ?start ?end\nWHERE {\n  ?term org:member ?person ; dip:post ?post ; "
        "schema:startDate ?start .\n  ?person schema:name ?name .\n  ?post rdfs:label ?office .\n"
        "  OPTIONAL { ?term schema:endDate ?end }\n}\nORDER BY DESC(?start)\nLIMIT 100",
        "dip", "org", "schema", "rdfs"),
    "Diplomatic events and who took part": _example(
        "SELECT ?date ?kind (GROUP_CONCAT(DISTINCT ?name; separator=\", \") AS ?actors) ?article\nWHERE {\n"
        "  ?event a ?class ; dip:eventDate ?date ; sem:hasActor/schema:name ?name ; prov:wasDerivedFrom ?article .\n"
        "  ?class rdfs:subClassOf+ dip:DiplomaticEvent ; rdfs:label ?kind .\n}\n"
        "GROUP BY ?event ?date ?kind ?article\nORDER BY DESC(?date)\nLIMIT 100",
        "dip", "sem", "schema", "prov", "rdfs"),
    "Articles, newest first": _example(
        "SELECT ?article ?headline ?published\nWHERE { ?article schema:headline ?headline ; "
        "schema:datePublished ?published }\nORDER BY DESC(?published)\nLIMIT 50", "schema"),
    "Links to Wikidata": _example(
        "SELECT DISTINCT ?thing ?wikidata\nWHERE { ?thing owl:sameAs ?wikidata "
        "FILTER(STRSTARTS(STR(?wikidata), STR(wd:))) }\nLIMIT 100", "owl", "wd"),
}


def description(endpoint: str, state: State) -> list[ox.Triple]:
    service = ox.BlankNode()
    dataset, default = ox.BlankNode(), ox.BlankNode()
    a = iri(RDF.type)
    s = state.settings
    triples = [
        ox.Triple(service, a, iri(SD.Service)),
        ox.Triple(service, iri(SD.endpoint), ox.NamedNode(endpoint)),
        ox.Triple(service, iri(SD.supportedLanguage), iri(SD.SPARQL11Query)),
        ox.Triple(service, iri(SD.supportedLanguage), iri(SD.SPARQL11Update)),
        ox.Triple(service, iri(SD.feature), iri(SD.UnionDefaultGraph)),
        ox.Triple(service, iri(SD.defaultDataset), dataset),
        ox.Triple(dataset, a, iri(SD.Dataset)),
        ox.Triple(dataset, iri(SD.defaultGraph), default),
        ox.Triple(default, a, iri(SD.Graph)),
        ox.Triple(dataset, iri(VOID.sparqlEndpoint), ox.NamedNode(endpoint)),
        ox.Triple(service, iri(RDFS.comment), ox.Literal(
            "The default graph is the union of all named graphs (one per article, plus the ontology, shapes and "
            "reference graphs) unless the request names a dataset by default-graph-uri/named-graph-uri or "
            "FROM/FROM NAMED, which resolve only against graphs in this store. SERVICE and LOAD are refused. "
            f"Queries stop after {s.query_timeout:g} s (503). SELECT answers are capped at {s.max_rows} rows; a "
            "capped answer carries the header X-SPARQL-MaxRows. Updates need Authorization: Bearer <token>.",
            language="en")),
    ]
    triples += [ox.Triple(service, iri(SD.resultFormat), iri(FORMATS[f])) for f in RESULT_FORMATS]
    for name in ("ontology", "reference", "shapes", "meta"):
        g = ox.BlankNode()
        triples += [ox.Triple(dataset, iri(SD.namedGraph), g), ox.Triple(g, a, iri(SD.NamedGraph)),
                    ox.Triple(g, iri(SD.name), iri(state.minter.graph(name)))]
    return triples


def service_description(request: Request) -> Response:
    state: State = request.app.state.kg
    chosen = choose(request, [*RDF_OFFERS, HTML])
    if chosen == HTML:
        return page("query.html", examples=EXAMPLES, title="SPARQL query")
    return rdf_response(description(here(request), state), chosen)
