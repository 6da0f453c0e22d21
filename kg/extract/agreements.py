"""Agreements: the documents signed at a reported signing, or issued as a joint statement.

A batch described only by subject is one agreement; when the text gives a count and then as many subjects,
one by one ("The first memorandum sets up ..., a second one covers ...; the other three cover A; B;
and C"), each is an agreement of its own.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.extract import patterns
from kg.extract.dates import find_dates
from kg.extract.doc import Doc, Frame
from kg.extract.doc import FoundAgreement as Found
from kg.extract.text import Sentence
from kg.model import Span

_I = re.IGNORECASE
_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
            "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "dozen": 12}
_COUNT = r"(?P<count>\d{1,3}|one|a|an|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|" \
         r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|a\s+dozen|several|multiple|a\s+number\s+of|some|" \
         r"a\s+series\s+of|(?:[A-Z][\w’'-]*(?:’s|'s)))"
# Modifiers between the count and the head noun: adjectives and nouns, never a verb or a determiner.
_MODS = r"(?P<mods>(?:(?!(?:signed|concluded|inked|exchanged|sign|the|a|an|and|or|of|on|to|with|for|in|at|by|" \
        r"their|its|one|two|three|four|five|six|seven|eight|nine|ten|\d+|" \
        r"agreements?|memorand\w*|MoUs?|treat(?:y|ies)|accords?|deals?|pacts?)\b)[\w-]+\s+){0,5})"
KINDS: tuple[tuple[str, str], ...] = (
    ("MemorandumOfUnderstanding", r"memorand(?:um|a|ums)(?:\s+of\s+(?:understa\w*|cooperation))?|MoUs?|"
                                  r"letters?\s+of\s+intent"),
    ("Treaty", r"treat(?:y|ies)|instruments?\s+of\s+accession|accession\s+protocols?|conventions?"),
    ("Agreement", r"agreements?|accords?|pacts?|deals?|contracts?|exchanges?\s+of\s+notes"),
    ("JointDeclaration", r"(?:joint\s+)?declarations?|communiqu[eé]s?"),
)
AGREEMENT = re.compile(rf"\b(?:{_COUNT}\s+)?{_MODS}(?P<head>{'|'.join(p for _, p in KINDS)})\b", _I)
_SUBJECT_AFTER = re.compile(r"\s+(?:on|about|concerning|covering|regarding|for|in\s+the\s+(?:field|area)s?\s+of)\s+"
                            r"(?P<subj>(?:the\s+)?[^,.;]+?)(?=\s+(?:between|with|at|in|on|during|that|which)\b|[,.;]|$)",
                            _I)
_NAMED = re.compile(r"\b(?P<name>(?:[A-Z][\w’'-]*\s+){1,6}"
                    r"(?:Agreement|Treaty|Accord|Declaration|Protocol|Convention|Pact|Charter))\b")
_ELABORATION_VERBS = r"establish\w*|provid\w*\s+for|cover\w*|concern\w*|deal\w*\s+with|focus\w*\s+on|relat\w*\s+to|" \
                     r"set\w*\s+up|creat\w*|introduc\w*|includ\w*|address\w*|are\s+on|is\s+on|range\s+from"
_ONE_OF = re.compile(rf"\b(?:one|the\s+first)\s+of\s+(?:the|them|these)\b[^.;]*?\b(?:{_ELABORATION_VERBS})\s+"
                     rf"(?P<subj>[^,;.]+)", _I)
_NEXT_ONE = re.compile(rf"\ba\s+(?:second|third|fourth|fifth|sixth)(?:\s+one)?\b[^.;]*?\b(?:{_ELABORATION_VERBS})\s+"
                       rf"(?P<subj>[^,;.]+)", _I)
_THE_OTHER = re.compile(rf"\bthe\s+(?:other|remaining)\s+(?P<n>\w+)\b[^.]*?\b(?:{_ELABORATION_VERBS})\s+"
                        rf"(?P<list>[^.]+)", _I)
_SIGNED_NEW = re.compile(r"\b(?:signed|inked|concluded|sealed|initial(?:l)?ed)\s+(?:also\s+)?$", _I)
# A document the text introduces as one more: "a second text", "another memorandum", "a separate agreement".
_NEW = re.compile(r"\b(?:a\s+second|a\s+third|another|a\s+separate|a\s+further|an\s+additional|a\s+so-called|also\s+a|"
                  r"and\s+a|and\s+an)\s+(?:[\w,-]+\s+){0,4}$", _I)
# A further document coordinated with the first in the signing's clause: "an agreement on X and three memorandums".
_AND_MORE = re.compile(r"\band\s+(?:also\s+)?(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|"
                       r"[A-Z][\w’'-]*)?\s*$", _I)
AFTER = 6                   # sentences after a signing in which a document introduced as one more is the signing's
_RATIFICATION = re.compile(r"\bratification\b|\binstruments?\s+of\s+ratification\b", _I)


@dataclass(slots=True)
class FoundAgreement:
    kind: str
    parties: list[str]
    span: Span
    event: str                       # id of the signing or statement frame
    title: str | None = None
    subject: str | None = None
    subjects: list[str] = field(default_factory=list)
    confidence: float = 1.0


def find_agreements(doc: Doc) -> Doc:
    """The agreement stage: the documents of the asserted signings and joint statements."""
    out: list[FoundAgreement] = []
    text, sentences = doc.text, doc.sentences
    events = sorted(doc.asserted(), key=lambda e: (e.type != "AgreementSigning", e.span.begin))
    for e in events:
        parties = sorted(e.countries())
        if e.type == "JointStatement" and any(a.kind == "JointDeclaration" and set(a.parties) == set(parties)
                                               for a in out):
            continue                                      # the declaration a signing already gave
        if e.type == "JointStatement":
            s = sentences[e.sentence]
            m = re.search(r"\b(?:joint\s+)?(?:statement|declaration|communiqu[eé])\b", s.text, _I)
            subj = _SUBJECT_AFTER.match(s.text, m.end()) if m else None
            if subj and find_dates(subj.group("subj"), 0, len(subj.group("subj")), None):
                subj = None                               # "a joint statement on Monday": a date, not a subject
            named = _declaration(text, s)
            out.append(FoundAgreement("JointDeclaration", parties, e.span, e.id,
                                      title=named.group("name") if named else None,
                                      subject=_clean(subj.group("subj")) if subj else None))
            out.extend(_listed(doc, e, parties, out))
            continue
        if e.type == "AgreementSigning":
            _signed(doc, e, parties, out)
    doc.agreements = [Found(a.kind, tuple(a.parties), a.span, a.event, a.title, a.subject, a.confidence)
                      for a in _dedupe(out)]
    return doc


def _signed(doc: Doc, e: Frame, parties: list[str], out: list[FoundAgreement]) -> None:
    text, sentences = doc.text, doc.sentences
    s = sentences[e.sentence]
    found = next((km for sp in e.spans for km in _mentions(text, sp.begin, sp.end)), None)
    if found is None:
        named = _declaration(text, s)
        if named is not None:
            out.append(FoundAgreement("JointDeclaration", parties, Span.of(text, named.start(), named.end()), e.id,
                                      title=named.group("name"), confidence=0.9))
        out.extend(_listed(doc, e, parties, out))
        return
    kind, m = found
    s = sentences[doc.sentence_at(m.start()) or e.sentence]
    if _RATIFICATION.search(s.text) and kind != "Treaty":
        return
    if _RATIFICATION.search(text[s.begin:m.start()]) and not re.search(r"accession", m.group(0), _I):
        return                                        # ratifying an existing agreement is not a new one
    count = _count(m.group("count"), m.group("head"))
    title = _title(text, s, m)
    subject = _subject(text, s, m)
    subjects = _elaboration(sentences, e.sentence)
    span = _span(text, m)
    if count and count > 1 and len(subjects) == count:
        for subj in subjects:
            out.append(FoundAgreement(kind, parties, span, e.id, subject=subj, subjects=[subj], confidence=0.8))
    elif not any(a.event == e.id and a.kind == kind for a in out):
        if subjects and not subject:
            subject = "; ".join(subjects)
        out.append(FoundAgreement(kind, parties, span, e.id, title=title, subject=subject, subjects=subjects,
                                  confidence=0.9 if title or subject else 0.8))
    out.extend(_coordinated(doc, e, parties, m, out))
    out.extend(_further(doc, e, parties, m, out))
    out.extend(_listed(doc, e, parties, out))


def _coordinated(doc: Doc, e: Frame, parties: list[str], first: re.Match[str],
                 found: list[FoundAgreement]) -> list[FoundAgreement]:
    """Documents named with the first one in the signing's clause, each its own: 'an agreement on X and three
    memorandums of understanding on Y'."""
    text = doc.text
    out: list[FoundAgreement] = []
    clause = next((sp for sp in e.spans if sp.begin <= first.start() < sp.end), e.span)
    for kind, m in _mentions(text, first.end(), clause.end):
        if not _AND_MORE.search(text, max(clause.begin, m.start() - 20), m.start()):
            continue
        s = doc.sentences[doc.sentence_at(m.start()) or e.sentence]
        subject = _subject(text, s, m)
        if any(a.kind == kind and a.subject == subject for a in found + out):
            continue
        out.append(FoundAgreement(kind, parties, _span(text, m), e.id, title=_title(text, s, m), subject=subject,
                                  confidence=0.8))
    return out


