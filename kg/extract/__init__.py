"""Extraction: an Article in, Findings out, every finding with the spans of text it came from.

One document (kg.extract.doc.Doc) passes through the stages in STAGES, each adding its annotations: sentences and
quotations, mentions, identities, triggers, clauses, event frames, factuality, occasions, agreements, quotes,
topics and confidence. ``findings()`` turns the annotated document into the model the graph is built from,
publishing only facts whose confidence reaches the threshold.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from kg import gazetteer as gz
from kg.config import Settings
from kg.extract import topics as tp
from kg.extract.agreements import find_agreements
from kg.extract.clauses import find_clauses
from kg.extract.confidence import score_confidence
from kg.extract.doc import Doc, Frame
from kg.extract.factuality import assign_factuality
from kg.extract.frames import build_frames
from kg.extract.identity import resolve_identity
from kg.extract.lexicon import lexicon_for
from kg.extract.mentions import find_mentions, office_term
from kg.extract.occasions import merge_occasions
from kg.extract.quotes import attribute_quotes
from kg.extract.text import quotations, sentences
from kg.extract.titles import canonical
from kg.extract.triggers import find_triggers
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
    Place,
    Quote,
    Span,
    Topic,
)

Stage = Callable[[Doc], Doc]
_ORG_KINDS = frozenset({"international", "ministry", "agency", "company"})


def segment(doc: Doc) -> Doc:
    doc.text = doc.article.text
    doc.quotations = quotations(doc.text, doc.article.paragraphs)
    doc.sentences = sentences(doc.article, doc.quotations)
    return doc


STAGES: tuple[Stage, ...] = (segment, find_mentions, resolve_identity, find_triggers, find_clauses, build_frames,
                             assign_factuality, merge_occasions, find_agreements, attribute_quotes, tp.find_topics,
                             score_confidence)


def annotate(article: Article, gazetteer: gz.Gazetteer | None = None) -> Doc:
    gaz = gazetteer if gazetteer is not None else gz.load()
    doc = Doc(article, gaz, lexicon_for(gaz))
    for stage in STAGES:
        doc = stage(doc)
    return doc


def extract(article: Article, gazetteer: gz.Gazetteer | None = None, min_confidence: float | None = None) -> Findings:
    """The article's findings; facts less sure than ``min_confidence`` (by default KG_MIN_CONFIDENCE) are left out."""
    threshold = _min_confidence() if min_confidence is None else min_confidence
    return findings(annotate(article, gazetteer), threshold)


@cache
def _min_confidence() -> float:
    return Settings().min_confidence


# -- the annotated document as findings ----------------------------------------------------------

def findings(doc: Doc, min_confidence: float = 0.0) -> Findings:
    article = doc.article
    # Earlier occasions stay out of the graph: what the article recalls in passing is not extracted with the care
    # its news is (roles, dates), and precision comes first. Plans and denials are kept, marked as such.
    events = [e for e in doc.events.values() if e.confidence >= min_confidence and e.factuality != "background"]
    ids = {e.id for e in events}
    persons = [_person(doc, info) for info in doc.mentions.persons.values()]
    orgs = [Organization(o.key, o.name, o.acronym, o.kind if o.kind in _ORG_KINDS else "other", o.country, o.wikidata,
                         _unique(o.spans), o.part_of)
            for o in doc.mentions.orgs.values()]
    places = [Place(p.name, p.country, p.geonames, p.wikidata, p.spans[0] if p.spans else None)
              for p in doc.mentions.places.values()]
    countries = [Country(iso3, _unique(spans)) for iso3, spans in doc.mentions.countries.items()]
    news = doc.news_date[0] if doc.news_date else None
    main_date = news or next((e.date for e in events if e.date is not None and e.factuality == "asserted"), None)
    out_events = [_event(doc, e, main_date) for e in events]
    agreements = [Agreement(a.kind, list(a.parties), a.span, a.title, a.subject, _subject_topics(a.subject),
                            a.event if a.event in ids else None, a.confidence)
                  for a in doc.agreements if a.confidence >= min_confidence and a.event in ids]
    quotes = [Quote(Span.of(article.text, q.quote.begin, q.quote.end), q.speaker, "person", _quote_event(doc, q, ids),
                    q.confidence) for q in doc.quotes if q.confidence >= min_confidence]
    topics = [Topic(h.concept, h.spans) for h in doc.topics.values()]
    main = doc.main_event if doc.main_event in ids else None
    return Findings(article, countries, persons, orgs, places, out_events, agreements, quotes, topics, main)


def _person(doc: Doc, info) -> Person:  # type: ignore[no-untyped-def]
    return Person(info.key, info.name, info.country, _office(doc, info), info.wikidata, info.in_gazetteer,
                  _unique(info.spans), info.local)


def _office(doc: Doc, info) -> Office | None:  # type: ignore[no-untyped-def]
    published = doc.article.published
    if info.title is not None:
        label = info.title.label
        of = info.of if info.of_kind == "organization" else info.country
        title = canonical(label.removeprefix("Former ").removeprefix("former ") if info.title.former else label)
        kind = info.of_kind if of else "country"
        return Office(title, kind, of, published, info.title_span, label, info.title.former)
    if info.in_gazetteer:
        term = office_term(doc, info.key)
        if term is None:
            return None
        current = published is None or term.holds_on(published)
        title = term.title or term.office
        kind = "country" if term.of in doc.gaz.countries else "organization"
        return Office(canonical(title), kind, term.of, published, None, title if current else f"Former {title}",
                      not current)
    return None


def _event(doc: Doc, e: Frame, main_date) -> Event:  # type: ignore[no-untyped-def]
    place = None
    if e.place is not None:
        info = doc.mentions.places.get((e.place.ref, e.place.country))
        place = Place(e.place.ref, e.place.country, info.geonames if info else None, info.wikidata if info else None,
                      next((sp for sp in (info.spans if info else []) if sp.begin == e.place.start), None))
    participants = [Participant(a.kind, a.ref, a.role) for a in e.actors]
    when = e.date or (main_date if e.factuality == "asserted" else None)
    return Event(e.type, participants, e.span, when, e.precision if e.date else "day", e.date_span, place,
                 e.confidence, e.id, e.factuality)


def _quote_event(doc: Doc, q, ids: set[str]) -> str | None:  # type: ignore[no-untyped-def]
    asserted = [e for e in doc.asserted() if e.id in ids]
    if q.joint or q.document:
        joint = next((e.id for e in asserted if e.type == "JointStatement"), None)
        if joint is not None or q.joint:
            return joint
    return next((e.id for e in asserted if e.sentence == q.sentence), None)


def _subject_topics(subject: str | None) -> list[str]:
    if not subject:
        return []
    hits: dict[str, tp.TopicHit] = {}
    tp.weigh_text(subject, tp.THRESHOLD, hits)
    return sorted(hits)


def _unique(spans: list[Span]) -> list[Span]:
    seen, out = set(), []
    for s in spans:
        if (s.begin, s.end) not in seen:
            seen.add((s.begin, s.end))
            out.append(s)
    return out
