"""Quotations attributed to their speakers.

A quotation counts when the text says who said it: '"...," Modi said', 'Maduro said: "..."',
'Marape called the two countries "brother and sister nations"', '"...," he said' (the last person named),
or '"...," the statement read' (a joint statement: no single speaker). Scare quotes and quoted names do not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.mentions import Mentions, last_subject
from kg.extract.text import Quotation, Sentence

_VERBS = (r"said|says|told|tells|added|adds|stressed|noted|declared|insisted|explained|recalled|wrote|tweeted|"
          r"posted|warned|urged|announced|remarked|stated|emphasi[sz]ed|underlined|continued|concluded|replied|"
          r"answered|acknowledged|argued|asked|affirmed|pointed\s+out|went\s+on")
_AFTER_NAME = re.compile(rf"^\s*[,—–-]?\s*(?P<who>[^,.;:“”\"]{{1,80}}?)\s+(?:{_VERBS})\b", re.IGNORECASE)
_AFTER_VERB = re.compile(rf"^\s*[,—–-]?\s*(?:{_VERBS})\s+(?P<who>[^,.;:“”\"]{{1,80}})", re.IGNORECASE)
_SAYING = re.compile(rf"\b(?:{_VERBS}|called|calls|described|describes|calling|describing|saying|termed|dubbed|hailed)\b",
                     re.IGNORECASE)
_STATEMENT = re.compile(r"^\s*[,—–-]?\s*(?:the|a|their|its)\s+(?:joint\s+)?(?:statement|declaration|communiqu[eé])\s+"
                        r"(?:read|reads|said|says|stated|added)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)


@dataclass(slots=True)
class FoundQuote:
    quote: Quotation
    speaker: str | None             # person key
    joint: bool                     # from a joint statement
    sentence: int


def find_quotes(text: str, sentences: list[Sentence], quotes: list[Quotation], mentions: Mentions) -> list[FoundQuote]:
    out: list[FoundQuote] = []
    person_spans = [(m.start, m.stop) for lst in mentions.by_sentence for m in lst if m.kind == "person"]
    quoted = [(q.open_mark, q.close_mark) for q in quotes]
    for q in quotes:
        if any(o < q.open_mark < c for o, c in ((x.open_mark, x.close_mark) for x in quotes if x is not q)):
            continue                                  # nested quotation
        if any(a <= q.open_mark < b for a, b in person_spans):
            continue                                  # a nickname inside a name: Rosângela "Janja" da Silva
        i = _sentence_index(sentences, q.close_mark)
        if i is None or sentences[i].paragraph < 0:
            continue                                  # headline scare quotes
        after = text[q.close_mark + 1:sentences[i].end]
        if _STATEMENT.match(after):
            out.append(FoundQuote(q, None, True, i))
            continue
        speaker = _after(text, after, i, q, mentions, quoted) or _before(text, sentences, q, mentions, quoted)
        if speaker is not None:
            out.append(FoundQuote(q, speaker, False, i))
    return out


def _sentence_index(sentences: list[Sentence], offset: int) -> int | None:
    for i, s in enumerate(sentences):
        if s.begin <= offset < s.end + 1:
            return i
    return None


def _after(text: str, after: str, i: int, q: Quotation, mentions: Mentions, quoted: list[tuple[int, int]]) -> str | None:
    for pattern in (_AFTER_NAME, _AFTER_VERB):
        m = pattern.match(after)
        if m is None:
            continue
        who_begin = q.close_mark + 1 + m.start("who")
        who_end = q.close_mark + 1 + m.end("who")
        who = m.group("who").strip()
        if _PRONOUN.match(who):
            return last_subject(text, mentions, q.open_mark, quoted)
        person = _person_in(mentions, i, who_begin, who_end)
        if person is not None:
            return person
    return None


def _before(text: str, sentences: list[Sentence], q: Quotation, mentions: Mentions,
            quoted: list[tuple[int, int]]) -> str | None:
    """'Marape ... called the two countries "brother and sister nations"': one person, then a verb of saying."""
    i = _sentence_index(sentences, q.open_mark)
    if i is None:
        return None
    s = sentences[i]
    people = [m for m in mentions.in_sentence(i, "person") if m.start < q.open_mark
              and not any(a <= m.start <= b for a, b in quoted)]
    if not people or len({m.ref for m in people}) != 1:
        return None                                   # "The prime ministers stressed ...": no single speaker
    first = people[0]
    lead = text[s.begin:first.start]
    if re.search(r"\b(?:and|with|by|of|to|from|for)\s+(?:\w+\s+){0,3}$", lead, re.IGNORECASE):
        return None                                   # the person is not the subject
    between = text[first.stop:q.open_mark]
    if re.search(r"\s+and\s+[A-Z]", between[:12]):
        return None                                   # "Modi and Johnson said ...": two speakers
    if _SAYING.search(between) is None:
        return None
    return first.ref


def _person_in(mentions: Mentions, i: int, begin: int, end: int) -> str | None:
    found = [m for m in mentions.in_sentence(i, "person") if begin <= m.start and m.stop <= end]
    people = {m.ref for m in found}
    return found[0].ref if len(people) == 1 else None


