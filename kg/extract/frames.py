"""Event frames: each trigger with its arguments, found inside the clause that reports it.

A state, person or body takes part in an event only as an argument of its trigger: the subject before it in its
clause (or, for a verb phrase joined to an earlier one, that clause's subject), its direct object, or an actor after
a preposition the event type gives a role ("talks with", "a visit to", "sanctions on"). Whatever follows a phrase of
subject matter ("talks on Ukraine") is not an argument; nor is a name in a clause set into the trigger's clause, a
state named as the owner of something else ("Russia's invasion") or a nationality
that describes no actor ("Palestinian independence").
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from kg.extract import patterns
from kg.extract.actors import dateline, is_actor, token_index
from kg.extract.dates import MONTHS, WEEKDAY_NAMES
from kg.extract.doc import Actor, Clause, Doc, Frame, Mention, Trigger
from kg.extract.text import Sentence, Token
from kg.model import EVENT_TYPE_INFO, DatePrecision, Span

_PREPOSITIONS = frozenset({"with", "to", "in", "into", "of", "by", "from", "between", "among", "at", "on", "against",
                           "over", "and", "for", "during", "after", "before", "near", "outside", "inside", "via",
                           "across", "around", "under", "alongside", "beside", "toward", "towards", "including"})
_LOCATIVE = frozenset({"in", "at", "inside", "into", "to"})
_NESTED = frozenset({"relative", "apposition", "parenthesis", "subordinate", "reported", "participle", "coordinate"})
_ORG_ACTORS = frozenset({"international", "ministry"})
FAR = 12                    # tokens beyond which an argument is far from its trigger
NEAR_PLACE = 10             # tokens after the trigger within which a place says where the event happened
_DATE_AFTER = re.compile(rf"\s+(?:the\s+(?:same\s+)?)?(?:\d|{WEEKDAY_NAMES}|(?:{MONTHS})\.?|day|eve|morning|evening|"
                         r"afternoon|sidelines)\b")


def build_frames(doc: Doc) -> Doc:
    for t in doc.triggers:
        frame = _frame(doc, t)
        if frame is not None:
            doc.events[frame.id] = frame
    return doc


def _frame(doc: Doc, t: Trigger) -> Frame | None:
    i = t.sentence
    s = doc.sentences[i]
    if t.kind == "noun" and patterns.rx("discussed").search(doc.text, max(s.begin, t.begin - 60), t.begin):
        return None                    # "they discussed the stalled talks": what was talked about, not an event
    k = doc.clause_at(t.begin, i)
    clause = doc.clauses[k] if k is not None else None
    begin, end = (clause.begin, clause.end) if clause is not None else (s.begin, s.end)
    holes = _holes(doc, i, k, t)
    actors = _arguments(doc, s, t, begin, end, holes)
    if clause is not None and not any(a.distance < 0 for a in actors):
        if t.kind == "verb" and (clause.kind in ("coordinate", "participle") or clause.kind == "subordinate"
                                 and _non_finite(doc, clause)):
            actors = _inherited_subject(doc, s, t, clause, holes) + actors
        elif clause.kind == "relative" and clause.marker in ("who", "whose"):
            actors = _antecedent(doc, s, t, clause) + actors
    place = _place(doc, s, t, begin, end, holes)
    when, precision, when_span = _date(doc, s, begin, end, holes)
    span = Span.of(doc.text, begin, end)
    actors = _collapse(doc, actors)
    if t.type == "Visit":
        actors = visit_roles(actors, place)
    return Frame(doc.new_id(), t.type, t, tuple(actors), span, i, when, precision, when_span, place, spans=(span,))


# -- where to look -------------------------------------------------------------------------------

def _holes(doc: Doc, i: int, k: int | None, t: Trigger) -> list[tuple[int, int]]:
    """Clauses set into the trigger's clause that do not hold the trigger: their names are no arguments."""
    out = []
    if k is None:
        return out
    mine = doc.clauses[k]
    for j in doc.clauses_of.get(i, ()):
        c = doc.clauses[j]
        if j == k or c.kind not in _NESTED or not (mine.begin <= c.begin and c.end <= mine.end):
            continue
        if not c.begin <= t.begin < c.end:
            out.append((c.begin, c.end))
    return out


