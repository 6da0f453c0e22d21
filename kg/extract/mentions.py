"""Who and what an article names: countries, people and their offices, organizations and places.

Known things come from the gazetteer lexicon; people the gazetteer does not know are found as runs of
capitalised name tokens with a cue that they are people (a title before or after the name, "X, who",
"X said", "his wife, X"). A run of one name alone is left to the identity stage (kg.extract.identity), which
resolves it to a person named in full or to no one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg import gazetteer as gz
from kg.extract import patterns
from kg.extract.doc import Doc, Mention, Mentions, NameRun, OrgInfo, PersonInfo, PlaceInfo
from kg.extract.lexicon import Entry, Match
from kg.extract.text import HEADLINE, Token, fold
from kg.extract.titles import (
    COMPLEMENT,
    TITLE_STARTS,
    Title,
    canonical,
    title_at,
)
from kg.iris import slug
from kg.model import Span

STOP = frozenset("""the a an in on at he she it its they we i you his her their our this that these those after
    before when while but and or as if according under over with without for from to by of also both there here
    then now however meanwhile earlier later last next during despite although though since until among between
    what which who whom whose where why how all each every some many most more other another such no not yes
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr prof professor sir dame lord h.e sheikh excellency gen lt col maj capt sgt adm brig cmdr rev hon
    rt""".split())
TITLE_WORDS = frozenset("""president presidents minister ministers prime secretary chancellor king queen prince
    princess emir sultan premier ambassador envoy spokesperson spokesman spokeswoman general deputy vice foreign
    defence defense chief director chairman chairwoman chair head leader governor mayor senator speaker
    commissioner first lady crown high representative presidential communications press counterpart
    former acting visiting interim treasury state""".split())
# Every word a title can start with breaks a run of names: "National Security Adviser Ana Lund".
TITLE_WORDS = TITLE_WORDS | (TITLE_STARTS - {"new", "newly", "then", "then-", "second", "first", "associate"}) \
    | {"judge", "justice"}
CONNECTORS = frozenset("da de do dos das del della di du van von der den ter bin ibn bint al el la le y ben "
                       "abu".split())
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
# "his wife, X", "the president's conservative predecessor, X", "his Ruritanian counterpart X" (the owner, a
# nationality, the relation).
RELATION_BEFORE = re.compile(
    r"(?P<owner>\b[A-Z][\w’'\-]+(?:’s|'s)|\b(?:his|her|their))\s+(?:(?-i:[a-z])[\w-]+\s+){0,2}"
    r"(?:(?P<nat>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+)?"
    r"(?P<rel>wife|husband|spouse|predecessor|successor|son|daughter|deputy|spokesperson|spokesman|spokeswoman|"
    r"adviser|advisor|counterpart|envoy)\s*,?\s*$")
_PERSON_BEFORE = re.compile(r"\b(?:met|meets|meeting|with|by|was|is|(?:death|killing|murder|arrest|detention|release|"
                            r"funeral|trial|execution|assassination)\s+of|named|appointed|elected|replaced|succeeded)\s+$")
ROYAL_BEFORE = re.compile(r"\b(?:King|Queen|Prince|Princess|Pope|Emir|Sultan|Sheikh|Sheikha|Grand\s+Duke|"
                          r"Crown\s+Prince)\s+$")
# ", the ...", ", Saudi Arabia's ...", ", the president's ..." before a title in apposition to a name.
_APPOSITION = re.compile(r"\s*,\s*(?:the\s+|a\s+|an\s+)?"
                         r"(?:(?P<owner>(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,3}[\w’'\-]+)(?:’s|'s)\s+)?")
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
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK"})
COUNTRY_KINDS = frozenset({"country", "demonym", "demonyms", "capital", "metonym"})


TitleFound = tuple[Title, str | None, str, str | None]      # a title, its state, whose office (kind, key)


@dataclass(slots=True)
class _Run:
    begin: int                  # token indices
    end: int
    start: int                  # character offsets
    stop: int
    name: str                   # the name with any quoted nickname left out
    person: str | None = None   # a gazetteer person the run spells out


class MentionFinder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.sentences = doc.sentences
        self.lex = doc.lexicon
        self.gaz = doc.gaz
        self.published = doc.article.published
        self.out = doc.mentions
        self.matches = doc.matches
        self.titles = doc.titles

    def run(self) -> None:
        runs = [self._runs(i) for i in range(len(self.sentences))]
        for i, sentence_runs in enumerate(runs):
            for r in sentence_runs:
                if len(r.name.split()) >= 2 or r.person:
                    self._full_name(i, r)
                else:
                    self.doc.runs.append(NameRun(i, r.start, r.stop, r.name))
        for lst in self.out.by_sentence:
            lst.sort(key=lambda m: m.start)
        for i in range(len(self.sentences)):
            self._lexicon_things(i)
            self._org_patterns(i)
        self._merge_orgs()
        for lst in self.out.by_sentence:
            lst.sort(key=lambda m: m.start)

    # -- the whole pass ------------------------------------------------------------------------

    def _merge_orgs(self) -> None:
        """'the Security Council' after "Russia's Security Council" is the same body."""
        for key, info in list(self.out.orgs.items()):
            if info.country is not None or info.in_gazetteer:
                continue
            twin = next((o for o in self.out.orgs.values()
                         if o is not info and o.country and fold(o.name) == fold(info.name)), None)
            if twin is None:
                continue
            twin.spans.extend(info.spans)
            del self.out.orgs[key]
            for lst in self.out.by_sentence:
                for m in lst:
                    if m.kind == "org" and m.ref == key:
                        m.ref, m.country = twin.key, twin.country

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
        # A name never runs on across a line break ("... Tomas Berg" / "Updated 3 May").
        breaks = {k for k in range(1, len(toks)) if "\n" in self.text[toks[k - 1].end:toks[k].begin]}
        headline = s.paragraph == HEADLINE
        k, n = 0, len(toks)
        while k < n:
            if k in person_at:
                m = person_at[k]
                end = m.end
                # A gazetteer name may be followed by more of the name ("Ana" in "Ana da Costa"); not in a headline,
                # where every word is capitalised.
                while not headline and end < n and end not in breaks \
                        and (self._name_token(toks, end, blocked) or toks[end].key in CONNECTORS) and end + 1 <= n \
                        and self._name_token(toks, end if toks[end].key not in CONNECTORS else end + 1, blocked):
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
            while end < n and end not in breaks:
                if self._name_token(toks, end, blocked) and end not in person_at:
                    end += 1
                elif toks[end].key in CONNECTORS and end + 1 < n and self._name_token(toks, end + 1, blocked):
                    end += 2
                elif toks[end].text in "\"“" and end + 3 < n and toks[end + 1].is_cap and toks[end + 2].text in "\"”" \
                        and (self._name_token(toks, end + 3, blocked) or toks[end + 3].key in CONNECTORS):
                    end += 3                          # a nickname: Maria "Mia" Costa
                else:
                    break
            name = self._name(toks, k, end)
            # A headline capitalises every word: a name there counts only if the story spells it the same way.
            if not self._thing_chunk(toks, k, end) and (not headline or self.text.find(name, s.end) >= 0):
                out.append(_Run(k, end, toks[k].begin, toks[end - 1].end, name))
            k = end
        return out

    def _name_token(self, toks: list[Token], k: int, blocked: dict[int, Entry]) -> bool:
        if k >= len(toks) or k in blocked:
            return False
        t = toks[k]
        if not t.is_cap or t.key in STOP or t.key in TITLE_WORDS:
            return False
        if t.text.isupper() and len(t.text) > 1 and "." not in t.text:
            return False                               # an acronym is not a name
        return t.text[0].isalpha()

    def _thing_chunk(self, toks: list[Token], begin: int, end: int) -> bool:
        """The run is part of a capitalised name of a thing: 'José Martí International Airport'."""
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
        right_end = s.end
        title, title_span = self._left_title(i, r)
        if title is None or title[0].office in ("Prince", "Princess"):
            # A royal style before the name gives way to the office in apposition: "Prince X, Crown Prince and ...".
            right = self._right_title(r, right_end)
            if right is not None:
                title, title_span = right, None
        relation = RELATION_BEFORE.search(text, max(s.begin, r.start - 100), r.start)
        possessive = self._possessive_country(i, r)
        cue = (title is not None or r.person is not None
               or patterns.rx("person_after").match(text, r.stop, right_end) is not None
               or relation is not None or possessive is not None
               or _PERSON_BEFORE.search(text, max(s.begin, r.start - 40), r.start) is not None)
        if not cue:
            return
        key = r.person or self._same_person(r.name) or r.name
        info = self.out.persons.get(key)
        if info is None:
            info = new_person(self.doc, key, r.person is not None)
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
        if info.country is None:
            info.country = possessive or self._country_after(r, right_end)
        self.out.by_sentence[i].append(Mention(r.start, r.stop, i, "person", key, info.country))

    def _possessive_country(self, i: int, r: _Run) -> str | None:
        """"Ruritania's Anna Weiss": the state named right before a name, in the possessive."""
        for m in self.matches[i]:
            if m.stop < r.start and re.fullmatch(r"\s*(?:’s|'s)\s+", self.text[m.stop:r.start]):
                e = m.first("country")
                if e is not None:
                    return e.ref
        return None

    def _same_person(self, name: str) -> str | None:
        toks = fold(name).split()
        for key in self.out.persons:
            other = fold(key).split()
            small, large = (toks, other) if len(toks) <= len(other) else (other, toks)
            if small and small[-1] == large[-1] and set(small) <= set(large):
                return key
        return None

    def _left_title(self, i: int, r: _Run) -> tuple[TitleFound, Span | None] | tuple[None, None]:
        """A title before the name: 'Ruritanian Prime Minister Tomas Berg', 'the head of X (ABC), Ana Lund'."""
        text, s = self.text, self.sentences[i]
        lo = max(s.begin, r.start - 160)
        gap_end = r.start
        hon = HONORIFIC.search(text, max(lo, gap_end - 16), gap_end)
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
                org = qual_match.first("org") if qual_match is not None and not (qual_match.kinds() & COUNTRY_KINDS) \
                    else None
                if org is not None and of is None:
                    of_kind, of = "organization", org.ref
                country = country or qual or (self._respective(i, t, r) if t.plural else None)
                office = canonical(label) if label != t.label else t.office
                t2 = Title(t.begin, t.end, label, office, t.former, t.plural)
                if qual and self._qualifier_is_institution(i, t.begin):
                    inst = self._qualifier_text(i, t.begin)
                    t2 = Title(t.begin, t.end, f"{inst} {label}", t2.office, t.former, t.plural)
                return (t2, country, of_kind, of), Span.of(text, t.begin, complement.end() if complement else t.end)
            if between.strip():
                break
        return None, None

    def _respective(self, i: int, t: Title, r: _Run) -> str | None:
        """'Ruritania and Freedonia signed ... with Prime Ministers Tomas Berg and Ana Lund'."""
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
        """'Prime Ministers Tomas Berg and Ana Lund': a plural title covers both names."""
        if not t.plural:
            return False
        between = self.text[t.end:r.start]
        return re.fullmatch(r"\s+[A-Z][^,;:.]*?\s+and\s+", between) is not None

    def _complement(self, i: int, t: Title,
                    complement: re.Match[str] | None) -> tuple[str, str, str | None, str | None]:
        """(label, of_kind, of, country) from 'commander of the Joint Staff of the Ruritanian Navy'."""
        if complement is None:
            return t.label, "country", None, None
        body = complement.group("body")
        b = complement.start("body")
        the = "the " if re.match(r"\s+of\s+the\s", complement.group(0)) else ""
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
        """The state named right before a title: 'Ruritanian', 'UK', "Freedonia's", 'NATO', 'White House',
        'visiting Ruritanian'."""
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

    def _right_title(self, r: _Run, end: int) -> tuple[Title, str | None, str, str | None] | None:
        """'Tomas Berg, commander of the Joint Staff ...'."""
        text = self.text
        i = self._sentence(r.start)
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
        office = canonical(label) if label != t.label else t.office
        return Title(t.begin, stop, label, office, t.former, False), qual, of_kind, of

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
            person = by_office(self.out, canonical(t.group(1)))
            if person is not None:
                return self.out.persons[person].country
        return None

    def _sentence(self, offset: int) -> int:
        found = self.doc.sentence_at(offset)
        return found if found is not None else 0

    def _country_after(self, r: _Run, end: int) -> str | None:
        """'President Anna Weiss of Ruritania'."""
        m = _OF_COUNTRY.match(self.text, r.stop, end)
        if m is None:
            return None
        i = self._sentence(r.start)
        for match in self.matches[i]:
            if match.start == m.end():
                e = match.first("country")
                return e.ref if e else None
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
                if e.kind == "capital" and not _LOCATIVE.search(text, max(s.begin, m.start - 40), m.start):
                    self._country(i, span, e.ref, "capital")      # "Lima and Quito agreed", "Oslo's proposal"
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


def by_office(mentions: Mentions, office: str, country: str | None = None) -> str | None:
    """The one person of the article holding ``office`` ("the president", "the crown prince"), of ``country`` if
    given."""
    found = [p.key for p in mentions.persons.values() if p.title is not None and not p.title.former
             and (p.title.office == office or canonical(p.title.label) == office)
             and (country is None or p.country == country)]
    return found[0] if len(found) == 1 else None


def new_person(doc: Doc, key: str, known: bool) -> PersonInfo:
    """A person of the article; a gazetteer person starts with the state or body of their office on the date."""
    info = PersonInfo(key, key, in_gazetteer=known)
    if known:
        term = office_term(doc, key)
        if term is not None:
            info.wikidata = term.wikidata
            info.country = term.of if term.of in doc.gaz.countries else None
            info.of_kind = "country" if term.of in doc.gaz.countries else "organization"
            info.of = term.of
        else:
            info.wikidata = next((t.wikidata for t in doc.gaz.terms_of(key) if t.wikidata), None)
    return info


def office_term(doc: Doc, person: str) -> gz.OfficeTerm | None:
    """The gazetteer term of office of ``person`` on the publication date (the latest before it, if none then)."""
    terms = doc.gaz.terms_of(person)
    if not terms:
        return None
    day = doc.article.published
    if day is not None:
        current = [t for t in terms if t.holds_on(day)]
        if current:
            return _rank_offices(current)[0]
        before = [t for t in terms if t.start <= day]
        if before:
            # The most recent office; for a monarch of several realms, the first realm.
            return min(before, key=lambda t: (-(t.end or day).toordinal(), t.start))
    return max(terms, key=lambda t: t.start)


def _rank_offices(terms: list[gz.OfficeTerm]) -> list[gz.OfficeTerm]:
    order = {"President": 0, "King": 0, "Queen": 0, "Emir": 0, "Prime Minister": 1, "Chancellor": 1,
             "Crown Prince": 2, "Vice President": 3, "Foreign Minister": 4, "Defence Minister": 5}
    return sorted(terms, key=lambda t: order.get(t.office, 9))


def find_mentions(doc: Doc) -> Doc:
    """The mention stage: lexicon matches, full names of people, countries, organizations and places."""
    doc.matches = [doc.lexicon.scan(s.tokens, doc.text) for s in doc.sentences]
    doc.mentions = Mentions(by_sentence=[[] for _ in doc.sentences])
    MentionFinder(doc).run()
    return doc
