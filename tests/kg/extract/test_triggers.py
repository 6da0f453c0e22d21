"""The trigger lexicon: data rows matched over tokens, paraphrases included."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.extract import triggers
from kg.model import EVENT_TYPES, Findings

Events = Callable[[Findings], list[tuple[str, list[str]]]]


def test_every_row_is_well_formed_and_names_a_known_type() -> None:
    rules = triggers.load()
    assert len(rules) > 50
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        assert r.type in EVENT_TYPES or r.type == "@stop", r.id
        assert 0 <= r.strength <= 1 and (r.type == "@stop" or r.cameo), r.id


def test_a_pattern_with_gaps_classes_and_optional_slots(tmp_path: Path) -> None:
    table = tmp_path / "t.tsv"
    table.write_text("id\ttype\tkind\tpattern\tsubject\tobject\tpreps\tstrength\tcameo\n"
                     "envoy\t@class\t\tambassador|envoy\t\t\t\t\t\n"
                     "x\tProtest\tverb\tsummoned <2> @envoy home?\tsender\ttarget\tin:none\t0.9\t114\n",
                     encoding="utf-8")
    rule = triggers.load(table)[0]
    assert rule.slots[0] == ("words", frozenset({"summoned"})) and rule.slots[1] == ("gap", 2)
    assert rule.slots[2] == ("words", frozenset({"ambassador", "envoy"})) and rule.slots[3][0] == "opt"
    assert rule.preps == (("in", "none"),)


@pytest.mark.parametrize("sentence, expected", [
    ("Peru's foreign minister had a tele-talk with his Chilean counterpart on Tuesday.", ("PhoneCall", ["CHL", "PER"])),
    ("Kenyan President William Ruto phoned Tanzanian President Samia Suluhu Hassan on Friday.",
     ("PhoneCall", ["KEN", "TZA"])),
    ("Jordan decided on Friday to recall its ambassador from Tel Aviv for consultations.", ("Protest", ["ISR", "JOR"])),
    ("Sweden summoned the U.S. ambassador on Friday over the remarks.", ("Protest", ["SWE", "USA"])),
    ("Poland expelled two Belarusian diplomats on Friday.", ("Sanction", ["BLR", "POL"])),
    ("Canadian foreign ministers decided on Friday to impose sanctions on Iran.", ("Sanction", ["CAN", "IRN"])),
    ("In Accra on Friday the presidents of Ghana and Togo put their signatures on a river pact.",
     ("AgreementSigning", ["GHA", "TGO"])),
])
def test_paraphrases_of_the_main_event_are_found(found: Callable[..., Findings], asserted: Events, sentence: str,
                                                 expected: tuple[str, list[str]]) -> None:
    assert expected in asserted(found(sentence, day="Saturday 4 March 2023"))


def test_a_phrase_that_only_looks_like_a_trigger_is_none(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("Brazil pressed Peru and Chile on Friday to sign up to its climate goal.", day="Saturday 4 March 2023")
    assert asserted(f) == []


def test_a_verb_of_the_lexicon_after_an_indefinite_article_is_a_noun(found: Callable[..., Findings],
                                                                      asserted: Events) -> None:
    f = found("OSLO — Norway's prime minister met Sweden's prime minister in Oslo on Friday. Hours before, the "
              "Swedish government named a new envoy, a sign that it wants closer ties.")
    assert asserted(f) == [("Meeting", ["NOR", "SWE"])]
    g = found("ACCRA — Ghana and Togo held a signing ceremony for a border agreement in Accra on Friday.")
    assert ("AgreementSigning", ["GHA", "TGO"]) in asserted(g)
