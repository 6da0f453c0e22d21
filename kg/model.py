"""The data that flows between the stages: Article (read) and Findings (extracted).

Every finding carries the Span(s) of the original text it came from; offsets index into
``Article.text`` exactly as read (after decoding only: CRLF and curly quotes are kept).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

DatePrecision = Literal["day", "month", "year"]
ActorKind = Literal["country", "person", "organization"]

EVENT_TYPES = (
    "Visit", "Meeting", "PhoneCall", "Summit", "AgreementSigning", "JointStatement", "Statement",
    "CooperationCommitment", "Sanction", "Protest",
)
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


@dataclass(slots=True)
class Organization:
    key: str                          # canonical name
    name: str
    acronym: str | None = None
    kind: Literal["international", "ministry", "agency", "company", "other"] = "other"
    country: str | None = None        # for ministries and national agencies
    wikidata: str | None = None
    spans: list[Span] = field(default_factory=list)


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
    span: Span                        # the trigger sentence or clause
    date: date | None = None
    date_precision: DatePrecision = "day"
    date_span: Span | None = None
    place: Place | None = None
    confidence: float = 1.0


@dataclass(slots=True)
class Agreement:
    kind: str                         # one of AGREEMENT_KINDS
    parties: list[str]                # ISO3 codes
    span: Span
    title: str | None = None          # a named instrument ("Washington Treaty")
    topic: str | None = None          # subject as written ("trade and investment")
    topics: list[str] = field(default_factory=list)  # topic concept ids
    signed_at: int | None = None      # index into Findings.events
    confidence: float = 1.0


@dataclass(slots=True)
class Quote:
    text: Span                        # the words inside the quotation marks
    speaker: str | None               # person key; None for a joint statement or unattributed
    speaker_kind: ActorKind = "person"
    event: int | None = None          # index into Findings.events
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
    main_event: int | None = None     # index into events of the main reported event
