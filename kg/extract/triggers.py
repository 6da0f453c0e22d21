"""Event triggers: the lexicon of kg/data/triggers.tsv matched over each sentence's tokens.

A small phrase matcher in the manner of spaCy's Matcher, over our own tokens (measured: spaCy's blank English
tokenizer alone takes twice as long as this whole stage). Patterns are data; see the file's header for their syntax.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.config import DATA_DIR
from kg.extract.actors import is_actor
from kg.extract.doc import Doc, Trigger
from kg.extract.text import CAPTION, HEADLINE, Token, fold

TRIGGERS_FILE = DATA_DIR / "triggers.tsv"
_PUNCT = frozenset(",;:.()[]—–\"“”‘!?")         # an apostrophe may sit in a gap: "the leaders’ declaration"

Slot = tuple[str, object]          # ("words", frozenset) | ("gap", n) | ("actor", None) | ("opt", frozenset)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    type: str
    kind: str
    slots: tuple[Slot, ...]
    subject: str
    object: str
    preps: tuple[tuple[str, str], ...]
    strength: float
    cameo: str
    order: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _slot(token: str, classes: dict[str, frozenset[str]]) -> Slot:
    optional = token.endswith("?") and len(token) > 1
    token = token.rstrip("?") if optional else token
    if token.startswith("<") and token.endswith(">"):
        return ("gap", int(token[1:-1]))
    if token == "{actor}":
        return ("actor", None)
    keys: set[str] = set()
    for word in token.split("|"):
        keys |= classes[word[1:]] if word.startswith("@") else {fold(word)}
    return ("opt" if optional else "words", frozenset(keys))


def load(path: Path = TRIGGERS_FILE, off: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """The lexicon's rules in file order; ``off`` leaves rows out by id (for the ablation)."""
    rows = _rows(path)
    classes = {r["id"]: frozenset(fold(w) for w in r["pattern"].split("|")) for r in rows if r["type"] == "@class"}
    out = []
    for n, r in enumerate(rows):
        if r["type"] == "@class" or r["id"] in off:
            continue
        slots = tuple(_slot(t, classes) for t in r["pattern"].split())
        if slots[0][0] != "words":
            raise ValueError(f"{path.name}: rule {r['id']} must start with words")
        preps = tuple(tuple(p.split(":", 1)) for p in (r.get("preps") or "").split())
        out.append(Rule(r["id"], r["type"], r["kind"] or "verb", slots, r["subject"] or "participant",
                        r["object"] or "participant", preps,  # type: ignore[arg-type]
                        float(r["strength"] or 0), r.get("cameo") or "", n))
    return tuple(out)


_OFF: set[str] = set()


@contextmanager
def without(rule_id: str) -> Iterator[None]:
    """Leave a row out inside the block (for the ablation and the tests); what was off before stays off."""
    added = rule_id not in _OFF
    _OFF.add(rule_id)
    _index.cache_clear()
    try:
        yield
    finally:
        if added:
            _OFF.discard(rule_id)
            _index.cache_clear()


@cache
def _index() -> dict[str, tuple[Rule, ...]]:
    """First word -> the rules that can start with it, in file order."""
    index: dict[str, list[Rule]] = {}
    for rule in load(off=frozenset(_OFF)):
        for key in rule.slots[0][1]:  # type: ignore[union-attr]
            index.setdefault(key, []).append(rule)
    return {k: tuple(v) for k, v in index.items()}


def rule(rule_id: str) -> Rule | None:
    return next((r for rules in _index().values() for r in rules if r.id == rule_id), None)


# Words that may come before the first word of an actor: "received the Chilean president".
_DETERMINERS = frozenset({"the", "his", "her", "its", "their"})
_ARTICLES = frozenset({"a", "an", "another", "every", "each"})


def _match(rule: Rule, toks: list[Token], k: int, actors: set[int]) -> int | None:
    """The token index just after ``rule`` matched at ``k``, or None."""
    return _slots(rule.slots, 0, toks, k, actors)


def _slots(slots: tuple[Slot, ...], s: int, toks: list[Token], k: int, actors: set[int]) -> int | None:
    if s == len(slots):
        return k
    kind, value = slots[s]
    if kind == "gap":
        for skip in range(0, int(value) + 1):  # type: ignore[call-overload]
            if skip and (k + skip - 1 >= len(toks) or toks[k + skip - 1].text in _PUNCT):
                break
            end = _slots(slots, s + 1, toks, k + skip, actors)
            if end is not None:
                return end
        return None
    if kind == "opt":
        if k < len(toks) and toks[k].key in value:  # type: ignore[operator]
            end = _slots(slots, s + 1, toks, k + 1, actors)
            if end is not None:
                return end
        return _slots(slots, s + 1, toks, k, actors)
    if k >= len(toks):
        return None
    if kind == "actor":
        if toks[k].key in _DETERMINERS and k + 1 < len(toks):
            k += 1
        return _slots(slots, s + 1, toks, k + 1, actors) if toks[k].begin in actors else None
    return _slots(slots, s + 1, toks, k + 1, actors) if toks[k].key in value else None  # type: ignore[operator]


def actor_starts(doc: Doc, i: int) -> set[int]:
    """Offsets where an actor named as such begins ("Brazil's President X", not "Brazil's proposal")."""
    s = doc.sentences[i]
    return {m.start for m in doc.mentions.by_sentence[i] if is_actor(doc, m, s)}


def find_triggers(doc: Doc) -> Doc:
    index = _index()
    for i, s in enumerate(doc.sentences):
        if s.paragraph in (HEADLINE, CAPTION):
            continue                  # the headline repeats the news; a caption describes a photo
        toks = s.tokens
        actors: set[int] | None = None
        k = 0
        while k < len(toks):
            rules = index.get(toks[k].key)
            if not rules:
                k += 1
                continue
            if actors is None:
                actors = actor_starts(doc, i)
            best: tuple[int, Rule] | None = None
            for r in rules:
                end = _match(r, toks, k, actors)
                if end is not None and (best is None or end > best[0]):
                    best = (end, r)
            if best is None:
                k += 1
                continue
            end, r = best
            if r.kind == "verb" and k > 0 and toks[k - 1].key in _ARTICLES and not toks[k].key.endswith("ing"):
                k = end                   # "a sign that ...": the verb's form used as a noun ("a signing" is one)
                continue
            if r.type != "@stop" and not doc.quoted(toks[k].begin):
                # "to visit", "to call": a noun of the lexicon after "to" is the verb of an infinitive.
                kind = "verb" if k > 0 and toks[k - 1].key == "to" else r.kind
                doc.triggers.append(Trigger(r.type, r.id, toks[k].begin, toks[end - 1].end, i, kind, r.strength,
                                            r.subject, r.object, r.preps, r.cameo))
            k = end
    return doc
