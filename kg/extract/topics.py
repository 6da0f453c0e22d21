"""Topics: the fields the reported news is about, as words of the topic scheme (its labels and hidden labels).

A word counts by where it stands. What an event is about ("talks on energy", "agreements on defence and health"),
what its documents or talks are said to cover ("the memorandums cover ...", "the agenda included ..."), and the
headline count fully; the rest of a sentence that reports an event, and the lead, count half; other story
sentences a quarter; background sentences and photo captions not at all. Titles, organization names, named
instruments, ceremony ("military honours") and figures of speech about relations ("the health of the
relationship") are not read for topics. A topic is kept when its weight reaches ``THRESHOLD``; an article that
reports no diplomatic event or agreement has none (a storm is not climate policy).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from rdflib import Graph

from kg.config import ONTOLOGY_DIR
from kg.extract import patterns
from kg.extract.doc import Doc, Frame, TopicHit
from kg.extract.text import CAPTION, HEADLINE, Cover, Token, tokenize
from kg.model import EVENT_TYPE_INFO, Span
from kg.namespaces import SKOS, TOPIC

THRESHOLD = 2.0
REPEATS = 2                 # occurrences of one word that count towards a topic
FULL, HALF, QUARTER = 2.0, 1.0, 0.5
_I = re.IGNORECASE
# Ceremony and other compounds that are not subject matter: "military honours", "a military band", "water cannon".
CEREMONIAL = re.compile(r"(?:military\s+(?:honou?rs|band|parade)|guard\s+of\s+honou?r|honou?r\s+guard|red\s+carpet|"
                        r"national\s+anthems?|state\s+(?:banquet|dinner)|gun\s+salute|water\s+cannons?)\b", _I)
# A field word used of relations themselves: "the health of bilateral relations", "the economy of the partnership".
FIGURATIVE = re.compile(r"\w+\s+of\s+(?:the\s+)?(?:bilateral\s+|two\s+countries'\s+|their\s+)?(?:relations|ties|"
                        r"relationship|partnership|friendship|dialogue)\b", _I)


@cache
def _keywords() -> tuple[dict[tuple[str, ...], str], int, dict[str, int]]:
    """Token-key phrases -> topic: every label of the scheme, and plurals of its last word; and the longest phrase
    each first word starts."""
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
    first: dict[str, int] = {}
    for k in table:
        first[k[0]] = max(first.get(k[0], 0), len(k))
    return table, max(len(k) for k in table), first


def _count(hit: TopicHit, word: str, weight: float) -> None:
    """A word said again adds less: a name that repeats it ("the border police") is not a field. Only a word's
    REPEATS heaviest weights count, so only those are kept."""
    seen = hit.words.setdefault(word, [])
    seen.append(weight)
    seen.sort(reverse=True)
    del seen[REPEATS:]
    hit.weight = sum(sum(ws) for ws in hit.words.values())


def weigh(text: str, tokens: Sequence[Token], weight: float, masked: Cover,
          hits: dict[str, TopicHit], about: Cover | None = None) -> None:
    """Add ``weight`` to each topic whose words appear among ``tokens`` (of ``text``) outside ``masked``; words
    inside ``about`` spans count ``FULL``."""
    if not tokens:
        return
    table, _, first = _keywords()
    keys = [t.key for t in tokens]
    i, n = 0, len(tokens)
    while i < n:
        longest = first.get(keys[i])
        if longest is None:
            i += 1
            continue
        for j in range(min(n, i + longest), i, -1):
            concept = table.get(tuple(keys[i:j]))
            if concept is None:
                continue
            start, stop = tokens[i].begin, tokens[j - 1].end
            w = FULL if about is not None and start in about else weight
            if w > 0 and start not in masked and not CEREMONIAL.match(text, start) \
                    and not FIGURATIVE.match(text, start):
                hit = hits.setdefault(concept, TopicHit(concept))
                _count(hit, " ".join(keys[i:j]), w)
                hit.spans.append(Span.of(text, start, stop))
            i = j - 1
            break
        i += 1


def weigh_text(text: str, weight: float, hits: dict[str, TopicHit]) -> None:
    weigh(text, tokenize(text, 0, len(text)), weight, Cover(), hits)


def kept(hits: dict[str, TopicHit]) -> list[TopicHit]:
    return sorted((h for h in hits.values() if h.weight >= THRESHOLD), key=lambda h: -h.weight)


def find_topics(doc: Doc) -> Doc:
    """The topic stage."""
    asserted = [e for e in doc.asserted() if EVENT_TYPE_INFO[e.type].summary]
    if not asserted and not doc.agreements:
        return doc
    text, sents = doc.text, doc.sentences
    masked = Cover(_masked(doc))
    about = Cover(_subject_matter(doc, asserted))
    reporting = {e.sentence for e in asserted} | {doc.sentence_at(sp.begin) for e in asserted for sp in e.spans}
    background = {e.sentence for e in doc.events.values() if e.factuality != "asserted"} - reporting
    hits: dict[str, TopicHit] = {}
    listing = False                                # the items of a list under "The documents include:"
    for i, s in enumerate(sents):
        if s.paragraph == CAPTION:
            continue
        item = patterns.LIST_ITEM.search(text, text.rfind("\n", 0, s.begin) + 1, s.begin + 8) is not None
        covers = _COVERS.search(text, s.begin, s.end) \
            if i not in background and any(t.key.startswith(_COVERS_WORDS) for t in s.tokens) else None
        if listing and item:
            about.add(s.begin, s.end)
        listing = covers is not None or s.text.rstrip().endswith(":") or listing and item
        if covers is not None:
            about.add(covers.start(), s.end)
        weight = _weight(doc, i, reporting, background)
        weigh(text, s.tokens, weight, masked, hits, about)
        for m in doc.mentions.in_sentence(i, "org"):
            entry = doc.gaz.organizations.get(m.ref)
            for concept in entry.topics if entry is not None else ():
                hit = hits.setdefault(concept, TopicHit(concept))
                _count(hit, m.ref, weight)          # a body named stands for its field (NATO: defence)
                hit.spans.append(Span.of(text, m.start, m.stop))
    doc.topics = {h.concept: h for h in kept(hits)}
    return doc


def _weight(doc: Doc, i: int, reporting: set[int | None], background: set[int]) -> float:
    s = doc.sentences[i]
    if i in background:
        return 0.0
    if s.paragraph == HEADLINE:
        return FULL
    if i in reporting or doc.from_lead(i) == 0:
        return HALF
    return QUARTER


def _masked(doc: Doc) -> list[tuple[int, int]]:
    text = doc.text
    masked = [(m.start, m.stop) for lst in doc.mentions.by_sentence for m in lst if m.kind in ("org", "person")]
    masked += [(t.begin, t.end) for i in range(len(doc.sentences)) for t in doc.titles(i)]
    for a in doc.agreements:
        if a.title:
            at = text.find(a.title)
            if at >= 0:
                masked.append((at, at + len(a.title)))
    return masked


def _subject_matter(doc: Doc, events: list[Frame]) -> list[tuple[int, int]]:
    """What each reported event is about: its clause from the first word of subject matter after the trigger."""
    out = []
    for e in events:
        for sp in e.spans:
            m = patterns.rx("topic_prep").search(doc.text, min(max(sp.begin, e.trigger.end), sp.end), sp.end)
            if m is not None:
                out.append((m.start(), sp.end))
    return out


# Where a sentence says what talks or documents cover: "the agenda included", "they cover", "focused on".
_COVERS = re.compile(r"\b(?:agenda|priorities|topics|discuss(?:ed|ing|ions)?|talked\s+about|exchanged\s+views\s+on|"
                     r"cover(?:s|ed|ing)?|include[sd]?|including|focus(?:ed|es|ing)?\s+on|range[sd]?\s+from|"
                     r"provides?\s+for|deal[st]?\s+with|dealt\s+with|concern(?:s|ed|ing)?|cent(?:re|er)d\s+on|"
                     r"cooperat(?:e|ion)\s+(?:on|in)|fields?\s+of|areas?\s+of|such\s+as)\b", _I)
_COVERS_WORDS = ("agenda", "priorities", "topics", "discuss", "talked", "exchanged", "cover", "includ", "focus",
                 "range", "provide", "deal", "concern", "centre", "center", "cooperat", "field", "area", "such")

