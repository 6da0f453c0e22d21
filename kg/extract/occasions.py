"""Occasions: the article's events, each once.

Frames that name too few parties take them from the sentence's other event, from the article's main parties when
the text refers to them ("the two leaders", "the talks"), or from the gathering a group belongs to; frames that still
name too few are dropped. Reports of the same event merge into one (by the states taking part, or by the people for
meetings). Events that share no party with the main event belong to another story and count as background.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from kg.extract import patterns
from kg.extract.actors import is_actor
from kg.extract.doc import Actor, Doc, Frame
from kg.extract.factuality import NEWS_SPAN
from kg.extract.frames import visit_roles
from kg.model import EVENT_TYPE_INFO

_DEFINITE = re.compile(r"(?:\bthe\s+(?:[\w-]+\s+){0,2}|\b\w+(?:’s|'s)\s+(?:[\w-]+\s+){0,1}|\b(?:their|his|her)\s+"
                       r"(?:[\w-]+\s+){0,2})$", re.IGNORECASE)
_BETWEEN_THEM = re.compile(r"\s+(?:between|with|of|among)\s+(?:the\s+two|both|their)\b", re.IGNORECASE)
_ROLES = {"AgreementSigning": "signatory", "JointStatement": "speaker"}


def merge_occasions(doc: Doc) -> Doc:
    doc.main_pair = main_pair(doc)
    frames = sorted(doc.events.values(), key=lambda e: (e.span.begin, e.trigger.begin))
    by_sentence: dict[int, list[Frame]] = {}
    for frame in frames:
        by_sentence.setdefault(frame.sentence, []).append(frame)
    complete: list[Frame] = []
    groups: list[Frame] = []
    for frame in frames:
        if frame.factuality != "asserted" or _signed_document(frame, by_sentence[frame.sentence]):
            continue
        if not _enough(frame) and (_collective(doc, frame) or _body_only(doc, frame)):
            groups.append(frame)               # "leaders of the region met": its members are named elsewhere
            continue
        filled = _filled(doc, frame, complete, by_sentence[frame.sentence])
        if filled is not None:
            complete.append(filled)
    merged = _attendance(doc, _merge(doc, complete))
    merged = _merge(doc, merged + [g for g in (_gathered(doc, f, merged) for f in groups) if g is not None])
    kept = _same_occasion(doc, merged)
    others = [e for e in doc.events.values() if e.factuality != "asserted" and len(e.parties()) >= 2]
    doc.events = {e.id: e for e in sorted(kept + others, key=lambda e: e.span.begin)}
    doc.main_event = _main_event(doc, kept)
    return doc


def main_pair(doc: Doc) -> list[str]:
    """The states the article is mostly about: those taking part in the asserted events it reports, the lead's
    first; else the states it names most (headline and lead count more)."""
    score: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for e in doc.asserted():
        weight = 3 if doc.from_lead(e.sentence) <= 0 else 1
        for a in e.actors:
            if a.country:
                score[a.country] += weight
                first_seen.setdefault(a.country, e.span.begin)
    if len(score) >= 2:
        return sorted(score, key=lambda c: (-score[c], first_seen[c]))[:2]
    for i, s in enumerate(doc.sentences):
        if s.paragraph == -2:
            continue
        weight = 3 if s.paragraph == -1 else 2 if doc.from_lead(i) == 0 else 1
        for m in doc.mentions.by_sentence[i]:
            if m.kind == "place" or not m.country or not is_actor(doc, m, s):
                continue                   # the dateline, "Russia's invasion", "the former Ruritanian premier"
            if m.kind == "org" and (org := doc.mentions.orgs.get(m.ref)) is not None and org.kind == "international":
                continue
            score[m.country] += weight
            first_seen.setdefault(m.country, i * 10_000 + m.start)
    return sorted(score, key=lambda c: (-score[c], first_seen[c]))[:2]


# -- participants from context -----------------------------------------------------------------

def _enough(frame: Frame) -> bool:
    if frame.type == "Visit" and any(a.role == "host" for a in frame.actors) \
            and not any(a.role == "host" and a.country for a in frame.actors):
        return False                     # a visit is to a state: being received at a body's headquarters is not one
    return len(frame.parties()) >= EVENT_TYPE_INFO[frame.type].parties


def _signed_document(frame: Frame, neighbours: list[Frame]) -> bool:
    """'signed a joint declaration': the declaration is the document of the signing, not an event of its own."""
    if frame.type != "JointStatement" or frame.trigger.kind != "noun":
        return False
    return any(f.type == "AgreementSigning" and f.trigger.end <= frame.trigger.begin
               and f.span.begin <= frame.trigger.begin < f.span.end for f in neighbours)


def _collective(doc: Doc, frame: Frame) -> bool:
    s = doc.sentences[frame.sentence]
    return patterns.rx("collective").search(doc.text, frame.span.begin, frame.trigger.begin) is not None \
        and s.begin <= frame.span.begin


def _body_only(doc: Doc, frame: Frame) -> bool:
    """'The bloc adopted a declaration': an international body alone stands for its members at the gathering."""
    return bool(frame.actors) and all(a.kind == "organization" and a.country is None for a in frame.actors)


def _gathered(doc: Doc, frame: Frame, events: list[Frame]) -> Frame | None:
    """A group's event takes the participants of the largest gathering reported, else the article's main parties."""
    role = _ROLES.get(frame.type, "participant")
    gathering = max((e for e in events if len(e.countries()) >= 2), key=lambda e: len(e.countries()), default=None)
    more = [Actor(a.kind, a.ref, a.country, role) for a in gathering.actors] if gathering is not None \
        else _main_group(doc, events, role)
    filled = replace(frame, id=doc.new_id(), actors=tuple(_add(frame.actors, more)), sources=(frame.id,),
                     inherited=True)
    return filled if _enough(filled) else None


def _filled(doc: Doc, frame: Frame, earlier: list[Frame], neighbours: list[Frame]) -> Frame | None:
    """The frame with enough parties, taken from context where the text refers to them; None when it names too
    few and refers to no one. ``neighbours``: the frames of its sentence."""
    if _enough(frame):
        return frame
    role = _ROLES.get(frame.type, "participant")
    text = doc.text
    t = frame.trigger
    s = doc.sentences[frame.sentence]
    noun = text[t.begin:t.end]
    definite = t.kind == "noun" and _DEFINITE.search(text, max(s.begin, t.begin - 24), t.begin) is not None \
        and noun[:1].islower()
    plural = patterns.rx("plural_ref").search(text, frame.span.begin, t.begin) is not None \
        or _BETWEEN_THEM.match(text, t.end, frame.span.end) is not None \
        or re.match(r"\s*They\b", text[s.begin:s.begin + 6]) is not None
    same = next((e for e in reversed(earlier) if _same_kind(e.type, frame.type)), None) if definite else None
    # A noun beside a fuller event of its sentence: "signed ... during a state visit".
    mate = next((f for f in neighbours if f is not frame and f.factuality == "asserted" and _enough(f)), None)
    actors: list[Actor] | None = None
    if mate is not None and t.kind == "noun":
        actors = _add(frame.actors, [Actor(a.kind, a.ref, a.country, role, a.distance) for a in mate.actors])
    elif definite and same is not None:
        actors = _add(frame.actors, list(same.actors))      # "the talks": the talks already reported
    elif definite and earlier and not plural and frame.type == "Meeting":
        return None                                         # "the meeting" after a summons: the summons again
    elif _owned_by_other(doc, frame) or _relative_of_other(doc, frame):
        return None                                         # "the vessel's visit", "officers who arrived"
    elif plural or definite or doc.from_lead(frame.sentence) <= 1 and earlier or noun[:1].isupper() \
            or doc.from_lead(frame.sentence) == 0 and not earlier and frame.actors and not _unknown_party(doc, frame) \
            and not _other_subject(doc, frame):
        actors = _add(frame.actors, _main_group(doc, earlier, role))
    if actors is None:
        return None
    if frame.type == "Visit":
        actors = visit_roles([a if a.role in ("host", "guest") else Actor(a.kind, a.ref, a.country, "participant",
                                                                           a.distance) for a in actors], frame.place)
    filled = replace(frame, id=doc.new_id(), actors=tuple(actors), sources=(frame.id,), inherited=True)
    return filled if _enough(filled) else None


def _owned_by_other(doc: Doc, frame: Frame) -> bool:
    """A noun trigger in the possessive of something that is no actor ('the convoy's visit')."""
    t = frame.trigger
    if t.kind != "noun":
        return False
    m = re.search(r"(\w+)(?:’s|'s)\s+(?:[\w-]+\s+){0,2}$", doc.text[max(0, t.begin - 40):t.begin])
    if m is None:
        return False
    owner = t.begin - len(doc.text[max(0, t.begin - 40):t.begin]) + m.start(1)
    return not any(a.kind in ("person", "country", "org") and a.start <= owner < a.stop
                   for a in doc.mentions.by_sentence[frame.sentence])


def _unknown_party(doc: Doc, frame: Frame) -> bool:
    """A capitalised name in the subject that the article does not know as an actor ('X and the Y movement signed')."""
    s = doc.sentences[frame.sentence]
    known = [(m.start, m.stop) for m in doc.mentions.by_sentence[frame.sentence]]
    known += [(t.begin, t.end) for t in doc.titles(frame.sentence)]
    known += [(d.begin, d.end) for d in doc.dates(frame.sentence)]
    first = True
    for tok in s.tokens:
        if tok.begin >= frame.trigger.begin:
            break
        if tok.is_cap and not first and tok.key not in ("the", "a", "an") \
                and not any(a <= tok.begin < b for a, b in known):
            return True
        first = False
    return False


def _relative_of_other(doc: Doc, frame: Frame) -> bool:
    """A verb trigger in a relative clause that describes something that is no actor: 'the officers who arrived'."""
    t = frame.trigger
    k = doc.clause_at(t.begin, frame.sentence)
    if t.kind != "verb" or frame.actors or k is None or doc.clauses[k].kind != "relative":
        return False
    s = doc.sentences[frame.sentence]
    head = next((tok for tok in reversed(s.tokens) if tok.end <= doc.clauses[k].begin and tok.text != ","), None)
    known = any(m.start <= head.begin < m.stop for m in doc.mentions.by_sentence[frame.sentence]) if head else True
    common = head is not None and (head.text[:1].islower() or head.begin == s.begin)   # a sentence's first word
    return common and not known and head.key not in patterns.words("actor_noun")


def _other_subject(doc: Doc, frame: Frame) -> bool:
    """The subject is something that is no actor: 'a carmaker signed a deal with the government'."""
    s = doc.sentences[frame.sentence]
    known = [(m.start, m.stop) for m in doc.mentions.by_sentence[frame.sentence]]
    for tok in s.tokens:
        if tok.begin >= frame.trigger.begin or tok.text in (",", "(") or tok.key in ("on", "in", "at", "during"):
            break
        if tok.text[:1].islower() and tok.key not in ("the", "a", "an", "and", "both", "also", "two", "three", "its",
                                                       "their", "then", "later") \
                and tok.key not in patterns.words("actor_noun") and not any(a <= tok.begin < b for a, b in known):
            return True
    return False


def _main_group(doc: Doc, earlier: list[Frame], role: str) -> list[Actor]:
    """The states the news is between (those of the article's first event, when in the lead), as the person who
    first speaks for each."""
    first = next((e for e in earlier if doc.from_lead(e.sentence) <= 0 and len(e.countries()) >= 2), None)
    group = list(dict.fromkeys(a.country for a in first.actors if a.country)) if first else doc.main_pair[:2]
    if len(group) < 2:
        return []
    people: dict[str, str] = {}
    for lst in doc.mentions.by_sentence:
        for m in lst:
            if m.kind == "person" and m.country in group and m.country not in people:
                people[m.country] = m.ref
    return [Actor("person", people[c], c, role) if c in people else Actor("country", c, c, role) for c in group]


def _add(actors: tuple[Actor, ...], more: list[Actor]) -> list[Actor]:
    out = list(actors)
    for a in more:
        if not any(b.ref == a.ref or a.country is not None and b.country == a.country for b in out):
            out.append(a)
    return out


# -- one event per occasion ----------------------------------------------------------------------

def _same_kind(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"Meeting", "Summit"}


def _same_event(a: Frame, b: Frame) -> bool:
    if not _same_kind(a.type, b.type):
        return False
    if EVENT_TYPE_INFO[a.type].by_code and a.trigger.cameo[:3] != b.trigger.cameo[:3] \
            and "noun" not in (a.trigger.kind, b.trigger.kind):
        return False                                  # a summons and a recall are two acts
    inherited = a.inherited or b.inherited
    if EVENT_TYPE_INFO[a.type].grain == "people" and a.people() and b.people():
        return a.people() == b.people() or inherited and bool(a.people() & b.people())
    return a.countries() == b.countries() or inherited and len(a.countries() & b.countries()) >= 2


def _merge(doc: Doc, frames: list[Frame]) -> list[Frame]:
    out: list[Frame] = []
    for frame in frames:
        n = next((k for k, e in enumerate(out) if _same_event(e, frame)), None)
        if n is None:
            out.append(frame)
            continue
        e = out[n]
        actors = _add(e.actors, [a for a in frame.actors if not frame.inherited])
        out[n] = replace(e, id=doc.new_id(), type="Summit" if "Summit" in (e.type, frame.type) else e.type,
                         actors=tuple(actors), spans=e.spans + frame.spans, sources=e.sources + (e.id, frame.id),
                         place=e.place or frame.place, date=e.date or frame.date,
                         precision=e.precision if e.date else frame.precision, date_span=e.date_span or frame.date_span,
                         trigger=e.trigger if e.trigger.strength >= frame.trigger.strength else frame.trigger)
    return out


def _attendance(doc: Doc, events: list[Frame]) -> list[Frame]:
    """People and states named as attending ('X attended', 'Y was represented by Z') join the latest meeting."""
    out = list(events)
    triggered = {t.sentence for t in doc.triggers}
    for i, s in enumerate(doc.sentences):
        if s.paragraph < 0 or i in triggered or not patterns.rx("attendance").search(doc.text, s.begin, s.end):
            continue
        n = next((k for k in range(len(out) - 1, -1, -1) if out[k].type in ("Meeting", "Summit")
                  and out[k].span.begin < s.begin), None)
        if n is None:
            continue
        e = out[n]
        more = [Actor(m.kind, m.ref, m.country) for m in doc.mentions.in_sentence(i, "person", "country")
                if not doc.quoted(m.start) and is_actor(doc, m, s)]
        actors = _add(e.actors, more)
        if len(actors) > len(e.actors):
            out[n] = replace(e, id=doc.new_id(), actors=tuple(actors), sources=e.sources + (e.id,),
                             spans=e.spans + (s.span(),))
    return out


def _same_occasion(doc: Doc, events: list[Frame]) -> list[Frame]:
    """Only the reported occasion: events that share two parties with the main event, or one when early in the
    article. Others are another story, kept as background."""
    reported = [e for e in events if EVENT_TYPE_INFO[e.type].summary]
    if not reported:
        return events
    news = doc.news_date[0] if doc.news_date else None
    main = next((e for e in reported if news is not None and e.date == news), reported[0])
    parties = main.parties()
    kept = []
    for e in events:
        shared = len(e.parties() & parties)
        early = doc.from_lead(e.sentence) <= 1
        # The same person on the same day: the visitor's further meetings on the trip.
        same_day = news is not None and e.date is not None and news - NEWS_SPAN <= e.date <= news \
            and bool(e.people() & main.people())
        if e is main or shared >= 2 or shared >= 1 and (early or same_day or len(parties) < 2):
            kept.append(e)
        else:
            kept.append(replace(e, id=doc.new_id(), factuality="background", sources=(e.id,)))
    return kept


def _main_event(doc: Doc, events: list[Frame]) -> str | None:
    """The event the article reports: the first of the news date, else the first the lead reports, else the first."""
    reported = [e for e in events if EVENT_TYPE_INFO[e.type].summary and e.factuality == "asserted"]
    news = doc.news_date[0] if doc.news_date else None
    paragraphs = doc.article.paragraphs
    for rule in (lambda e: news is not None and e.date == news,
                 lambda e: bool(paragraphs) and e.span.begin < paragraphs[0].end,
                 lambda e: True):
        hit = next((e.id for e in reported if rule(e)), None)
        if hit is not None:
            return hit
    return None
