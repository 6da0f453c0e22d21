"""Quotations attributed to their speakers.

A quotation counts when the text says who said it: '"...," Modi said', 'Maduro said: "..."',
'Berg called the two countries "old friends"', '"...," he said' (the last person named),
'"...," Podolyak, an adviser to ..., wrote', 'Touray, who said ... "..."', a second quotation right after an
attributed one. A joint statement ('"...," the statement read'; 'the two leaders wrote in a joint text:') or an
institution or unnamed source ('the FCDO said', 'a senior official said') gives a quotation with no single
speaker. Scare quotes, quoted names and words no one is said to have said do not count.
"""
from __future__ import annotations

import re

from kg.extract import patterns
from kg.extract.doc import Doc, FoundQuote, Mention, Mentions
from kg.extract.text import Quotation, Sentence, blank

_I = re.IGNORECASE
# A source that is not one person: a document, an institution, an unnamed official.
_SOURCE = re.compile(r"(?:the|a|an|its|their|one|another|two|several|some)\s+(?:(?:joint|trilateral|final|official|"
                     r"senior|unnamed|anonymous|foreign|government|western|european|u\.s\.|[A-Z][\w.-]*)\s+){0,3}"
                     r"(?:statement|declaration|communiqu[eé]|readout|document|text|letter|ministry|office|government|"
                     r"presidency|department|embassy|agency|spokes(?:person|man|woman)|officials?|diplomats?|sources?|"
                     r"source|aide|aides|kremlin|white\s+house|council|commission|secretariat)\b"
                     r"|\b(?:officials|diplomats|sources|aides)\b|(?-i:\b[A-Z]{2,6}\b)", _I)
_JOINT = re.compile(r"\bjoint\b|\bin\s+(?:the|their|a)\s+(?:\w+\s+){0,2}"
                    r"(?:statement|declaration|communiqu[eé]|text)\b", _I)
_DOCUMENT = re.compile(r"\b(?:statement|declaration|communiqu[eé]|readout|text)\b", _I)


def attribute_quotes(doc: Doc) -> Doc:
    """The quote stage: every quotation someone is said to have said, with its speaker."""
    text, sentences, mentions = doc.text, doc.sentences, doc.mentions
    quotes = doc.quotations
    person_spans = [(m.start, m.stop) for lst in mentions.by_sentence for m in lst
                    if m.kind == "person" and m.form != "pronoun"]
    previous: FoundQuote | None = None
    for q in quotes:
        if any(o < q.open_mark < c for o, c in ((x.open_mark, x.close_mark) for x in quotes if x is not q)):
            continue                                  # nested quotation
        if any(a <= q.open_mark < b for a, b in person_spans):
            continue                                  # a nickname inside a name: Maria "Mia" Costa
        i = doc.sentence_at(q.close_mark)
        if i is None or sentences[i].paragraph < 0:
            continue                                  # headline and caption scare quotes
        found = _attribute(doc, i, q)
        if found is None and previous is not None and _follows(text, previous, q):
            found = FoundQuote(q, previous.speaker, previous.joint, i)   # '"...," Berg said. "..."'
        if found is not None:
            doc.quotes.append(found)
            previous = found
    return doc


