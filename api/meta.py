"""The dataset described: VoID and DCAT at /.well-known/void, and the home page for people."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from api.documents import RDF_OFFERS, choose, iri, page, rdf_response
from api.dumps import dcat, root_url, version
from api.pages import home_view
from api.resources import COMPACT, link
from api.state import State
from kg.namespaces import (
    DCAT,
    DCTERMS,
    DIP,
    GEONAMES,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    RDF,
    SCHEMA,
    VOID,
    WD,
    XSD,
)
from kg.store import Store

COUNT_TIMEOUT = 600.0     # seconds the triple count may take on a large store


@dataclass
class Stats:
    triples: int
    entities: int
    articles: int
    classes: list[tuple[str, int]]
    linksets: dict[str, int]
    vocabularies: list[str]
    licence: str | None
    modified: datetime | None
    example: str | None
    prefix_of: dict[str, str] = field(default_factory=dict)


def count(store: ox.Store, query: str) -> int:
    for row in store.query(query, use_default_graph_as_union=True):
        return int(row[0].value)
    return 0


def compute(view: Store, base: str) -> Stats:
    store = view.ox
    things = f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))'
    classes = [(row["c"].value, int(row["n"].value)) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
        use_default_graph_as_union=True)]
    linksets = {name: count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{OWL.sameAs}> "
                                   f'?o FILTER(STRSTARTS(STR(?o), "{ns}")) }} }}')
                for name, ns in (("Wikidata", WD), ("GeoNames", GEONAMES))}
    predicates = [row[0].value for row in store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
                                                      use_default_graph_as_union=True)]
    used = sorted({str(ns) for ns in PREFIXES.values() if any(p.startswith(str(ns)) for p in predicates)})
    licence = next(store.quads_for_pattern(ox.NamedNode(ONTOLOGY_IRI), iri(DCTERMS.license), None, None), None)
    example = next((row[0].value for row in store.query(
        f"SELECT ?s WHERE {{ {{ ?s a <{DIP.Person}> }} UNION {{ ?s a <{SCHEMA.Person}> }} {things} }} "
        "ORDER BY ?s LIMIT 1",
        use_default_graph_as_union=True)), None)
    return Stats(
        triples=0,
        entities=count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o {things} }}"),
        articles=count(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{DIP.NewsArticle}> }}"),
        classes=classes, linksets=linksets, vocabularies=used,
        licence=licence.object.value if licence else None, modified=view.modified(), example=example,
        prefix_of={str(ns): p for p, ns in PREFIXES.items()})


async def triple_count(state: State) -> int:
    """The merged graph's size: the union counted by a query worker, where each triple matches once (its
    DISTINCT holds every triple for a moment: memory the server's main process should not spend)."""
    req = {"op": "query", "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "union": True,
           "formats": {"solutions": "json", "boolean": None, "graph": None}}
    answer = await state.pool.run(req, max(state.settings.query_timeout, COUNT_TIMEOUT))
    body = answer.body + b"".join([chunk async for chunk in answer.rest] if answer.rest else [])
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


async def stats(state: State) -> Stats:
    """Computed once per version of the data (the counts scan the store); a version another server wrote to a
    shared store too."""
    key, _ = await version(state)
    if state.stats is None or state.stats[0] != key:
        computed = await state.read(lambda view: compute(view, state.base))
        computed.triples = await triple_count(state)
        state.stats = (key, computed)
    result: Stats = state.stats[1]
    return result


async def void(state: State, s: Stats, root: str) -> list[ox.Triple]:
    dataset = iri(state.minter.dataset)
    a = iri(RDF.type)
    integer = iri(XSD.integer)

    def n(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=integer)

    service = ox.NamedNode(root + "sparql")
    triples = await dcat(state, root) + [
        ox.Triple(dataset, iri(DCTERMS.description), ox.Literal(
            "Countries, people, offices, organizations, diplomatic events, agreements, topics and quotes reported "
            "in news articles, each fact traced to the text it was read from.", language="en")),
        ox.Triple(dataset, iri(VOID.sparqlEndpoint), service),
        ox.Triple(dataset, iri(VOID.uriSpace), ox.Literal(f"{state.base}id/")),
        ox.Triple(dataset, iri(VOID.triples), n(s.triples)),
        ox.Triple(dataset, iri(VOID.entities), n(s.entities)),
        ox.Triple(dataset, iri(VOID.classes), n(len(s.classes))),
        ox.Triple(dataset, iri(VOID.documents), n(s.articles)),
        ox.Triple(dataset, iri(DCAT.accessService), service),
        ox.Triple(service, a, iri(DCAT.DataService)),
        ox.Triple(service, iri(DCAT.endpointURL), service),
        ox.Triple(service, iri(DCAT.servesDataset), dataset),
    ]
    if s.licence:
        triples.append(ox.Triple(dataset, iri(DCTERMS.license), ox.NamedNode(s.licence)))
    if s.modified:
        triples.append(ox.Triple(dataset, iri(DCTERMS.modified),
                                 ox.Literal(s.modified.isoformat(), datatype=iri(XSD.dateTime))))
    if s.example:
        triples.append(ox.Triple(dataset, iri(VOID.exampleResource), ox.NamedNode(s.example)))
    triples += [ox.Triple(dataset, iri(VOID.vocabulary), ox.NamedNode(v)) for v in s.vocabularies]
    for cls, entities in s.classes:
        part = ox.BlankNode()
        triples += [ox.Triple(dataset, iri(VOID.classPartition), part), ox.Triple(part, iri(VOID["class"]),
                    ox.NamedNode(cls)), ox.Triple(part, iri(VOID.entities), n(entities))]
    for name, size in s.linksets.items():
        linkset, target = ox.NamedNode(f"{state.minter.dataset}#linkset-{name.lower()}"), ox.BlankNode()
        uri_space = WD if name == "Wikidata" else GEONAMES
        triples += [
            ox.Triple(dataset, iri(VOID.subset), linkset), ox.Triple(linkset, a, iri(VOID.Linkset)),
            ox.Triple(linkset, iri(VOID.linkPredicate), iri(OWL.sameAs)),
            ox.Triple(linkset, iri(VOID.subjectsTarget), dataset), ox.Triple(linkset, iri(VOID.objectsTarget), target),
            ox.Triple(linkset, iri(VOID.triples), n(size)), ox.Triple(target, a, iri(VOID.Dataset)),
            ox.Triple(target, iri(DCTERMS.title), ox.Literal(name)),
            ox.Triple(target, iri(VOID.uriSpace), ox.Literal(str(uri_space))),
        ]
    return triples


async def void_description(request: Request) -> Response:
    state: State = request.app.state.kg
    chosen = choose(request, RDF_OFFERS)
    return rdf_response(await void(state, await stats(state), root_url(request)), chosen)


async def home(request: Request) -> Response:
    state: State = request.app.state.kg
    s = await stats(state)
    h = await state.read(lambda view: home_view(view.ox, request.query_params.get("q", "")))
    return page("home.html", title="diplomacy-kg", s=s, h=h, base=state.base,
                local=lambda v: link(state, v), compact=COMPACT.iri)
