"""Who and what an article names: countries, people and their offices, organizations and places.

Known things come from the gazetteer lexicon; people the gazetteer does not know are found as runs of
capitalised name tokens with a cue that they are people (a title before or after the name, "X, who",
"X said", "his wife, X"). Short references ("Modi", "Xi", "President Bio") resolve to a person already
named in full; a lone surname the article never spells out resolves only to a gazetteer office holder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kg import gazetteer as gz
from kg.extract.lexicon import Entry, Lexicon, Match
from kg.extract.text import Sentence, Token, fold
from kg.extract.titles import (
    COMPLEMENT,
    HEAD_OF_STATE_OR_GOVERNMENT,
    TITLE_STARTS,
    Title,
    canonical,
    title_at,
    titles_in,
)
from kg.iris import slug
from kg.model import Span

STOP = frozenset("""the a an in on at he she it its they we i you his her their our this that these those after
    before when while but and or as if according under over with without for from to by of also both there here
    then now however meanwhile earlier later last next during despite although though since until among between
    what which who whom whose where why how all each every some many most more other another such no not yes
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr prof professor sir dame lord h.e sheikh excellency""".split())
TITLE_WORDS = frozenset("""president presidents minister ministers prime secretary chancellor king queen prince
    princess emir sultan premier ambassador envoy spokesperson spokesman spokeswoman general deputy vice foreign
    defence defense chief director chairman chairwoman chair head leader governor mayor senator speaker
    commissioner first lady crown high representative presidential communications press counterpart
    former acting visiting interim treasury state""".split())
# Every word a title can start with breaks a run of names: "National Security Adviser Jake Sullivan".
TITLE_WORDS = TITLE_WORDS | (TITLE_STARTS - {"new", "newly", "then", "then-", "second", "first", "associate"}) | {"judge", "justice"}
CONNECTORS = frozenset("da de do dos das del della di du van von der den ter bin ibn bint al el la le y ben abu".split())
# Capitalised words that make a run of names a thing rather than a person.
NON_PERSON_HEADS = frozenset("""bank council committee commission department ministry office directorate agency
    organization organisation union community forum fund court parliament congress assembly group corporation
    company institute service services forces army navy constabulary police house hall palace airport sea ocean
    island islands river mountain mountains university party war day street square center centre building hotel
    castle headquarters treaty agreement accord pact summit conference declaration vision strategy act law
    network school college hospital church mosque cathedral stadium station port province region state states
    county city republic kingdom nations people bureau program programme initiative partnership alliance
    federation association movement front coalition news times post press agency television radio media wire
    report review daily monitor chronicle journal herald tribune gazette express telegraph guardian channel
    games cup championship olympics festival exhibition expo prize award medal index exchange market markets
    airlines airways railway bridge canal dam pipeline plant reactor base camp gulf bay strait peninsula desert
    valley coast basin lake forest park zone area district territory""".split())
ORG_ADJECTIVES = frozenset("""national international royal federal central supreme presidential joint united
    pacific atlantic indian arctic great new north south east west northern southern eastern western upper
    lower grand holy general special global world european african asian american arab islamic""".split())
HONORIFIC = re.compile(r"(?:(?:Professor|Prof\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame|Lord|Gen\.|H\.E\.|Sheikh)\s+)$")
SPEECH_VERBS = r"said|says|told|tells|added|adds|noted|stressed|called|urged|warned|announced|met|meets|spoke|" \
               r"visited|arrived|tweeted|wrote|declared|insisted|explained|recalled|welcomed|thanked|asked"
_PERSON_AFTER = re.compile(rf"\s*(?:,\s*(?:who|whose)\b|\s+(?:{SPEECH_VERBS})\b|,\s+(?:{SPEECH_VERBS})\b)")
_RELATION_BEFORE = re.compile(
    r"(?P<owner>\b[A-Z][\w’'\-]+(?:’s|'s)|\b(?:his|her|their))\s+(?P<rel>wife|husband|spouse|predecessor|successor|"
    r"son|daughter|deputy|spokesperson|spokesman|spokeswoman|adviser|advisor|counterpart|envoy)\s*,?\s*$")
_PERSON_BEFORE = re.compile(r"\b(?:met|meets|meeting|with|by|was|is|(?:death|killing|murder|arrest|detention|release|"
                            r"funeral|trial|execution|assassination)\s+of|named|appointed|elected|replaced|succeeded)\s+$")
_ROYAL_BEFORE = re.compile(r"\b(?:King|Queen|Prince|Princess|Pope|Emir|Sultan|Sheikh|Sheikha|Grand\s+Duke|Crown\s+Prince)\s+$")
# ", the ...", ", Saudi Arabia's ...", ", the president's ..." before a title in apposition to a name.
_APPOSITION = re.compile(r"\s*,\s*(?:the\s+|a\s+|an\s+)?(?:(?P<owner>(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,3}[\w’'\-]+)(?:’s|'s)\s+)?")
_WHO_HEADS = re.compile(r"\s*,\s*who\s+(?:heads|leads|chairs|runs)\s+(?:the\s+)?(?P<body>[A-Z][\w’'\-]*(?:\s+(?:of\s+|and\s+|the\s+)*[A-Z][\w’'\-]*)*)")
_AS_TITLE = re.compile(r"\s+as\s+(?:the\s+)?(?:new\s+)?")
_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?")
_LOCATIVE = re.compile(r"(?:\b(?:in|at|to|from|into|near|outside|inside|toward|towards|via|around|across|"
                       r"visit(?:ed|ing)?|reach(?:ed)?|left|leaving|landed|flew|arrived|trip|travel(?:l?ed)?)\s+(?:the\s+)?)$",
                       re.IGNORECASE)
_ORG_PATTERNS = (
    re.compile(r"\b(?P<name>(?:[A-Z][\w\-]*\s+){0,3}(?:Ministry|Department|Office|Directorate|Agency|Council|Commission|Committee|Bureau|"
               r"Authority|Institute|Service)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:(?:of|for)\s+(?:the\s+)?|and\s+|&\s+)?"
               r"[A-Z][\w’'\-]*)*)"),
    re.compile(r"\b(?P<name>(?:[A-Z][\w’'\-]*\s+){1,4}(?:Ministry|Department|Directorate|Agency|Organi[sz]ation|Council|"
               r"Commission|Committee|Constabulary|Forces|Bureau|Authority|Service))\b"),
)
_ORG_KIND = (
    (re.compile(r"\b(?:Ministry|Department)\b"), "ministry"),
    (re.compile(r"\b(?:International|World|Global|United Nations)\b"), "international"),
    (re.compile(r"\b(?:Agency|Directorate|Office|Service|Bureau|Authority|Forces|Constabulary|Police|Council|"
                r"Commission|Committee|Organi[sz]ation)\b"), "agency"),
)
_NAMED_AFTER = re.compile(r"\s+(?:Treaty|Accords?|Agreements?|Declaration|Protocol|Consensus|Pact|Charter|Convention|"
                          r"Summit|Process|Plan|Initiative|Framework|Format|Group|Forum|Conference|Communiqu[eé])\b")
_ROMAN = re.compile(r"(?:I{1,3}|IV|V|VI{1,3}|IX|X{1,2}I{0,3})")
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK"})
COUNTRY_KINDS = frozenset({"country", "demonym", "demonyms", "capital", "metonym"})


@dataclass(slots=True)
class Mention:
    start: int
    stop: int
    sentence: int
    kind: str                   # country | person | org | place
    ref: str                    # ISO3, person key, organization key, place name
    country: str | None = None
    form: str = "name"          # name | demonym | capital | metonym | surname | title | pronoun


@dataclass(slots=True)
class PersonInfo:
    key: str
    name: str
    country: str | None = None
    title: Title | None = None
    title_span: Span | None = None
    of_kind: str = "country"
    of: str | None = None
    wikidata: str | None = None
    in_gazetteer: bool = False
    gender: str | None = None
    spans: list[Span] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)     # short forms the article's spellings allow: "zelensky"


@dataclass(slots=True)
class OrgInfo:
    key: str
    name: str
    kind: str
    country: str | None = None
    acronym: str | None = None
    wikidata: str | None = None
    in_gazetteer: bool = False
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class PlaceInfo:
    name: str
    country: str | None
    geonames: str | None = None
    wikidata: str | None = None
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Mentions:
    persons: dict[str, PersonInfo] = field(default_factory=dict)
    orgs: dict[str, OrgInfo] = field(default_factory=dict)
    places: dict[tuple[str, str | None], PlaceInfo] = field(default_factory=dict)
    countries: dict[str, list[Span]] = field(default_factory=dict)
    by_sentence: list[list[Mention]] = field(default_factory=list)

    def in_sentence(self, index: int, *kinds: str) -> list[Mention]:
        return [m for m in self.by_sentence[index] if not kinds or m.kind in kinds]


@dataclass(slots=True)
class _Run:
    begin: int                  # token indices
    end: int
    start: int                  # character offsets
    stop: int
    name: str                   # the name with any quoted nickname left out
    person: str | None = None   # a gazetteer person the run spells out


class MentionFinder:
    def __init__(self, text: str, sentences: list[Sentence], lexicon: Lexicon, published: date | None) -> None:
        self.text = text
        self.sentences = sentences
        self.lex = lexicon
        self.gaz = lexicon.gaz
        self.published = published
        self.out = Mentions(by_sentence=[[] for _ in sentences])
        self.matches = [lexicon.scan(s.tokens, text) for s in sentences]
        self.pending: list[tuple[PersonInfo, re.Match[str], int]] = []
        self._titles: dict[int, list[Title]] = {}

    def titles(self, i: int) -> list[Title]:
        """Every office title in sentence ``i`` (computed once)."""
        hit = self._titles.get(i)
        if hit is None:
            s = self.sentences[i]
            hit = self._titles[i] = titles_in(self.text, s.begin, s.end, s.tokens)
        return hit

    # -- the whole pass ------------------------------------------------------------------------

    def run(self) -> Mentions:
        runs = [self._runs(i) for i in range(len(self.sentences))]
        for i, sentence_runs in enumerate(runs):      # full names first, so short forms can resolve anywhere
            for r in sentence_runs:
                if len(r.name.split()) >= 2 or r.person or self._royal(i, r):
                    self._full_name(i, r)
        for i, sentence_runs in enumerate(runs):
            for r in sentence_runs:
                if len(r.name.split()) < 2 and not r.person:
                    self._short_name(i, r)
        for lst in self.out.by_sentence:
            lst.sort(key=lambda m: m.start)
        for info, relation, i in self.pending:
            self._relation(info, relation, i)
        for i in range(len(self.sentences)):
            self._lexicon_things(i)
            self._org_patterns(i)
        for lst in self.out.by_sentence:
            lst.sort(key=lambda m: m.start)
        self._merge_orgs()
        self._merge_people()
        self._context_countries()
        self._title_references()
        for lst in self.out.by_sentence:
            lst.sort(key=lambda m: m.start)
        return self.out

    def _merge_people(self) -> None:
        """'King Charles' in the headline is the gazetteer's 'Charles III' named in the body."""
        def words(name: str) -> list[str]:
            return [w for w in fold(name).split() if not _ROMAN.fullmatch(w.upper())]
        for key, info in list(self.out.persons.items()):
            if info.in_gazetteer:
                continue
            mine = words(info.name)
            twin = next((p for p in self.out.persons.values() if p.in_gazetteer and p is not info and mine
                         and set(mine) <= set(words(p.name)) and mine[-1] == words(p.name)[-1]), None)
            if twin is None:
                continue
            twin.spans.extend(info.spans)
            twin.forms |= info.forms
            if twin.title is None:
                twin.title, twin.title_span = info.title, info.title_span
            del self.out.persons[key]
            for lst in self.out.by_sentence:
                for m in lst:
                    if m.kind == "person" and m.ref == key:
                        m.ref, m.country = twin.key, twin.country

    def _merge_orgs(self) -> None:
        """'the Security Council' after "Russia's Security Council" is the same body."""
        for key, info in list(self.out.orgs.items()):
            if info.country is not None or info.in_gazetteer:
                continue
            twin = next((o for o in self.out.orgs.values() if o is not info and o.country and fold(o.name) == fold(info.name)), None)
            if twin is None:
                continue
            twin.spans.extend(info.spans)
            del self.out.orgs[key]
            for lst in self.out.by_sentence:
                for m in lst:
                    if m.kind == "org" and m.ref == key:
                        m.ref, m.country = twin.key, twin.country

    def _context_countries(self) -> None:
        """A national office holder the text gives no state: the one state the sentence, or else the nearest
        earlier sentence of the paragraph, names before them; none when it names several.

        'Erdoğan travelled to Sochi with ... Communications Director Fahrettin Altun' (Turkey);
        'Defence Minister Antti Kaikkonen also attended' after a sentence about Finland's president.
        """
        for info in self.out.persons.values():
            if info.country is not None or info.title is None or not info.spans:
                continue
            org = self.gaz.organizations.get(info.of or "") if info.of_kind == "organization" else None
            if info.of_kind == "organization" and (org is None or org.country is None):
                continue
            at = info.spans[0].begin
            i = self._sentence_of(at)
            para = self.sentences[i].paragraph
            for j in range(i, -1, -1):
                if self.sentences[j].paragraph != para:
                    break
                found = {m.country for m in self.out.by_sentence[j] if m.country and m.kind != "place"
                         and not (m.kind == "person" and m.ref == info.key) and (j < i or m.start < at)}
                if found:
                    if len(found) == 1:
                        info.country = found.pop()
                    break
            if info.country is None:
                places = {m.country for m in self.out.by_sentence[i] if m.kind == "place" and m.country and m.start < at}
                if len(places) == 1:
                    info.country = places.pop()              # "In Beijing he also met Zhao Leji, ..."
            if info.country is not None:
                for lst in self.out.by_sentence:
                    for m in lst:
                        if m.kind == "person" and m.ref == info.key:
                            m.country = info.country

    def _title_references(self) -> None:
        """'the crown prince told Raisi', 'the King said': an office named for the one person holding it."""
        for i, s in enumerate(self.sentences):
            taken = [(m.start, m.stop) for m in self.out.by_sentence[i]]
            for t in self.titles(i):
                if t.plural or t.former or any(a <= t.begin < b for a, b in taken):
                    continue
                lead = self.text[max(s.begin, t.begin - 4):t.begin]
                if not re.search(r"(?:^|\b)the\s+$", lead, re.IGNORECASE):
                    continue
                after = self.text[t.end:t.end + 3]
                if re.match(r"\s+[A-Z]|\s+of\b", after):
                    continue                              # "the President William Ruto", "the head of ..."
                person = self.by_office(t.office)
                if person is not None:
                    info = self.out.persons[person]
                    self.out.by_sentence[i].append(Mention(t.begin, t.end, i, "person", person, info.country, "title"))

    # -- name runs -----------------------------------------------------------------------------

    def _runs(self, i: int) -> list[_Run]:
        s = self.sentences[i]
        toks = s.tokens
        blocked: dict[int, Entry] = {}
        person_at: dict[int, Match] = {}
        for m in self.matches[i]:
            kinds = m.kinds()
            if "person" in kinds:
                person_at[m.begin] = m
                continue
            if kinds & {"country", "demonym", "demonyms", "org", "metonym", "region"}:
                for k in range(m.begin, m.end):
                    blocked[k] = m.entries[0]
        out: list[_Run] = []
        k, n = 0, len(toks)
        while k < n:
            if k in person_at:
                m = person_at[k]
                end = m.end
                # A gazetteer name may be followed by more of the name ("Lula" in "Lula da Silva").
                while end < n and (self._name_token(toks, end, blocked) or toks[end].key in CONNECTORS) \
                        and end + 1 <= n and self._name_token(toks, end if toks[end].key not in CONNECTORS else end + 1, blocked):
                    end += 1 if toks[end].key not in CONNECTORS else 2
                entry = m.first("person")
                out.append(_Run(k, end, toks[k].begin, toks[end - 1].end, self._name(toks, k, end),
                                entry.ref if entry and end == m.end else None))
                if end != m.end:
                    out[-1].person = entry.ref if entry else None
                k = end
                continue
            if not self._name_token(toks, k, blocked):
                k += 1
                continue
            end = k + 1
            while end < n:
                if self._name_token(toks, end, blocked) and end not in person_at:
                    end += 1
                elif toks[end].key in CONNECTORS and end + 1 < n and self._name_token(toks, end + 1, blocked):
                    end += 2
                elif toks[end].text in "\"“" and end + 3 < n and toks[end + 1].is_cap and toks[end + 2].text in "\"”" \
                        and (self._name_token(toks, end + 3, blocked) or toks[end + 3].key in CONNECTORS):
                    end += 3                          # a nickname: Rosângela "Janja" da Silva
                else:
                    break
            if not self._thing_chunk(toks, k, end):
                out.append(_Run(k, end, toks[k].begin, toks[end - 1].end, self._name(toks, k, end)))
            k = end
        return out

    def _name_token(self, toks: list[Token], k: int, blocked: dict[int, Entry]) -> bool:
        if k >= len(toks) or k in blocked:
            return False
        t = toks[k]
        if not t.is_cap or t.key in STOP or t.key in TITLE_WORDS:
            return False
        if t.text.isupper() and len(t.text) > 1 and "." not in t.text:
            # An acronym is not a name, but a regnal number is part of one: "Abdullah II".
            return bool(_ROMAN.fullmatch(t.text)) and k > 0 and self._name_token(toks, k - 1, blocked)
        return t.text[0].isalpha()

    def _thing_chunk(self, toks: list[Token], begin: int, end: int) -> bool:
        """The run is part of a capitalised name of a thing: 'Simón Bolívar International Airport'."""
        lo = begin
        while lo > 0 and toks[lo - 1].is_cap and toks[lo - 1].key not in STOP and toks[lo - 1].key not in TITLE_WORDS:
            lo -= 1
        hi = end
        while hi < len(toks) and (toks[hi].is_cap or toks[hi].key in ("of", "the") and hi + 1 < len(toks)
                                  and toks[hi + 1].is_cap and toks[hi].key == "of"):
            hi += 1
        words = [t.key for t in toks[lo:hi]]
        if any(w in NON_PERSON_HEADS for w in words[begin - lo:]):
            return True
        return toks[begin].key in ORG_ADJECTIVES

    def _name(self, toks: list[Token], begin: int, end: int) -> str:
        parts: list[str] = []
        k = begin
        while k < end:
            if toks[k].text in "\"“" and k + 2 < end:
                k += 3
                continue
            if toks[k].text in ("’s", "'s"):
                break
            parts.append(toks[k].text)
            k += 1
        return " ".join(parts)

    # -- people --------------------------------------------------------------------------------

    def _full_name(self, i: int, r: _Run) -> None:
        text, s = self.text, self.sentences[i]
        left = text[s.begin:r.start]
        right_end = s.end
        title, title_span = self._left_title(i, r)
        as_title = self._as_title(r, right_end)
        if as_title is not None and (title is None or title[0].former):
            title = as_title
        if title is None:
            title = self._right_title(r, right_end)
        relation = _RELATION_BEFORE.search(text, s.begin, r.start)
        possessive = self._possessive_country(i, r)
        cue = (title is not None or r.person is not None or _PERSON_AFTER.match(text, r.stop, right_end) is not None
               or relation is not None or possessive is not None or _PERSON_BEFORE.search(left) is not None)
        if not cue:
            return
        key = r.person or self._same_person(r.name) or r.name
        info = self.out.persons.get(key)
        if info is None:
            info = self._new_person(key, r.person is not None)
            self.out.persons[key] = info
        span = Span.of(text, r.start, r.stop)
        info.spans.append(span)
        written = fold(r.name).split()
        if written:
            info.forms.update({written[-1], written[0]} if info.country in FAMILY_NAME_FIRST else {written[-1]})
        if title is not None and (info.title is None or info.title.former and not title[0].former):
            t, country, of_kind, of = title
            info.title, info.title_span = t, title_span if title_span is not None else Span.of(text, t.begin, t.end)
            if country and not info.in_gazetteer or country and info.country is None:
                info.country = country
            if of:
                info.of_kind, info.of = of_kind, of
                org = self.gaz.organizations.get(of) if of_kind == "organization" else None
                if org is not None and org.kind == "international" and not country:
                    info.country = None                # acting for an international body, not for a state
        elif relation is not None and info.title is None:
            self.pending.append((info, relation, i))
        if info.country is None:
            info.country = possessive or self._country_after(r, right_end)
        self.out.by_sentence[i].append(Mention(r.start, r.stop, i, "person", key, info.country))

    def _royal(self, i: int, r: _Run) -> bool:
        """'Queen Camilla', 'Pope Francis': one name after a title that is used with one name."""
        return _ROYAL_BEFORE.search(self.text, self.sentences[i].begin, r.start) is not None

    def _possessive_country(self, i: int, r: _Run) -> str | None:
        """"Ghana's Nana Akufo-Addo": the state named right before a name, in the possessive."""
        for m in self.matches[i]:
            if m.stop < r.start and re.fullmatch(r"\s*(?:’s|'s)\s+", self.text[m.stop:r.start]):
                e = m.first("country")
                if e is not None:
                    return e.ref
        return None

    def _new_person(self, key: str, known: bool) -> PersonInfo:
        info = PersonInfo(key, key, in_gazetteer=known)
        if known:
            term = self._term(key)
            if term is not None:
                info.wikidata = term.wikidata
                info.country = term.of if term.of in self.gaz.countries else None
                info.of_kind = "country" if term.of in self.gaz.countries else "organization"
                info.of = term.of
            else:
                info.wikidata = next((t.wikidata for t in self.gaz.terms_of(key) if t.wikidata), None)
        return info

    def _term(self, person: str) -> gz.OfficeTerm | None:
        terms = self.gaz.terms_of(person)
        if not terms:
            return None
        day = self.published
        if day is not None:
            current = [t for t in terms if t.holds_on(day)]
            if current:
                return _rank_offices(current)[0]
            before = [t for t in terms if t.start <= day]
            if before:
                # The most recent office; for a monarch of several realms, the first realm.
                return min(before, key=lambda t: (-(t.end or day).toordinal(), t.start))
        return max(terms, key=lambda t: t.start)

    def gazetteer_office(self, person: str) -> tuple[str, str, bool] | None:
        """(office, of, current) for a gazetteer person on the publication date."""
        term = self._term(person)
        if term is None:
            return None
        current = self.published is None or term.holds_on(self.published)
        return term.title or term.office, term.of, current

    def _same_person(self, name: str) -> str | None:
        toks = fold(name).split()
        for key in self.out.persons:
            other = fold(key).split()
            small, large = (toks, other) if len(toks) <= len(other) else (other, toks)
            if small and small[-1] == large[-1] and set(small) <= set(large):
                return key
        return None

    def _left_title(self, i: int, r: _Run) -> tuple[tuple[Title, str | None, str, str | None], Span | None] | tuple[None, None]:
        """A title before the name: 'Indian Prime Minister Narendra Modi', 'the head of X (MİT), Hakan Fidan'."""
        text, s = self.text, self.sentences[i]
        lo = max(s.begin, r.start - 160)
        gap_end = r.start
        hon = HONORIFIC.search(text, lo, gap_end)
        if hon:
            gap_end = hon.start()
        candidates = [t for t in self.titles(i) if t.begin >= lo and t.end <= gap_end]
        for t in reversed(candidates):
            between = text[t.end:gap_end]
            complement = COMPLEMENT.match(text, t.end, gap_end)
            rest = text[complement.end():gap_end] if complement else between
            if re.fullmatch(r"(?:\s*\([^()]{1,15}\))?\s*,?\s*", rest) or self._coordinated(i, t, r):
                label, of_kind, of, country = self._complement(i, t, complement)
                qual = self._qualifier(i, t.begin)
                qual_match = self._qualifier_match(i, t.begin)
                org = qual_match.first("org") if qual_match is not None and not (qual_match.kinds() & COUNTRY_KINDS) else None
                if org is not None and of is None:
                    of_kind, of = "organization", org.ref
                country = country or qual or (self._respective(i, t, r) if t.plural else None)
                t2 = Title(t.begin, t.end, label, canonical(label) if label != t.label else t.office, t.former, t.plural)
                if qual and self._qualifier_is_institution(i, t.begin):
                    inst = self._qualifier_text(i, t.begin)
                    t2 = Title(t.begin, t.end, f"{inst} {label}", t2.office, t.former, t.plural)
                return (t2, country, of_kind, of), Span.of(text, t.begin, complement.end() if complement else t.end)
            if between.strip():
                break
        return None, None

    def _respective(self, i: int, t: Title, r: _Run) -> str | None:
        """'Australia and Papua New Guinea signed ... with Prime Ministers Anthony Albanese and James Marape'."""
        countries: list[str] = []
        for m in self.matches[i]:
            e = m.first("country", "demonym")
            if m.stop <= t.begin and e is not None and e.ref not in countries:
                countries.append(e.ref)
        names = re.split(r"\s*,\s*|\s+and\s+", self.text[t.end:r.stop].strip())
        if len(countries) >= 2 and len(names) <= len(countries):
            return countries[len(names) - 1]
        return None

    def _coordinated(self, i: int, t: Title, r: _Run) -> bool:
        """'Prime Ministers Anthony Albanese and James Marape': a plural title covers both names."""
        if not t.plural:
            return False
        between = self.text[t.end:r.start]
        return re.fullmatch(r"\s+[A-Z][^,;:.]*?\s+and\s+", between) is not None

    def _complement(self, i: int, t: Title, complement: re.Match[str] | None) -> tuple[str, str, str | None, str | None]:
        """(label, of_kind, of, country) from 'chief of the General Staff of the Russian Armed Forces'."""
        if complement is None:
            return t.label, "country", None, None
        body = complement.group("body")
        b = complement.start("body")
        the = "the " if re.match(r"\s+of\s+the\s+(?!(?:utility|company|firm|group|bank)\b)", complement.group(0)) else ""
        entries = [m for m in self.matches[i] if b <= m.start and m.stop <= complement.end()]
        countries = [e for m in entries for e in m.entries if e.kind in COUNTRY_KINDS]
        orgs = [e for m in entries for e in m.entries if e.kind == "org"]
        if countries and fold(body) in {fold(self.text[m.start:m.stop]) for m in entries}:
            return t.label, "country", countries[0].ref, countries[0].ref
        if orgs:
            org = orgs[0]
            label = t.label if t.office in ("Secretary-General", "Secretary General") else f"{t.label} of {the}{body}"
            return label, "organization", org.ref, org.country
        country = countries[0].ref if countries else None
        if t.label.casefold() in ("head", "chief", "director", "chairman", "chair", "president", "leader"):
            return f"{t.label} of {the}{body}", "country", None, country
        return t.label, "country", None, country

    def _qualifier(self, i: int, at: int) -> str | None:
        """The state named right before a title: 'Indian', 'UK', "Sierra Leone's", 'NATO', 'White House', 'visiting South Korean'."""
        m = self._qualifier_match(i, at)
        if m is None:
            return None
        for e in m.entries:
            if e.kind in COUNTRY_KINDS:
                return e.ref
            if e.kind == "org":
                return e.country
        return None

    def _qualifier_match(self, i: int, at: int) -> Match | None:
        text = self.text
        for m in self.matches[i]:
            if m.stop <= at and re.fullmatch(r"(?:\s*(?:’s|'s))?\s+(?:(?:the|visiting|former|then|acting)\s+)*",
                                             text[m.stop:at], re.IGNORECASE):
                best = m
                if not (m.kinds() & (COUNTRY_KINDS | {"org"})):
                    continue
                return best
        return None

    def _qualifier_is_institution(self, i: int, at: int) -> bool:
        m = self._qualifier_match(i, at)
        return m is not None and "metonym" in m.kinds()

    def _qualifier_text(self, i: int, at: int) -> str:
        m = self._qualifier_match(i, at)
        return self.text[m.start:m.stop] if m else ""

    def _as_title(self, r: _Run, end: int) -> tuple[Title, str | None, str, str | None] | None:
        """'Dilma Rousseff as head of the New Development Bank'."""
        m = _AS_TITLE.match(self.text, r.stop, end)
        if m is None:
            return None
        t = title_at(self.text, m.end(), end)
        if t is None:
            return None
        i = self._sentence_of(r.start)
        complement = COMPLEMENT.match(self.text, t.end, end)
        label, of_kind, of, country = self._complement(i, t, complement)
        return Title(t.begin, complement.end() if complement else t.end, label, canonical(label), False, False), country, of_kind, of

    def _right_title(self, r: _Run, end: int) -> tuple[Title, str | None, str, str | None] | None:
        """'Valery Gerasimov, chief of the General Staff ...', 'Zhao Leji, who heads the ...'."""
        text = self.text
        i = self._sentence_of(r.start)
        who = _WHO_HEADS.match(text, r.stop, end)
        if who:
            body = who.group("body")
            label = f"Head of the {body}" if not body.startswith("The ") else f"Head of {body}"
            entries = [m for m in self.matches[i] if who.start("body") <= m.start and m.stop <= who.end()]
            country = next((e.ref for m in entries for e in m.entries if e.kind in COUNTRY_KINDS), None)
            return Title(who.start("body"), who.end(), label, label, False, False), country, "country", None
        m = _APPOSITION.match(text, r.stop, end)
        if m is None:
            return None
        t = title_at(text, m.end(), end)
        if t is None:
            return None
        complement = COMPLEMENT.match(text, t.end, end)
        label, of_kind, of, country = self._complement(i, t, complement)
        qual = self._qualifier(i, t.begin) if country is None else country
        if qual is None and m.group("owner"):
            qual = self._owner_country(i, m.start("owner"), m.end("owner"))
        stop = complement.end() if complement else t.end
        return Title(t.begin, stop, label, canonical(label) if label != t.label else t.office, t.former, False), qual, of_kind, of

    def _owner_country(self, i: int, begin: int, end: int) -> str | None:
        """The state of a possessive owner: "Saudi Arabia's" or "the president's" (the president's state)."""
        for m in self.matches[i]:
            if begin <= m.start and m.stop <= end:
                e = m.first("country")
                if e is not None:
                    return e.ref
        owner = self.text[begin:end]
        t = re.fullmatch(r"(?:the\s+)?(.+)", owner)
        if t:
            person = self.by_office(canonical(t.group(1)))
            if person is not None:
                return self.out.persons[person].country
        return None

    def by_office(self, office: str) -> str | None:
        """The one person of the article holding ``office`` ("the president", "the crown prince")."""
        found = [p.key for p in self.out.persons.values() if p.title is not None and not p.title.former
                 and (p.title.office == office or canonical(p.title.label) == office)]
        return found[0] if len(found) == 1 else None

    def _country_after(self, r: _Run, end: int) -> str | None:
        """'President Uhuru Kenyatta of Kenya'."""
        m = _OF_COUNTRY.match(self.text, r.stop, end)
        if m is None:
            return None
        i = self._sentence_of(r.start)
        for match in self.matches[i]:
            if match.start == m.end():
                e = match.first("country")
                return e.ref if e else None
        return None

    def _relation(self, info: PersonInfo, relation: re.Match[str], i: int) -> None:
        """'his wife, Peng Liyuan' (First Lady), "Petro's predecessor, Iván Duque" (Former President)."""
        owner_text = relation.group("owner")
        rel = relation.group("rel").casefold()
        owner = None
        if owner_text.casefold() in ("his", "her", "their"):
            owner = self._last_person(i, relation.start())
        else:
            name = re.sub(r"(?:’s|'s)$", "", owner_text)
            owner = self._resolve_short(name)
        if owner is None:
            return
        o = self.out.persons[owner]
        info.country = info.country or o.country
        office = o.title.office if o.title else None
        if rel in ("wife", "husband", "spouse") and office in ("President", "Prime Minister", "Chancellor"):
            label = "First Lady" if rel == "wife" else "First Gentleman"
            info.title = Title(relation.start("rel"), relation.end("rel"), label, label, False, False)
        elif rel in ("predecessor", "successor") and office:
            label = f"Former {office}" if rel == "predecessor" else office
            info.title = Title(relation.start("rel"), relation.end("rel"), label, office, rel == "predecessor", False)
            info.of_kind, info.of = o.of_kind, o.of
        if info.title is not None:
            info.title_span = Span.of(self.text, relation.start("rel"), relation.end("rel"))

    def _last_person(self, i: int, before: int) -> str | None:
        for j in range(i, -1, -1):
            for m in reversed(self.out.by_sentence[j]):
                if m.kind == "person" and m.start < before:
                    return m.ref
        return None

    def _sentence_of(self, offset: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.begin <= offset < s.end:
                return i
        return 0

    def _short_name(self, i: int, r: _Run) -> None:
        key = self._resolve_short(r.name)
        if key is None:
            return
        info = self.out.persons[key]
        info.spans.append(Span.of(self.text, r.start, r.stop))
        self.out.by_sentence[i].append(Mention(r.start, r.stop, i, "person", key, info.country, "surname"))

    def _resolve_short(self, name: str) -> str | None:
        key = fold(name)
        hits = []
        for p in self.out.persons.values():
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
            # "Ruto" with President William Ruto and First Lady Rachel Ruto named: the office holder of the state.
            leaders = [h for h in hits if (t := self.out.persons[h].title) is not None and t.office in HEAD_OF_STATE_OR_GOVERNMENT]
            if len(leaders) == 1:
                return leaders[0]
        return None

    # -- countries, organizations and places from the lexicon -----------------------------------

    def _lexicon_things(self, i: int) -> None:
        text, s = self.text, self.sentences[i]
        person_spans = [(m.start, m.stop) for m in self.out.by_sentence[i] if m.kind == "person"]
        for m in self.matches[i]:
            if any(a <= m.start < b for a, b in person_spans):
                continue
            span = Span.of(text, m.start, m.stop)
            e = m.entries[0]
            kinds = m.kinds()
            if kinds & {"country", "demonym", "demonyms", "metonym"}:
                e = next(x for x in m.entries if x.kind in ("country", "demonym", "demonyms", "metonym"))
                self._country(i, span, e.ref, e.kind)
            elif "capital" in kinds or "place" in kinds:
                e = m.first("capital", "place")
                assert e is not None
                place_name = text[m.start:m.stop]
                if _NAMED_AFTER.match(text, m.stop, s.end):
                    continue                                    # "the Washington Treaty", "the Minsk Protocol"
                if e.kind == "capital" and not _LOCATIVE.search(text, max(s.begin, m.start - 40), m.start):
                    self._country(i, span, e.ref, "capital")      # "New Delhi and London agreed", "Seoul's proposal"
                else:
                    self._place(i, span, place_name, e.country)
            elif "org" in kinds:
                qual = self._qualifier(i, m.start)
                org = next((x for x in m.entries if x.kind == "org" and (qual is None or x.country in (None, qual))),
                           m.entries[0])
                self._org_known(i, span, org)
            elif "person" in kinds:
                continue

    def _country(self, i: int, span: Span, iso3: str, form: str) -> None:
        self.out.countries.setdefault(iso3, []).append(span)
        self.out.by_sentence[i].append(Mention(span.begin, span.end, i, "country", iso3, iso3, form))

    def _place(self, i: int, span: Span, name: str, country: str | None) -> None:
        entry = self.gaz.place(name, country)
        canonical_name = entry.name if entry else name
        key = (canonical_name, country)
        info = self.out.places.get(key)
        if info is None:
            info = self.out.places[key] = PlaceInfo(canonical_name, country, entry.geonames if entry else None,
                                                    entry.wikidata if entry else None)
        info.spans.append(span)
        self.out.by_sentence[i].append(Mention(span.begin, span.end, i, "place", canonical_name, country))

    def _org_known(self, i: int, span: Span, e: Entry) -> None:
        entry = self.gaz.organizations.get(e.ref)
        if entry is None:
            return
        info = self.out.orgs.get(entry.key)
        if info is None:
            info = self.out.orgs[entry.key] = OrgInfo(entry.key, entry.name, entry.kind, entry.country, entry.acronym,
                                                      entry.wikidata, True)
        info.spans.append(span)
        self.out.by_sentence[i].append(Mention(span.begin, span.end, i, "org", entry.key, entry.country))

    def _org_patterns(self, i: int) -> None:
        text, s = self.text, self.sentences[i]
        taken = [(m.start, m.stop) for m in self.out.by_sentence[i] if m.kind in ("org", "person")]
        for pattern in _ORG_PATTERNS:
            for m in pattern.finditer(text, s.begin, s.end):
                name = m.group("name")
                b, e = m.start("name"), m.end("name")
                while name.split()[0].casefold() in STOP and len(name.split()) > 2:   # "The Iranian Foreign Ministry"
                    cut = len(name) - len(name.split(None, 1)[1])
                    b, name = b + cut, name[cut:]
                written = b                                   # the span keeps "Russian Defence Ministry"
                lead = name.split()[0]
                if lead.casefold() in STOP or any(a < e and b < z and not (b <= a and z < e) for a, z in taken):
                    continue
                # A country named inside or right before the name is the state it belongs to.
                inner = [x for x in self.matches[i] if b <= x.start and x.stop <= e and x.kinds() & COUNTRY_KINDS]
                if inner and inner[0].start == b and inner[0].kinds() & {"country", "demonym"}:
                    lead_in = re.match(r"(?:’s|'s)?\s+", text[inner[0].stop:e])
                    if lead_in:
                        b = inner[0].stop + lead_in.end()
                        name = text[b:e]
                if len(name.split()) < 2:
                    continue
                country = self._qualifier(i, m.start("name"))
                if country is None and inner:
                    country = next(e2.ref for e2 in inner[0].entries if e2.kind in COUNTRY_KINDS)
                kind = next((k for rx, k in _ORG_KIND if rx.search(name)), "other")
                key = f"{country}-{slug(name)}" if country and kind != "international" else slug(name)
                known = next((o for o in self.gaz.organizations.values()
                              if fold(o.name) == fold(name) and (o.country in (None, country))), None)
                if known is not None:
                    self._org_known(i, Span.of(text, written, e), Entry("org", known.key, known.country))
                    taken.append((written, e))
                    continue
                inside = [x for x in self.out.by_sentence[i] if x.kind == "org" and b <= x.start and x.stop < e]
                if inside and kind != "ministry":
                    parent = self.out.orgs.get(inside[0].ref)
                    if parent is not None and parent.kind == "international":
                        kind = "international"                 # "ECOWAS Commission": a body of ECOWAS
                info = self.out.orgs.get(key)
                if info is None:
                    acronym = re.match(r"\s*\(([A-ZİÇŞĞÜÖ]{2,8})\)", text[e:e + 12])
                    info = self.out.orgs[key] = OrgInfo(key, name, kind, country, acronym.group(1) if acronym else None)
                info.spans.append(Span.of(text, written, e))
                self.out.by_sentence[i].append(Mention(written, e, i, "org", key, country))
                taken.append((written, e))


_OBJECT_BEFORE = re.compile(r"\b(?:of|with|by|to|for|from|at|about|on|against|between|than|as)\s+(?:[\w’'-]+,?\s+){0,3}$",
                            re.IGNORECASE)


def last_subject(text: str, mentions: Mentions, before: int, quoted: list[tuple[int, int]]) -> str | None:
    """Whom 'he' or 'she' refers to: the last person named as a subject (not after 'of', 'with', ...)
    outside quotation marks; failing that, the last person named at all."""
    fallback = None
    for lst in reversed(mentions.by_sentence):
        for m in reversed(lst):
            if m.kind != "person" or m.start >= before or any(a <= m.start <= b for a, b in quoted):
                continue
            if fallback is None:
                fallback = m.ref
            if not _OBJECT_BEFORE.search(text, max(0, m.start - 40), m.start):
                return m.ref
    return fallback


def _rank_offices(terms: list[gz.OfficeTerm]) -> list[gz.OfficeTerm]:
    order = {"President": 0, "King": 0, "Queen": 0, "Emir": 0, "Prime Minister": 1, "Chancellor": 1,
             "Crown Prince": 2, "Vice President": 3, "Foreign Minister": 4, "Defence Minister": 5}
    return sorted(terms, key=lambda t: order.get(t.office, 9))


def find_mentions(text: str, sentences: list[Sentence], lexicon: Lexicon, published: date | None) -> tuple[Mentions, MentionFinder]:
    finder = MentionFinder(text, sentences, lexicon, published)
    return finder.run(), finder
