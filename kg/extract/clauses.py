"""Clauses: a sentence split into the clause that reports something and the clauses set into it.

The split is by punctuation and the words that open a clause: a relative clause (", who ...", ", where ..."), an
apposition (", the ... ,"), a parenthesis, a subordinate clause ("after ...", "when ...", "since ..."), a clause
coordinated after ", and" or "; ", a verb phrase joined by "and" to an earlier one, and the reported content after a
verb of saying ("said that ..."). An event's participants are looked for in its trigger's clause only.
"""
from __future__ import annotations

from dataclasses import replace

from kg.extract import patterns
from kg.extract.doc import Clause, ClauseKind, Doc, Trigger
from kg.extract.text import Sentence, Token

_RELATIVE = frozenset({"who", "which", "whose", "whom", "where"})
_SUBORDINATE = frozenset({"after", "before", "when", "while", "since", "although", "though", "because", "until",
                          "once", "whereas", "unless", "if"})
_COORDINATE = frozenset({"and", "but", "while", "whereas", "yet"})
_ARTICLE = frozenset({"the", "a", "an", "his", "her", "their", "its"})
_PARTICIPLE = frozenset({"saying", "adding", "citing", "noting", "describing", "calling", "stressing", "warning",
                         "insisting", "arguing", "explaining"})
_BREAK = frozenset({",", ";", "(", ")", "—", "–", ":"})


def find_clauses(doc: Doc) -> Doc:
    verbs: dict[int, list[Trigger]] = {}
    for t in doc.triggers:
        if t.kind == "verb":
            verbs.setdefault(t.sentence, []).append(t)
    with_triggers = {t.sentence for t in doc.triggers}
    for i, s in enumerate(doc.sentences):
        if i not in with_triggers:
            continue                      # only an event's clause is ever looked for
        found = _clauses(doc, i, s, {t.begin for t in verbs.get(i, ())})
        first = len(doc.clauses)
        doc.clauses.extend(replace(c, parent=first) if k else c for k, c in enumerate(found))
        doc.clauses_of[i] = list(range(first, first + len(found)))
    return doc


def _clauses(doc: Doc, i: int, s: Sentence, verb_starts: set[int]) -> list[Clause]:
    toks = s.tokens
    out = [Clause(s.begin, s.end, i, "main")]
    if not toks:
        return out
    say = patterns.words("say")
    actor_starts = {m.start for m in doc.mentions.by_sentence[i] if m.kind in ("person", "country", "org")}
    n = len(toks)
    k = 0
    while k < n:
        tok = toks[k]
        nxt = toks[k + 1] if k + 1 < n else None
        if tok.text == "(":
            close = _find(toks, k + 1, {")"})
            out.append(_clause(s, i, toks, k, close, "parenthesis", "("))
            k = close
            continue
        if tok.text in ("—", "–") and _find(toks, k + 1, {"—", "–"}) < n:
            close = _find(toks, k + 1, {"—", "–"})
            out.append(_clause(s, i, toks, k, close, "parenthesis", tok.text))
            k = close
            continue
        if tok.text == "," and nxt is not None:
            kind = _after_comma(toks, k + 1, verb_starts)
            if kind is not None:
                end = _find(toks, k + 1, {",", ";"} if kind != "coordinate" else {";"})
                if kind == "coordinate" and end == n:
                    end = _find(toks, k + 2, {";"})
                out.append(_clause(s, i, toks, k + 1, end, kind, nxt.key))
                if kind in ("relative", "apposition", "parenthesis"):
                    k = end
                    continue
        elif tok.text == ";" and nxt is not None and not (nxt.is_cap or nxt.key == "and" and k + 2 < n
                                                           and toks[k + 2].is_cap):
            # "; the talks ..." opens a clause; "...; X, minister of ...; and Y" goes on with a list.
            out.append(_clause(s, i, toks, k + 1, _find(toks, k + 1, {";"}), "coordinate", ";"))
        elif tok.key in _SUBORDINATE:
            end = _find(toks, k + 1, {",", ";"})
            if k == 0 and end == n:
                # "Before the dinner the envoy met ...": no comma, so the phrase ends at the next actor.
                end = next((j for j in range(k + 1, n) if toks[j].begin in actor_starts), n)
            out.append(_clause(s, i, toks, k, end, "subordinate", tok.key))
        elif tok.key in _RELATIVE and k > 0 and toks[k - 1].text != ",":
            out.append(_clause(s, i, toks, k, _find(toks, k + 1, {",", ";"}), "relative", tok.key))
        elif tok.key == "and" and nxt is not None and nxt.begin in verb_starts:
            out.append(_clause(s, i, toks, k, _find(toks, k + 1, {";"}), "coordinate", "and"))
        elif tok.key in say and nxt is not None and k > 0 and (_that(toks, k + 1) or _reported_start(toks, k + 1)):
            that = _that(toks, k + 1)
            begin = that + 1 if that is not None else k + 1
            if begin < n:
                out.append(_clause(s, i, toks, begin, _find(toks, begin, {";"}), "reported", tok.key))
        k += 1
    return out


def _after_comma(toks: list[Token], k: int, verb_starts: set[int]) -> ClauseKind | None:
    tok = toks[k]
    if tok.key in _RELATIVE:
        return "relative"
    if tok.key in _PARTICIPLE:
        return "reported"
    if tok.key.endswith("ing") and tok.text[:1].islower() and len(tok.key) > 5:
        return "participle"               # ", widening a partnership ...": what the main clause's subject did too
    if tok.key in _SUBORDINATE:
        return "subordinate"
    if tok.key in _COORDINATE and k + 1 < len(toks):
        # ", and he met ..." opens a clause; ", and Foreign Minister X" goes on with a list, unless a verb follows.
        nxt = toks[k + 1]
        end = _find(toks, k + 1, {";"})
        if not nxt.is_cap or any(t.begin in verb_starts for t in toks[k + 1:end]):
            return "coordinate"
    if tok.key in _ARTICLE and k + 1 < len(toks) and toks[k + 1].text[:1].islower():
        close = _find(toks, k, {","})
        if close < len(toks) or not any(t.begin in verb_starts for t in toks[k:]):
            return "apposition"           # ", the minister's senior adviser, said"
    return None


def _that(toks: list[Token], k: int) -> int | None:
    """'told reporters that', 'posted online that': the 'that' opening what was said, a few words after the verb."""
    for j in range(k, min(k + 5, len(toks))):
        if toks[j].key == "that":
            return j
        if toks[j].text in _BREAK:
            return None
    return None


def _reported_start(toks: list[Token], k: int) -> bool:
    """'Dirco said the envoy had ...': a subject right after the verb of saying."""
    return k < len(toks) and (toks[k].is_cap or toks[k].key in ("the", "it", "he", "she", "they", "both"))


def _find(toks: list[Token], k: int, stops: set[str]) -> int:
    while k < len(toks) and toks[k].text not in stops:
        k += 1
    return k


def _clause(s: Sentence, i: int, toks: list[Token], a: int, b: int, kind: ClauseKind, marker: str) -> Clause:
    b = max(a + 1, min(b, len(toks)))
    return Clause(toks[a].begin, toks[b - 1].end if b <= len(toks) else s.end, i, kind, marker)
