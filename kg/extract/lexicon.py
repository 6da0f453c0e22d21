"""Phrase lookup over tokens: countries (names, demonyms, capitals), organizations, known people, places.

Built once per gazetteer. Matching is longest-first over token keys (case- and accent-folded);
all-capital acronyms ("CAN", "WHO", "AU") match only as written, and every entry must start with a
capital letter in the text, so "the can" or "who" never match.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kg import gazetteer as gz
from kg.extract.text import Token, fold, tokenize

Kind = Literal["country", "demonym", "demonyms", "capital", "metonym", "org", "person", "place", "region"]
MAX_TOKENS = 8
_TITLE_FIRST = frozenset({"president", "prime", "premier", "king", "queen", "chancellor", "minister", "emperor", "pm"})


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Kind
    ref: str                    # ISO3 code, organization key, canonical person name, or place name
    country: str | None = None  # ISO3 of a place or a national organization
    exact: str | None = None    # the surface form that must match case-sensitively (acronyms)


@dataclass(frozen=True, slots=True)
class Match:
    begin: int                  # token index
    end: int                    # token index (exclusive)
    start: int                  # character offsets
    stop: int
    entries: tuple[Entry, ...]

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}

    def first(self, *kinds: str) -> Entry | None:
        return next((e for e in self.entries if e.kind in kinds), None)


def _plural(demonym: str) -> list[str]:
    if demonym.endswith(("ese", "ss", "sh", "ch", "Swiss")):
        return []                               # Chinese, Swiss, British, French: no plural -s
    if demonym.endswith("i") or demonym.endswith("n") or demonym.endswith("ite") or demonym.endswith("er"):
        return [demonym + "s"]
    return []


class Lexicon:
    def __init__(self, gaz: gz.Gazetteer) -> None:
        self.gaz = gaz
        self.table: dict[tuple[str, ...], list[Entry]] = {}
        self._first: dict[str, int] | None = None
        for c in gaz.countries.values():
            self._add(c.name, Entry("country", c.iso3))
            for alias in c.aliases:
                self._add(alias, Entry("country", c.iso3))
            for d in c.demonyms:
                self._add(d, Entry("demonym", c.iso3))
                for p in _plural(d):
                    self._add(p, Entry("demonyms", c.iso3))
            if c.capital:
                self._add(c.capital, Entry("capital", c.iso3, c.iso3))
        for o in gaz.organizations.values():
            self._add(o.name, Entry("org", o.key, o.country))
            for alias in o.aliases:
                self._add(alias, Entry("org", o.key, o.country))
            if o.acronym:
                self._add(o.acronym, Entry("org", o.key, o.country, exact=o.acronym))
        for name in gaz.regions:
            # Regions are matched so that "South America" is not "America" and "South American" not "American".
            self._add(name.removeprefix("the "), Entry("region", name))
        for name, iso3 in gaz.metonyms.items():
            self._add(name, Entry("metonym", iso3, iso3))
        seen_people: set[str] = set()
        for t in gaz.office_terms:
            if t.person in seen_people:
                continue
            seen_people.add(t.person)
            self._add(t.person, Entry("person", t.person))
            for alias in t.aliases:
                if alias.split()[0].casefold() not in _TITLE_FIRST:   # "President Lee" is a title and a name
                    self._add(alias, Entry("person", t.person))
        for p in gaz.places:
            c = gaz.countries.get(p.country) if p.country else None
            capital_of = c.iso3 if c and c.capital and fold(c.capital) == fold(p.name) else None
            kind: Kind = "capital" if capital_of else "place"
            self._add(p.name, Entry(kind, capital_of or p.name, p.country))
            for alias in p.aliases:
                self._add(alias, Entry(kind, capital_of or p.name, p.country))

    @property
    def first(self) -> dict[str, int]:
        """First token key -> the longest phrase starting with it."""
        if self._first is None:
            self._first = {}
            for key in self.table:
                self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
        return self._first

    def _add(self, phrase: str, entry: Entry) -> None:
        toks = tokenize(phrase, 0, len(phrase))
        if not toks or len(toks) > MAX_TOKENS:
            return
        if entry.exact is None and phrase.isupper() and len(phrase.replace(".", "")) <= 4:
            entry = Entry(entry.kind, entry.ref, entry.country, exact=phrase)
        key = tuple(t.key for t in toks)
        bucket = self.table.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def scan(self, tokens: list[Token], text: str) -> list[Match]:
        """Longest matches, left to right, not overlapping."""
        out: list[Match] = []
        i, n = 0, len(tokens)
        table, first = self.table, self.first
        keys = [t.key for t in tokens]
        while i < n:
            longest = first.get(keys[i]) if tokens[i].is_cap else None
            if not longest:
                i += 1
                continue
            found = None
            for j in range(min(n, i + longest), i, -1):
                entries = table.get(tuple(keys[i:j]))
                if not entries:
                    continue
                surface = text[tokens[i].begin:tokens[j - 1].end]
                ok = tuple(e for e in entries if e.exact is None or e.exact == surface)
                if ok:
                    found = Match(i, j, tokens[i].begin, tokens[j - 1].end, ok)
                    break
            if found:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out


_BUILT: dict[int, tuple[gz.Gazetteer, Lexicon]] = {}


def lexicon_for(gaz: gz.Gazetteer) -> Lexicon:
    """One lexicon per gazetteer object (the gazetteer is unhashable; identity is what matters)."""
    hit = _BUILT.get(id(gaz))
    if hit is None or hit[0] is not gaz:
        hit = _BUILT[id(gaz)] = (gaz, Lexicon(gaz))
    return hit[1]