def _inside(offset: int, holes: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in holes)


# -- arguments -----------------------------------------------------------------------------------

def _arguments(doc: Doc, s: Sentence, t: Trigger, begin: int, end: int, holes: list[tuple[int, int]]) -> list[Actor]:
    info = EVENT_TYPE_INFO[t.type]
    preps = {**info.preps, **dict(t.preps)}
    toks = s.tokens
    pivot = token_index(s, t.begin)
    stop = _subject_matter(doc, t, end, preps)
    titled = _title_tokens(doc, t.sentence, s)
    subject_from = begin if t.kind == "verb" else _noun_subject_start(doc, s, t, begin)
    out: list[Actor] = []
    for m in doc.mentions.by_sentence[t.sentence]:
        if not begin <= m.start < stop or m.start == t.begin and t.rule != "visit-visiting" \
                or _inside(m.start, holes) or doc.quoted(m.start) or dateline(doc, m):
            continue
        n = token_index(s, m.start)
        if m.start < t.begin:
            prep = _governing_preposition(toks, n, 0, titled)
            if prep in (None, "and"):
                role = t.subject if m.start >= subject_from and not _object_of_verb(toks, n, titled) else "none"
            else:
                role = preps.get(prep, "none")
        elif m.start < t.end and token_index(s, t.end) - 1 == n:
            prep, role = None, t.object        # the actor a pattern ends on: "received by X", "visiting X"
        else:
            prep = _governing_preposition(toks, n, pivot + 1, titled, apposition=True)
            if prep is None:
                role = t.object if m.start < t.end or _adjacent(toks, token_index(s, t.end), n, titled) else "none"
            else:
                role = preps.get(prep, "none")
        if role == "none" or not _takes_part(doc, s, m, role, prep):
            continue
        distance = n - pivot
        actor = _actor(doc, m, role, distance)
        if not any(a.kind == actor.kind and a.ref == actor.ref for a in out):
            out.append(actor)
    return out


def _takes_part(doc: Doc, s: Sentence, m: Mention, role: str, prep: str | None) -> bool:
    """Whether a mention in an argument's place names a party: an actor; or, for what a sanction or protest is
    aimed at, any state or place of a state named there ("sanctions on Ruritania's police", "recalled its envoy
    from the port city"); or, for a visit's host, a capital named by nationality ("the Ruritanian capital") or a
    place visited ("to visit the port city")."""
    if is_actor(doc, m, s):
        return True
    if role == "target":
        return m.kind == "country" or m.kind == "place" and m.country is not None
    if role == "host":
        return _capital_of(doc, s, m) or prep is None and m.kind == "place" and m.country is not None
    return False


def _capital_of(doc: Doc, s: Sentence, m: Mention) -> bool:
    """'the Ruritanian capital', 'on Ruritanian soil': a nationality that names a place in that state."""
    if m.kind != "country" or m.form not in ("demonym", "demonyms"):
        return False
    n = token_index(s, m.stop)
    return n < len(s.tokens) and s.tokens[n].key in ("capital", "soil", "territory", "city")


def _actor(doc: Doc, m: Mention, role: str, distance: int) -> Actor:
    if m.kind == "place":
        return Actor("country", m.country or m.ref, m.country, role, distance)
    if m.kind == "person":
        return Actor("person", m.ref, doc.mentions.persons[m.ref].country, role, distance)
    if m.kind == "org":
        org = doc.mentions.orgs[m.ref]
        return Actor("organization", m.ref, org.country, role, distance)
    return Actor("country", m.ref, m.ref, role, distance)