def _attribute(doc: Doc, i: int, q: Quotation) -> FoundQuote | None:
    text, sentences, mentions = doc.text, doc.sentences, doc.mentions
    after = text[q.close_mark + 1:sentences[i].end]
    for pattern in (patterns.rx("quote_after_name"), patterns.rx("quote_after_verb")):
        m = pattern.match(after)
        if m is None:
            continue
        who_begin, who_end = q.close_mark + 1 + m.start("who"), q.close_mark + 1 + m.end()
        who = m.group("who").strip()
        person = _person_in(mentions, i, who_begin, who_end)
        if person is not None:
            return FoundQuote(q, person, False, i)
        institution = any(m.kind in ("org", "country") and who_begin <= m.start < who_end
                          for m in mentions.in_sentence(i))
        if institution and len(who.split()) <= 6 or _SOURCE.fullmatch(who.strip()) \
                or _SOURCE.match(who.strip()) and len(who.split()) <= 5:
            # "the Elysee said", "the ministry said"; "the statement read": a document, the joint one if any
            return FoundQuote(q, None, bool(_JOINT.search(who)), i, bool(_DOCUMENT.search(who)))
    j = doc.sentence_at(q.open_mark)
    if j is None:
        return None
    before = _before(doc, sentences[j], j, q)
    if before is not None:
        return FoundQuote(q, before[0], before[1], i)
    # 'the King said:' closing the paragraph before a quoted paragraph
    s = sentences[j]
    if q.open_mark <= s.begin + 1 and j > 0 and sentences[j - 1].text.rstrip().endswith(":"):
        prev = sentences[j - 1]
        before = _before(doc, prev, j - 1, Quotation(q.begin, q.end, q.text, prev.end, q.close_mark))
        if before is not None:
            return FoundQuote(q, before[0], before[1], i)
    return None


def _before(doc: Doc, s: Sentence, j: int, q: Quotation) -> tuple[str | None, bool] | None:
    """The subject of a verb of saying before the quotation: (speaker, joint) or None.

    'X ... called the two states "..."'; 'the prince, who is also ..., told Y that "..."'; 'X, ..., who said
    the bloc's chiefs ... had been told to "..."'; 'the two leaders wrote in a joint text: "..."'.
    """
    text, mentions = doc.text, doc.mentions
    quoted = [(x.open_mark, x.close_mark) for x in doc.quotations]
    lead = text[s.begin:q.open_mark]
    lead_unquoted = blank(lead, s.begin, quoted)
    saying = patterns.rx("saying")
    said = saying.search(lead_unquoted)
    if said is None:
        return None
    people = [m for m in mentions.in_sentence(j, "person") if m.start < q.open_mark
              and not any(a <= m.start <= b for a, b in quoted)]
    who = re.search(r"(?P<name>\S[^,;]*?),[^;]*?\bwho\s+(?:" + patterns.alternation("say") + r")\b", lead_unquoted, _I)
    if who is not None:
        named = [m for m in people if s.begin + who.start("name") <= m.start < s.begin + who.end("name")]
        if named:
            return named[-1].ref, False
    subject_part = lead_unquoted[:said.start()]
    if patterns.rx("plural_ref").search(subject_part) or re.search(r"\bthey\b", subject_part, _I):
        if _JOINT.search(lead_unquoted):
            return None, True                         # "the two leaders wrote in a joint text:"
        return None
    if people:
        first = people[0]
        if patterns.rx("object_before").search(text, max(s.begin, first.start - 60), first.start):
            return None                               # the person is not the subject
        if re.match(r"\s+and\s+[A-Z]", text[first.stop:first.stop + 8]):
            return None                               # "X and Y said ...": two speakers
        verb = saying.search(lead_unquoted, first.stop - s.begin)
        if verb is not None:
            return first.ref, False
        return None
    subject = lead_unquoted[:said.start()]
    source = re.search(r"(?:^|,\s*)(?:[A-Z][\w.-]*\s+){0,3}" + _SOURCE.pattern, subject.strip(), _I)
    if source and len(subject.split()) <= 8:
        return None, bool(_JOINT.search(lead_unquoted))   # "a senior official said the capital was "...""
    return None


def _follows(text: str, previous: FoundQuote, q: Quotation) -> bool:
    """The next quotation right after an attributed one, in the same paragraph, with nothing but the
    attribution between them."""
    gap = text[previous.quote.close_mark + 1:q.open_mark]
    return "\n" not in gap and len(gap) < 120 and re.fullmatch(r"[^“”\"]*[.!?]\s*", gap) is not None


def _person_in(mentions: Mentions, i: int, begin: int, end: int) -> str | None:
    found: list[Mention] = [m for m in mentions.in_sentence(i, "person") if begin <= m.start and m.stop <= end + 1]
    people = {m.ref for m in found}
    return found[0].ref if len(people) == 1 else None
