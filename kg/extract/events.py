"""Diplomatic events: trigger phrases per event class, their participants with roles, dates and places.

Only the news being reported counts: a trigger governed by a future or intention ("will visit", "agreed to
resume visits") is not an event, nor is one placed in the past by its date or wording ("last week",
"in 2016", "months after"), nor one at a place the article has already put in such a past.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.extract.dates import find_dates
from kg.extract.mentions import Mention, Mentions, last_subject
from kg.extract.text import Quotation, Sentence, blank
from kg.model import DatePrecision, Span

_I = re.IGNORECASE
TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("PhoneCall", re.compile(r"\b(?:spoke|speaks|spoken|talked|talks|conversation|conversed)\s+(?:by|over\s+the|on\s+the|via)\s+"
                             r"(?:tele)?phone\b|\b(?:tele)?phone\s+(?:call|conversation|talks)\b|\bphoned\b|"
                             r"\b(?:video|virtual)\s+call\b|\bheld\s+a\s+call\b|\b(?:first|second|latest)\s+call\b", _I)),
    ("JointStatement", re.compile(r"\bjoint\s+(?:[\w-]+\s+){0,2}(?:statement|declaration|communiqu[eé]|text|letter|"
                                  r"op-ed|article)s?\b", _I)),
    ("AgreementSigning", re.compile(
        r"\bsign(?:ed|ing|s)?\b(?!\s+(?:of|that)\b)|\binked\b|\bput\s+(?:his|her|their)\s+signatures?\b|"
        r"\bconclude[ds]?\s+(?:\w+\s+){0,4}(?:agreements?|memorand\w+|accords?|deals?|treat(?:y|ies)|pacts?|MoUs?)\b|"
        r"\b(?:texts|documents|agreements)\s+were\s+exchanged\b|\bexchanged\s+(?:the\s+)?(?:texts|documents|agreements)\b|"
        r"\b(?:handed|handed\s+over|deposited|lodged|submitted)\s+(?:[\w’'-]+\s+){0,4}(?:instruments?|ratification\s+documents|"
        r"documents\s+of\s+ratification)\b", _I)),
    ("Sanction", re.compile(r"\b(?:impos\w+|slapp\w+|levie\w+|announc\w+|expand\w+|tighten\w+)\s+(?:\w+\s+){0,3}sanctions?\b|"
                            r"\bsanction(?:ed|ing)\b|\bdesignat(?:ed|ions?)\b|\bblacklist(?:ed|ing)\b|\basset\s+freezes?\b|"
                            r"\btravel\s+bans?\b", _I)),
    ("Protest", re.compile(r"\bsummon(?:ed|s)?\s+(?:\w+\s+){0,4}(?:ambassador|envoy|charg[eé]\s+d'affaires|diplomat)s?\b|"
                           r"\b(?:recall(?:ed|s|ing)?|withdr[eaw]w?n?|withdrawing)\s+(?:\w+\s+){0,3}(?:ambassador|envoy)s?\b|"
                           r"\blodged\s+(?:a\s+)?(?:formal\s+|strong\s+|diplomatic\s+)?protests?\b|\bprotested\b|"
                           r"\bd[eé]marches?\b|\bexpel(?:led|s)?\s+(?:\w+\s+){0,3}(?:diplomats?|ambassador)\b", _I)),
    ("Summit", re.compile(r"\bsummits?\b", _I)),
    ("Visit", re.compile(r"\b(?:state|official|working)\s+visits?\b|\bvisit(?:ed|ing|s)?\b|\barriv(?:ed|es|ing)\s+in\b|"
                         r"\blanded\s+(?:at|in)\b|\bflew\s+(?:in)?to\b|\btravell?ed\s+to\b|\btrip\b|\btour\s+of\b", _I)),
    ("Meeting", re.compile(r"\b(?:held|holds|hold|holding)\s+(?:\w+\s+){0,2}talks\b|\btalks\s+(?:with|between)\b|"
                           r"\b(?:for|in)\s+(?:\w+\s+)?talks\b|\bhost(?:ed|s|ing)\b(?=\s+(?:his|her|their|visiting|[A-Z]))|"
                           r"\btalks\s+in\b|\bdays\s+of\s+talks\b|\b(?:met|meeting|gathered|convened)\s+in\s+(?=[A-Z])|"
                           r"\b(?:government|intergovernmental|bilateral)\s+consultations\b|\bconsultations\s+(?:with|between|in)\b|"
                           r"\bthe\s+talks\b|\b(?:one-on-one|bilateral|closed-door|face-to-face)\s+(?:talks|meeting)\b|"
                           r"\bmet\b|\bmeets\b|\bmeeting\s+(?:with|between)\b|\btalks\s+began\b|\bthe\s+meeting\b|"
                           r"\bthe\s+two\s+(?:presidents|leaders|prime\s+ministers|ministers)\s+talked\b", _I)),
    ("CooperationCommitment", re.compile(
        r"\bagreed\s+(?:on\s+\w+\s+)?to\s+(?:\w+\s+){0,2}(?:strengthen|enhance|deepen|expand|boost|step\s+up|develop|"
        r"resume|restart|restore|set\s+up|establish|intensify|broaden|increase|revive)\b", _I)),
)
# One pass over a sentence finds every trigger; at one position the first listed type wins.
ANY_TRIGGER = re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in TRIGGERS), _I)
# "Turkey, the last ally to ratify ..., lodged"; "that the United States would answer any escalation against
# Ukraine" (what was said, not who took part); "since they met ...".
_APPOSITIVE = re.compile(r",\s*(?:(?:the|a|an)\s+(?=[a-z])|which\b|who\b|whom\b|whose\b|where\b)[^,;]*(?:,|$)|\bsince\s+[^,;]*|"
                         r"\b(?:told|said|warned|stressed|noted|added|insisted|argued)\s+(?:[\w’'-]+\s+){0,4}?that\b[^;]*", _I)
TRIGGER_STARTS = frozenset("""spoke speaks spoken talked talks conversation conversed phone telephone phoned video virtual
    held holds hold holding first second latest joint sign signed signing signs inked put conclude concluded concludes
    texts documents agreements exchanged handed deposited lodged submitted imposed imposes imposing impose slapped
    slaps levied levies announced announces expanded expands tightened tightens sanctioned sanctioning designated
    designation designations blacklisted blacklisting asset travel summon summoned summons recall recalled recalls
    recalling withdrew withdrawn withdraw withdrawing protested demarche démarche demarches démarches expel expelled expels
    summit summits state official working visit visited visiting visits arrived arrives arriving landed flew
    travelled traveled trip tour the one-on-one bilateral closed-door face-to-face met meets meeting for in
    host hosted hosts hosting days gathered convened government intergovernmental consultations agreed""".split())
_WHERE_SINCE = re.compile(r",\s*where\b[^;]*|\bsince\s+(?:they|he|she|it|the|[A-Z])[^,;]*")
_RELATIVE = re.compile(r",\s*(?:who|which|whose)\b[^,;]*", _I)
SUMMARY_TYPES = frozenset({"Visit", "Meeting", "Summit", "PhoneCall", "AgreementSigning", "JointStatement", "Statement",
                           "Sanction", "Protest"})
# Events of these types are one event per pair of states in an article; the others are one per set of people.
COUNTRY_LEVEL = frozenset({"Visit", "AgreementSigning", "JointStatement", "Sanction", "Protest", "CooperationCommitment"})

_FUTURE = re.compile(
    r"(?:\b(?:will|would|shall|could|might|may|must|should)\s+(?:\S+\s+){0,6}$|"
    r"\b(?:is|are|was|were)\s+(?:expected|due|scheduled|set|planned|slated|going)\s+to\s+(?:\w+\s+){0,2}$|"
    r"\b(?:agree\w*|decide\w*|plan\w*|intend\w*|hope\w*|expect\w*|want\w*|aim\w*|seek\w*|pledge\w*|promise\w*|vow\w*|"
    r"commit\w*|resolve\w*|prepare\w*|look\w* forward|propos\w*|invit\w*|call\w* for|urge\w*|readiness)\b[^.;]{0,50}?\bto\s+"
    r"(?:\w+\s+){0,3}$|\b(?:ahead\s+of|before|upcoming|next|future|planned|proposed|possible|potential|"
    r"would-be|first\s+planned\s+for)\s+(?:the\s+)?(?:\w+\s+){0,2}$)", _I)
_PLANS = re.compile(r"\b(?:is|are|was|were)\s+(?:next\s+|also\s+)?due\b|"
                    r"\b(?:is|are|was|were)\s+(?:next\s+)?(?:expected|scheduled|set|slated|planning|going)\s+to\b|"
                    r"\b(?:will|shall)\s+(?:travel|visit|fly|go|head|meet|attend|host)\b|\bplans?\s+to\b|"
                    r"\bbefore\s+(?:flying|travelling|traveling|heading|leaving|returning)\b", _I)
_PAST = re.compile(r"\b(?:last|previous)\s+(?:week|month|year|summer|spring|autumn|winter|time|Monday|Tuesday|Wednesday|"
                   r"Thursday|Friday|Saturday|Sunday)\b|\b(?:has|have|had)\s+(?:twice|already|repeatedly|previously|"
                   r"several\s+times|long)\b|\b(?:weeks|months|years|decades)\s+"
                   r"(?:ago|after|before|earlier)\b|\bago\b|\bpreviously\b|\bhad\s+(?:previously|already|earlier)\b|"
                   r"\bthe\s+(?:last|previous)\s+(?:\w+\s+){0,3}to\b", _I)
# Relative clauses and "since ..." phrases say something about the past of a thing, not when the news happened.
_ASIDE = re.compile(r"(?:,\s*|\s)(?:which|who|whom|whose|where)\b[^,;]*|,\s*the\s+(?=[a-z])[^,;]*,|\bsince\s+[^,;]*|\bthat\s+began\b[^,;]*|\bthat\s+had\s+been\b[^,;]*|"
                    r"\b(?:signed|concluded|adopted|agreed|established|founded|reached|launched|created|built|held|"
                    r"brokered|announced|set\s+up)\s+(?:\w+\s+){0,3}?in\s+(?:\w+\s+)?(?:19|20)\d\d\b", _I)
_THERE = re.compile(r"^There\s+(?!(?:is|are|was|were|has|have|had|will|would|remains?|seems?)\b)")
_CAUSE = re.compile(r"\b(?:in\s+response\s+to|in\s+retaliation\s+for|because\s+of|due\s+to|amid|over\s+(?:its|their|the)|"
                    r"following|for\s+(?:its|their)\s+role|against\s+the\s+backdrop|about|regarding|concerning|"
                    r"discussing|to\s+discuss|ahead\s+of)\b", _I)
# "a summit on Niger", "talks on Ukraine": what a meeting is about, not who takes part. (A sanction on Iran is.)
_SUBJECT_MATTER = re.compile(r"\bon\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
                             r"March|April|May|June|July|August|September|October|November|December)\b)(?=[A-Z])")
_PLURAL_REF = re.compile(r"\b(?:the\s+two\s+(?:leaders|presidents|prime\s+ministers|premiers|heads\s+of\s+(?:state|government)|"
                         r"sides|countries|nations|governments|ministers|foreign\s+ministers|delegations|neighbours|neighbors|allies)|"
                         r"both\s+(?:sides|leaders|countries|governments)|the\s+(?:leaders|prime\s+ministers|presidents)|"
                         r"(?:^|[.;]\s+)they\b|each\s+other)\b", _I)
# A group as the subject: "West African heads of state meeting in Abuja", "EU foreign ministers met in Kyiv".
_COLLECTIVE = re.compile(r"\b(?:leaders|heads\s+of\s+(?:state|government)(?:\s+and\s+government)?|presidents|prime\s+ministers|"
                         r"(?:foreign|defence|defense|finance|trade)\s+ministers|ministers|delegations|member\s+states|"
                         r"republics|governments|allies|partners|(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
                         r"(?:countries|nations|states|sides))\b", _I)
# Who else took part: "Around the table were ...", "Liberia and The Gambia sent their foreign ministers".
_ATTENDANCE = re.compile(r"\b(?:attended|took\s+part|participated|were\s+(?:also\s+)?present|around\s+the\s+table|"
                         r"joined|presided\s+over|chaired|sent\s+(?:(?:their|its|his|her|a)\s+)?(?:[\w-]+\s+){0,2}(?:ministers?|"
                         r"delegations?|envoys?|representatives?|ambassadors?|deputy|deputies|secretary|officials?)\b|"
                         r"(?:was|were)\s+represented\s+by|"
                         r"in\s+attendance|hosted\s+by|among\s+the\s+(?:guests|participants|leaders)|among\s+those\s+(?:at|attending|present)|"
                         r"at\s+the\s+table)\b", _I)
_DEFINITE = re.compile(r"(?:\bthe\s+(?:[\w-]+\s+){0,2}|\b\w+(?:’s|'s)\s+(?:[\w-]+\s+){0,1})$", _I)
_TO_PLACE = re.compile(r"\b(?:to|in|into|at)\s+(?:the\s+)?$", _I)
_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?$", _I)


@dataclass(slots=True)
class Actor:
    kind: str                       # country | person | organization
    ref: str
    country: str | None
    role: str = "participant"


@dataclass(slots=True)
class FoundEvent:
    type: str
    actors: list[Actor]
    span: Span
    sentence: int
    date: date | None = None
    precision: DatePrecision = "day"
    date_span: Span | None = None
    place: Mention | None = None
    confidence: float = 1.0
    spans: list[Span] = field(default_factory=list)          # the sentences that report it
    references: list[Span] = field(default_factory=list)     # later sentences that only refer back to it

    def countries(self) -> frozenset[str]:
        return frozenset(a.country for a in self.actors if a.country)

    def people(self) -> frozenset[str]:
        return frozenset(a.ref for a in self.actors if a.kind == "person")


class EventFinder:
    def __init__(self, text: str, sentences: list[Sentence], mentions: Mentions, quotes: list[Quotation],
                 published: date | None, main_pair: list[str]) -> None:
        self.text = text
        self.sentences = sentences
        self.m = mentions
        self.quotes = [(q.open_mark, q.close_mark) for q in quotes]
        self.published = published
        self.main_pair = main_pair
        self.events: list[FoundEvent] = []
        self.past_places: set[str] = set()
        self.background: set[int] = set()
        self.news_date: tuple[date, DatePrecision, Span | None] | None = None
        self.pending: list[FoundEvent] = []
        self._unquoted_cache: dict[int, str] = {}
        self.main_people = self._main_people()

    def main_group(self) -> list[str]:
        """The states the news is between: those of the article's first event, when it is in the lead and has
        two or more; else the main pair."""
        first = next((e for e in self.events + self.pending if self.sentences[e.sentence].paragraph <= 0), None)
        if first is not None and len(first.countries()) >= 2:
            ordered = [a.country for a in first.actors if a.country]
            return list(dict.fromkeys(ordered))
        return self.main_pair[:2]

    def _main_people(self) -> dict[str, str]:
        """For each state of the main pair, its person named first in the article ("the two leaders")."""
        out: dict[str, str] = {}
        for lst in self.m.by_sentence:
            for m in lst:
                if m.kind == "person" and m.country in self.main_pair and m.country not in out:
                    out[m.country] = m.ref
        return out

    def run(self) -> list[FoundEvent]:
        for i, s in enumerate(self.sentences):
            if s.paragraph < 0:
                continue                                   # the headline repeats the news; the body reports it
            self._sentence(i, s)
        return self.finish()

    # -- per sentence --------------------------------------------------------------------------

    def _sentence(self, i: int, s: Sentence) -> None:
        when, precision, when_span = self._date(i, s)
        past = self._is_past(i, s, when)
        if when is not None and not past and self.news_date is None and s.paragraph <= 1:
            self.news_date = (when, precision, when_span)
        if past:
            self.background.add(i)
            self.past_places.update(m.ref for m in self.m.in_sentence(i, "place"))
        found: list[tuple[int, str, re.Match[str]]] = []
        reached = s.begin
        for tok in s.tokens:
            # A trigger starts with one of TRIGGER_STARTS: try the regex there only, not at every character.
            if tok.begin < reached or tok.key not in TRIGGER_STARTS:
                continue
            t = ANY_TRIGGER.match(self.text, tok.begin, s.end)
            if t is not None:
                reached = t.end()
                if not self._in_quote(t.start()):
                    found.append((t.start(), t.lastgroup or "", t))
        # "the first call since they met in Sochi", "Ankara, where he met Erdoğan": background, whatever the tense.
        asides = [(s.begin + m.start(), s.begin + m.end()) for m in _WHERE_SINCE.finditer(s.text)]
        for a, b in asides:
            if self._past_text(self.text[a:b]):
                self.past_places.update(m.ref for m in self.m.in_sentence(i, "place") if a <= m.start < b)
        relatives = [(s.begin + m.start(), s.begin + m.end()) for m in _RELATIVE.finditer(s.text)]
        for _, etype, t in found:
            if past or self._future(s, t) or any(a <= t.start() < b for a, b in asides):
                continue
            clause = next(((a, b) for a, b in relatives if a <= t.start() < b), None)
            if clause is not None and self._past_text(self.text[clause[0]:clause[1]]):
                continue                                   # "Xi, who visited Riyadh in December and ..."
            earlier = next((e for e in self.events + self.pending if _same_kind(e.type, etype)), None)
            if earlier is not None and _DEFINITE.search(self.text, max(s.begin, t.start() - 20), t.start()):
                earlier.references.append(self._clause(s, t))   # "the signing", "the trip", "the designations"
                if etype == "Summit":
                    earlier.type = "Summit"                     # "talks" then "the summit": it was a summit
                continue
            actors = self._actors(i, s, t, etype)
            place = self._place(i, s, t)
            if place is not None and place.ref in self.past_places and not past:
                continue                                   # "Erdoğan travelled to Sochi" after "met in Sochi last week"
            if len({a.country or a.ref for a in actors}) < 2:
                actors = self._anaphora(s, t, etype, actors)
            span = self._clause(s, t)
            event = FoundEvent(etype, actors, span, i, when, precision, when_span, place, spans=[span])
            if len({a.country or a.ref for a in actors}) < 2:
                if _COLLECTIVE.search(self._unquoted(s)[:t.start() - s.begin]):
                    self.pending.append(event)             # participants named later, or those of the main gathering
                continue
            self._add(event)
        unquoted = self._unquoted(s)
        if not past and not found and _ATTENDANCE.search(unquoted) and not _PLANS.search(unquoted) \
                and not _FUTURE.search(unquoted):
            self._attendance(i, s)

    def _attendance(self, i: int, s: Sentence) -> None:
        """People and states named as attending join the latest meeting or summit."""
        target = next((e for e in reversed(self.pending + self.events) if e.type in ("Meeting", "Summit")), None)
        if target is None:
            return
        for m in self.m.in_sentence(i):
            if self._in_quote(m.start) or m.kind not in ("person", "country"):
                continue
            if m.kind == "country" and m.form == "demonym" and self._demonym_of_person(i, m):
                continue
            actor = Actor(m.kind, m.ref, m.country if m.kind == "person" else m.ref)
            if not any(a.ref == actor.ref or actor.kind == "country" and a.country == actor.country for a in target.actors):
                target.actors.append(actor)
        target.references.append(s.span())

    def finish(self) -> list[FoundEvent]:
        """Pending group events take their participants from the largest gathering; then only the events of
        the reported occasion are kept."""
        groups = [e for e in self.pending + self.events if len(e.countries()) >= 2]
        largest = max(groups, key=lambda e: len(e.countries()), default=None)
        for e in self.pending:
            if len({a.country or a.ref for a in e.actors}) < 2 and largest is not None and largest is not e:
                for a in largest.actors:
                    if not any(b.ref == a.ref for b in e.actors):
                        e.actors.append(Actor(a.kind, a.ref, a.country, "signatory" if e.type == "AgreementSigning"
                                              else "speaker" if e.type == "JointStatement" else "participant"))
            if len({a.country or a.ref for a in e.actors}) >= 2:
                self._add(e)
        for e in self.events:
            if len(e.countries()) >= 2:
                e.actors = [a for a in e.actors if not (a.kind == "organization" and a.country is None)]
        self.events.sort(key=lambda e: e.span.begin)
        self.events = self._same_occasion(self.events)
        return self.events

    def _same_occasion(self, events: list[FoundEvent]) -> list[FoundEvent]:
        """Only the reported occasion: events that share two parties with the main event, or one when early in
        the article. 'Li's arrival coincided with a visit to Beijing by Blinken' is another story."""
        reported = [e for e in events if e.type in SUMMARY_TYPES]
        if not reported:
            return events
        main = next((e for e in reported if self.news_date is not None and e.date == self.news_date[0]), reported[0])
        parties = {a.country or a.ref for a in main.actors}
        kept = []
        for e in events:
            mine = {a.country or a.ref for a in e.actors}
            shared = len(mine & parties)
            early = self.sentences[e.sentence].paragraph <= 1
            if e is main or shared >= 2 or shared >= 1 and (early or len(parties) < 2):
                kept.append(e)
        return kept

    def _date(self, i: int, s: Sentence) -> tuple[date | None, DatePrecision, Span | None]:
        found = find_dates(self.text, s.begin, s.end, self.published)
        if not found:
            return None, "day", None
        asides = [(m.start() + s.begin, m.end() + s.begin) for m in _ASIDE.finditer(s.text)]
        for d in found:
            if self._in_quote(d.begin) or any(a <= d.begin < b for a, b in asides):
                continue
            if d.value is not None:
                return d.value, d.precision, Span.of(self.text, d.begin, d.end)
        return None, "day", None

    def _past_text(self, text: str) -> bool:
        if _PAST.search(text):
            return True
        for d in find_dates(text, 0, len(text), self.published):
            if d.value is not None and self.published is not None and d.value < self.published - timedelta(days=10):
                return True
        return False

    def _is_past(self, i: int, s: Sentence, when: date | None) -> bool:
        if when is not None and self.published is not None and when < self.published - timedelta(days=10) \
                and not (when.year, when.month) == (self.published.year, self.published.month):
            return True
        if _THERE.match(s.text) and i - 1 in self.background:
            return True                                    # "There the two leaders ..." after a sentence set in the past
        unquoted = self._unquoted(s)
        if not _PAST.search(unquoted):
            return False
        return bool(_PAST.search(_ASIDE.sub(" ", unquoted)))

    def _unquoted(self, s: Sentence) -> str:
        hit = self._unquoted_cache.get(s.begin)
        if hit is None:
            hit = self._unquoted_cache[s.begin] = blank(self.text[s.begin:s.end], s.begin, self.quotes)
        return hit

    def _future(self, s: Sentence, t: re.Match[str]) -> bool:
        before = self.text[max(s.begin, t.start() - 90):t.start()]
        clause = re.split(r"[;:]|,\s+(?:and|but|while|which|who)\b|\bthat\b", before)[-1]
        if _FUTURE.search(clause):
            return True
        # "Li is next due in Munich ..., before flying on to Paris for a summit": the sentence is about plans.
        return bool(_PLANS.search(self._unquoted(s)[:t.start() - s.begin]))

    def _in_quote(self, offset: int) -> bool:
        return any(a <= offset <= b for a, b in self.quotes)

    def _clause(self, s: Sentence, t: re.Match[str]) -> Span:
        return s.span()

    def _place(self, i: int, s: Sentence, t: re.Match[str]) -> Mention | None:
        """Where the event happens: a place after 'in', 'at' or 'to' in the trigger's clause, before any
        'on the war in Gaza'-like subject phrase."""
        begin, end = self._clause_bounds(s, t)
        topic = re.search(r"\b(?:on|about|over|regarding|concerning|discussing)\s+(?:the\s+)?(?:\w+\s+){0,4}(?:in|of)\b",
                          self.text[t.end():end], _I)
        if topic:
            end = t.end() + topic.start()
        places = [m for m in self.m.in_sentence(i, "place") if not self._in_quote(m.start) and begin <= m.start < end
                  and _TO_PLACE.search(self.text, max(s.begin, m.start - 30), m.start)]
        if not places:
            return None
        cities = [p for p in places if p.country is not None]
        return (cities or places)[0]

    # -- participants --------------------------------------------------------------------------

    def _actors(self, i: int, s: Sentence, t: re.Match[str], etype: str) -> list[Actor]:
        stop = s.end
        cause = _CAUSE.search(self.text, t.end(), s.end)
        if cause:
            stop = cause.start()
        if etype not in ("Sanction", "Protest"):
            about = _SUBJECT_MATTER.search(self.text, t.end(), stop)
            if about:
                stop = about.start()
        asides = self._asides(s, t)
        begin, end = self._clause_bounds(s, t)
        stop = min(stop, end)
        usable = [m for m in self.m.in_sentence(i) if not self._in_quote(m.start) and m.kind in ("person", "country", "org", "place")
                  and not any(a <= m.start < b for a, b in asides)]
        mentions = [m for m in usable if begin <= m.start < stop]
        if begin > s.begin and not any(m.start < t.start() and m.kind != "place" for m in mentions):
            subject = next((m for m in usable if m.start < begin and m.kind in ("person", "country")), None)
            if subject is not None:
                mentions.insert(0, subject)                 # "Lula attended ..., and visited Huawei"
        actors: list[Actor] = []
        for m in mentions:
            if m.kind == "place":
                continue
            if m.kind == "country" and m.form == "demonym" and self._demonym_of_person(i, m):
                continue                                   # "Indian Prime Minister Narendra Modi": the person stands
            if m.kind == "org":
                org = self.m.orgs.get(m.ref)
                if org is None:
                    continue
                if org.country is None and org.kind != "international":
                    continue
                actor = Actor("organization", m.ref, org.country)
            elif m.kind == "person":
                actor = Actor("person", m.ref, self.m.persons[m.ref].country)
            else:
                actor = Actor("country", m.ref, m.ref)
            actor.role = self._role(s, t, m, etype)
            if not any(a.kind == actor.kind and a.ref == actor.ref for a in actors):
                actors.append(actor)
        if not any(a.kind == "person" and self.m.in_sentence(i, "person") and a.ref == p.ref
                   for a in actors for p in self.m.in_sentence(i, "person") if p.start < t.start()):
            pronoun = re.search(r"\b(?:he|she)\b", self.text[s.begin:t.start()], _I)
            if pronoun:
                who = self._last_person(s.begin)
                if who is not None and not any(a.ref == who for a in actors):
                    actors.insert(0, Actor("person", who, self.m.persons[who].country, self._role(s, t, None, etype)))
        if etype in ("Visit", "Meeting", "Summit") and len({a.country for a in actors if a.country}) >= 2:
            actors = [a for a in actors if not (a.kind == "organization" and a.country is None)]
        if etype == "Visit":
            self._visit_roles(i, s, t, actors)
        return self._collapse(actors)

    def _last_person(self, before: int) -> str | None:
        return last_subject(self.text, self.m, before, self.quotes)

    def _clause_bounds(self, s: Sentence, t: re.Match[str]) -> tuple[int, int]:
        begin, end = s.begin, s.end
        for m in re.finditer(r"[,;]\s+(?:and|but|while|whereas)\s+(?=[a-z])", s.text):
            at = s.begin + m.start()
            if at < t.start():
                begin = s.begin + m.end()
            elif at >= t.end():
                end = at
                break
        return begin, end

    def _asides(self, s: Sentence, t: re.Match[str]) -> list[tuple[int, int]]:
        """Relative clauses and appositions that do not contain the trigger: who they name does not take part.

        "Turkey, the last ally to ratify Finland's membership, lodged ..."; "Blinken, whose government is ...".
        """
        out = []
        for m in _APPOSITIVE.finditer(s.text):
            a, b = s.begin + m.start(), s.begin + m.end()
            if not a <= t.start() < b:
                out.append((a, b))
        return out

    def _demonym_of_person(self, i: int, m: Mention) -> bool:
        return any(p.kind == "person" and 0 < p.start - m.stop < 40 for p in self.m.in_sentence(i))

    def _role(self, s: Sentence, t: re.Match[str], m: Mention | None, etype: str) -> str:
        at = m.start if m is not None else s.begin
        before = self.text[max(s.begin, at - 25):at]
        if etype == "Sanction":
            return "target" if at > t.start() else "sender"
        if etype == "AgreementSigning":
            return "signatory"
        if etype == "JointStatement":
            return "speaker"
        if etype == "PhoneCall":
            return "caller" if at < t.start() else "callee"
        if etype == "Protest":
            return "sender" if at < t.start() else "target"
        if etype == "Visit":
            if _TO_PLACE.search(before):
                return "host"
            if _BY_AGENT.search(before):
                return "guest"
        return "participant"

    def _visit_roles(self, i: int, s: Sentence, t: re.Match[str], actors: list[Actor]) -> None:
        """The traveller is the guest; the state travelled to, or where the visit happens, is the host."""
        hosts = {a.country for a in actors if a.role == "host"}
        place = self._place(i, s, t)
        if not hosts and place is not None and place.country:
            hosts = {place.country}
            if not any(a.country == place.country for a in actors):
                actors.append(Actor("country", place.country, place.country, "host"))
        if t.group(0).casefold() == "visiting":
            # "visiting South Korean President Yoon": the one named next is the guest, the others host him.
            after = [m for m in self.m.in_sentence(i) if m.start >= t.end() and m.kind in ("person", "country")]
            if after:
                guest = after[0].country or after[0].ref
                for a in actors:
                    a.role = "guest" if (a.country or a.ref) == guest else "host"
                return
        for a in actors:
            if a.role == "participant":
                if a.country in hosts:
                    a.role = "host"
                elif hosts:
                    a.role = "guest"

    def _collapse(self, actors: list[Actor]) -> list[Actor]:
        """A state named beside its own representative is one participant: keep the person."""
        people_countries = {a.country for a in actors if a.kind in ("person", "organization") and a.country}
        out = [a for a in actors if not (a.kind == "country" and a.ref in people_countries)]
        for a in out:
            if a.kind == "person" and a.role == "participant":
                twin = next((b for b in actors if b.kind == "country" and b.ref == a.country and b.role != "participant"), None)
                if twin is not None:
                    a.role = twin.role
        return out

    def _anaphora(self, s: Sentence, t: re.Match[str], etype: str, actors: list[Actor]) -> list[Actor]:
        """'the two leaders', 'the talks', 'the prime ministers signed': the article's main pair of states."""
        text = self.text[s.begin:s.end]
        definite = _DEFINITE.search(self.text, max(s.begin, t.start() - 20), t.start()) is not None
        if not (_PLURAL_REF.search(text) or definite or s.paragraph <= 1 and self.events):
            return actors
        earlier = next((e for e in self.events if e.type == etype or {e.type, etype} <= {"Meeting", "Summit"}), None)
        if earlier is not None and definite:
            return list(earlier.actors)
        group = self.main_group()
        if len(group) < 2:
            return actors
        have = {a.country for a in actors}
        out = list(actors)
        role = "signatory" if etype == "AgreementSigning" else "speaker" if etype == "JointStatement" else "participant"
        for iso3 in group:
            if iso3 in have:
                continue
            leader = self.main_people.get(iso3)
            out.append(Actor("person", leader, iso3, role) if leader else Actor("country", iso3, iso3, role))
        return out

    # -- merging -------------------------------------------------------------------------------

    def _add(self, event: FoundEvent) -> None:
        best, best_overlap = None, 0
        for e in self.events:
            if not _same_kind(e.type, event.type):
                continue
            if event.type in COUNTRY_LEVEL or not (e.people() and event.people()):
                same = e.countries() == event.countries() or (e.countries() <= event.countries() or event.countries() <= e.countries()) \
                    and len(e.countries() & event.countries()) >= 2
            else:
                same = bool(e.people() & event.people()) and (e.people() <= event.people() or event.people() <= e.people())
            overlap = len(_refs(e) & _refs(event))
            if same and overlap >= best_overlap:
                best, best_overlap = e, overlap
        if best is None:
            self.events.append(event)
            return
        e = best
        if event.type == "Summit":
            e.type = "Summit"
        for a in event.actors:
            if not any(b.ref == a.ref or a.kind != "person" and b.country == a.country for b in e.actors):
                e.actors.append(a)
        e.spans.append(event.span)
        if e.place is None:
            e.place = event.place
        if e.date is None and event.date is not None:
            e.date, e.precision, e.date_span = event.date, event.precision, event.date_span


def _refs(e: FoundEvent) -> frozenset[str]:
    return frozenset(a.ref for a in e.actors)


def _same_kind(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"Meeting", "Summit"}
