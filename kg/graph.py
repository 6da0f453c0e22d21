"""Findings -> the article's RDF graph, with provenance down to text spans.

Built from rdflib terms directly (no templates, no SPARQL): this runs hundreds of times a second.
Things described in the reference graph (gazetteer countries, persons, organizations, places) are only
linked here; everything else the article introduces is described here in full.
"""
from __future__ import annotations

from decimal import Decimal

from collections.abc import Iterator
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.store import Store

import kg
from kg import gazetteer as gz
from kg.iris import Minter, text_hash
from kg.model import Findings, Office, Participant, Place, Span
from kg.namespaces import DCTERMS, DIP, GEONAMES, ITSRDF, NIF, ORG, OWL, PROV, RDF, SCHEMA, SEM, TOPIC, WD, XSD

EVENT_CLASSES: dict[str, URIRef] = {name: DIP[name] for name in (
    "Visit", "Meeting", "PhoneCall", "Summit", "AgreementSigning", "JointStatement", "Statement",
    "CooperationCommitment", "Sanction", "Protest",
)}
AGREEMENT_CLASSES: dict[str, URIRef] = {
    "MemorandumOfUnderstanding": DIP.MemorandumOfUnderstanding, "Treaty": DIP.Treaty,
    "JointDeclaration": DIP.JointDeclaration, "Agreement": DIP.Agreement,
}
ROLES: dict[str, URIRef] = {
    "host": DIP.HostRole, "guest": DIP.GuestRole, "participant": DIP.ParticipantRoleGeneric,
    "signatory": DIP.SignatoryRole, "speaker": DIP.SpeakerRole, "caller": DIP.CallerRole,
    "callee": DIP.CalleeRole, "sender": DIP.SenderRole, "target": DIP.TargetRole,
}
PRECISION: dict[str, URIRef] = {"day": DIP.DayPrecision, "month": DIP.MonthPrecision, "year": DIP.YearPrecision}
ORG_CLASSES: dict[str, URIRef] = {
    "international": DIP.InternationalOrganization, "ministry": DIP.Ministry, "agency": DIP.GovernmentAgency,
    "company": DIP.Company, "other": DIP.Organization,
}

_NNI = XSD.nonNegativeInteger