def _listed(doc: Doc, e: Frame, parties: list[str], found: list[FoundAgreement]) -> list[FoundAgreement]:
    """Documents of the same signing that the following sentences introduce as more ('another memorandum, on
    fisheries, ...') or list under it ('the texts signed were:' and a list)."""
    text, sentences = doc.text, doc.sentences
    out: list[FoundAgreement] = []
    last = max(doc.sentence_at(sp.begin) or e.sentence for sp in e.spans)
    listing = sentences[last].text.rstrip().endswith(":")
    for j in range(last + 1, min(len(sentences), last + 1 + AFTER)):
        s = sentences[j]
        if s.paragraph < 0 or any(x.sentence == j and x.factuality != "asserted" for x in doc.events.values()):
            continue
        item = patterns.LIST_ITEM.search(text, text.rfind("\n", 0, s.begin) + 1, s.begin + 8) is not None
        for kind, m in _mentions(text, s.begin, s.end):
            new = listing and item or _NEW.search(text, max(s.begin, m.start("head") - 50), m.start("head")) is not None
            if not new or any(a.kind == kind and a.span.begin == _span(text, m).begin for a in found + out):
                continue
            out.append(FoundAgreement(kind, parties, _span(text, m), e.id, title=_title(text, s, m),
                                      subject=_subject(text, s, m), confidence=0.8))
            break
        listing = listing and (item or s.text.rstrip().endswith(":"))
    return out


