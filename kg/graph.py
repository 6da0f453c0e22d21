"""Findings -> the article's RDF graph, with provenance down to text spans.

Triples are N-Triples term strings (kg.rdf), built directly: this runs hundreds of times a second.
Things described in the reference graph (gazetteer countries, persons, organizations, places) are only
linked here; everything else the article introduces is described here in full.
"""
from __future__ import annotations

from decimal import Decimal

import kg
from kg import gazetteer as gz
from kg.identity import article_key, iri_of_url
from kg.iris import Minter, slug, text_hash
from kg.model import EVENT_TYPES, Findings, Office, Participant, Place, Span
from kg.namespaces import DCTERMS, DIP, GEONAMES, ITSRDF, NIF, ORG, OWL, PROV, RDF, SCHEMA, SEM, TOPIC, WD, XSD
from kg.rdf import Triple, iri, literal


class _Terms:
    """A namespace whose attributes are N-Triples IRI terms: ``_DIP.Visit == "<...#Visit>"`` (cached)."""

    def __init__(self, namespace: object) -> None:
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        term = f"<{getattr(self._ns, name)}>"
        setattr(self, name, term)
        return term


_DIP, _NIF, _PROV, _SCHEMA, _ITSRDF, _RDF, _OWL, _DCTERMS, _ORG, _SEM = (
    _Terms(ns) for ns in (DIP, NIF, PROV, SCHEMA, ITSRDF, RDF, OWL, DCTERMS, ORG, SEM))
# Offsets and lengths are xsd:integer (with sh:minInclusive 0 in the shapes), not NIF's xsd:nonNegativeInteger:
# Oxigraph stores derived integer types as xsd:integer, and the stored graph must be the validated one.
NNI = str(XSD.integer)

EVENT_CLASSES: dict[str, str] = {name: iri(DIP[name]) for name in EVENT_TYPES}
FACTUALITY: dict[str, str] = {"asserted": iri(DIP.Asserted), "planned": iri(DIP.Planned),
                              "background": iri(DIP.Background), "negated": iri(DIP.Negated)}
AGREEMENT_CLASSES: dict[str, str] = {name: iri(DIP[name]) for name in (
    "MemorandumOfUnderstanding", "Treaty", "JointDeclaration", "Agreement")}
ROLES: dict[str, str] = {
    "host": iri(DIP.HostRole), "guest": iri(DIP.GuestRole), "participant": iri(DIP.ParticipantRoleGeneric),
    "signatory": iri(DIP.SignatoryRole), "speaker": iri(DIP.SpeakerRole), "caller": iri(DIP.CallerRole),
    "callee": iri(DIP.CalleeRole), "sender": iri(DIP.SenderRole), "target": iri(DIP.TargetRole),
}
PRECISION: dict[str, str] = {"day": iri(DIP.DayPrecision), "month": iri(DIP.MonthPrecision),
                             "year": iri(DIP.YearPrecision)}
ORG_CLASSES: dict[str, str] = {
    "international": iri(DIP.InternationalOrganization), "ministry": iri(DIP.Ministry),
    "agency": iri(DIP.GovernmentAgency), "company": iri(DIP.Company), "other": iri(DIP.Organization),
}


_REFERENCE_POSTS: dict[int, tuple[gz.Gazetteer, str, frozenset[str]]] = {}


def reference_posts(minter: Minter, gaz: gz.Gazetteer) -> frozenset[str]:
    """The IRI terms of the offices the reference graph describes (one per gazetteer office and holder)."""
    cached = _REFERENCE_POSTS.get(id(gaz))
    if cached is None or cached[0] is not gaz or cached[1] != minter.base:
        posts = frozenset(iri(minter.post(t.office, t.of)) for t in gaz.office_terms)
        cached = _REFERENCE_POSTS[id(gaz)] = (gaz, minter.base, posts)
    return cached[2]


def _confidence(value: float) -> str:
    return literal(Decimal(str(round(value, 3))))


def place_iri(minter: Minter, place: Place, gaz: gz.Gazetteer) -> tuple[str, bool]:
    """The place's IRI term and whether the reference graph describes it (gazetteer places)."""
    entry = find_place(gaz, place.name, place.country)
    if entry is not None:
        return iri(minter.place(entry.name, entry.country)), True
    return iri(minter.place(place.name, place.country)), False


