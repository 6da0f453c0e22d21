"""Topics: words of the topic scheme (its labels and hidden labels) in the sentences that report the news.

A sentence counts by what it is: the headline most, then sentences that report a current event or say what
an agreement or the talks cover, then the rest of the body; background sentences do not count, intentions
count half. Titles, organization names and named instruments are not read for topics ("Defence Minister",
"Security Council"). A topic is kept when its weight reaches ``THRESHOLD``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from rdflib import Graph

from kg.config import ONTOLOGY_DIR
from kg.extract.doc import Doc, TopicHit
from kg.extract.text import Token, blank, tokenize
from kg.model import EVENT_TYPE_INFO, Span
from kg.namespaces import SKOS, TOPIC

THRESHOLD = 2.0
# What the agreements or the talks are about: "the agreements include ...", "it also covers ...", "the agenda".
_ABOUT = re.compile(r"\b(?:agenda|priorities|topics\s+(?:discussed|on\s+the\s+table))\b|"
                    r"\b(?:agreements?|accords?|pacts?|deals?|memorand\w+|texts|documents|treat(?:y|ies)|it|they|talks|"
                    r"discussions|under\s+the\s+\w+|(?:other|remaining)\s+\w+)\b[^.;]{0,40}\b(?:cover(?:s|ed)?|include[sd]?|focus(?:ed|es)?\s+on|"
                    r"range\s+from|provides?\s+for|establish(?:es)?|deal\s+with|concern(?:s|ed)?|centred\s+on|centered\s+on|"
                    r"will\s+give|commits?)\b", re.IGNORECASE)
# Ceremony, not subject matter: "military honours", "a military band".
CEREMONIAL = re.compile(r"\b(?:military\s+(?:honou?rs|band|parade)|guard\s+of\s+honou?r|honou?r\s+guard|red\s+carpet|"
                        r"national\s+anthems?|state\s+banquet|gun\s+salute)\b", re.IGNORECASE)
_INTENT = re.compile(r"\b(?:will|would|shall|readiness|plans?\s+to|intend|hope|expect|aim|ahead\s+of)\b", re.IGNORECASE)


@cache
def _keywords() -> tuple[dict[tuple[str, ...], str], int]:
    """Token-key phrases -> topic: every label of the scheme, and plurals of its last word."""
    g = Graph()
    g.parse(ONTOLOGY_DIR / "topics.ttl", format="turtle")
    table: dict[tuple[str, ...], str] = {}
    for concept in g.subjects(SKOS.inScheme, None):
        name = str(concept).removeprefix(str(TOPIC))
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in g.objects(concept, p):
                key = tuple(t.key for t in tokenize(str(label), 0, len(str(label))))
                for variant in (key, key[:-1] + (key[-1] + "s",), key[:-1] + (key[-1] + "es",)):
                    table.setdefault(variant, name)
    return table, max(len(k) for k in table)


def weigh(text: str, tokens: Sequence[Token], weight: float, masked: list[tuple[int, int]],
          hits: dict[str, TopicHit], about: bool = False) -> None:
    """Add ``weight`` to each topic whose words appear among ``tokens`` (of ``text``), outside ``masked``."""
    if weight <= 0 or not tokens:
        return
    table, longest = _keywords()
    begin, end = tokens[0].begin, tokens[-1].end
    if not about and _INTENT.search(text, begin, end):
        weight /= 2
    masked = masked + [(m.start(), m.end()) for m in CEREMONIAL.finditer(text, begin, end)]
    keys = [t.key for t in tokens]
    i, n = 0, len(tokens)
    while i < n:
        for j in range(min(n, i + longest), i, -1):
            concept = table.get(tuple(keys[i:j]))
            if concept is None:
                continue
            start, stop = tokens[i].begin, tokens[j - 1].end
            if not any(a <= start < b for a, b in masked):
                hit = hits.setdefault(concept, TopicHit(concept))
                hit.weight += weight
                hit.spans.append(Span.of(text, start, stop))
            i = j - 1
            break
        i += 1


def weigh_text(text: str, weight: float, hits: dict[str, TopicHit]) -> None:
    weigh(text, tokenize(text, 0, len(text)), weight, [], hits, about=True)


def is_about(unquoted: str) -> bool:
    return _ABOUT.search(unquoted) is not None


def sentence_weight(is_headline: bool, is_lead: bool, reports_event: bool, about: bool, background: bool) -> float:
    if background:
        return 0.0
    if is_headline:
        return 3.0
    if reports_event or about:
        return 2.0
    return 1.5 if is_lead else 1.0


def kept(hits: dict[str, TopicHit]) -> list[TopicHit]:
    return sorted((h for h in hits.values() if h.weight >= THRESHOLD), key=lambda h: -h.weight)


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•–]|\d{1,2}[.)])[ \t]+", re.MULTILINE)


def find_topics(doc: Doc) -> Doc:
    """The topic stage: only an article that reports diplomatic news has topics (a storm is not climate policy)."""
    reported = any(EVENT_TYPE_INFO[e.type].summary for e in doc.asserted()) or bool(doc.agreements)
    if not reported:
        return doc
    text, sents, mentions = doc.text, doc.sentences, doc.mentions
    masked = [(m.start, m.stop) for lst in mentions.by_sentence for m in lst if m.kind in ("org", "person")]
    masked += [(t.begin, t.end) for i in range(len(sents)) for t in doc.titles(i)]
    for a in doc.agreements:
        if a.title:
            at = text.find(a.title)
            if at >= 0:
                masked.append((at, at + len(a.title)))
    reporting = {e.sentence for e in doc.asserted()}
    background = {e.sentence for e in doc.events.values() if e.factuality == "background"} - reporting
    quoted = [(q.open_mark, q.close_mark) for q in doc.quotations]
    hits: dict[str, TopicHit] = {}
    listing = False                                # list items under "What the treaty covers" say what it covers
    for i, s in enumerate(sents):
        if s.paragraph == -2:
            continue
        unquoted = blank(s.text, s.begin, quoted)
        item = _LIST_ITEM.search(text, text.rfind("\n", 0, s.begin) + 1, s.begin + 8) is not None
        about = is_about(unquoted) or listing and item
        listing = about and (not item or listing)
        weight = sentence_weight(s.paragraph < 0, doc.from_lead(i) == 0, i in reporting, about, i in background)
        weigh(text, s.tokens, weight, masked, hits, about)
        for m in mentions.by_sentence[i]:
            entry = doc.gaz.organizations.get(m.ref) if m.kind == "org" else None
            for concept in entry.topics if entry is not None else ():
                hit = hits.setdefault(concept, TopicHit(concept))
                hit.weight += weight / 2           # the body named stands for its field, half as much as a word
                hit.spans.append(Span.of(text, m.start, m.stop))
    doc.topics = {h.concept: h for h in kept(hits)}
    return doc
