"""Factuality: whether the text reports each event as happening, as a plan, as an earlier occasion, or as not
happening (PLOVER's auxiliary modes future, historical and negation).

It is read from the trigger's clause: a negation or a cancellation before it; a modal, a verb of planning ("agreed
to", "is due to", "invited ... to"), a word like "upcoming" before a noun, or a date after publication; a
time before the news ("last year", "in 2019", "two days earlier" than the news), a word like "previous"
before a noun, or a clause that says since when something holds. Only asserted events are the article's events.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from kg.extract import patterns
from kg.extract.doc import Doc, Frame
from kg.model import Factuality

NEWS_SPAN = timedelta(days=1)       # the news and the day before it (an arrival) are one occasion
_PLANS = re.compile(r"\b(?:is|are|was|were)\s+(?:next\s+|also\s+|then\s+)?(?:due|expected|scheduled|set|slated|"
                    r"planning|going)\b|\bplans?\s+to\b|\bintends?\s+to\b", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"\b(?:\w+|\d+)\s+(?:days?|weeks?|months?|years?|decades?)\s+$", re.IGNORECASE)
_FUTURE_AFTER = re.compile(r"[^,;.]{0,40}?\b(?:that|which)\s+(?:[\w.’'-]+\s+){0,4}"
                           r"(?:will|would|is\s+to|are\s+to|is\s+due|"
                           r"is\s+expected|plans?\s+to)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w’'-]+")


def assign_factuality(doc: Doc) -> Doc:
    doc.news_date = _news_date(doc)
    for key, frame in list(doc.events.items()):
        value = factuality(doc, frame)
        if value != frame.factuality:
            del doc.events[key]
            new = replace(frame, id=doc.new_id(), factuality=value, sources=(frame.id,))
            doc.events[new.id] = new
    return doc


def factuality(doc: Doc, frame: Frame) -> Factuality:
    governing = _governing_frame(doc, frame)
    if governing is not None:
        return factuality(doc, governing)
    own = own_text(doc, frame)
    before = own[:frame.trigger.begin - frame.span.begin]
    words = [w.casefold() for w in _WORD.findall(before)]
    if _negated(doc, frame, words[-4:]):
        return "negated"
    if _planned(doc, frame, words, own):
        return "planned"
    if _background(doc, frame, own):
        return "background"
    return "asserted"


_ELIDED = re.compile(r"\s*(?:and|or|but)\s+(?:(?:then|later|also|finally|afterwards|on)\s+){0,2}"
                     r"(?:to|into|onto|for|via)\b", re.IGNORECASE)


def _governing_frame(doc: Doc, frame: Frame) -> Frame | None:
    """The frame whose verb a conjunct with no verb of its own shares: in 'X flies to A, and then to the summit
    in B' the summit is as planned as the flight."""
    k = doc.clause_at(frame.trigger.begin, frame.sentence)
    if k is None or doc.clauses[k].kind != "coordinate":
        return None
    c = doc.clauses[k]
    if not _ELIDED.match(doc.text, c.begin - 1 if c.begin and doc.text[c.begin - 1] == " " else c.begin):
        return None
    earlier = [e for e in doc.events.values() if e.sentence == frame.sentence and e.trigger.kind == "verb"
               and e.trigger.end <= c.begin]
    return max(earlier, key=lambda e: e.trigger.begin, default=None)


def own_text(doc: Doc, frame: Frame) -> str:
    """The text of the frame's clause with the clauses set into it (and not holding the trigger) blanked."""
    begin, end = frame.span.begin, frame.span.end
    t = frame.trigger.begin
    nested = [c for k in doc.clauses_of.get(frame.sentence, ()) if (c := doc.clauses[k]).kind != "main"
              and begin <= c.begin and c.end <= end and not c.begin <= t < c.end and (c.begin, c.end) != (begin, end)]
    text = doc.text[begin:end]
    for c in nested:
        text = text[:c.begin - begin] + " " * (c.end - c.begin) + text[c.end - begin:]
    return text


def _negated(doc: Doc, frame: Frame, near: list[str]) -> bool:
    t = frame.trigger
    negation = patterns.words("negation")
    if any(w in negation for w in near):
        return True
    after = doc.text[t.end:frame.span.end][:80].casefold()
    return bool(re.search(r"\b(?:was|were|has\s+been|had\s+been|is|are)\s+(?:\w+\s+)?(?:cancell?ed|postponed|"
                          r"called\s+off|put\s+off|scrapped)\b", after))


