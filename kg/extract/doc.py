"""The annotated document that flows through the extraction stages (kg.extract.STAGES).

Each stage takes the Doc and returns it with its own annotations added; no stage changes what an earlier
stage found. Events are frozen frames kept by id (``"e3"``); a later stage that revises one (its factuality,
a merge) puts a new frame under a new id and records which frames it came from.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kg import gazetteer as gz
from kg.extract.dates import DATE_CUES, DateMention, find_dates
from kg.extract.lexicon import Lexicon, Match
from kg.extract.text import Quotation, Sentence
from kg.extract.titles import Title, titles_in
from kg.model import Article, DatePrecision, Factuality, Span

FACTUALITY: tuple[Factuality, ...] = ("asserted", "planned", "background", "negated")
ClauseKind = Literal["main", "coordinate", "relative", "apposition", "parenthesis", "subordinate", "reported",
                     "participle"]


@dataclass(frozen=True, slots=True)
class Clause:
    begin: int                      # character offsets
    end: int
    sentence: int
    kind: ClauseKind
    marker: str = ""                # the word that opens it: "who", "after", "said", "and"
    parent: int | None = None       # index into Doc.clauses of the clause it belongs to


@dataclass(slots=True)
class Mention:
    start: int
    stop: int
    sentence: int
    kind: str                       # country | person | org | place
    ref: str                        # ISO3, person key, organization key, place name
    country: str | None = None
    form: str = "name"              # name | demonym | demonyms | capital | metonym | surname | title | pronoun


@dataclass(slots=True)
class PersonInfo:
    key: str
    name: str
    country: str | None = None
    title: Title | None = None
    title_span: Span | None = None
    of_kind: str = "country"
    of: str | None = None
    wikidata: str | None = None
    in_gazetteer: bool = False
    gender: str | None = None
    spans: list[Span] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)     # short forms the article's spellings allow: "zelensky"
    local: bool = False             # known by one name only: its IRI is the article's, never a global one


@dataclass(slots=True)
class OrgInfo:
    key: str
    name: str
    kind: str
    country: str | None = None
    acronym: str | None = None
    wikidata: str | None = None
    in_gazetteer: bool = False
    part_of: str | None = None      # the international body an organ belongs to
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class PlaceInfo:
    name: str
    country: str | None
    geonames: str | None = None
    wikidata: str | None = None
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Mentions:
    persons: dict[str, PersonInfo] = field(default_factory=dict)
    orgs: dict[str, OrgInfo] = field(default_factory=dict)
    places: dict[tuple[str, str | None], PlaceInfo] = field(default_factory=dict)
    countries: dict[str, list[Span]] = field(default_factory=dict)
    by_sentence: list[list[Mention]] = field(default_factory=list)

    def in_sentence(self, index: int, *kinds: str) -> list[Mention]:
        return [m for m in self.by_sentence[index] if not kinds or m.kind in kinds]


@dataclass(frozen=True, slots=True)
class NameRun:
    """Capitalised name tokens the mention stage could not make a person of on their own ("Berg", "Tomass")."""
    sentence: int
    start: int
    stop: int
    name: str


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str                       # event class
    rule: str                       # id of the lexicon row that matched
    begin: int
    end: int
    sentence: int
    kind: str                       # verb | noun
    strength: float
    subject: str                    # role of the argument before the trigger
    object: str                     # role of the argument after it
    preps: tuple[tuple[str, str], ...] = ()   # roles after prepositions that differ from the type's
    cameo: str = ""                 # the CAMEO code of the lexicon row


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str                       # country | person | organization
    ref: str
    country: str | None
    role: str = "participant"
    distance: int = 0               # tokens between the trigger and the mention that named the actor


@dataclass(frozen=True, slots=True)
class Frame:
    """An event as the text reports it: a trigger and its arguments inside one clause."""
    id: str
    type: str
    trigger: Trigger
    actors: tuple[Actor, ...]
    span: Span                      # the clause that reports it
    sentence: int
    date: date | None = None
    precision: DatePrecision = "day"
    date_span: Span | None = None
    place: Mention | None = None
    factuality: Factuality = "asserted"
    confidence: float = 1.0
    spans: tuple[Span, ...] = ()    # every clause that reports it (after merging)
    sources: tuple[str, ...] = ()   # ids of the frames it was made from
    inherited: bool = False         # participants taken from the article's main pair, not named here

    def countries(self) -> frozenset[str]:
        return frozenset(a.country for a in self.actors if a.country)

    def parties(self) -> frozenset[str]:
        return frozenset(a.country or a.ref for a in self.actors)

    def people(self) -> frozenset[str]:
        return frozenset(a.ref for a in self.actors if a.kind == "person")


@dataclass(frozen=True, slots=True)
class FoundAgreement:
    kind: str
    parties: tuple[str, ...]
    span: Span
    event: str                      # id of the signing or statement frame
    title: str | None = None
    subject: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class FoundQuote:
    quote: Quotation
    speaker: str | None             # person key
    joint: bool                     # from a joint statement
    sentence: int
    document: bool = False          # quoted from a statement, declaration or communiqué
    confidence: float = 1.0


@dataclass(slots=True)
class TopicHit:
    concept: str
    weight: float = 0.0
    spans: list[Span] = field(default_factory=list)
    words: dict[str, list[float]] = field(default_factory=dict)   # each word of the topic seen, and its weights


@dataclass(slots=True)
class Doc:
    article: Article
    gaz: gz.Gazetteer
    lexicon: Lexicon
    text: str = ""
    quotations: list[Quotation] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    captions: set[int] = field(default_factory=set)     # sentences that are photo captions
    matches: list[list[Match]] = field(default_factory=list)
    mentions: Mentions = field(default_factory=Mentions)
    runs: list[NameRun] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    events: dict[str, Frame] = field(default_factory=dict)
    news_date: tuple[date, DatePrecision, Span | None] | None = None
    main_pair: list[str] = field(default_factory=list)
    main_event: str | None = None
    agreements: list[FoundAgreement] = field(default_factory=list)
    quotes: list[FoundQuote] = field(default_factory=list)
    topics: dict[str, TopicHit] = field(default_factory=dict)
    clauses_of: dict[int, list[int]] = field(default_factory=dict)   # sentence -> its clauses, outermost first
    _titles: dict[int, list[Title]] = field(default_factory=dict)
    _dates: dict[int, list[DateMention]] = field(default_factory=dict)
    _begins: list[int] = field(default_factory=list)
    _opens: list[int] = field(default_factory=list)
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)   # what stages compute once per document
    _lead: tuple[int, int] = (-1, 0)                  # (triggers counted, the lead paragraph)
    _order: list[int] = field(default_factory=list)
    _next_id: int = 0

    def titles(self, i: int) -> list[Title]:
        """Every office title in sentence ``i`` (computed once)."""
        hit = self._titles.get(i)
        if hit is None:
            s = self.sentences[i]
            hit = self._titles[i] = titles_in(self.text, s.begin, s.end, s.tokens)
        return hit

    def dates(self, i: int) -> list[DateMention]:
        """Every date sentence ``i`` gives (computed once)."""
        hit = self._dates.get(i)
        if hit is None:
            s = self.sentences[i]
            cued = any(t.key in DATE_CUES or t.text[:1].isdigit() for t in s.tokens)
            hit = self._dates[i] = find_dates(self.text, s.begin, s.end, self.article.published) if cued else []
        return hit

    def new_id(self) -> str:
        self._next_id += 1
        return f"e{self._next_id}"

    def sentence_at(self, offset: int) -> int | None:
        """The sentence holding ``offset``; a closing quote mark right after a sentence's end counts as inside."""
        if len(self._begins) != len(self.sentences):
            self._order = sorted(range(len(self.sentences)), key=lambda i: self.sentences[i].begin)
            self._begins = [self.sentences[i].begin for i in self._order]
        at = bisect_right(self._begins, offset) - 1
        if at < 0:
            return None
        i = self._order[at]
        return i if offset <= self.sentences[i].end else None

    def clause_at(self, offset: int, sentence: int) -> int | None:
        """The innermost clause of ``sentence`` holding ``offset``."""
        best = None
        for k in self.clauses_of.get(sentence, ()):
            c = self.clauses[k]
            if c.begin <= offset < c.end:
                best = k                    # clauses are listed outermost first, so the last hit is innermost
        return best

    @property
    def lead(self) -> int:
        """The story's first paragraph: the first that reports an event (page furniture may come before it)."""
        if self._lead[0] != len(self.triggers):    # triggers are only ever appended: their count dates this
            self._lead = (len(self.triggers), min((self.sentences[t.sentence].paragraph for t in self.triggers
                                                   if self.sentences[t.sentence].paragraph >= 0), default=0))
        return self._lead[1]

    def from_lead(self, i: int) -> int:
        """How many paragraphs sentence ``i`` comes after the lead (negative for the headline and captions)."""
        p = self.sentences[i].paragraph
        return p if p < 0 else p - self.lead

    def asserted(self) -> list[Frame]:
        return [e for e in self.events.values() if e.factuality == "asserted"]

    def quoted(self, offset: int) -> bool:
        """Whether ``offset`` lies inside quotation marks."""
        if not self.quotations:
            return False
        if len(self._opens) != len(self.quotations):
            self._opens = [q.open_mark for q in self.quotations]   # quotations come sorted by their opening mark
        at = bisect_right(self._opens, offset) - 1
        # Quotations may nest; look back a little for one that still spans the offset.
        return any(self.quotations[k].close_mark >= offset for k in range(at, max(-1, at - 3), -1))