def _adjacent(toks: list[Token], after: int, n: int, titled: set[int]) -> bool:
    """A direct object: nothing but noun phrases of actors (articles, titles, names, a list of them) between the
    trigger and it."""
    return all(k in titled or toks[k].key in ("the", "a", "an", "visiting", "its", "his", "her", "their", ",", "and",
                                              "’s", "'s")
               or toks[k].is_cap or toks[k].key in patterns.words("actor_noun") for k in range(after, n))


_NOT_VERBS = frozenset({"and", "or", "both", "also", "then", "as", "while", "with", "the", "a", "an", "his", "her",
                        "their", "its", "leaders", "president", "minister", "visiting", "fellow", "host",
                        "counterpart"})


def _object_of_verb(toks: list[Token], n: int, titled: set[int]) -> bool:
    """'X admitted Y as a member and adopted ...': Y right after a lowercase word that is no preposition is that
    word's object, not the subject of the trigger that follows."""
    k = n - 1
    while k >= 0 and (k in titled or toks[k].is_cap or toks[k].key in ("the", "a", "an", "’s", "'s")
                      or toks[k].key in patterns.words("actor_noun")):
        k -= 1
    if k < 0:
        return False
    tok = toks[k]
    return tok.text[:1].islower() and tok.key not in _PREPOSITIONS and tok.key not in _NOT_VERBS \
        and tok.text.isalpha() and tok.key.endswith(("ed", "es"))


def _title_tokens(doc: Doc, i: int, s: Sentence) -> set[int]:
    """Token indices inside office titles ('Secretary of State'): their 'of' governs nothing."""
    key = ("titled", i)
    hit = doc.memo.get(key)
    if hit is None:
        out: set[int] = set()
        for t in doc.titles(i):
            out.update(range(token_index(s, t.begin), token_index(s, t.end)))
        hit = doc.memo[key] = out
    return hit  # type: ignore[return-value]


_FRAMING = frozenset({"in", "during", "at"})     # "during talks with": what the subject did took place in them


def _noun_subject_start(doc: Doc, s: Sentence, t: Trigger, begin: int) -> int:
    """Where a noun trigger's subject may be: a possessive right before it ('Abiy's visit', 'his trip'), or the
    subject of a verb that takes the noun ('held a summit', 'paid a visit', 'began a tour') or of a verb whose act
    the noun frames ('said during talks with', 'agreed in a call with'); else nowhere."""
    toks = s.tokens
    pivot = token_index(s, t.begin)
    light = patterns.words("light_verb")
    for k in range(pivot - 1, max(-1, pivot - 5), -1):
        tok = toks[k]
        if tok.text in ("’s", "'s"):
            j = k - 1
            while j > 0 and toks[j - 1].is_cap:
                j -= 1
            return toks[j].begin if j >= 0 else begin
        if tok.key in light or tok.key in _FRAMING and k > 0:
            return begin
        if tok.text in (",", ";", ":"):
            break
    return t.begin


def _governing_preposition(toks: list[Token], n: int, floor: int, titled: set[int] | None = None,
                           apposition: bool = False) -> str | None:
    """The preposition a mention at token ``n`` is the object of: the nearest one before it, over its own noun
    phrase ('with the visiting South Korean president') and any office title, not over a verb or another actor."""
    k = n - 1
    commas = 0
    while k >= floor and k >= n - 8:
        tok = toks[k]
        if titled and k in titled:
            k -= 1
            continue
        if tok.key in _PREPOSITIONS:
            return tok.key
        if tok.text == "," and apposition and commas == 0 and k > floor:
            commas += 1                                # an apposition: "to her counterpart, the Foreign Secretary, X"
            k -= 1
            continue
        if tok.text in (",", ";", ":", "(", ")") or not (tok.key in ("the", "a", "an", "his", "her", "their", "its",
                                                                      "visiting", "’s", "'s") or tok.is_cap
                                                         or tok.key in patterns.words("actor_noun")):
            return None
        k -= 1
    return None