def _planned(doc: Doc, frame: Frame, words: list[str], own: str) -> bool:
    t = frame.trigger
    if any(w in patterns.words("modal") for w in words[-8:]):
        return True
    reach = 8 if t.kind == "noun" else 5              # a noun has its phrase between: "to attend the annual summit"
    to = next((n for n in range(len(words) - 1, max(-1, len(words) - reach), -1) if words[n] == "to"), None)
    if to is not None:
        if to >= 1 and words[to - 1] in ("is", "are", "was", "were"):
            return True                                # "is to visit"
        plan, decide = patterns.words("plan"), patterns.words("decide")
        governor = next((w for w in reversed(words[max(0, to - 8):to]) if w in plan or w in decide), None)
        if governor is not None and governor not in decide:
            return True                                # "agreed on Monday to restart visits"
    if t.kind == "noun" and _noun_modified(doc, frame, patterns.words("plan_noun")):
        return True                                    # "ahead of the annual summit", "an upcoming visit"
    present = patterns.words("present")
    if any(w in present for w in words) \
            or t.kind == "verb" and doc.text[t.begin:t.end].split()[0].casefold() in present:
        return True                                    # "she flies to Lima on Monday", "before Peru hosts a summit"
    if _PLANS.search(own[:t.begin - frame.span.begin]):
        return True                                    # "X is next due in Y, before flying on to Z for a summit"
    if t.kind == "noun" and _FUTURE_AFTER.match(doc.text, t.end, frame.span.end):
        return True                                    # "the summit that the president will host in April"
    published = doc.article.published
    if frame.date is not None and published is not None and frame.date > published:
        return True
    return bool(re.search(r"\b(?:next|coming|later\s+this)\s+(?:week|month|year)\b|\bin\s+the\s+coming\b", own,
                          re.IGNORECASE))


def _background(doc: Doc, frame: Frame, own: str) -> bool:
    t = frame.trigger
    if t.kind == "noun" and patterns.rx("origin").search(doc.text, max(frame.span.begin, t.begin - 80), t.begin):
        return True                                    # "flew in from the summit in B": an occasion already over
    news = doc.news_date[0] if doc.news_date else doc.article.published
    if frame.date is not None and news is not None and frame.date < news - NEWS_SPAN \
            and not (frame.precision != "day" and (frame.date.year, frame.date.month) == (news.year, news.month)):
        return True
    if patterns.rx("past").search(own):
        return True
    k = doc.clause_at(t.begin, frame.sentence)
    if k is not None and doc.clauses[k].kind == "subordinate":
        c = doc.clauses[k]
        amount = _AMOUNT_BEFORE.search(doc.text, max(0, c.begin - 30), c.begin)
        if c.marker == "since" or c.marker == "after" and amount is not None:
            return True                                # "since they met", "a year after the two met"
    return _earlier_year(doc, frame, own)


_NP = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that", "first", "second", "third", "annual",
                 "state", "official", "working", "bilateral", "trilateral", "joint", "formal", "private", "two-day",
                 "three-day", "high-level", "regular", "planned", "proposed"})


def _noun_modified(doc: Doc, frame: Frame, modifiers: frozenset[str]) -> bool:
    """Whether one of ``modifiers`` ('upcoming', 'ahead of', 'previous') stands in or right before the noun
    trigger's own phrase."""
    s = doc.sentences[frame.sentence]
    toks = [tok for tok in s.tokens if tok.end <= frame.trigger.begin]
    k = len(toks) - 1
    while k >= 0 and (toks[k].key in _NP or toks[k].is_cap or toks[k].text in ("’s", "'s")) \
            and toks[k].key not in modifiers:
        k -= 1
    if k < 0:
        return False
    one = toks[k].key
    two = f"{toks[k - 1].key} {one}" if k > 0 else one
    return one in modifiers or two in modifiers


def _earlier_year(doc: Doc, frame: Frame, own: str) -> bool:
    """'in 2019' in the trigger's own clause, before the year of publication."""
    published = doc.article.published
    if published is None:
        return False
    begin = frame.span.begin
    return any(d.value is not None and d.precision == "year" and d.value.year < published.year
               and begin <= d.begin < frame.span.end and not own[d.begin - begin].isspace()
               for d in doc.dates(frame.sentence))


def _news_date(doc: Doc) -> tuple[date, str, object] | None:
    """The day of the news: the first date of a trigger's clause in the lead that is not set in the past."""
    published = doc.article.published
    for frame in doc.events.values():
        if doc.from_lead(frame.sentence) > 1 or frame.date is None:
            continue
        if published is not None and not published - timedelta(days=10) <= frame.date <= published:
            continue
        clause = doc.text[frame.span.begin:frame.span.end]
        if patterns.rx("past").search(clause) or frame.precision != "day":
            continue
        return frame.date, frame.precision, frame.date_span
    return None