def find_place(gaz: gz.Gazetteer, name: str, country: str | None = None) -> gz.PlaceEntry | None:
    return gaz.place(name, country)


class _Builder:
    def __init__(self, findings: Findings, minter: Minter, gaz: gz.Gazetteer, key: str | None = None) -> None:
        self.f = findings
        self.m = minter
        self.gaz = gaz
        self.triples: dict[Triple, None] = {}
        self.add = self._add
        text = findings.article.text
        self.text = text
        self.a = iri(minter.article(key if key is not None else article_key(findings.article)))
        self.activity = self.local("extraction", 1)
        self.spans: set[int] = set()
        self.person_iris: dict[str, str] = {p.key: self.local("person", slug(p.key)) if p.local
                                            else iri(minter.person(p.key)) for p in findings.persons}
        self.events: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------------------

    def _add(self, triple: Triple) -> None:
        self.triples[triple] = None

    def local(self, kind: str, n: int | str) -> str:
        """A thing that exists only within this article: ``<article#event-3>``."""
        return f"{self.a[:-1]}#{kind}-{n}>"

    def span(self, s: Span) -> str:
        node = self.local("span", f"{s.begin}-{s.end}")
        key = s.begin * 1_000_003 + s.end
        if key not in self.spans:
            self.spans.add(key)
            add, a = self.add, self.a
            add((node, _NIF.referenceContext, a))
            add((node, _NIF.beginIndex, literal(s.begin, NNI)))
            add((node, _NIF.endIndex, literal(s.end, NNI)))
            add((node, _NIF.anchorOf, literal(s.text)))
        return node

    def fact(self, node: str, span: Span | None, confidence: float = 1.0) -> None:
        add = self.add
        add((node, _PROV.wasDerivedFrom, self.a))
        if span is not None:
            add((node, _DIP.evidence, self.span(span)))
        if confidence < 1.0:
            add((node, _DIP.confidence, _confidence(confidence)))

    def mention(self, entity: str, spans: list[Span]) -> None:
        """The article mentions ``entity``; the evidence is its first mention and its fullest one.

        Not every repetition: a span is five triples, and "Modi ... Modi ... Modi" adds nothing a reader of
        the graph needs (the text itself is in the graph for those who want every occurrence).
        """
        self.add((self.a, _SCHEMA.mentions, entity))
        if not spans:
            return
        first = min(spans, key=lambda s: s.begin)
        fullest = max(spans, key=lambda s: (len(s.text), -s.begin))
        for s in {first, fullest}:
            self.add((self.span(s), _ITSRDF.taIdentRef, entity))

    def actor(self, kind: str, ref: str) -> str:
        if kind == "country":
            return self.country(ref)
        if kind == "person":
            return self.person_iris.get(ref) or iri(self.m.person(ref))
        return iri(self.m.organization(ref))

    def country(self, iso3: str) -> str:
        node = iri(self.m.country(iso3))
        if iso3 not in self.gaz.countries:
            # Not in the reference data: say here what the shapes need to know about it.
            self.add((node, _RDF.type, _DIP.Country))
            self.add((node, _DIP.isoAlpha3, literal(iso3.upper())))
        return node

    def place(self, place: Place) -> str:
        node, known = place_iri(self.m, place, self.gaz)
        if not known:
            add = self.add
            add((node, _RDF.type, _DIP.Place))
            add((node, _SCHEMA.name, literal(place.name)))
            if place.country:
                add((node, _DIP.inCountry, self.country(place.country)))
            if place.geonames:
                add((node, _OWL.sameAs, iri(f"{GEONAMES}{place.geonames}/")))
            if place.wikidata:
                add((node, _OWL.sameAs, iri(WD[place.wikidata])))
        self.mention(node, [place.span] if place.span else [])
        return node

    # -- parts -----------------------------------------------------------------------------------

    def article(self) -> None:
        art, a, add = self.f.article, self.a, self.add
        add((a, _RDF.type, _DIP.NewsArticle))
        add((a, _RDF.type, _NIF.Context))
        add((a, _NIF.isString, literal(self.text)))
        add((a, _DIP.textSha256, literal(text_hash(self.text))))
        add((a, _DIP.textLength, literal(len(self.text), NNI)))
        add((a, _SCHEMA.inLanguage, literal(art.language)))
        add((a, _PROV.wasGeneratedBy, self.activity))
        if art.url:
            add((a, _SCHEMA.url, iri(iri_of_url(art.url))))
        if art.source:
            add((a, _DIP.readFrom, literal(art.source)))
        if art.headline is not None:
            add((a, _SCHEMA.headline, literal(art.headline.text)))
        if art.published is not None:
            add((a, _SCHEMA.datePublished, literal(art.published)))
        if art.published_at is not None:
            add((a, _DCTERMS.issued, literal(art.published_at)))
        if art.publisher:
            outlet = iri(self.m.organization(art.publisher))
            add((a, _SCHEMA.publisher, outlet))
            add((outlet, _RDF.type, _DIP.NewsOutlet))
            add((outlet, _SCHEMA.name, literal(art.publisher)))
        if art.author:
            add((a, _DIP.byline, literal(art.author)))
        if art.source_agency:
            add((a, _DIP.sourceAgency, literal(art.source_agency)))
        if art.dateline is not None:
            name = art.dateline.text.strip().title()
            add((a, _DIP.datelinePlace, self.place(Place(name, span=art.dateline))))
        act = self.activity
        agent = iri(self.m.software(kg.EXTRACTOR_NAME))
        add((act, _RDF.type, _DIP.Extraction))
        add((act, _PROV.used, a))
        add((act, _PROV.wasAssociatedWith, agent))
        add((act, _DIP.extractorName, literal(kg.EXTRACTOR_NAME)))
        add((act, _DIP.extractorVersion, literal(kg.__version__)))

    def countries(self) -> None:
        for c in self.f.countries:
            self.mention(self.country(c.iso3), c.spans)

    def persons(self) -> None:
        add = self.add
        for n, p in enumerate(self.f.persons, 1):
            node = self.person_iris[p.key]
            if not p.in_gazetteer:
                add((node, _RDF.type, _DIP.Person))
                add((node, _SCHEMA.name, literal(p.name)))
                if p.wikidata:
                    add((node, _OWL.sameAs, iri(WD[p.wikidata])))
            if p.country:
                add((node, _DIP.actsFor, self.country(p.country)))
            self.mention(node, p.spans)
            if p.office is not None:
                self.holding(n, node, p.office)

    def holding(self, n: int, person: str, office: Office) -> None:
        add, m = self.add, self.m
        label = office.label or office.title
        if not office.of:
            # An office the text names without saying whose it is: keep the title, claim no membership.
            add((person, _SCHEMA.jobTitle, literal(label)))
            return
        h = self.local("holding", n)
        add((h, _RDF.type, _DIP.OfficeHolding))
        add((h, _ORG.member, person))
        add((h, _DIP.roleLabel, literal(label)))
        as_of = office.as_of or self.f.article.published
        if as_of is not None and not office.former:
            add((h, _DIP.asOf, literal(as_of)))
        of = self.country(office.of) if office.of_kind == "country" else iri(m.organization(office.of))
        add((h, _ORG.organization, of))
        post = iri(m.post(office.title, office.of))
        add((h, _DIP.post, post))
        # Posts of gazetteer offices are described in the reference graph (saying it again here would put the
        # same triples in two graphs); an article may name others.
        if post not in reference_posts(m, self.gaz):
            add((post, _RDF.type, _DIP.Post))
            add((post, _DIP.officeTitle, literal(office.title)))
            add((post, _ORG.postIn, of))
        self.fact(h, office.span)

    def organizations(self) -> None:
        add = self.add
        for o in self.f.organizations:
            node = iri(self.m.organization(o.key))
            if o.key not in self.gaz.organizations:
                add((node, _RDF.type, ORG_CLASSES.get(o.kind, _DIP.Organization)))
                add((node, _SCHEMA.name, literal(o.name)))
                if o.acronym:
                    add((node, _DIP.acronym, literal(o.acronym)))
                if o.country:
                    add((node, _DIP.inCountry, self.country(o.country)))
                if o.wikidata:
                    add((node, _OWL.sameAs, iri(WD[o.wikidata])))
                if o.part_of:
                    add((node, _ORG.subOrganizationOf, iri(self.m.organization(o.part_of))))
            self.mention(node, o.spans)

    def event_list(self) -> None:
        add, a = self.add, self.a
        for n, e in enumerate(self.f.events, 1):
            # IRIs numbered in the article's order (#event-1, ...); the findings refer to events by id.
            key = e.id or str(n)
            node = self.local("event", n)
            kind = EVENT_CLASSES.get(e.type, _DIP.DiplomaticEvent)
            add((node, _DIP.factuality, FACTUALITY[e.factuality]))
            if e.factuality != "asserted":
                # Named but not reported as having happened: never typed as the event it names.
                add((node, _RDF.type, _DIP.EventMention))
                add((node, _DIP.mentionedType, kind))
                for p in e.participants:
                    add((node, _DIP.mentionsActor, self.actor(p.kind, p.ref)))
                self.fact(node, e.span, e.confidence)
                continue
            add((node, _RDF.type, kind))
            self.events[key] = node
            for k, p in enumerate(e.participants, 1):
                self.participation(node, f"{n}-{k}", p)
            if e.date is not None:
                add((node, _DIP.eventDate, literal(e.date)))
                add((node, _DIP.datePrecision, PRECISION.get(e.date_precision, _DIP.DayPrecision)))
                if e.date_span is not None:
                    add((node, _DIP.dateEvidence, self.span(e.date_span)))
            if e.place is not None:
                add((node, _SEM.hasPlace, self.place(e.place)))
            self.fact(node, e.span, e.confidence)
        if self.f.main_event is not None and self.f.main_event in self.events:
            add((a, _DIP.mainEvent, self.events[self.f.main_event]))

    def participation(self, event: str, key: str, p: Participant) -> None:
        add = self.add
        actor = self.actor(p.kind, p.ref)
        node = self.local("participation", key)
        add((event, _SEM.hasActor, actor))
        add((event, _DIP.participation, node))
        add((node, _RDF.type, _DIP.Participation))
        add((node, _DIP.participant, actor))
        add((node, _DIP.role, ROLES.get(p.role, _DIP.ParticipantRoleGeneric)))

    def agreements(self) -> None:
        add = self.add
        for n, ag in enumerate(self.f.agreements, 1):
            node = self.local("agreement", n)
            add((node, _RDF.type, AGREEMENT_CLASSES.get(ag.kind, _DIP.Agreement)))
            for party in ag.parties:
                add((node, _DIP.party, self.country(party)))
            if ag.title:
                add((node, _SCHEMA.name, literal(ag.title)))
            if ag.topic:
                add((node, _DIP.subjectText, literal(ag.topic)))
            for t in ag.topics:
                add((node, _DCTERMS.subject, iri(TOPIC[t])))
            if ag.signed_at is not None and ag.signed_at in self.events:
                add((node, _DIP.signedAt, self.events[ag.signed_at]))
            self.fact(node, ag.span, ag.confidence)

    def quotes(self) -> None:
        add = self.add
        for n, q in enumerate(self.f.quotes, 1):
            node = self.local("quote", n)
            add((node, _RDF.type, _DIP.Quote))
            add((node, _DIP.quoteText, literal(q.text.text)))
            event = self.events.get(q.event) if q.event is not None else None
            if event is not None:
                add((node, _DIP.inEvent, event))
            if q.speaker:
                add((node, _DIP.speaker, self.actor(q.speaker_kind, q.speaker)))
            else:
                joint = event is not None and any(e.id == q.event and e.type == "JointStatement" for e in self.f.events)
                add((node, _DIP.attribution, _DIP.JointAttribution if joint else _DIP.Unattributed))
            self.fact(node, q.text, q.confidence)

    def topics(self) -> None:
        for t in self.f.topics:
            concept = iri(TOPIC[t.concept])
            self.add((self.a, _DCTERMS.subject, concept))
            for s in sorted(t.spans, key=lambda s: s.begin)[:2]:
                self.add((self.span(s), _ITSRDF.taIdentRef, concept))

    def build(self) -> list[Triple]:
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
        return list(self.triples)


def build_article_graph(findings: Findings, minter: Minter, gazetteer: gz.Gazetteer | None = None,
                        key: str | None = None) -> list[Triple]:
    """The article's triples only; store them in the named graph ``minter.article(key)``, the key by default
    ``kg.identity.article_key(findings.article)``."""
    return _Builder(findings, minter, gazetteer if gazetteer is not None else gz.load(), key).build()
