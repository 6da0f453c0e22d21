"""The packaged gazetteer (kg/data/*.csv): it loads, its codes and identifiers are well formed, its names are
unambiguous, its cross-references resolve, and it knows the people of the seed article."""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from kg import gazetteer as gz
from kg.config import DATA_DIR

QID = re.compile(r"Q[1-9]\d*")
SEED_DAY = date(2022, 4, 23)


@pytest.fixture(scope="module")
def gaz() -> gz.Gazetteer:
    return gz.load()


def _rows(name: str) -> list[dict[str, str]]:
    """The raw CSV rows: loading into dicts would hide duplicate keys."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def test_packaged_data_loads_with_every_table(gaz: gz.Gazetteer) -> None:
    assert len(gaz.countries) >= 190
    assert len(gaz.office_terms) >= 100
    assert len(gaz.organizations) >= 50
    assert len(gaz.places) >= 200
    assert gaz.metonyms and gaz.regions
    assert gz.load() is gaz                                  # loaded once per process


def test_loaded_tables_keep_every_row(gaz: gz.Gazetteer) -> None:
    assert len(gaz.countries) == len(_rows("countries.csv"))
    assert len(gaz.organizations) == len(_rows("organizations.csv"))
    assert len(gaz.office_terms) == len(_rows("office_holders.csv"))
    assert len(gaz.places) == len(_rows("places.csv"))


# -- countries ---------------------------------------------------------------------------------------

def test_iso_alpha3_codes_are_unique_and_three_capital_letters() -> None:
    codes = [r["iso3"] for r in _rows("countries.csv")]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c)] == []


def test_iso_alpha2_codes_are_unique_and_two_capital_letters() -> None:
    codes = [r["iso2"] for r in _rows("countries.csv")]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)] == []


def test_the_seed_countries_have_their_codes(gaz: gz.Gazetteer) -> None:
    assert (gaz.countries["IND"].iso2, gaz.countries["IND"].name) == ("IN", "India")
    assert gaz.countries["GBR"].iso2 == "GB" and "UK" in gaz.countries["GBR"].aliases


def test_every_wikidata_id_is_a_qid(gaz: gz.Gazetteer) -> None:
    ids = {
        "countries": [c.wikidata for c in gaz.countries.values()],
        "office terms": [t.wikidata for t in gaz.office_terms],
        "organizations": [o.wikidata for o in gaz.organizations.values()],
        "places": [p.wikidata for p in gaz.places],
    }
    assert all(any(v) for v in ids.values())
    assert {table: bad for table, values in ids.items()
            if (bad := [v for v in values if v is not None and not QID.fullmatch(v)])} == {}


def test_every_geonames_id_is_digits(gaz: gz.Gazetteer) -> None:
    ids = [c.geonames for c in gaz.countries.values()] + [p.geonames for p in gaz.places]
    assert any(ids)
    assert [g for g in ids if g is not None and not g.isdigit()] == []


def test_no_name_alias_or_demonym_names_two_countries(gaz: gz.Gazetteer) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in gaz.countries.values():
        for name in (c.name, *c.aliases, *c.demonyms):
            owners[_fold(name)].add(c.iso3)
    assert {"india", "uk", "british"} <= owners.keys()
    assert {name: sorted(codes) for name, codes in owners.items() if len(codes) > 1} == {}


# -- office terms ------------------------------------------------------------------------------------

def test_every_office_belongs_to_a_country_or_an_organization(gaz: gz.Gazetteer) -> None:
    assert [(t.person, t.of) for t in gaz.office_terms
            if t.of not in gaz.countries and t.of not in gaz.organizations] == []


def test_every_term_starts_before_it_ends(gaz: gz.Gazetteer) -> None:
    assert [(t.person, t.office, t.start, t.end) for t in gaz.office_terms
            if t.end is not None and t.start > t.end] == []


def test_every_term_names_its_source(gaz: gz.Gazetteer) -> None:
    assert [(t.person, t.office) for t in gaz.office_terms if not t.source.strip()] == []


def test_a_person_has_the_same_qid_on_every_row(gaz: gz.Gazetteer) -> None:
    qids: dict[str, set[str | None]] = defaultdict(set)
    for t in gaz.office_terms:
        qids[t.person].add(t.wikidata)
    assert len(qids) > 50
    assert {person: q for person, q in qids.items() if len(q) > 1} == {}


def test_a_qid_names_one_person(gaz: gz.Gazetteer) -> None:
    persons: dict[str, set[str]] = defaultdict(set)
    for t in gaz.office_terms:
        if t.wikidata:
            persons[t.wikidata].add(t.person)
    assert {q: sorted(p) for q, p in persons.items() if len(p) > 1} == {}


# -- organizations and places ------------------------------------------------------------------------

def test_organization_keys_are_unique() -> None:
    keys = [r["key"] for r in _rows("organizations.csv")]
    assert len(keys) == len(set(keys)) and all(k.strip() == k and k for k in keys)


def test_organizations_belong_to_known_countries(gaz: gz.Gazetteer) -> None:
    assert any(o.country for o in gaz.organizations.values())
    assert [(o.key, o.country) for o in gaz.organizations.values()
            if o.country is not None and o.country not in gaz.countries] == []


def test_organization_kinds_are_those_the_graph_builder_knows(gaz: gz.Gazetteer) -> None:
    from kg.graph import ORG_CLASSES
    assert {o.kind for o in gaz.organizations.values()} <= ORG_CLASSES.keys()


def test_places_lie_in_known_countries(gaz: gz.Gazetteer) -> None:
    assert [(p.name, p.country) for p in gaz.places if p.country not in gaz.countries] == []


def test_metonyms_stand_for_known_countries(gaz: gz.Gazetteer) -> None:
    assert gaz.metonyms["White House"] == "USA"
    assert [(name, iso3) for name, iso3 in gaz.metonyms.items() if iso3 not in gaz.countries] == []


# -- the seed article's people -----------------------------------------------------------------------

def _holder(gaz: gz.Gazetteer, person: str, office: str, of: str, day: date) -> gz.OfficeTerm | None:
    return next((t for t in gaz.terms_of(person) if t.office == office and t.of == of and t.holds_on(day)), None)


def test_narendra_modi_is_prime_minister_of_india_on_the_seed_day(gaz: gz.Gazetteer) -> None:
    term = _holder(gaz, "Narendra Modi", "Prime Minister", "IND", SEED_DAY)
    assert term is not None and term.wikidata == "Q1058"


def test_boris_johnson_is_prime_minister_of_the_uk_on_the_seed_day_only_within_his_term(gaz: gz.Gazetteer) -> None:
    term = _holder(gaz, "Boris Johnson", "Prime Minister", "GBR", SEED_DAY)
    assert term is not None and term.wikidata == "Q180589"
    assert _holder(gaz, "Boris Johnson", "Prime Minister", "GBR", date(2023, 1, 1)) is None   # Truss, then Sunak
    assert _holder(gaz, "Boris Johnson", "Prime Minister", "GBR", date(2019, 1, 1)) is None   # May


def test_holds_on_includes_both_ends_of_a_term() -> None:
    term = gz.OfficeTerm("A B", (), None, "President", "XYZ", date(2020, 1, 1), date(2020, 12, 31), "test")
    assert term.holds_on(date(2020, 1, 1)) and term.holds_on(date(2020, 12, 31))
    assert not term.holds_on(date(2019, 12, 31)) and not term.holds_on(date(2021, 1, 1))
    open_ended = gz.OfficeTerm("A B", (), None, "President", "XYZ", date(2020, 1, 1), None, "test")
    assert open_ended.holds_on(date(2100, 1, 1)) and not open_ended.holds_on(date(2019, 12, 31))


def test_load_from_reads_a_gazetteer_directory(small_gazetteer_dir: Path) -> None:
    small = gz.load_from(small_gazetteer_dir)
    assert set(small.countries) == {"IND", "GBR", "RUS"}
    assert small.countries["GBR"].aliases == ("UK", "Britain", "Great Britain")
    assert [t.end for t in small.terms_of("Boris Johnson")] == [date(2022, 9, 6), date(2018, 7, 9)]
    assert small.place("new delhi") is not None and small.place("New Delhi", "GBR") is None
