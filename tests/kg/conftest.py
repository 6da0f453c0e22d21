"""Shared fixtures for tests/kg. Other helpers may add fixtures here (additively)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from kg import gazetteer as gz
from kg.iris import Minter
from kg.model import (
    Agreement,
    Article,
    Country,
    Event,
    Findings,
    Office,
    Organization,
    Participant,
    Person,
    Quote,
    Span,
    Topic,
)

SEED = Path(__file__).resolve().parents[2] / "seeds" / "2022-04-23-india-uk-defence-cyber.txt"


def _span(text: str, needle: str, start: int = 0) -> Span:
    begin = text.index(needle, start)
    return Span.of(text, begin, begin + len(needle))


def _spans(text: str, needle: str) -> list[Span]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(Span.of(text, at, at + len(needle)))
        at = text.find(needle, at + len(needle))
    return out


def seed_findings_for(text: str) -> Findings:
    """What a perfect extractor finds in the seed article, built by hand (offsets located in ``text``)."""
    body_start = text.index("MOSCOW (")
    article = Article(
        source=str(SEED), text=text, format="seed",
        headline=_span(text, "India, UK Strengthening Cooperation In Defense, Cybersecurity - Modi"),
        published=date(2022, 4, 23), published_at=datetime(2022, 4, 23, 1, 10), publisher="UrduPoint.com",
        author="Sumaira FH", dateline=_span(text, "MOSCOW"), source_agency="Sputnik", language="en",
        body=Span.of(text, body_start, len(text)),
        paragraphs=[Span.of(text, body_start, text.index("\n", body_start))],
    )
    india = _spans(text[body_start:], "India")  # offsets relative to body: shift below
    india = [Span.of(text, s.begin + body_start, s.end + body_start) for s in india]
    countries = [
        Country("IND", [_span(text, "Indian", body_start), _span(text, "New Delhi"), *india]),
        Country("GBR", [_span(text, "London"), *_spans(text, "United Kingdom"),
                        _span(text, "UK Prime Minister")]),
    ]
    countries[1].spans[-1] = Span.of(text, countries[1].spans[-1].begin, countries[1].spans[-1].begin + 2)
    modi_office = Office("Prime Minister", "country", "IND", date(2022, 4, 23),
                         _span(text, "Indian Prime Minister", body_start))
    johnson_office = Office("Prime Minister", "country", "GBR", date(2022, 4, 23), _span(text, "UK Prime Minister"))
    persons = [
        Person("Narendra Modi", "Narendra Modi", "IND", modi_office, "Q1058", True,
               [_span(text, "Narendra Modi"), *_spans(text, "Modi said at")]),
        Person("Boris Johnson", "Boris Johnson", "GBR", johnson_office, "Q180589", True,
               [_span(text, "Boris Johnson")]),
    ]
    persons[0].spans[-1] = Span.of(text, persons[0].spans[-1].begin, persons[0].spans[-1].begin + 4)
    organizations = [
        Organization("UN", "United Nations", "UN", "international", None, "Q1065", [_span(text, "UN on")]),
        Organization("IND-MEA", "Ministry of External Affairs", None, "ministry", "IND", None,
                     [_span(text, "Ministry of External Affairs")]),
    ]
    organizations[0].spans[0] = Span.of(text, organizations[0].spans[0].begin, organizations[0].spans[0].begin + 2)
    visit = _span(text, "UK Prime Minister Boris Johnson arrived in India earlier in the day")
    talks = _span(text, "hold talks with Modi")
    signing = _span(text, "The prime ministers signed several governmental and non-governmental memorandums")
    joint = _span(text, "Modi and Johnson also made a joint statement on the enhanced cybersecurity partnership")
    friday = _span(text, "Friday")
    events = [
        Event("Visit", [Participant("country", "GBR", "guest"), Participant("country", "IND", "host")], visit,
              date(2022, 4, 22), "day", friday),
        Event("Meeting", [Participant("person", "Narendra Modi"), Participant("person", "Boris Johnson")], talks,
              date(2022, 4, 22), "day", friday),
        Event("AgreementSigning", [Participant("country", "IND", "signatory"),
                                   Participant("country", "GBR", "signatory")], signing, date(2022, 4, 22), "day"),
        Event("JointStatement", [Participant("country", "IND", "speaker"), Participant("country", "GBR", "speaker")],
              joint, date(2022, 4, 22), "day", confidence=0.9),
    ]
    agreements = [
        Agreement("MemorandumOfUnderstanding", ["IND", "GBR"], signing,
                  topic="governmental and non-governmental memorandums", signed_at=2, confidence=0.8),
        Agreement("JointDeclaration", ["IND", "GBR"], joint, topic="enhanced cybersecurity partnership",
                  topics=["Cybersecurity"], signed_at=3),
    ]
    q1 = _span(text, "We have also agreed to enhance cooperation in the defense sector. We welcome")
    q1 = Span.of(text, q1.begin, text.index('," Modi said'))
    q2_begin = text.index("India and the United Kingdom are committed")
    q2 = Span.of(text, q2_begin, text.index('," the statement read'))
    quotes = [Quote(q1, "Narendra Modi", event=1), Quote(q2, None, event=3)]
    topics = [
        Topic("Defence", [_span(text, "defense cooperation")]),
        Topic("Cybersecurity", [_span(text, "cybersecurity partnership")]),
        Topic("Technology", [_span(text, "information technologies")]),
    ]
    return Findings(article, countries, persons, organizations, [], events, agreements, quotes, topics, main_event=0)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def seed_findings(seed_text: str) -> Findings:
    return seed_findings_for(seed_text)


@pytest.fixture(scope="session")
def minter() -> Minter:
    return Minter()


COUNTRIES_CSV = """iso3,iso2,name,aliases,demonyms,capital,geonames,wikidata
IND,IN,India,Republic of India|Bharat,Indian,New Delhi,1269750,Q668
GBR,GB,United Kingdom,UK|Britain|Great Britain,British,London,2635167,Q145
RUS,RU,Russia,Russian Federation,Russian,Moscow,2017370,Q159
"""
OFFICES_CSV = """person,aliases,wikidata,office,of,start,end,source
Narendra Modi,Modi,Q1058,Prime Minister,IND,2014-05-26,,test
Boris Johnson,,Q180589,Prime Minister,GBR,2019-07-24,2022-09-06,test
Boris Johnson,,Q180589,Foreign Secretary,GBR,2016-07-13,2018-07-09,test
Antonio Guterres,António Guterres,Q311440,Secretary-General,UN,2017-01-01,,test
"""
ORGS_CSV = """key,name,acronym,aliases,kind,country,wikidata
UN,United Nations,UN,,international,,Q1065
IND-MEA,Ministry of External Affairs,MEA,,ministry,IND,
"""
PLACES_CSV = """name,aliases,country,geonames,wikidata,kind
Moscow,,RUS,524901,Q649,capital
New Delhi,,IND,1261481,Q987,capital
"""


@pytest.fixture(scope="session")
def small_gazetteer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gazetteer")
    for name, body in (("countries.csv", COUNTRIES_CSV), ("office_holders.csv", OFFICES_CSV),
                       ("organizations.csv", ORGS_CSV), ("places.csv", PLACES_CSV)):
        (d / name).write_text(body, encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def small_gazetteer(small_gazetteer_dir: Path) -> gz.Gazetteer:
    return gz.load_from(small_gazetteer_dir)


# --- Article graphs, validators and the hand-broken graphs of test_shapes / test_shacl ------------------

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from rdflib import Graph, URIRef  # noqa: E402

from kg.graph import build_article_graph  # noqa: E402
from kg.namespaces import DCTERMS, DIP, DIPSH, NIF, ORG, RDF, SCHEMA, SEM, SH, TOPIC  # noqa: E402
from kg.pipeline import Built, Worker  # noqa: E402
from kg.rdf import Triple, iri, literal, parse_literal, value_of  # noqa: E402
from kg.reference import shapes_graph  # noqa: E402
from kg.validate import Validator  # noqa: E402

ENGINES = ("fast", "pyshacl")


@pytest.fixture(scope="session")
def worker() -> Worker:
    """The ingest worker over the packaged gazetteer (its validator is the fast engine)."""
    return Worker("https://w3id.org/dipkg/")


@pytest.fixture(scope="session")
def seed_built(worker: Worker) -> Built:
    """The seed article read, extracted and built by the pipeline."""
    return worker.build(str(SEED))


@pytest.fixture(scope="session")
def worker_validators(worker: Worker) -> dict[str, Validator]:
    """Both engines over the packaged gazetteer, keyed by engine name."""
    return {"fast": worker.validator, "pyshacl": Validator(worker.minter, worker.gaz, engine="pyshacl")}


@pytest.fixture(scope="session")
def validators(minter: Minter, small_gazetteer: gz.Gazetteer) -> dict[str, Validator]:
    """Both engines over the small test gazetteer (the one the hand-built seed graph links into)."""
    return {engine: Validator(minter, small_gazetteer, engine=engine) for engine in ENGINES}  # type: ignore[arg-type]


@pytest.fixture()
def seed_graph(seed_findings: Findings, minter: Minter, small_gazetteer: gz.Gazetteer) -> list[Triple]:
    """The valid graph of the hand-built seed findings: the base every broken graph is made from."""
    return build_article_graph(seed_findings, minter, small_gazetteer)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The shapes graph (shapes/*.ttl)."""
    return shapes_graph()