class TripleStore(Store):
    """A minimal, subject-indexed rdflib store for one article's few hundred triples.

    rdflib's default Memory store costs ~36 us per added triple on this machine (three indexes and
    context bookkeeping); this one ~3 us, which is the difference between 80 and 500+ articles a second.
    Lookups without a subject scan the triples: fine for a graph this small.
    """

    context_aware = False
    formula_aware = False
    graph_aware = False

    def __init__(self, configuration: Any = None, identifier: Any = None) -> None:
        super().__init__(configuration, identifier)
        self._all: dict[tuple, None] = {}
        self._by_s: dict[Any, list[tuple]] = {}
        self._ns: dict[str, URIRef] = {}

    def add(self, triple: tuple, context: Any = None, quoted: bool = False) -> None:
        if triple not in self._all:
            self._all[triple] = None
            self._by_s.setdefault(triple[0], []).append(triple)

    def addN(self, quads: Any) -> None:  # noqa: N802 (rdflib's name)
        for s, p, o, _ in quads:
            self.add((s, p, o))

    def remove(self, pattern: tuple, context: Any = None) -> None:
        gone = [t for t, _ in self.triples(pattern)]
        for t in gone:
            del self._all[t]
            self._by_s[t[0]].remove(t)

    def triples(self, pattern: tuple, context: Any = None) -> Iterator[tuple[tuple, Iterator[Any]]]:
        s, p, o = pattern
        pool = self._by_s.get(s, ()) if s is not None else self._all
        for t in list(pool):
            if (p is None or t[1] == p) and (o is None or t[2] == o):
                yield t, iter(())

    def __len__(self, context: Any = None) -> int:
        return len(self._all)

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        if override or prefix not in self._ns:
            self._ns[prefix] = URIRef(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._ns.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, ns in self._ns.items() if ns == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._ns.items()


def new_graph() -> Graph:
    return Graph(store=TripleStore(), bind_namespaces="none")


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


def place_iri(minter: Minter, place: Place, gaz: gz.Gazetteer) -> tuple[URIRef, bool]:
    """The place's IRI and whether the reference graph describes it (gazetteer places)."""
    entry = find_place(gaz, place.name, place.country)
    if entry is not None:
        return minter.place(entry.name, entry.country), True
    return minter.place(place.name, place.country), False


def find_place(gaz: gz.Gazetteer, name: str, country: str | None = None) -> gz.PlaceEntry | None:
    key = name.casefold()
    for entry in gaz.places:
        if (entry.name.casefold() == key or key in (a.casefold() for a in entry.aliases)) and (
                country is None or entry.country == country):
            return entry
    return None


class _Builder:
    def __init__(self, findings: Findings, minter: Minter, gaz: gz.Gazetteer) -> None:
        self.f = findings
        self.m = minter
        self.gaz = gaz
        self.g = new_graph()
        self.add = self.g.add
        text = findings.article.text
        self.text = text
        self.a = minter.article(text)
        self.activity = minter.local(self.a, "extraction", 1)
        self.spans: set[int] = set()
        self.person_iris: dict[str, URIRef] = {p.key: minter.person(p.key) for p in findings.persons}
        self.events: list[URIRef] = []

    # -- helpers ---------------------------------------------------------------------------------

    def span(self, s: Span) -> URIRef:
        iri = self.m.local(self.a, "span", f"{s.begin}-{s.end}")
        key = s.begin * 1_000_003 + s.end
        if key not in self.spans:
            self.spans.add(key)
            add, a = self.add, self.a
            add((iri, NIF.referenceContext, a))
            add((iri, NIF.beginIndex, Literal(s.begin, datatype=_NNI)))
            add((iri, NIF.endIndex, Literal(s.end, datatype=_NNI)))
            add((iri, NIF.anchorOf, Literal(s.text)))
        return iri

    def fact(self, iri: URIRef, span: Span | None, confidence: float = 1.0) -> None:
        add = self.add
        add((iri, PROV.wasDerivedFrom, self.a))
        if span is not None:
            add((iri, DIP.evidence, self.span(span)))
        if confidence < 1.0:
            add((iri, DIP.confidence, _confidence(confidence)))

    def mention(self, entity: URIRef, spans: list[Span]) -> None:
        self.add((self.a, SCHEMA.mentions, entity))
        for s in spans:
            self.add((self.span(s), ITSRDF.taIdentRef, entity))

    def actor(self, kind: str, ref: str) -> URIRef:
        if kind == "country":
            return self.country(ref)
        if kind == "person":
            return self.person_iris.get(ref) or self.m.person(ref)
        return self.m.organization(ref)

    def country(self, iso3: str) -> URIRef:
        iri = self.m.country(iso3)
        if iso3 not in self.gaz.countries:
            # Not in the reference data: say here what the shapes need to know about it.
            self.add((iri, RDF.type, DIP.Country))
            self.add((iri, DIP.isoAlpha3, Literal(iso3.upper())))
        return iri

    def place(self, place: Place) -> URIRef:
        iri, known = place_iri(self.m, place, self.gaz)
        if not known:
            add = self.add
            add((iri, RDF.type, DIP.Place))
            add((iri, SCHEMA.name, Literal(place.name)))
            if place.country:
                add((iri, DIP.inCountry, self.country(place.country)))
            if place.geonames:
                add((iri, OWL.sameAs, GEONAMES[f"{place.geonames}/"]))
            if place.wikidata:
                add((iri, OWL.sameAs, WD[place.wikidata]))
        self.mention(iri, [place.span] if place.span else [])
        return iri

    # -- parts -----------------------------------------------------------------------------------

    def article(self) -> None:
        art, a, add = self.f.article, self.a, self.add
        add((a, RDF.type, DIP.NewsArticle))
        add((a, RDF.type, NIF.Context))
        add((a, NIF.isString, Literal(self.text)))
        add((a, DIP.textSha256, Literal(text_hash(self.text))))
        add((a, DIP.textLength, Literal(len(self.text), datatype=_NNI)))
        add((a, SCHEMA.inLanguage, Literal(art.language)))
        add((a, PROV.wasGeneratedBy, self.activity))
        if art.headline is not None:
            add((a, SCHEMA.headline, Literal(art.headline.text)))
        if art.published is not None:
            add((a, SCHEMA.datePublished, Literal(art.published)))
        if art.published_at is not None:
            add((a, DCTERMS.issued, Literal(art.published_at)))
        if art.publisher:
            outlet = self.m.organization(art.publisher)
            add((a, SCHEMA.publisher, outlet))
            add((outlet, RDF.type, DIP.NewsOutlet))
            add((outlet, SCHEMA.name, Literal(art.publisher)))
        if art.author:
            add((a, DIP.byline, Literal(art.author)))
        if art.source_agency:
            add((a, DIP.sourceAgency, Literal(art.source_agency)))
        if art.dateline is not None:
            name = art.dateline.text.strip().title()
            add((a, DIP.datelinePlace, self.place(Place(name, span=art.dateline))))
        act = self.activity
        agent = self.m.software(kg.EXTRACTOR_NAME)
        add((act, RDF.type, DIP.Extraction))
        add((act, PROV.used, a))
        add((act, PROV.wasAssociatedWith, agent))
        add((act, DIP.extractorName, Literal(kg.EXTRACTOR_NAME)))
        add((act, DIP.extractorVersion, Literal(kg.__version__)))
        add((agent, RDF.type, DIP.Extractor))
        add((agent, SCHEMA.name, Literal(kg.EXTRACTOR_NAME)))

    def countries(self) -> None:
        for c in self.f.countries:
            self.mention(self.country(c.iso3), c.spans)

    def persons(self) -> None:
        add = self.add
        for n, p in enumerate(self.f.persons, 1):
            iri = self.person_iris[p.key]
            if not p.in_gazetteer:
                add((iri, RDF.type, DIP.Person))
                add((iri, SCHEMA.name, Literal(p.name)))
                if p.wikidata:
                    add((iri, OWL.sameAs, WD[p.wikidata]))
            if p.country:
                add((iri, DIP.actsFor, self.country(p.country)))
            self.mention(iri, p.spans)
            if p.office is not None:
                self.holding(n, iri, p.office)

    def holding(self, n: int, person: URIRef, office: Office) -> None:
        add, m = self.add, self.m
        label = office.label or office.title
        if not office.of:
            # An office the text names without saying whose it is: keep the title, claim no membership.
            add((person, SCHEMA.jobTitle, Literal(label)))
            return
        h = m.local(self.a, "holding", n)
        add((h, RDF.type, DIP.OfficeHolding))
        add((h, ORG.member, person))
        add((h, DIP.roleLabel, Literal(label)))
        as_of = office.as_of or self.f.article.published
        if as_of is not None and not office.former:
            add((h, DIP.asOf, Literal(as_of)))
        of = self.country(office.of) if office.of_kind == "country" else m.organization(office.of)
        add((h, ORG.organization, of))
        post = m.post(office.title, office.of)
        add((h, DIP.post, post))
        # Posts of gazetteer offices are described in the reference graph; an article may name others.
        add((post, RDF.type, DIP.Post))
        add((post, DIP.officeTitle, Literal(office.title)))
        add((post, ORG.postIn, of))
        self.fact(h, office.span)

    def organizations(self) -> None:
        add = self.add
        for o in self.f.organizations:
            iri = self.m.organization(o.key)
            if o.key not in self.gaz.organizations:
                add((iri, RDF.type, ORG_CLASSES.get(o.kind, DIP.Organization)))
                add((iri, SCHEMA.name, Literal(o.name)))
                if o.acronym:
                    add((iri, DIP.acronym, Literal(o.acronym)))
                if o.country:
                    add((iri, DIP.inCountry, self.country(o.country)))
                if o.wikidata:
                    add((iri, OWL.sameAs, WD[o.wikidata]))
            self.mention(iri, o.spans)

    def event_list(self) -> None:
        add, m, a = self.add, self.m, self.a
        for n, e in enumerate(self.f.events, 1):
            iri = m.local(a, "event", n)
            self.events.append(iri)
            add((iri, RDF.type, EVENT_CLASSES.get(e.type, DIP.DiplomaticEvent)))
            for k, p in enumerate(e.participants, 1):
                self.participation(iri, f"{n}-{k}", p)
            if e.date is not None:
                add((iri, DIP.eventDate, Literal(e.date)))
                add((iri, DIP.datePrecision, PRECISION.get(e.date_precision, DIP.DayPrecision)))
                if e.date_span is not None:
                    add((iri, DIP.dateEvidence, self.span(e.date_span)))
            if e.place is not None:
                add((iri, SEM.hasPlace, self.place(e.place)))
            self.fact(iri, e.span, e.confidence)
        if self.f.main_event is not None and 0 <= self.f.main_event < len(self.events):
            add((a, DIP.mainEvent, self.events[self.f.main_event]))

    def participation(self, event: URIRef, key: str, p: Participant) -> None:
        add = self.add
        actor = self.actor(p.kind, p.ref)
        node = self.m.local(self.a, "participation", key)
        add((event, SEM.hasActor, actor))
        add((event, DIP.participation, node))
        add((node, RDF.type, DIP.Participation))
        add((node, DIP.participant, actor))
        add((node, DIP.role, ROLES.get(p.role, DIP.ParticipantRoleGeneric)))

    def agreements(self) -> None:
        add, m, a = self.add, self.m, self.a
        for n, ag in enumerate(self.f.agreements, 1):
            iri = m.local(a, "agreement", n)
            add((iri, RDF.type, AGREEMENT_CLASSES.get(ag.kind, DIP.Agreement)))
            for party in ag.parties:
                add((iri, DIP.party, self.country(party)))
            if ag.title:
                add((iri, SCHEMA.name, Literal(ag.title)))
            if ag.topic:
                add((iri, DIP.subjectText, Literal(ag.topic)))
            for t in ag.topics:
                add((iri, DCTERMS.subject, TOPIC[t]))
            if ag.signed_at is not None and 0 <= ag.signed_at < len(self.events):
                add((iri, DIP.signedAt, self.events[ag.signed_at]))
            self.fact(iri, ag.span, ag.confidence)

    def quotes(self) -> None:
        add, m, a = self.add, self.m, self.a
        for n, q in enumerate(self.f.quotes, 1):
            iri = m.local(a, "quote", n)
            add((iri, RDF.type, DIP.Quote))
            add((iri, DIP.quoteText, Literal(q.text.text)))
            event = self.events[q.event] if q.event is not None and 0 <= q.event < len(self.events) else None
            if event is not None:
                add((iri, DIP.inEvent, event))
            if q.speaker:
                add((iri, DIP.speaker, self.actor(q.speaker_kind, q.speaker)))
            else:
                joint = q.event is not None and event is not None and self.f.events[q.event].type == "JointStatement"
                add((iri, DIP.attribution, DIP.JointAttribution if joint else DIP.Unattributed))
            self.fact(iri, q.text, q.confidence)

    def topics(self) -> None:
        for t in self.f.topics:
            concept = TOPIC[t.concept]
            self.add((self.a, DCTERMS.subject, concept))
            for s in t.spans:
                self.add((self.span(s), ITSRDF.taIdentRef, concept))

    def build(self) -> Graph:
        self.article()
        self.countries()
        self.persons()
        self.organizations()
        for place in self.f.places:
            self.place(place)
        self.event_list()
        self.agreements()
        self.quotes()
        self.topics()
        return self.g


def build_article_graph(findings: Findings, minter: Minter, gazetteer: gz.Gazetteer | None = None) -> Graph:
    """The article's triples only; store them in the named graph ``minter.article(findings.article.text)``."""
    return _Builder(findings, minter, gazetteer if gazetteer is not None else gz.load()).build()
