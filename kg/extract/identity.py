"""One identity per person per article.

A full name introduces a person. Later short forms ("Modi"), misspellings ("Nduhungire"), office references ("the
Chilean president", "the UN chief") and subject pronouns resolve to a person already introduced; a relation ("his
Rwandan counterpart, X") gives X an office and a state. A misspelt full name joins the gazetteer's office holder of
the same state when the spellings are close. A name given alone never stands for a global person: it resolves to
someone named in full, to the office holder the title and date point to, or, after a title used with one name
("Queen Camilla"), to a person known to this article only.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from kg import gazetteer as gz
from kg.extract import patterns
from kg.extract.doc import Doc, Mention, Mentions, NameRun, PersonInfo
from kg.extract.lexicon import Match
from kg.extract.mentions import (
    COUNTRY_KINDS,
    FAMILY_NAME_FIRST,
    RELATION_BEFORE,
    ROYAL_BEFORE,
    new_person,
    office_term,
)
from kg.extract.text import CAPTION, fold
from kg.extract.titles import HEAD_OF_STATE_OR_GOVERNMENT, Title, canonical
from kg.model import Span

FUZZY_NAME = 88            # rapidfuzz ratio (0-100) above which two spellings of a name in one state are one person
FUZZY_SURNAME = 85         # for a surname alone against the surnames of people the article named in full
_LEADERS = HEAD_OF_STATE_OR_GOVERNMENT


def resolve_identity(doc: Doc) -> Doc:
    _merge_known(doc)
    _fuzzy_known(doc)
    for run in doc.runs:
        _short_name(doc, run)
    _relations(doc)
    _context_countries(doc)
    _title_references(doc)
    _pronouns(doc)
    for lst in doc.mentions.by_sentence:
        lst.sort(key=lambda m: m.start)
    return doc


# -- one person under several names -------------------------------------------------------------

def _words(name: str) -> list[str]:
    return fold(name).split()


def _merge(doc: Doc, info: PersonInfo, twin: PersonInfo) -> None:
    """``info`` is ``twin`` under another name: its spans and mentions go to ``twin``."""
    twin.spans.extend(info.spans)
    twin.forms |= info.forms
    if twin.title is None:
        twin.title, twin.title_span = info.title, info.title_span
    if twin.country is None:
        twin.country = info.country
    del doc.mentions.persons[info.key]
    for lst in doc.mentions.by_sentence:
        for m in lst:
            if m.kind == "person" and m.ref == info.key:
                m.ref, m.country = twin.key, twin.country


def _merge_known(doc: Doc) -> None:
    """'King Charles' in the headline is the gazetteer's 'Charles III' named in the body; 'President Joseph R. Smith'
    is the gazetteer's President 'Joe Smith' when the office the text gives is the one he held on the date."""
    persons = doc.mentions.persons
    for info in list(persons.values()):
        if info.in_gazetteer:
            continue
        mine = _words(info.name)
        twin = next((p for p in persons.values() if p.in_gazetteer and p is not info and mine
                     and set(mine) <= set(_words(p.name)) and mine[-1] == _words(p.name)[-1]), None)
        if twin is None and mine and info.title is not None:
            twin = _same_office_holder(doc, info, mine)
        if twin is not None:
            _merge(doc, info, twin)


def _same_office_holder(doc: Doc, info: PersonInfo, mine: list[str]) -> PersonInfo | None:
    day = doc.article.published
    office = info.title.office if info.title is not None else None
    found = {t.person for t in _by_surname(doc.gaz).get(mine[-1], ())
             if (t.office == office or t.title == office) and (day is None or t.holds_on(day))
             and (info.country is None or t.of == info.country) and _words(t.person)[0][:1] == mine[0][:1]}
    if len(found) != 1:
        return None
    key = found.pop()
    return doc.mentions.persons.get(key) or _known_person(doc, key)


_SURNAMES: dict[int, tuple[gz.Gazetteer, dict[str, tuple[gz.OfficeTerm, ...]]]] = {}


def _by_surname(gaz: gz.Gazetteer) -> dict[str, tuple[gz.OfficeTerm, ...]]:
    """The gazetteer's office terms by the last word of the holder's name (built once per gazetteer object)."""
    hit = _SURNAMES.get(id(gaz))
    if hit is None or hit[0] is not gaz:
        out: dict[str, list[gz.OfficeTerm]] = {}
        for t in gaz.office_terms:
            out.setdefault(_words(t.person)[-1], []).append(t)
        hit = _SURNAMES[id(gaz)] = (gaz, {k: tuple(v) for k, v in out.items()})
    return hit[1]


_HOLDERS: dict[int, tuple[gz.Gazetteer, dict[str, tuple[tuple[str, str], ...]]]] = {}