def _subject_matter(doc: Doc, t: Trigger, end: int, preps: dict[str, str]) -> int:
    """Where what the event is about begins after the trigger ('talks on the war in Ukraine')."""
    if t.end >= end:
        return end
    for m in patterns.rx("topic_prep").finditer(doc.text, t.end, end):
        word = m.group(0).casefold()
        if word in preps and preps[word] != "none":
            continue                                   # "sanctions on Iran": the target
        if word == "on" and _DATE_AFTER.match(doc.text, m.end()):
            continue                                   # "on Monday", "on 4 April": a date
        return m.start()
    return end


def _inherited_subject(doc: Doc, s: Sentence, t: Trigger, clause: Clause, holes: list[tuple[int, int]]) -> list[Actor]:
    """A verb phrase joined to an earlier clause ('X arrived in Y and held talks with Z') shares its subject."""
    parent = doc.clauses[clause.parent] if clause.parent is not None else None
    if parent is None:
        return []
    first_verb = next((x.begin for x in doc.triggers if x.sentence == t.sentence and parent.begin <= x.begin < t.begin),
                      clause.begin)
    before = min(first_verb, clause.begin)
    subject = [m for m in doc.mentions.by_sentence[t.sentence] if parent.begin <= m.start < before
               and m.kind in ("person", "country", "org") and not _inside(m.start, holes)
               and is_actor(doc, m, s)
               and _governing_preposition(s.tokens, token_index(s, m.start), 0, _title_tokens(doc, t.sentence, s))
               in (None, "and")]
    out = []
    for m in subject:
        actor = _actor(doc, m, t.subject, -FAR)
        if actor is not None:
            out.append(actor)
    return out


def _non_finite(doc: Doc, clause: Clause) -> bool:
    """'before being received', 'after meeting X': a subordinate clause with no subject of its own."""
    words = doc.text[clause.begin:clause.end].split()
    return len(words) > 1 and (words[1].endswith("ing") or words[1] in ("being", "having"))


def _antecedent(doc: Doc, s: Sentence, t: Trigger, clause: Clause) -> list[Actor]:
    """'X, the minister of Y, who is in Z on a visit to W': the person a relative clause describes is its subject."""
    before = [m for m in doc.mentions.by_sentence[t.sentence] if m.stop <= clause.begin and m.kind == "person"]
    if not before:
        return []
    between = s.tokens[token_index(s, before[-1].stop):token_index(s, clause.begin)]
    if not all(tok.is_cap or tok.key in (",", "of", "the", "and") for tok in between):
        return []
    return [_actor(doc, before[-1], t.subject, -FAR)]


def _collapse(doc: Doc, actors: list[Actor]) -> list[Actor]:
    """A state or body named beside its own representative is one participant: keep the person, with the state's
    role where the person has none of their own."""
    represented = {a.country for a in actors if a.kind in ("person", "organization") and a.country}
    bodies = {doc.mentions.persons[a.ref].of for a in actors if a.kind == "person" and a.ref in doc.mentions.persons}
    out = []
    for a in actors:
        if a.kind == "country" and a.ref in represented or a.kind == "organization" and a.ref in bodies:
            continue
        if a.kind == "person" and a.role == "participant":
            twin = next((b for b in actors if b.kind == "country" and b.ref == a.country and b.role != "participant"),
                        None)
            if twin is not None:
                a = Actor(a.kind, a.ref, a.country, twin.role, a.distance)
        out.append(a)
    return out


