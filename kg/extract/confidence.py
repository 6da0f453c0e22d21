"""Confidence: how sure the extraction is of each fact, from 0 to 1.

An event's confidence starts from its trigger's strength (kg/data/triggers.tsv), rises a little with each further
report of the same event, and falls with the distance between the trigger and its arguments, with participants
taken from context rather than named, with a report relayed in someone's words, and when the event is asserted
only for want of a sign of another time (a noun with no tense and no date; events that are planned, background or
negated are never published as events). Agreements and quotes take theirs from the rule that found them. Facts
under ``Settings.min_confidence`` (KG_MIN_CONFIDENCE) are not published.
"""
from __future__ import annotations

from dataclasses import replace

from kg.extract.doc import Doc, Frame
from kg.extract.frames import FAR

NEAR = 6                    # tokens within which an argument is next to its trigger
EXTRA_REPORT = 0.05         # what each further report of the same event adds
INHERITED = 0.85            # participants taken from context
RELAYED = 0.9               # the event is in reported speech ("X said the two had met")
UNATTRIBUTED = 0.7          # a quotation with no speaker
UNDATED_NOUN = 0.9          # asserted for want of a sign of another time: a noun with no tense and no date


def score_confidence(doc: Doc) -> Doc:
    for key, frame in list(doc.events.items()):
        value = round(event_confidence(doc, frame), 3)
        doc.events[key] = replace(frame, confidence=value)
    doc.quotes = [replace(q, confidence=1.0 if q.speaker or q.joint else UNATTRIBUTED) for q in doc.quotes]
    return doc


def event_confidence(doc: Doc, frame: Frame) -> float:
    value = min(1.0, frame.trigger.strength + EXTRA_REPORT * (len(frame.spans) - 1))
    named = [a for a in frame.actors if a.distance != 0 or not frame.inherited]
    if named:
        value *= sum(_near(abs(a.distance)) for a in named) / len(named)
    if frame.inherited:
        value *= INHERITED
    k = doc.clause_at(frame.trigger.begin, frame.sentence)
    if k is not None and doc.clauses[k].kind == "reported":
        value *= RELAYED
    if frame.trigger.kind == "noun" and frame.date is None:
        value *= UNDATED_NOUN
    return value


def _near(distance: int) -> float:
    return 1.0 if distance <= NEAR else 0.9 if distance <= FAR else 0.8
