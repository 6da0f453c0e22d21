"""The gazetteers: countries, office holders, organizations and places, from CSVs in ``kg/data/``.

Multi-valued columns (aliases, demonyms) separate their values with ``|``. Loaded once per process.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from kg.config import DATA_DIR


def _multi(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _date(value: str | None) -> date | None:
    value = _opt(value)
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class CountryEntry:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]          # other names: "UK", "Britain", "South Korea"
    demonyms: tuple[str, ...]         # "British", "Indian"
    capital: str | None
    geonames: str | None              # GeoNames feature ID of the country
    wikidata: str | None              # QID


@dataclass(frozen=True, slots=True)
class OfficeTerm:
    person: str                       # canonical full name
    aliases: tuple[str, ...]          # other spellings: "Recep Tayyip Erdogan"
    wikidata: str | None              # QID of the person, verified against a source
    office: str                       # normalised title: "Prime Minister", "Foreign Minister"
    of: str                           # ISO3 code, or an organization key ("UN", "NATO", "EU")
    start: date
    end: date | None                  # None: still in office
    source: str                       # where the QID and dates were checked
    title: str | None = None          # the local title where it differs: "Secretary of State", "Premier"

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class OrgEntry:
    key: str                          # short stable key: "UN", "NATO", "IND-MEA"
    name: str
    acronym: str | None
    aliases: tuple[str, ...]
    kind: str                         # international | ministry | agency | company | other
    country: str | None               # ISO3, for national bodies
    wikidata: str | None
    topics: tuple[str, ...] = ()      # the fields the body works in: NATO -> Defence, Security
    part_of: str | None = None        # the body an organ belongs to: UNSC -> UN (organs.csv)


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    name: str
    aliases: tuple[str, ...]
    country: str                      # ISO3
    geonames: str | None
    wikidata: str | None
    kind: str                         # capital | city | region | venue


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, CountryEntry]
    office_terms: tuple[OfficeTerm, ...]
    organizations: dict[str, OrgEntry]
    places: tuple[PlaceEntry, ...]
    metonyms: dict[str, str] = field(default_factory=dict)  # "White House" -> "USA": a seat standing for a state
    regions: tuple[str, ...] = ()     # names and adjectives of world regions: "South America", "South American"

    def terms_of(self, person: str) -> list[OfficeTerm]:
        return self._terms.get(person, [])

    @cached_property
    def _terms(self) -> dict[str, list[OfficeTerm]]:
        out: dict[str, list[OfficeTerm]] = {}
        for t in self.office_terms:
            out.setdefault(t.person, []).append(t)
        return out

    @cached_property
    def _places(self) -> dict[str, list[PlaceEntry]]:
        out: dict[str, list[PlaceEntry]] = {}
        for entry in self.places:
            for name in (entry.name, *entry.aliases):
                out.setdefault(_fold(name), []).append(entry)
        return out

    def place(self, name: str, country: str | None = None) -> PlaceEntry | None:
        """The gazetteer place of that name (accents and case ignored), in ``country`` if given."""
        for entry in self._places.get(_fold(name), ()):
            if country is None or entry.country == country:
                return entry
        return None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if any((v or "").strip() for v in row.values())]


def load_from(directory: Path) -> Gazetteer:
    countries = {
        r["iso3"]: CountryEntry(
            iso3=r["iso3"], iso2=r["iso2"], name=r["name"], aliases=_multi(r.get("aliases")),
            demonyms=_multi(r.get("demonyms")), capital=_opt(r.get("capital")),
            geonames=_opt(r.get("geonames")), wikidata=_opt(r.get("wikidata")),
        )
        for r in _rows(directory / "countries.csv")
    }
    terms = tuple(
        OfficeTerm(
            person=r["person"], aliases=_multi(r.get("aliases")), wikidata=_opt(r.get("wikidata")),
            office=r["office"], of=r["of"], start=date.fromisoformat(r["start"]), end=_date(r.get("end")),
            source=r.get("source", ""), title=_opt(r.get("title")),
        )
        for r in _rows(directory / "office_holders.csv")
    )
    organs = {r["key"]: r["body"] for r in _rows(directory / "organs.csv")}
    orgs = {
        r["key"]: OrgEntry(
            key=r["key"], name=r["name"], acronym=_opt(r.get("acronym")), aliases=_multi(r.get("aliases")),
            kind=r.get("kind") or "other", country=_opt(r.get("country")), wikidata=_opt(r.get("wikidata")),
            topics=_multi(r.get("topics")), part_of=organs.get(r["key"]),
        )
        for r in _rows(directory / "organizations.csv")
    }
    places = tuple(
        PlaceEntry(
            name=r["name"], aliases=_multi(r.get("aliases")), country=r["country"],
            geonames=_opt(r.get("geonames")), wikidata=_opt(r.get("wikidata")), kind=r.get("kind") or "city",
        )
        for r in _rows(directory / "places.csv")
    )
    metonyms = {r["name"]: r["iso3"] for r in _rows(directory / "metonyms.csv")}
    regions = tuple(n for r in _rows(directory / "regions.csv")
                    for n in (r["name"], *_multi(r.get("aliases")), *_multi(r.get("adjectives"))))
    return Gazetteer(countries, terms, orgs, places, metonyms, regions)


@cache
def load() -> Gazetteer:
    return load_from(DATA_DIR)