def _holders(gaz: gz.Gazetteer) -> dict[str, tuple[tuple[str, str], ...]]:
    """State or body -> (folded name or alias, person) of every office holder the gazetteer lists for it (built
    once per gazetteer object)."""
    hit = _HOLDERS.get(id(gaz))
    if hit is None or hit[0] is not gaz:
        out: dict[str, set[tuple[str, str]]] = {}
        for t in gaz.office_terms:
            for name in (t.person, *t.aliases):
                out.setdefault(t.of, set()).add((fold(name), t.person))
        hit = _HOLDERS[id(gaz)] = (gaz, {k: tuple(sorted(v)) for k, v in out.items()})
    return hit[1]


def _fuzzy_known(doc: Doc) -> None:
    """A full name spelt a little differently from a person of the same state already known ('Dina Boularte',
    'Prabowo Subiyanto') is that person."""
    persons = doc.mentions.persons
    for info in list(persons.values()):
        if info.in_gazetteer or info.country is None or len(info.name.split()) < 2:
            continue
        mine = fold(info.name)
        twin = next((p for p in persons.values() if p is not info and p.country == info.country
                     and len(p.name.split()) >= 2 and fuzz.ratio(mine, fold(p.name)) >= FUZZY_NAME), None)
        if twin is None:
            close = {person for name, person in _holders(doc.gaz).get(info.country, ())
                     if len(name.split()) >= 2 and fuzz.ratio(mine, name) >= FUZZY_NAME}
            if len(close) == 1:
                key = close.pop()
                twin = persons.get(key) or _known_person(doc, key)
        if twin is not None and twin is not info:
            _merge(doc, info, twin)


def _known_person(doc: Doc, key: str) -> PersonInfo:
    """The gazetteer person ``key`` as a person of this article."""
    info = doc.mentions.persons[key] = new_person(doc, key, True)
    return info


# -- short names -------------------------------------------------------------------------------

def resolve_short(mentions: Mentions, name: str) -> str | None:
    """The one person of the article a surname or short form stands for ("Berg" with two Bergs named: the leader)."""
    key = fold(name)
    hits = []
    for p in mentions.persons.values():
        toks = fold(p.name).split()
        if not toks:
            continue
        last = toks[-1]
        if key in (last, re.sub(r"^(?:al|el|ad|as|ash|at|az|ar|an)-", "", last)) or key in p.forms or \
                (p.country in FAMILY_NAME_FIRST and toks[0] == key):
            hits.append(p.key)
    if len(hits) == 1:
        return hits[0]
    if hits:
        leaders = [h for h in hits if (t := mentions.persons[h].title) is not None and t.office in _LEADERS]
        if len(leaders) == 1:
            return leaders[0]
        return None
    # Where custom names people by their given name: the one person of the article with that first name.
    given = [p.key for p in mentions.persons.values() if not p.local and len(p.name.split()) >= 2
             and fold(p.name).split()[0] == key]
    return given[0] if len(given) == 1 else None


def _close_surname(mentions: Mentions, name: str) -> str | None:
    """A misspelt surname ('Nduhungire'): the one person named in full whose surname is close to it."""
    key = fold(name)
    if len(key) < 5:
        return None
    hits = {p.key for p in mentions.persons.values() if not p.local and len(p.name.split()) >= 2
            and fuzz.ratio(key, fold(p.name).rsplit(None, 1)[-1], score_cutoff=FUZZY_SURNAME)}
    return hits.pop() if len(hits) == 1 else None


def _short_name(doc: Doc, run: NameRun) -> None:
    mentions = doc.mentions
    key = resolve_short(mentions, run.name) or _close_surname(mentions, run.name)
    if key is None:
        royal = ROYAL_BEFORE.search(doc.text, max(doc.sentences[run.sentence].begin, run.start - 24), run.start)
        if royal is None:
            return                                   # a name alone, never introduced: no one
        key = _royal(doc, run, royal.group(0).strip())
    info = mentions.persons[key]
    info.spans.append(Span.of(doc.text, run.start, run.stop))
    mentions.by_sentence[run.sentence].append(Mention(run.start, run.stop, run.sentence, "person", key, info.country,
                                                      "surname"))


def _royal(doc: Doc, run: NameRun, title: str) -> str:
    """'Emir Tamim', 'Queen Camilla', 'Pope Francis': the gazetteer's holder of that office on the date whose name
    starts with that name, else a person known to this article only."""
    office = canonical(title)
    day = doc.article.published
    first = fold(run.name)
    found = {t.person for t in doc.gaz.office_terms
             if (t.office == office or t.title == office) and (day is None or t.holds_on(day))
             and fuzz.ratio(first, fold(t.person).split()[0]) >= FUZZY_SURNAME}
    if len(found) == 1:
        key = found.pop()
        return key if key in doc.mentions.persons else _known_person(doc, key).key
    key = f"{office} {run.name}"
    if key not in doc.mentions.persons:
        t = Title(run.start, run.start, office, office, False, False)
        doc.mentions.persons[key] = PersonInfo(key, run.name, title=t, local=True)
    return key