@pytest.fixture(scope="session")
def shape_message(shapes: Graph) -> Callable[[URIRef], str]:
    """The sh:message the shapes file gives a shape (or its SPARQL constraint, for dipsh:SpanTextShape)."""
    def message_of(shape: URIRef) -> str:
        message = shapes.value(shape, SH.message) or shapes.value(shapes.value(shape, SH.sparql), SH.message)
        assert message is not None, f"{shape} has no sh:message in the shapes file"
        return str(message)
    return message_of


class Mutable:
    """An article graph being broken on purpose, with the handles a mutation needs.

    ``drop`` and ``set`` fail when nothing matches, so a mutation that no longer finds its triples (the
    graph builder changed) fails loudly instead of leaving a graph that still conforms.
    """

    def __init__(self, triples: list[Triple]) -> None:
        self.triples = list(triples)
        articles = [s for s, p, o in self.triples if p == iri(RDF.type) and o == iri(DIP.NewsArticle)]
        assert len(articles) == 1
        self.article = articles[0]
        self.text = next(value_of(o) for s, p, o in self.triples if s == self.article and p == iri(NIF.isString))

    def local(self, kind: str, n: int | str) -> str:
        """An article-local node: ``local("event", 1)`` is ``<article#event-1>``."""
        return f"{self.article[:-1]}#{kind}-{n}>"

    def span(self, needle: str) -> str:
        """The span node whose nif:anchorOf is ``needle``."""
        hits = [s for s, p, o in self.triples if p == iri(NIF.anchorOf) and value_of(o) == needle]
        assert hits, f"no span of {needle!r}"
        return hits[0]

    def match(self, s: str | None = None, p: str | None = None, o: str | None = None) -> list[Triple]:
        return [t for t in self.triples if (s is None or t[0] == s) and (p is None or t[1] == p)
                and (o is None or t[2] == o)]

    def drop(self, s: str | None = None, p: str | None = None, o: str | None = None) -> None:
        gone = set(self.match(s, p, o))
        assert gone, f"nothing to drop: {s} {p} {o}"
        self.triples = [t for t in self.triples if t not in gone]

    def set(self, s: str, p: str, o: str) -> None:
        """Replace every value of ``p`` on ``s`` by ``o``."""
        self.drop(s, p)
        self.triples.append((s, p, o))

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.append((s, p, o))

    def set_number(self, s: str, p: str, n: int | str) -> None:
        """Give ``p`` on ``s`` the value ``n``, keeping the datatype the builder used."""
        (_, _, old), = self.match(s, p)
        lit = parse_literal(old)
        assert lit is not None
        self.set(s, p, literal(n, lit.datatype[1:-1]))