def visit_roles(actors: list[Actor], place: Mention | None) -> list[Actor]:
    """The traveller is the guest; the state travelled to, or where the visit happens, is the host."""
    hosts = {a.country for a in actors if a.role == "host"}
    out = list(actors)
    if not hosts and place is not None and place.country:
        hosts = {place.country}
        if not any(a.country == place.country for a in out):
            out.append(Actor("country", place.country, place.country, "host", FAR))
    fixed = []
    for a in out:
        if a.role in ("participant", "guest") and a.country in hosts:
            a = Actor(a.kind, a.ref, a.country, "host", a.distance)
        elif a.role == "participant" and hosts:
            a = Actor(a.kind, a.ref, a.country, "guest", a.distance)
        fixed.append(a)
    return fixed


# -- place and date ------------------------------------------------------------------------------

def _place(doc: Doc, s: Sentence, t: Trigger, begin: int, end: int, holes: list[tuple[int, int]]) -> Mention | None:
    """Where the event happens: a place after 'in', 'at' or 'to' in the trigger's clause, before any phrase of
    subject matter."""
    stop = _subject_matter(doc, t, end, {})
    toks = s.tokens
    places = []
    last = token_index(s, t.end)
    for m in doc.mentions.in_sentence(t.sentence, "place"):
        if not begin <= m.start < stop or _inside(m.start, holes) or doc.quoted(m.start):
            continue
        n = token_index(s, m.start)
        if n - last > NEAR_PLACE:
            continue                                   # too far from the trigger to say where it happened
        if _governing_preposition(toks, n, 0) in _LOCATIVE and not _in_origin(toks, last, n):
            places.append(m)
    if not places:
        return None
    cities = [p for p in places if p.country is not None]
    return (cities or places)[0]


def _in_origin(toks: list[Token], trigger: int, n: int) -> bool:
    """Whether token ``n`` is in a 'from' phrase after the trigger that no 'to' closes: where a traveller came from
    ('flew in from the summit in B'), not where the event is."""
    keys = [tok.key for tok in toks[trigger:n]]
    return "from" in keys and not any(k in ("to", "into", "for") for k in keys[len(keys) - keys[::-1].index("from"):])


_SHIFT = {"next": 1, "following": 1, "after": 1, "previous": -1, "before": -1}


def _date(doc: Doc, s: Sentence, begin: int, end: int,
          holes: list[tuple[int, int]]) -> tuple[date | None, DatePrecision, Span | None]:
    """The date the trigger's clause gives, else the sentence's (outside clauses set into it). 'The same day', 'the
    next day' count from the last date an earlier sentence gave."""
    i = doc.sentence_at(s.begin)
    found = doc.dates(i) if i is not None else []
    for lo, hi, skip in ((begin, end, holes), (s.begin, s.end, holes + _aside_clauses(doc, s))):
        for d in found:
            if not lo <= d.begin < hi or _inside(d.begin, skip) or doc.quoted(d.begin):
                continue
            span = Span.of(doc.text, d.begin, d.end)
            if d.value is not None:
                return d.value, d.precision, span
            if d.kind == "relative":
                earlier = _earlier_date(doc, s.begin)
                if earlier is not None:
                    shift = next((v for k, v in _SHIFT.items() if k in span.text.casefold()), 0)
                    return earlier + timedelta(days=shift), "day", span
    return None, "day", None


def _earlier_date(doc: Doc, before: int) -> date | None:
    """The last day-precise date the sentences before ``before`` give (within three sentences)."""
    i = doc.sentence_at(before)
    if i is None:
        return None
    for j in range(i - 1, max(-1, i - 4), -1):
        s = doc.sentences[j]
        if s.paragraph < 0:
            break
        found = [d for d in doc.dates(j) if d.value is not None and d.precision == "day" and not doc.quoted(d.begin)]
        if found:
            return found[-1].value
    return None


def _aside_clauses(doc: Doc, s: Sentence) -> list[tuple[int, int]]:
    i = doc.sentence_at(s.begin)
    return [(c.begin, c.end) for j in doc.clauses_of.get(i if i is not None else -1, ())
            if (c := doc.clauses[j]).kind in _NESTED]