# -- relations ---------------------------------------------------------------------------------

def _relations(doc: Doc) -> None:
    """'his wife, X' (First Lady), "Berg's predecessor, Y" (Former President), 'his Ruritanian counterpart, Z'
    (the owner's office, in Ruritania)."""
    for info in list(doc.mentions.persons.values()):
        if not info.spans or info.local:
            continue
        first = min(info.spans, key=lambda sp: sp.begin)
        i = doc.sentence_at(first.begin)
        if i is None:
            continue
        relation = RELATION_BEFORE.search(doc.text, max(doc.sentences[i].begin, first.begin - 100), first.begin)
        if relation is not None:
            _relation(doc, info, relation, i)


def _relation(doc: Doc, info: PersonInfo, relation: re.Match[str], i: int) -> None:
    owner_text = relation.group("owner")
    rel = relation.group("rel").casefold()
    if owner_text.casefold() in ("his", "her", "their"):
        owner = last_subject(doc, relation.start())
    else:
        owner = resolve_short(doc.mentions, re.sub(r"(?:’s|'s)$", "", owner_text))
    if owner is None or owner == info.key:
        return
    o = doc.mentions.persons[owner]
    office = o.title.office if o.title else None
    nat = _country_in(doc, i, relation.start("nat"), relation.end("nat")) if relation.group("nat") else None
    label = None
    if rel in ("wife", "husband", "spouse") and office in ("President", "Prime Minister", "Chancellor"):
        label, same_office = ("First Lady" if rel == "wife" else "First Gentleman"), False
        info.country = info.country or o.country
    elif rel in ("predecessor", "successor") and office:
        label, same_office = (f"Former {office}" if rel == "predecessor" else office), True
        info.country = info.country or o.country
    elif rel == "counterpart" and office and info.title is None:
        label, same_office = office, False
        info.country = nat or info.country
    if label is None or info.title is not None and rel != "counterpart":
        return
    info.title = Title(relation.start("rel"), relation.end("rel"), label, canonical(label.removeprefix("Former ")),
                       rel == "predecessor", False)
    info.title_span = Span.of(doc.text, relation.start("rel"), relation.end("rel"))
    if same_office:
        info.of_kind, info.of = o.of_kind, o.of
    for lst in doc.mentions.by_sentence:
        for m in lst:
            if m.kind == "person" and m.ref == info.key:
                m.country = info.country


def _country_in(doc: Doc, i: int, begin: int, end: int) -> str | None:
    for m in doc.matches[i]:
        if begin <= m.start and m.stop <= end:
            e = m.first(*COUNTRY_KINDS)
            if e is not None:
                return e.ref
    return None


# -- states from context -----------------------------------------------------------------------

def _context_countries(doc: Doc) -> None:
    """A national office holder the text gives no state: the one state the sentence, or else the nearest earlier
    sentence of the paragraph, names before them; none when it names several."""
    mentions = doc.mentions
    for info in mentions.persons.values():
        if info.country is not None or info.title is None or not info.spans or info.local:
            continue
        org = doc.gaz.organizations.get(info.of or "") if info.of_kind == "organization" else None
        if info.of_kind == "organization" and (org is None or org.country is None):
            continue
        at = info.spans[0].begin
        i = doc.sentence_at(at) or 0
        para = doc.sentences[i].paragraph
        for j in range(i, -1, -1):
            if doc.sentences[j].paragraph != para:
                break
            found = {m.country for m in mentions.by_sentence[j] if m.country and m.kind != "place"
                     and not (m.kind == "person" and m.ref == info.key) and (j < i or m.start < at)}
            if found:
                if len(found) == 1:
                    info.country = found.pop()
                break
        if info.country is None:
            places = {m.country for m in mentions.by_sentence[i] if m.kind == "place" and m.country and m.start < at}
            if len(places) == 1:
                info.country = places.pop()
        if info.country is None and not places and _in_lead(doc, i):
            info.country = _dateline_country(doc)
        if info.country is not None:
            for lst in mentions.by_sentence:
                for m in lst:
                    if m.kind == "person" and m.ref == info.key:
                        m.country = info.country


def _in_lead(doc: Doc, i: int) -> bool:
    """Sentence ``i`` is the first of the story, the one the dateline heads."""
    return doc.sentences[i].paragraph == 0 and all(s.paragraph != 0 for s in doc.sentences[:i])