@dataclass(frozen=True)
class Breakage:
    """A way to break a valid article graph, and the shape(s) whose violation must then be reported."""

    id: str
    mutate: Callable[[Mutable], str]   # breaks the graph in place; returns the node the violation is about
    shapes: tuple[URIRef, ...]


def _no_participants(g: Mutable) -> str:
    event = g.local("event", 1)
    g.drop(event, iri(SEM.hasActor))
    g.drop(event, iri(DIP.participation))
    return event


def _event_type_not_an_event_class(g: Mutable) -> str:
    event = g.local("event", 1)
    g.set(event, iri(RDF.type), iri(DIP.DiplomaticEvent))     # what the builder emits for an unknown type
    return event


def _unknown_country_without_iso(g: Mutable) -> str:
    """A country outside the reference data, described in the article graph without its ISO code."""
    country = iri(Minter().country("XKX"))                    # Kosovo: not in the test gazetteer
    g.add(g.article, iri(SCHEMA.mentions), country)
    g.add(country, iri(RDF.type), iri(DIP.Country))
    g.add(country, iri(SCHEMA.name), literal("Kosovo"))
    return country


def _quote_without_speaker(g: Mutable) -> str:
    quote = g.local("quote", 1)
    g.drop(quote, iri(DIP.speaker))
    assert not g.match(quote, iri(DIP.attribution))
    return quote


def _span_outside_text(g: Mutable) -> str:
    span = g.span("Friday")
    g.set_number(span, iri(NIF.beginIndex), len(g.text) + 1)
    g.set_number(span, iri(NIF.endIndex), len(g.text) + 7)
    return span


def _anchor_differs(g: Mutable) -> str:
    span = g.span("Friday")
    g.set(span, iri(NIF.anchorOf), literal("Monday"))          # same length, other text
    return span


