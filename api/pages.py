"""What the pages for people say: an article (what happened, who took part, the text with its evidence marked),
a country (who held its offices, its events, agreements and articles) and the home page (the latest articles
and events, a search over names). Read from the store's read-only view; the generic description of any other
thing is api.resources'.
"""
from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from markupsafe import Markup

from kg.namespaces import (
    DCTERMS,
    DIP,
    ITSRDF,
    NIF,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
)

NAMES = [ox.NamedNode(str(p)) for p in (SCHEMA.name, RDFS.label, SKOS.prefLabel, SCHEMA.headline)]
PAGE = 50      # rows of a long list per page
LATEST = 20    # articles and events on the home page

Link = tuple[str, str]         # (IRI, what to show)


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def name_of(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> str | None:
    for p in NAMES:
        for q in store.quads_for_pattern(node, p, None, None):
            if isinstance(q.object, ox.Literal):
                return q.object.value
    return None


def link(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> Link:
    return (node.value, name_of(store, node) or node.value.rsplit("/", 1)[-1])


def title_of(store: ox.Store, node: ox.NamedNode) -> str | None:
    """A name for a page's heading; a term of office, which has none, is titled by its holder, office and dates."""
    found = name_of(store, node)
    if found is not None:
        return found
    holding = any(True for _ in store.quads_for_pattern(node, _n(RDF.type), _n(DIP.OfficeHolding), None))
    if not holding:
        return None
    member = next((q.object for q in store.quads_for_pattern(node, _n(ORG.member), None, None)), None)
    role = _value(store, node, DIP.roleLabel)
    post = next((q.object for q in store.quads_for_pattern(node, _n(DIP.post), None, None)), None)
    office = (name_of(store, post) if post is not None else None) or role or "an office"
    start, end = _value(store, node, SCHEMA.startDate), _value(store, node, SCHEMA.endDate)
    who = name_of(store, member) if member is not None else None
    dates = f" ({start or '?'}–{end or ''})" if start or end else ""
    return f"{who or 'Someone'} as {office}{dates}"


def _value(store: ox.Store, node: ox.NamedNode | ox.BlankNode, p: object) -> str | None:
    q = next(iter(store.quads_for_pattern(node, _n(p), None, None)), None)
    return None if q is None else q.object.value


# -- the article page ------------------------------------------------------------------------------------------


@dataclass
class Fact:
    id: str                                  # the fragment: event-1, agreement-2, quote-1
    kind: str
    evidence: str | None = None              # the fragment of its span in the text: span-273-432
    confidence: str | None = None
    date: str | None = None
    place: Link | None = None
    participants: list[tuple[str, str, str]] = field(default_factory=list)   # (IRI, name, role)
    parties: list[Link] = field(default_factory=list)
    name: str | None = None
    subject: str | None = None
    topics: list[Link] = field(default_factory=list)
    at: Link | None = None                   # an agreement's signing, a quote's event: (#fragment, kind)
    text: str | None = None
    speaker: Link | None = None


@dataclass
class ArticleView:
    iri: str
    headline: str
    published: str | None
    outlet: Link | None
    byline: str | None
    agency: str | None
    dateline: Link | None
    topics: list[Link]
    events: list[Fact]
    agreements: list[Fact]
    quotes: list[Fact]
    text: Markup
    mentions: list[Link]


def article_view(store: ox.Store, value: str, local: Callable[[str], str]) -> ArticleView:
    node = ox.NamedNode(value)
    by_subject: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in store.quads_for_pattern(None, None, None, node):
        by_subject[q.subject.value].append(q)

    def one(s: str, p: object) -> ox.Term | None:
        return next((q.object for q in by_subject.get(s, []) if q.predicate.value == str(p)), None)

    def all_(s: str, p: object) -> list[ox.Term]:
        return [q.object for q in by_subject.get(s, []) if q.predicate.value == str(p)]

    def frag(term: ox.Term | None) -> str | None:
        return term.value.rsplit("#", 1)[-1] if isinstance(term, ox.NamedNode) and "#" in term.value else None

    def kind(s: str) -> str:
        for t in all_(s, RDF.type):
            label = name_of(store, t)           # type: ignore[arg-type]
            if label:
                return label
        return "thing"

    def fact(s: str) -> Fact:
        f = Fact(s.rsplit("#", 1)[-1], kind(s), frag(one(s, DIP.evidence)))
        conf = one(s, DIP.confidence)
        f.confidence = conf.value if conf is not None else None
        return f

    facts: dict[str, list[Fact]] = {"event": [], "agreement": [], "quote": []}
    for s in sorted(by_subject, key=_fragment_order):
        fragment = frag(ox.NamedNode(s)) or ""
        if fragment.startswith("event-"):
            f = fact(s)
            date = one(s, DIP.eventDate)
            f.date = date.value if date is not None else None
            place = one(s, SEM.hasPlace)
            f.place = link(store, place) if isinstance(place, ox.NamedNode) else None
            for pt in all_(s, DIP.participation):
                actor, role = one(pt.value, DIP.participant), one(pt.value, DIP.role)
                if isinstance(actor, ox.NamedNode):
                    f.participants.append((*link(store, actor), name_of(store, role) if role else ""))  # type: ignore
            facts["event"].append(f)
        elif fragment.startswith("agreement-"):
            f = fact(s)
            f.parties = [link(store, p) for p in all_(s, DIP.party) if isinstance(p, ox.NamedNode)]
            name, subject = one(s, SCHEMA.name), one(s, DIP.subjectText)
            f.name, f.subject = (name.value if name else None), (subject.value if subject else None)
            f.topics = [link(store, t) for t in all_(s, DCTERMS.subject) if isinstance(t, ox.NamedNode)]
            at = one(s, DIP.signedAt)
            f.at = (f"#{frag(at)}", kind(at.value)) if at is not None else None
            facts["agreement"].append(f)
        elif fragment.startswith("quote-"):
            f = fact(s)
            text, speaker = one(s, DIP.quoteText), one(s, DIP.speaker)
            f.text = text.value if text else ""
            f.speaker = link(store, speaker) if isinstance(speaker, ox.NamedNode) else None
            attribution = one(s, DIP.attribution)
            f.name = name_of(store, attribution) if attribution is not None else None  # type: ignore[arg-type]
            at = one(s, DIP.inEvent)
            f.at = (f"#{frag(at)}", kind(at.value)) if at is not None else None
            facts["quote"].append(f)
    text = one(value, NIF.isString)
    published, outlet, dateline = one(value, SCHEMA.datePublished), one(value, SCHEMA.publisher), one(
        value, DIP.datelinePlace)
    headline, byline, agency = one(value, SCHEMA.headline), one(value, DIP.byline), one(value, DIP.sourceAgency)
    return ArticleView(
        iri=value, headline=headline.value if headline else value,
        published=published.value if published else None,
        outlet=link(store, outlet) if isinstance(outlet, ox.NamedNode) else None,
        byline=byline.value if byline else None, agency=agency.value if agency else None,
        dateline=link(store, dateline) if isinstance(dateline, ox.NamedNode) else None,
        topics=[link(store, t) for t in all_(value, DCTERMS.subject) if isinstance(t, ox.NamedNode)],
        events=facts["event"], agreements=facts["agreement"], quotes=facts["quote"],
        text=marked_text(text.value if text else "", by_subject, store, local),
        mentions=sorted((link(store, m) for m in all_(value, SCHEMA.mentions) if isinstance(m, ox.NamedNode)),
                        key=lambda m: m[1]))


def _fragment_order(s: str) -> tuple[str, int]:
    local = s.rsplit("#", 1)[-1]
    head, _, n = local.partition("-")
    return (head, int(n) if n.isdigit() else 0)


def marked_text(text: str, by_subject: dict[str, list[ox.Quad]], store: ox.Store,
                local: Callable[[str], str]) -> Markup:
    """The article's text with the spans the facts were read from marked (each evidence span's first piece has
    the span's fragment as its id) and the mentions linked to what they mention."""
    evidence: dict[str, list[str]] = defaultdict(list)      # span IRI -> the facts it is the evidence of
    mention: dict[str, str] = {}                            # span IRI -> the thing it mentions
    for s, quads in by_subject.items():
        for q in quads:
            p = q.predicate.value
            if p in (str(DIP.evidence), str(DIP.dateEvidence)) and "#" in s:
                evidence[q.object.value].append(s.rsplit("#", 1)[-1])
            elif p == str(ITSRDF.taIdentRef):
                mention[s] = q.object.value
    spans = []
    for s in set(evidence) | set(mention):
        begin, end = _value(store, ox.NamedNode(s), NIF.beginIndex), _value(store, ox.NamedNode(s), NIF.endIndex)
        if begin is not None and end is not None and 0 <= int(begin) < int(end) <= len(text):
            spans.append((int(begin), int(end), s))
    cuts = sorted({0, len(text), *(b for b, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    started: set[str] = set()
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b])
        over = [s for begin, end, s in spans if begin <= a and b <= end]
        target = next((mention[s] for s in over if s in mention), None)
        if target is not None:
            piece = f'<a class="mention" href="{html.escape(local(target))}">{piece}</a>'
        facts = sorted({f for s in over for f in evidence.get(s, [])})
        if facts:
            first = next((s for s in over if s in evidence and s not in started), None)
            anchor = ""
            if first is not None:
                started.add(first)
                anchor = f' id="{html.escape(first.rsplit("#", 1)[-1])}"'
            piece = f'<mark{anchor} title="{html.escape(", ".join(facts))}">{piece}</mark>'
        out.append(piece)
    return Markup("".join(out))


# -- the country page ------------------------------------------------------------------------------------------


@dataclass
class CountryView:
    holders: list[tuple[Link, str, str | None, str | None]]      # (person, office, start, end)
    events: list[tuple[str, str, str | None, Link]]             # (event IRI, kind, date, article)
    agreements: list[tuple[str, str, Link]]                     # (agreement IRI, kind or name, article)
    articles: list[tuple[Link, str | None]]                     # (article, date)
    places: list[Link]
    places_total: int
    page: int


def country_view(store: ox.Store, value: str, page: int = 1) -> CountryView:
    node = f"<{value}>"

    def rows(query: str) -> list[ox.QuerySolution]:
        return list(store.query(query, use_default_graph_as_union=True))

    def v(row: ox.QuerySolution, name: str) -> str | None:
        term = row[name]
        return None if term is None else term.value

    holders = [((v(r, "person") or "", v(r, "name") or ""), v(r, "office") or "", v(r, "start"), v(r, "end"))
               for r in rows(f"""SELECT ?person ?name ?office ?start ?end WHERE {{
          ?m <{ORG.organization}> {node} ; <{ORG.member}> ?person ; <{SCHEMA.startDate}> ?start .
          ?person <{SCHEMA.name}> ?name .
          OPTIONAL {{ ?m <{DIP.post}>/<{RDFS.label}> ?postLabel }} OPTIONAL {{ ?m <{DIP.roleLabel}> ?role }}
          OPTIONAL {{ ?m <{SCHEMA.endDate}> ?end }}
          BIND(COALESCE(?postLabel, ?role) AS ?office)
        }} ORDER BY DESC(?start) ?name LIMIT 200""")]
    events = [(v(r, "e") or "", v(r, "kind") or "event", v(r, "date"), (v(r, "a") or "", v(r, "h") or ""))
              for r in rows(f"""SELECT ?e (SAMPLE(?label) AS ?kind) (SAMPLE(?d) AS ?date) ?a (SAMPLE(?head) AS ?h)
        WHERE {{
          {{ ?e <{SEM.hasActor}> {node} }} UNION {{ ?e <{SEM.hasActor}>/<{DIP.actsFor}> {node} }}
          ?e a ?type ; <{PROV.wasDerivedFrom}> ?a . ?type <{RDFS.label}> ?label ;
             <{RDFS.subClassOf}>* <{DIP.DiplomaticEvent}> .
          OPTIONAL {{ ?e <{DIP.eventDate}> ?d }} OPTIONAL {{ ?a <{SCHEMA.headline}> ?head }}
        }} GROUP BY ?e ?a ORDER BY DESC(?date) LIMIT 200""")]
    agreements = [(v(r, "g") or "", v(r, "what") or "agreement", (v(r, "a") or "", v(r, "h") or ""))
                  for r in rows(f"""SELECT ?g (SAMPLE(?w) AS ?what) ?a (SAMPLE(?head) AS ?h) WHERE {{
          ?g <{DIP.party}> {node} ; a ?type ; <{PROV.wasDerivedFrom}> ?a . ?type <{RDFS.label}> ?label .
          OPTIONAL {{ ?g <{SCHEMA.name}> ?name }} OPTIONAL {{ ?a <{SCHEMA.headline}> ?head }}
          BIND(COALESCE(?name, ?label) AS ?w)
        }} GROUP BY ?g ?a LIMIT 200""")]
    articles = [((v(r, "a") or "", v(r, "h") or ""), v(r, "d")) for r in rows(f"""SELECT ?a ?h ?d WHERE {{
          ?a <{SCHEMA.mentions}> {node} ; <{SCHEMA.headline}> ?h . OPTIONAL {{ ?a <{SCHEMA.datePublished}> ?d }}
        }} ORDER BY DESC(?d) LIMIT 200""")]
    places_all = sorted((link(store, q.subject) for q in store.quads_for_pattern(
        None, _n(DIP.inCountry), ox.NamedNode(value), None) if isinstance(q.subject, ox.NamedNode)),
        key=lambda p: p[1])
    places_all = list(dict.fromkeys(places_all))
    page = max(1, min(page, (len(places_all) + PAGE - 1) // PAGE or 1))
    return CountryView(holders, events, agreements, articles, places_all[(page - 1) * PAGE:page * PAGE],
                       len(places_all), page)


# -- the home page ---------------------------------------------------------------------------------------------


@dataclass
class HomeView:
    articles: list[tuple[Link, str | None, str | None]]          # (article, date, outlet)
    events: list[tuple[str, str, str | None, str, Link]]        # (event IRI, kind, date, actors, article)
    example: str | None                                          # a person an article mentions
    query: str
    found: list[tuple[Link, str]]                                # (thing, its kind)


def home_view(store: ox.Store, query: str = "") -> HomeView:
    def rows(text: str) -> list[ox.QuerySolution]:
        return list(store.query(text, use_default_graph_as_union=True))

    def v(row: ox.QuerySolution, name: str) -> str | None:
        term = row[name]
        return None if term is None else term.value

    articles = [((v(r, "a") or "", v(r, "h") or ""), v(r, "d"), v(r, "o")) for r in rows(f"""
        SELECT ?a ?h ?d ?o WHERE {{ ?a a <{DIP.NewsArticle}> ; <{SCHEMA.headline}> ?h .
          OPTIONAL {{ ?a <{SCHEMA.datePublished}> ?d }} OPTIONAL {{ ?a <{SCHEMA.publisher}>/<{SCHEMA.name}> ?o }}
        }} ORDER BY DESC(?d) ?h LIMIT {LATEST}""")]
    events = [(v(r, "e") or "", v(r, "kind") or "event", v(r, "d"), v(r, "actors") or "",
               (v(r, "a") or "", v(r, "h") or "")) for r in rows(f"""
        SELECT ?e (SAMPLE(?label) AS ?kind) (SAMPLE(?date) AS ?d)
               (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?actors) ?a (SAMPLE(?head) AS ?h) WHERE {{
          ?e a ?type ; <{PROV.wasDerivedFrom}> ?a ; <{SEM.hasActor}>/<{SCHEMA.name}> ?name .
          ?type <{RDFS.subClassOf}>* <{DIP.DiplomaticEvent}> ; <{RDFS.label}> ?label .
          OPTIONAL {{ ?e <{DIP.eventDate}> ?date }} OPTIONAL {{ ?a <{SCHEMA.headline}> ?head }}
        }} GROUP BY ?e ?a ORDER BY DESC(?d) LIMIT {LATEST}""")]
    example = next((v(r, "p") for r in rows(f"""SELECT ?p WHERE {{
          ?a a <{DIP.NewsArticle}> ; <{SCHEMA.mentions}> ?p ; <{SCHEMA.datePublished}> ?d . ?p a <{DIP.Person}> .
        }} ORDER BY DESC(?d) ?p LIMIT 1""")), None)
    found: list[tuple[Link, str]] = []
    query = " ".join(query.split())[:100]
    if query:
        found = [((v(r, "s") or "", v(r, "n") or ""), v(r, "kind") or "") for r in rows(f"""
            SELECT ?s (SAMPLE(?name) AS ?n) (SAMPLE(?label) AS ?kind) WHERE {{
              ?s <{SCHEMA.name}>|<{RDFS.label}>|<{SKOS.altLabel}>|<{SCHEMA.headline}> ?name .
              FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?name)), LCASE({ox.Literal(query)})))
              OPTIONAL {{ ?s a ?type . ?type <{RDFS.label}> ?label FILTER(STRSTARTS(STR(?type), "{DIP}")) }}
            }} GROUP BY ?s ORDER BY STRLEN(?n) ?n LIMIT {PAGE}""")]    # the words as an escaped literal
    return HomeView(articles, events, example, query, found)


__all__ = ["ArticleView", "CountryView", "HomeView", "article_view", "country_view", "home_view",
           "title_of"]