def _dateline_country(doc: Doc) -> str | None:
    """The state of the place the reader split off as the dateline: the lead sentence's place, as if still in it."""
    line = doc.article.dateline
    entry = doc.gaz.place(line.text) if line is not None else None
    return entry.country if entry is not None else None


# -- references by office ----------------------------------------------------------------------

_THE = re.compile(r"(?:^|\b)the\s+$", re.IGNORECASE)


def _title_references(doc: Doc) -> None:
    """'the crown prince told X', 'the Ruritanian president said', 'the UN chief', 'the Freedonian leader': an
    office named for the one person of the article holding it (in the state or body named with it)."""
    text, mentions = doc.text, doc.mentions
    for i, s in enumerate(doc.sentences):
        taken = [(m.start, m.stop) for m in mentions.by_sentence[i] if m.kind == "person"]
        for t in doc.titles(i):
            if t.plural or t.former or any(a <= t.begin < b for a, b in taken):
                continue
            if re.match(r"\s+[A-Z]|\s+of\b", text[t.end:t.end + 3]):
                continue                              # "the President Anna Weiss", "the head of ..."
            qual = _qualifier(doc, i, t.begin)
            start = qual.start if qual is not None else t.begin
            if not _THE.search(text, max(s.begin, start - 4), start):
                continue
            person = _holder(doc, t, qual)
            if person is not None:
                info = mentions.persons[person]
                mentions.by_sentence[i].append(Mention(start, t.end, i, "person", person, info.country, "title"))


def _qualifier(doc: Doc, i: int, at: int) -> Match | None:
    """A state or body named right before a title: 'the Chilean president', 'the UN chief'."""
    for m in doc.matches[i]:
        if m.stop <= at and not doc.text[m.stop:at].strip() and m.kinds() & (COUNTRY_KINDS | {"org"}):
            return m
    return None


def _holder(doc: Doc, t: Title, qual: Match | None) -> str | None:
    country = org = None
    if qual is not None:
        e = qual.first(*COUNTRY_KINDS)
        country = e.ref if e is not None else None
        o = qual.first("org")
        org = o.ref if o is not None and country is None else None
    persons = doc.mentions.persons.values()
    if org is not None:
        found = [p.key for p in persons if p.of == org and _offices(doc, p)]
        return found[0] if len(found) == 1 else None
    candidates = [p for p in persons if not p.local and (country is None or p.country == country)]
    exact = [p.key for p in candidates if t.office in _offices(doc, p)]
    if len(exact) == 1 or country is None:
        return exact[0] if len(exact) == 1 else None
    # "the Ruritanian leader": the state's head of state or government; "the Ruritanian minister": its one minister.
    generic = t.office in ("Leader", "Head", "Chief") or t.office in _LEADERS
    found = [p.key for p in candidates
             if any(generic and o in _LEADERS or t.office in o for o in _offices(doc, p))]
    return found[0] if len(found) == 1 else None


def _offices(doc: Doc, p: PersonInfo) -> set[str]:
    """The current offices a person holds by the text and, for a gazetteer person, on the publication date."""
    if p.title is not None and p.title.former:
        return set()                     # "her predecessor": the text says the person no longer holds it
    out = {p.title.office} if p.title is not None else set()
    if p.in_gazetteer:
        term = office_term(doc, p.key)
        day = doc.article.published
        if term is not None and (day is None or term.holds_on(day)):
            out |= {term.office} | ({term.title} if term.title else set())
    return out


# -- pronouns ----------------------------------------------------------------------------------

_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)


def _pronouns(doc: Doc) -> None:
    """'he' and 'she' outside quotations stand for the last person named as a subject before them."""
    for i, s in enumerate(doc.sentences):
        if s.paragraph < 0:
            continue
        for m in _SUBJECT_PRONOUN.finditer(doc.text, s.begin, s.end):
            if doc.quoted(m.start()):
                continue
            who = last_subject(doc, m.start())
            if who is not None:
                doc.mentions.by_sentence[i].append(Mention(m.start(), m.end(), i, "person", who,
                                                           doc.mentions.persons[who].country, "pronoun"))


def last_subject(doc: Doc, before: int) -> str | None:
    """Whom 'he' or 'she' refers to: the last person named as a subject (not after 'of', 'with', ...) outside
    quotation marks; failing that, the last person named at all."""
    fallback = None
    object_before = patterns.rx("object_before")
    text = doc.text
    for i in range(len(doc.mentions.by_sentence) - 1, -1, -1):
        if doc.sentences[i].paragraph == CAPTION:
            continue                       # captions come after the story in sentence order, and describe a photo
        for m in reversed(doc.mentions.by_sentence[i]):
            if m.kind != "person" or m.start >= before or doc.quoted(m.start):
                continue
            if fallback is None:
                fallback = m.ref
            if not object_before.search(text, max(0, m.start - 40), m.start):
                return m.ref
    return fallback