def _begin_not_below_end(g: Mutable) -> str:
    span = g.span("Friday")
    (_, _, begin), = g.match(span, iri(NIF.beginIndex))
    (_, _, end), = g.match(span, iri(NIF.endIndex))
    g.set(span, iri(NIF.beginIndex), end)
    g.set(span, iri(NIF.endIndex), begin)
    return span


def _holding_without_organization(g: Mutable) -> str:
    holding = g.local("holding", 1)
    g.drop(holding, iri(ORG.organization))
    return holding


def _role_not_allowed(g: Mutable) -> str:
    participation = g.local("participation", "1-1")
    g.set(participation, iri(DIP.role), iri(DIP.ObserverRole))
    return participation


def _agreement_without_party(g: Mutable) -> str:
    agreement = g.local("agreement", 1)
    g.drop(agreement, iri(DIP.party))
    return agreement


def _topic_outside_scheme(g: Mutable) -> str:
    g.drop(g.article, iri(DCTERMS.subject), iri(TOPIC.Defence))
    g.add(g.article, iri(DCTERMS.subject), iri(TOPIC.Sport))
    return g.article


def _confidence_above_one(g: Mutable) -> str:
    event = g.local("event", 4)                                # the joint statement, confidence 0.9
    g.set_number(event, iri(DIP.confidence), "1.5")
    return event


def _set_article(p: URIRef, o: str | None) -> Callable[[Mutable], str]:
    def mutate(g: Mutable) -> str:
        if o is None:
            g.drop(g.article, iri(p))
        else:
            g.set(g.article, iri(p), o)
        return g.article
    return mutate


BREAKAGES: tuple[Breakage, ...] = (
    Breakage("missing_publication_date", _set_article(SCHEMA.datePublished, None),
             (DIPSH["NewsArticle-datePublished"],)),
    Breakage("publication_date_as_plain_string", _set_article(SCHEMA.datePublished, literal("2022-04-23")),
             (DIPSH["NewsArticle-datePublished"],)),
    Breakage("event_without_participants", _no_participants,
             (DIPSH["DiplomaticEvent-hasActor"], DIPSH["DiplomaticEvent-participation"])),
    Breakage("event_type_not_an_event_class", _event_type_not_an_event_class, (DIPSH["DiplomaticEvent-type"],)),
    Breakage("unknown_country_without_iso_alpha3", _unknown_country_without_iso, (DIPSH["Country-isoAlpha3"],)),
    Breakage("quote_without_speaker_or_attribution", _quote_without_speaker, (DIPSH.QuoteAttributionShape,)),
    Breakage("span_offsets_outside_the_text", _span_outside_text, (DIPSH.SpanTextShape,)),
    Breakage("span_anchor_differs_from_the_text", _anchor_differs, (DIPSH.SpanTextShape,)),
    Breakage("span_begin_not_below_end", _begin_not_below_end, (DIPSH["TextSpan-beginIndex"], DIPSH.SpanTextShape)),
    Breakage("office_holding_without_organization", _holding_without_organization,
             (DIPSH["OfficeHolding-organization"],)),
    Breakage("participation_role_not_allowed", _role_not_allowed, (DIPSH["Participation-role"],)),
    Breakage("agreement_without_party", _agreement_without_party, (DIPSH["Agreement-party"],)),
    Breakage("article_topic_outside_the_scheme", _topic_outside_scheme, (DIPSH["NewsArticle-subject"],)),
    Breakage("confidence_above_one", _confidence_above_one, (DIPSH["DiplomaticEvent-confidence"],)),
    Breakage("article_without_its_text", _set_article(NIF.isString, None), (DIPSH["NewsArticle-isString"],)),
)


@dataclass(frozen=True)
class BrokenGraph:
    breakage: Breakage
    article: str            # the article IRI (no brackets)
    triples: list[Triple]
    focus: str              # the node the expected violation is about (no brackets)


def break_graph(triples: list[Triple], breakage: Breakage) -> BrokenGraph:
    """A copy of ``triples`` with ``breakage`` applied (the input list is left alone)."""
    g = Mutable(triples)
    focus = breakage.mutate(g)
    assert g.triples != list(triples)
    return BrokenGraph(breakage, value_of(g.article), g.triples, value_of(focus))


@pytest.fixture(params=BREAKAGES, ids=[b.id for b in BREAKAGES])
def broken_graph(request: pytest.FixtureRequest, seed_graph: list[Triple]) -> BrokenGraph:
    """The hand-built seed graph broken in one specific way (one test per way)."""
    return break_graph(seed_graph, request.param)


@pytest.fixture(scope="session")
def breakages() -> tuple[Breakage, ...]:
    """Every way conftest breaks the seed graph (the ``broken_graph`` fixture yields one graph per way)."""
    return BREAKAGES