def _mention(text: str, s: Sentence) -> tuple[str, re.Match[str]] | None:
    return next(_mentions(text, s.begin, s.end), None)


_HEADS = re.compile(r"memorand|mou|treat|instrument|accession|convention|agreement|accord|pact|deal|contract|exchange|"
                    r"declaration|communiq|letter", _I)


def _mentions(text: str, begin: int, end: int) -> Iterator[tuple[str, re.Match[str]]]:
    if _HEADS.search(text, begin, end) is None:
        return                            # no document word: spare the long pattern
    for m in AGREEMENT.finditer(text, begin, end):
        head = m.group("head")
        kind = next(k for k, pattern in KINDS if re.fullmatch(pattern, head, _I))
        yield kind, m


def _span(text: str, m: re.Match[str]) -> Span:
    return Span.of(text, m.start("head") if not m.group("mods") else m.start("mods"), m.end())


def _declaration(text: str, s: Sentence) -> re.Match[str] | None:
    """'signed the Lisbon Declaration': a named declaration is the document of a signing with no other."""
    return next((d for d in _NAMED.finditer(text, s.begin, s.end) if d.group("name").endswith("Declaration")), None)


def _further(doc: Doc, e: Frame, parties: list[str], first: re.Match[str],
             found: list[FoundAgreement]) -> list[FoundAgreement]:
    """Other documents the same signing names as new ones: '..., and the two ministries signed an accord on
    water'; 'at the same ceremony, the other two states signed a separate memorandum'."""
    out: list[FoundAgreement] = []
    text, sentences = doc.text, doc.sentences
    seen = {(a.kind, a.subject) for a in found if a.event == e.id}
    # The first mention is the primary sentence's first, so only what follows it there, and other sentences.
    primary = sentences[e.sentence]
    others = {(sp.begin, sp.end) for sp in e.spans if sp.end <= primary.begin or sp.begin >= primary.end}
    for begin, end in sorted(others | {(first.end(), primary.end)}):
        for kind, m in _mentions(text, begin, end):
            if not _SIGNED_NEW.search(text, max(begin, m.start() - 40), m.start()):
                continue
            at = doc.sentence_at(m.start())
            s = sentences[e.sentence if at is None else at]
            subject = _subject(text, s, m)
            if (kind, subject) in seen or _RATIFICATION.search(text[s.begin:m.start()]):
                continue
            seen.add((kind, subject))
            out.append(FoundAgreement(kind, parties, _span(text, m), e.id, title=_title(text, s, m), subject=subject,
                                      confidence=0.8))
    return out


