"""Extraction: an Article in, Findings out (every finding with the spans of text it came from)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from kg import gazetteer as gz
from kg.extract import topics as tp
from kg.extract.agreements import FoundAgreement, find_agreements
from kg.extract.events import SUMMARY_TYPES, EventFinder, FoundEvent
from kg.extract.lexicon import lexicon_for
from kg.extract.mentions import MentionFinder, Mentions, find_mentions
from kg.extract.quotes import FoundQuote, find_quotes
from kg.extract.text import Quotation, Sentence, blank, quotations, sentences
from kg.extract.titles import canonical
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


def extract(article: Article, gazetteer: gz.Gazetteer | None = None) -> Findings:
    gaz = gazetteer if gazetteer is not None else gz.load()
    text = article.text
    quotes = quotations(text, article.paragraphs)
    sents = sentences(article, quotes)
    mentions, finder = find_mentions(text, sents, lexicon_for(gaz), article.published)
    pair = main_pair(sents, mentions)
    event_finder = EventFinder(text, sents, mentions, quotes, article.published, pair)
    events = event_finder.run()
    agreements = find_agreements(text, sents, events)
    events += _declarations(events, agreements)
    said = find_quotes(text, sents, quotes, mentions)
    # No diplomatic news, no topics: a storm story is not about climate policy.
    reported = any(e.type in SUMMARY_TYPES for e in events) or bool(agreements)
    topic_hits = _topics(text, sents, quotes, mentions, finder, events, agreements, event_finder.background, gaz) \
        if reported else {}
    news_date = event_finder.news_date[0] if event_finder.news_date else None
    return _findings(article, mentions, finder, events, agreements, said, topic_hits, news_date)


def _declarations(events: list[FoundEvent], agreements: list[FoundAgreement]) -> list[FoundEvent]:
    """Signing a joint declaration is also making a joint statement: the same parties, speaking together."""
    if any(e.type == "JointStatement" for e in events):
        return []
    for a in agreements:
        signing = events[a.event]
        if a.kind == "JointDeclaration" and signing.type == "AgreementSigning":
            return [replace(signing, type="JointStatement", actors=[replace(x, role="speaker") for x in signing.actors],
                            spans=list(signing.spans), references=[])]
    return []


def main_pair(sents: list[Sentence], mentions: Mentions) -> list[str]:
    """The states the article is mostly about: headline and lead count more."""
    score: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, s in enumerate(sents):
        weight = 3 if s.paragraph < 0 else 2 if s.paragraph == 0 else 1
        for m in mentions.by_sentence[i]:
            if m.kind == "place" or not m.country:
                continue
            if m.kind == "org" and (org := mentions.orgs.get(m.ref)) is not None and org.kind == "international":
                continue
            score[m.country] += weight
            first_seen.setdefault(m.country, i * 10_000 + m.start)
    return sorted(score, key=lambda c: (-score[c], first_seen[c]))[:2]


def _topics(text: str, sents: list[Sentence], quotes: list[Quotation], mentions: Mentions, finder: MentionFinder,
            events: list[FoundEvent], agreements: list[FoundAgreement], background: set[int],
            gaz: gz.Gazetteer) -> dict[str, tp.TopicHit]:
    masked = [(m.start, m.stop) for lst in mentions.by_sentence for m in lst if m.kind in ("org", "person")]
    masked += [(t.begin, t.end) for i in range(len(sents)) for t in finder.titles(i)]
    for a in agreements:
        if a.title:
            at = text.find(a.title)
            if at >= 0:
                masked.append((at, at + len(a.title)))
    reporting = {i for e in events for i, s in enumerate(sents) for sp in e.spans if sp.begin == s.begin}
    quoted = [(q.open_mark, q.close_mark) for q in quotes]
    hits: dict[str, tp.TopicHit] = {}
    listing = False                                # list items under "What the treaty covers" say what it covers
    for i, s in enumerate(sents):
        unquoted = blank(s.text, s.begin, quoted)
        item = _LIST_ITEM.search(text, text.rfind("\n", 0, s.begin) + 1, s.begin + 8) is not None
        about = tp.is_about(unquoted) or listing and item
        listing = about and (not item or listing)
        weight = tp.sentence_weight(s.paragraph < 0, s.paragraph == 0, i in reporting, about, i in background)
        tp.weigh(text, s.tokens, weight, masked, hits, about)
        for m in mentions.by_sentence[i]:
            entry = gaz.organizations.get(m.ref) if m.kind == "org" else None
            for concept in entry.topics if entry is not None else ():
                hit = hits.setdefault(concept, tp.TopicHit(concept))
                hit.weight += weight / 2           # the body named stands for its field, half as much as a word
                hit.spans.append(Span.of(text, m.start, m.stop))
    return {h.concept: h for h in tp.kept(hits)}


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•–]|\d{1,2}[.)])[ \t]+", re.MULTILINE)


def _office(info, finder: MentionFinder, published) -> Office | None:  # type: ignore[no-untyped-def]
    if info.title is not None:
        label = info.title.label
        of = info.of if info.of_kind == "organization" else info.country
        return Office(canonical(label.removeprefix("Former ").removeprefix("former ")) if info.title.former else canonical(label),
                      info.of_kind if of else "country", of, published, info.title_span, label, info.title.former)
    if info.in_gazetteer:
        found = finder.gazetteer_office(info.key)
        if found is None:
            return None
        title, of, current = found
        kind = "country" if of in finder.gaz.countries else "organization"
        return Office(canonical(title), kind, of, published, None, title if current else f"Former {title}", not current)
    return None


def _findings(article: Article, mentions: Mentions, finder: MentionFinder, events: list[FoundEvent],
              agreements: list[FoundAgreement], said: list[FoundQuote], topic_hits: dict[str, tp.TopicHit],
              news_date: date | None) -> Findings:
    published = article.published
    persons = []
    for info in mentions.persons.values():
        office = _office(info, finder, published)
        persons.append(Person(info.key, info.name, info.country, office, info.wikidata, info.in_gazetteer,
                              _unique(info.spans)))
    orgs = [Organization(o.key, o.name, o.acronym, o.kind if o.kind in ("international", "ministry", "agency", "company")
                         else "other", o.country, o.wikidata, _unique(o.spans))
            for o in mentions.orgs.values()]
    places = [Place(p.name, p.country, p.geonames, p.wikidata, p.spans[0] if p.spans else None)
              for p in mentions.places.values()]
    countries = [Country(iso3, _unique(spans)) for iso3, spans in mentions.countries.items()]
    main_date = news_date or next((e.date for e in events if e.date is not None and e.type in SUMMARY_TYPES), None) \
        or next((e.date for e in events if e.date is not None), None)
    out_events = []
    for e in events:
        place = None
        if e.place is not None:
            info = mentions.places.get((e.place.ref, e.place.country))
            place = Place(e.place.ref, e.place.country, info.geonames if info else None, info.wikidata if info else None,
                          next((sp for sp in (info.spans if info else []) if sp.begin == e.place.start), None))
        participants = [Participant(a.kind, a.ref, a.role) for a in e.actors]
        date = e.date or main_date
        out_events.append(Event(e.type, participants, e.span, date, e.precision if e.date else "day",
                                e.date_span, place, e.confidence if e.date else min(e.confidence, 0.8)))
    out_agreements = [Agreement(a.kind, a.parties, a.span, a.title, a.subject, _subject_topics(a), a.event, a.confidence)
                      for a in agreements]
    quotes = []
    for q in said:
        event = _quote_event(q, events)
        quotes.append(Quote(Span.of(article.text, q.quote.begin, q.quote.end), q.speaker, "person", event,
                            1.0 if q.speaker or q.joint else 0.7))
    topics = [Topic(h.concept, h.spans) for h in topic_hits.values()]
    main = _main_event(events, article, news_date)
    return Findings(article, countries, persons, orgs, places, out_events, out_agreements, quotes, topics, main)


def _main_event(events: list[FoundEvent], article: Article, news_date: date | None) -> int | None:
    """The event the article reports: the first of the news date, else the first the lead reports, else the first."""
    reported = [(n, e) for n, e in enumerate(events) if e.type in SUMMARY_TYPES]
    for rule in (lambda e: news_date is not None and e.date == news_date,
                 lambda e: article.paragraphs and e.span.begin < article.paragraphs[0].end,
                 lambda e: True):
        hit = next((n for n, e in reported if rule(e)), None)
        if hit is not None:
            return hit
    return None


def _quote_event(q: FoundQuote, events: list[FoundEvent]) -> int | None:
    if q.joint or q.document:
        joint = next((n for n, e in enumerate(events) if e.type == "JointStatement"), None)
        if joint is not None or q.joint:
            return joint
    same = next((n for n, e in enumerate(events) if e.sentence == q.sentence), None)
    return same


def _subject_topics(a: FoundAgreement) -> list[str]:
    if not a.subject:
        return []
    hits: dict[str, tp.TopicHit] = {}
    tp.weigh_text(a.subject, tp.THRESHOLD, hits)
    return sorted(hits)


def _unique(spans):  # type: ignore[no-untyped-def]
    seen, out = set(), []
    for s in spans:
        if (s.begin, s.end) not in seen:
            seen.add((s.begin, s.end))
            out.append(s)
    return out
