"""Dereferenceable URIs, after "Cool URIs for the Semantic Web" (W3C Note, 2008).

A thing's IRI names the thing, not a document, so its path answers 303 See Other:

    /id/person/x  --303-->  /page/person/x        for a browser (HTML, chosen by Accept)
                  --303-->  /data/person/x.ttl    for an RDF client (.ttl .jsonld .nt .rdf, by Accept)

``/data/<path>`` without an extension negotiates and names its variant in Content-Location. An article's
local things are hash IRIs (``<article>#event-1``): they are described in the article's documents.
The same holds under /topics/, /plover/ and /cameo/ (concept schemes), and /dataset answers 303 to the
VoID description. The ontology and the shapes use hash IRIs and answer
directly at /ontology and /shapes (HTML documentation, Turtle, JSON-LD, ...). A graph IRI
(``/graph/<name>``) answers 303 to the Graph Store. The IRI is rebuilt from the path with the configured
base, whatever host the request reached.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.documents import HTML, RDF_OFFERS, choose, here, iri, page, rdf_response, require, root
from api.dumpwriter import Compactor
from api.errors import HTTPError
from api.formats import PREFIX_MAP
from api.pages import article_view, country_view, title_of
from api.profile import profile
from api.state import State
from kg.namespaces import (
    CAMEO,
    DCTERMS,
    DIP,
    FOAF,
    GEONAMES,
    ITSRDF,
    NIF,
    ONTOLOGY_IRI,
    OWL,
    PLOVER,
    RDF,
    RDFS,
    SCHEMA,
    SHAPES_IRI,
    SKOS,
    TOPIC,
    WD,
)

EXTENSIONS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
              "rdf": "application/rdf+xml"}
EXTENSION_OF = {**{media: ext for ext, media in EXTENSIONS.items()}, "application/json": "jsonld"}
LABELS = [iri(p) for p in (RDFS.label, SKOS.prefLabel, SCHEMA.name, SCHEMA.headline, DCTERMS.title)]
INCOMING_LIMIT = 500
EVIDENCE_LIMIT = 200
SCHEMES = {"topics": TOPIC, "plover": PLOVER, "cameo": CAMEO}   # slash namespaces of ours outside /id/
COMPACT = Compactor(PREFIX_MAP)   # rdf:type, schema:name ... as link text on pages


def thing_iri(state: State, path: str) -> str:
    """The IRI a thing path stands for: /id/<kind>/<key> under the base, /topics/<key> (and the PLOVER and
    CAMEO schemes) under their namespaces. 404 for a path that cannot be part of an IRI."""
    kind, _, rest = path.strip("/").partition("/")
    if kind in SCHEMES:
        value = str(SCHEMES[kind]) + rest if rest else str(SCHEMES[kind]).rstrip("/")
    else:
        value = f"{state.base}{kind}/{rest}"
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise HTTPError(404, f"no such thing: {path[:200]!r} cannot be part of an IRI ({exc})") from None
    return value


def document_rest(path: str) -> str:
    """/id/person/x -> person/x and /topics/x -> topics/x: what follows /page/ and /data/."""
    rest = path.strip("/")
    return rest[len("id/"):] if rest.startswith("id/") else rest


def document_iri(state: State, rest: str) -> str:
    return thing_iri(state, "/" + rest if rest.split("/", 1)[0] in SCHEMES else "/id/" + rest)


def local_path(state: State, value: str) -> str | None:
    """Where an IRI of ours is answered on this server, or None for anything else."""
    for prefix, path in ((state.base + "id/", "/id/"), (state.base + "graph/", "/graph/"), (ONTOLOGY_IRI, "/ontology"),
                         (SHAPES_IRI, "/shapes"), *((str(ns), f"/{kind}/") for kind, ns in SCHEMES.items())):
        if value.startswith(prefix):
            return path + value[len(prefix):]
    kind = next((k for k, ns in SCHEMES.items() if value == str(ns).rstrip("/")), None)
    return f"/{kind}" if kind else None


def link(state: State, value: str) -> str:
    """Where a page links an IRI: our local path, the IRI itself if it is http(s), else nowhere ("").
    (javascript:, data: and other schemes are shown, never made clickable.)"""
    local = local_path(state, value)
    if local is not None:
        return local
    return value if value.startswith(("http://", "https://")) else ""


@dataclass
class Description:
    node: ox.NamedNode
    out: list[ox.Triple] = field(default_factory=list)         # the thing and its hash children
    incoming: list[ox.Triple] = field(default_factory=list)
    mentions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))   # article -> quoted text
    headlines: dict[str, str] = field(default_factory=dict)

    @property
    def triples(self) -> list[ox.Triple]:
        return self.out + self.incoming


def describe(store: ox.Store, value: str) -> Description | None:
    node = ox.NamedNode(value)
    d = Description(node)
    seen: set[ox.Triple] = set()

    def add(target: list[ox.Triple], quads: object, limit: int | None = None) -> None:
        for q in quads:  # type: ignore[attr-defined]
            t = q.triple
            if t not in seen:
                seen.add(t)
                target.append(t)
                if limit is not None and len(target) >= limit:
                    return

    hashed = value + "#"
    add(d.out, store.quads_for_pattern(node, None, None, None))
    if store.contains_named_graph(node):   # an article: its hash things live in its graph
        add(d.out, (q for q in store.quads_for_pattern(None, None, None, node) if q.subject.value.startswith(hashed)))
    # Hash things described elsewhere (a term of office's #term and #start): those the description reaches.
    expanded = {node}
    todo = [t.object for t in d.out if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(hashed)]
    while todo:
        child = todo.pop()
        if child in expanded:
            continue
        expanded.add(child)
        start = len(d.out)
        add(d.out, store.quads_for_pattern(child, None, None, None))
        todo += [t.object for t in d.out[start:] if isinstance(t.object, ox.NamedNode)
                 and t.object.value.startswith(hashed)]
    add(d.incoming, store.quads_for_pattern(None, None, node, None), INCOMING_LIMIT)
    if not d.out and not d.incoming:
        return None
    anchor, context, headline = iri(NIF.anchorOf), iri(NIF.referenceContext), iri(SCHEMA.headline)
    for q in islice(store.quads_for_pattern(None, iri(ITSRDF.taIdentRef), node, None), EVIDENCE_LIMIT):
        span = q.subject
        article = next((x.object for x in store.quads_for_pattern(span, context, None, q.graph_name)), None)
        text = next((x.object.value for x in store.quads_for_pattern(span, anchor, None, q.graph_name)), None)
        if article is None or text is None:
            continue
        quotes = d.mentions[article.value]
        if text not in quotes:
            quotes.append(text)
        if article.value not in d.headlines:
            h = next(store.quads_for_pattern(article, headline, None, None), None)
            d.headlines[article.value] = h.object.value if h else article.value
    return d


async def described(state: State, value: str) -> Description:
    d = await state.read(lambda view: describe(view.ox, value))
    require(d is not None, f"nothing is known about {value}")
    assert d is not None
    return d


def concept_spelled(store: ox.Store, value: str) -> str | None:
    """The concept IRI that ``value`` names in another letter case (``topics/cybersecurity``), if any."""
    folded = value.casefold()
    for q in store.quads_for_pattern(None, iri(RDF.type), iri(SKOS.Concept), None):
        if q.subject.value.casefold() == folded and q.subject.value != value:
            return str(q.subject.value)
    return None


async def thing(request: Request) -> Response:
    state: State = request.app.state.kg
    path = request.url.path
    value = thing_iri(state, path)
    if path.strip("/").split("/", 1)[0] in SCHEMES:
        canonical = await state.read(lambda view: concept_spelled(view.ox, value))
        if canonical is not None and (target := local_path(state, canonical)) is not None:
            return RedirectResponse(root(request).rstrip("/") + target, 301)
    await described(state, value)
    chosen = choose(request, [*RDF_OFFERS, HTML])
    rest = document_rest(path)
    target = f"/page/{rest}" if chosen == HTML else f"/data/{rest}.{EXTENSION_OF[chosen]}"
    return RedirectResponse(root(request).rstrip("/") + target, 303, headers={"Vary": "Accept"})


def _rest(request: Request, prefix: str) -> str:
    return request.url.path[len(prefix):]


async def data(request: Request) -> Response:
    state: State = request.app.state.kg
    rest = _rest(request, "/data/")
    stem, dot, ext = rest.rpartition(".")
    headers = {}
    if dot and ext in EXTENSIONS:
        chosen = EXTENSIONS[ext]
    else:
        stem = rest
        chosen = choose(request, RDF_OFFERS)
        headers["Content-Location"] = f"/data/{rest}.{EXTENSION_OF[chosen]}"
    d = await described(state, document_iri(state, stem))
    doc = ox.NamedNode(here(request))
    meta = [ox.Triple(doc, iri(FOAF.primaryTopic), d.node), ox.Triple(doc, iri(RDF.type), iri(FOAF.Document))]
    return rdf_response(meta + d.triples, chosen, headers)


def label(d: Description, node: ox.NamedNode | ox.BlankNode) -> str | None:
    for p in LABELS:
        for t in d.out:
            if t.subject == node and t.predicate == p and isinstance(t.object, ox.Literal):
                return t.object.value
    return None


async def html_page(request: Request) -> Response:
    state: State = request.app.state.kg
    rest = _rest(request, "/page/")
    value = document_iri(state, rest)
    d = await described(state, value)
    sameas = [t.object.value for t in d.out if t.subject == d.node and t.predicate == iri(OWL.sameAs)]
    links = {"Wikidata": [v for v in sameas if v.startswith(str(WD))],
             "GeoNames": [v for v in sameas if v.startswith(str(GEONAMES))]}
    types = [t.object for t in d.out if t.subject == d.node and t.predicate == iri(RDF.type)]
    common = {"d": d, "links": links, "term": lambda t: term_html(state, t), "alternates": [
        (f"/data/{rest}.{ext}", media) for ext, media in EXTENSIONS.items()],
        "local": lambda v: link(state, v)}
    number = page_number(request)
    groups: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    for t in d.out:
        groups[t.subject].append(t)
    if iri(DIP.NewsArticle) in types and await state.read(lambda view: view.ox.contains_named_graph(d.node)):
        a = await state.read(lambda view: article_view(view.ox, value, common["local"]))
        return page("article.html", title=a.headline, a=a, groups=groups, **common)
    title = await state.read(lambda view: title_of(view.ox, d.node)) or value
    if iri(DIP.Country) in types:
        c = await state.read(lambda view: country_view(view.ox, value, number))
        return page("country.html", title=title, c=c, **common)
    about = await state.read(lambda view: profile(view.ox, value))
    return page("resource.html", title=title, about=about, groups=groups, types=types, page_no=number, **common)


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def term_html(state: State, t: object) -> dict[str, str | None]:
    """How a template shows a term: text, and a link for IRIs (local paths for ours)."""
    if isinstance(t, ox.NamedNode):
        return {"kind": "iri", "text": COMPACT.iri(t.value), "title": t.value, "href": link(state, t.value) or None}
    if isinstance(t, ox.Literal):
        extra = f"@{t.language}" if t.language else ("" if t.datatype.value.endswith("#string")
                                                       else f" ({t.datatype.value.rsplit('#', 1)[-1]})")
        return {"kind": "literal", "text": t.value, "href": None, "extra": extra}
    return {"kind": "bnode", "text": str(t), "href": None}


async def dataset(request: Request) -> Response:
    return RedirectResponse(root(request) + ".well-known/void", 303, headers={"Vary": "Accept"})


async def graph_iri(request: Request) -> Response:
    state: State = request.app.state.kg
    value = thing_iri(state, request.url.path)
    if not await state.read(lambda view: view.ox.contains_named_graph(ox.NamedNode(value))):
        raise HTTPError(404, f"no graph {value}")
    return RedirectResponse(f"{root(request)}graphs?{urlencode({'graph': value})}", 303)


async def vocabulary(request: Request) -> Response:
    """The ontology (/ontology) or the shapes (/shapes): hash IRIs, so the document answers directly; their
    owl:versionIRI (/ontology/0.1.0) answers with the same document while it is the current version."""
    state: State = request.app.state.kg
    path = request.url.path
    name, _, version = path.strip("/").partition("/")
    name, _, ext = name.partition(".")
    value, graph = (ONTOLOGY_IRI, "ontology") if name == "ontology" else (SHAPES_IRI, "shapes")
    if ext:
        if ext not in EXTENSIONS and ext != "html":
            raise HTTPError(404, f"no {path}; try .ttl, .jsonld, .nt, .rdf or .html")
        chosen = HTML if ext == "html" else EXTENSIONS[ext]
    else:
        chosen = choose(request, [*RDF_OFFERS, HTML])
    g = ox.NamedNode(str(state.minter.graph(graph)))
    triples = await state.read(lambda view: [q.triple for q in view.ox.quads_for_pattern(None, None, None, g)])
    require(bool(triples), f"the {graph} graph is not in this store (run `kg ingest` once)")
    if version:
        current = next((t.object.value for t in triples if t.subject == ox.NamedNode(value)
                        and t.predicate == iri(OWL.versionIRI)), None)
        require(current == f"{value}/{version}", f"no version {version} of {value} here; this is {current}")
    headers = {} if ext else {"Content-Location": f"/{name}.{'html' if chosen == HTML else EXTENSION_OF[chosen]}"}
    if chosen != HTML:
        return rdf_response(triples, chosen, headers)
    d = Description(ox.NamedNode(value), out=triples)
    terms: dict[str, list[tuple[str, ox.NamedNode, list[ox.Triple]]]] = defaultdict(list)
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    for s, ts in by_subject.items():
        if isinstance(s, ox.NamedNode) and s.value.startswith(value + "#"):
            kind = next((t.object.value.rsplit("#", 1)[-1] for t in ts if t.predicate == iri(RDF.type)), "Term")
            terms[kind].append((s.value.rsplit("#", 1)[-1], s, ts))
    for entries in terms.values():
        entries.sort(key=lambda e: e[0])
    return page("vocabulary.html", headers=headers, title=label(d, d.node) or value, d=d, value=value,
                head=by_subject.get(d.node, []), terms=dict(sorted(terms.items())), name=name,
                term=lambda t: term_html(state, t), extensions=EXTENSIONS, dip=str(DIP))