def _count(word: str | None, head: str) -> int | None:
    if word:
        w = re.sub(r"\s+", " ", word.casefold())
        if w.isdigit():
            return int(w)
        if w in _NUMBERS:
            return _NUMBERS[w]
        if w == "a dozen":
            return 12
        if w.endswith(("’s", "'s")):
            return 1
        return None
    return None if re.search(r"(?:s|a)$", head, _I) and not head.casefold().endswith(("us", "ss")) else 1


def _title(text: str, s: Sentence, m: re.Match[str]) -> str | None:
    for named in _NAMED.finditer(text, s.begin, s.end):
        if named.start() <= m.end() and m.start() <= named.end():
            return named.group("name")
    return None


def _subject(text: str, s: Sentence, m: re.Match[str]) -> str | None:
    after = _SUBJECT_AFTER.match(text, m.end(), s.end)
    if after and not find_dates(after.group("subj"), 0, len(after.group("subj")), None):
        return _clean(after.group("subj"))
    mods = (m.group("mods") or "").strip()
    words = [w for w in mods.split() if w.casefold() not in ("legally", "binding", "bilateral", "new", "historic",
                                                              "landmark", "several", "the", "a", "an", "of", "their",
                                                              "its", "own", "separate", "first", "major")]
    return " ".join(words) or None


def _elaboration(sentences: list[Sentence], at: int) -> list[str]:
    """Subjects the next sentences give to the agreements signed in sentence ``at``."""
    one_by_one: list[str] = []
    for s in sentences[at + 1:at + 7]:
        if s.paragraph < 0:
            continue
        for pattern in (_ONE_OF, _NEXT_ONE):
            for m in pattern.finditer(s.text):
                one_by_one.append(_clean(m.group("subj")))
        other = _THE_OTHER.search(s.text)
        if other:
            one_by_one.extend(_split_list(other.group("list")))
    return [x for x in one_by_one if x]


def _split_list(text: str) -> list[str]:
    text = re.split(r",\s+(?:according|said|which|who|as)\b", text)[0]
    if ";" in text:
        parts = re.split(r";\s*(?:and\s+)?", text)
    else:
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=\w+\s+\w+)", text)
    return [_clean(p) for p in parts if _clean(p)]


def _clean(subject: str) -> str:
    subject = re.sub(r"^(?:and|the|a|an|cooperation\s+(?:on|in))\s+", "", subject.strip(), flags=_I)
    subject = re.sub(r"\s+(?:between|with)\s+the\s+two\s+\w+$", "", subject, flags=_I)
    return subject.strip(" ,;:.")


def _dedupe(agreements: list[FoundAgreement]) -> list[FoundAgreement]:
    out: list[FoundAgreement] = []
    for a in agreements:
        if a.title and any(b.title == a.title for b in out):
            continue
        out.append(a)
    return out
