"""Shared fixtures for tests/kg. Other helpers may add fixtures here (additively)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from kg import gazetteer as gz
from kg.iris import Minter
from kg.model import (
    Agreement, Article, Country, Event, Findings, Office, Organization, Participant, Person, Quote, Span, Topic,
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
