"""The data that flows between the stages: Article (read) and Findings (extracted).

Every finding carries the Span(s) of the original text it came from; offsets index into
``Article.text`` exactly as read (after decoding only: CRLF and curly quotes are kept).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from kg.config import DATA_DIR

DatePrecision = Literal["day", "month", "year"]
ActorKind = Literal["country", "person", "organization"]
Factuality = Literal["asserted", "planned", "background", "negated"]


@dataclass(frozen=True, slots=True)
class EventType:
    name: str                         # the ontology class: dip:<name>
    summary: bool                     # shown in the summary's events
    grain: Literal["country", "people"]   # what tells two reports of the type apart
    parties: int                      # the fewest distinct parties an event of the type names
    by_code: bool                     # reports under different CAMEO codes are different acts (summons, recall)
    preps: dict[str, str]             # role of an actor named after a preposition ("to" -> "host")


def _event_types() -> dict[str, EventType]:
    with (DATA_DIR / "event_types.tsv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {r["type"]: EventType(r["type"], r["summary"] == "yes", r["grain"], int(r["parties"]),  # type: ignore[arg-type]
                                     r["acts"] == "code", dict(p.split(":", 1) for p in r["preps"].split()))
                for r in rows}


EVENT_TYPE_INFO: dict[str, EventType] = _event_types()     # kg/data/event_types.tsv, the one list of event classes
EVENT_TYPES = tuple(EVENT_TYPE_INFO)
SUMMARY_EVENT_TYPES = tuple(t for t, info in EVENT_TYPE_INFO.items() if info.summary)
AGREEMENT_KINDS = ("MemorandumOfUnderstanding", "Treaty", "JointDeclaration", "Agreement")
ROLES = ("host", "guest", "participant", "signatory", "speaker", "caller", "callee", "sender", "target")


class ArticleError(ValueError):
    """The input cannot be read as an article (empty, binary, undecodable)."""


@dataclass(frozen=True, slots=True)
class Span:
    begin: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, begin: int, end: int) -> Span:
        return cls(begin, end, source[begin:end])


@dataclass(slots=True)
class Article:
    source: str                      # file path or a caller-given name
    text: str                        # the whole decoded input, offsets index into it
    format: Literal["seed", "markdown", "plain", "html", "json"] = "plain"
    headline: Span | None = None
    published: date | None = None
    published_at: datetime | None = None
    publisher: str | None = None
    author: str | None = None
    dateline: Span | None = None     # the place named in the dateline ("MOSCOW")
    lead_begin: int | None = None    # where the first paragraph's text starts after its dateline
    source_agency: str | None = None  # "Sputnik", "KUNA"
    language: str = "en"
    body: Span | None = None         # from the first paragraph after the header to the end
    paragraphs: list[Span] = field(default_factory=list)   # the story's paragraphs, page furniture left out
    captions: list[Span] = field(default_factory=list)     # photo captions: people and places, never events
    url: str | None = None           # where the article lives (canonical link, og:url, JSON url, a url header line)


@dataclass(slots=True)
class Country:
    iso3: str
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Office:
    title: str                        # canonical: "Prime Minister", "Foreign Minister", "White House Press Secretary"
    of_kind: ActorKind = "country"    # the office belongs to a country or an organization
    of: str | None = None             # ISO3 code or organization key
    as_of: date | None = None
    span: Span | None = None
    label: str | None = None          # as the text words it: "Minister of Foreign Affairs and International ..."
    former: bool = False              # "former president", "Petro's predecessor"


@dataclass(slots=True)
class Person:
    key: str                          # canonical full name, the IRI is minted from it
    name: str
    country: str | None = None        # ISO3 of the state the person acts for
    office: Office | None = None
    wikidata: str | None = None       # QID
    in_gazetteer: bool = False
    spans: list[Span] = field(default_factory=list)
    local: bool = False               # known to the article by one name only: an IRI of the article, not a global one


@dataclass(slots=True)
class Organization:
    key: str                          # canonical name
    name: str
    acronym: str | None = None
    kind: Literal["international", "ministry", "agency", "company", "other"] = "other"
    country: str | None = None        # for ministries and national agencies
    wikidata: str | None = None
    spans: list[Span] = field(default_factory=list)
    part_of: str | None = None        # the international body an organ belongs to (organization key)


@dataclass(slots=True)
class Place:
    name: str
    country: str | None = None
    geonames: str | None = None
    wikidata: str | None = None
    span: Span | None = None


@dataclass(slots=True)
class Participant:
    kind: ActorKind
    ref: str                          # ISO3, person key or organization key
    role: str = "participant"


@dataclass(slots=True)
class Event:
    type: str                         # one of EVENT_TYPES
    participants: list[Participant]
    span: Span                        # the clause that reports it
    date: date | None = None
    date_precision: DatePrecision = "day"
    date_span: Span | None = None
    place: Place | None = None
    confidence: float = 1.0
    id: str = ""                      # the extraction's id for it ("e3"), referenced by agreements and quotes
    factuality: Factuality = "asserted"   # only asserted events happened as reported; others are mentioned


@dataclass(slots=True)
class Agreement:
    kind: str                         # one of AGREEMENT_KINDS
    parties: list[str]                # ISO3 codes
    span: Span
    title: str | None = None          # a named instrument ("Washington Treaty")
    topic: str | None = None          # subject as written ("trade and investment")
    topics: list[str] = field(default_factory=list)  # topic concept ids
    signed_at: str | None = None      # id of the event in Findings.events
    confidence: float = 1.0


@dataclass(slots=True)
class Quote:
    text: Span                        # the words inside the quotation marks
    speaker: str | None               # person key; None for a joint statement or unattributed
    speaker_kind: ActorKind = "person"
    event: str | None = None          # id of the event in Findings.events
    confidence: float = 1.0


@dataclass(slots=True)
class Topic:
    concept: str                      # concept id in the topic scheme: "Defence"
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Findings:
    article: Article
    countries: list[Country] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    main_event: str | None = None     # id of the main reported event
