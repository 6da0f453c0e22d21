"""Event frames: a state or person takes part only as an argument of the trigger, inside its clause."""
from __future__ import annotations

from collections.abc import Callable

from kg.model import Findings

Events = Callable[[Findings], list[tuple[str, list[str]]]]


def test_states_named_in_a_side_phrase_are_not_participants(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("OSLO — Norway's foreign minister met her Chilean counterpart in Oslo on Friday to discuss Russia's "
              "invasion of Ukraine and support for Palestinian statehood.")
    assert asserted(f) == [("Meeting", ["CHL", "NOR"])]


def test_the_dateline_state_is_not_a_participant(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("LIMA – Ecuador and Colombia signed a border agreement on Friday, officials said.")
    assert asserted(f) == [("AgreementSigning", ["COL", "ECU"])]
    g = found("MONTEVIDEO: The presidents of Chile and Paraguay held talks on Friday.")
    assert ("Meeting", ["CHL", "PRY"]) in asserted(g) and all("URY" not in ps for _, ps in asserted(g))


def test_a_news_agency_that_reports_the_news_does_not_take_part(found: Callable[..., Findings],
                                                                 asserted: Events) -> None:
    f = found("VIENNA — Austrian Chancellor Karl Nehammer spoke by phone with Kenyan President William Ruto on "
              "Friday, the Kenya News Agency reported. According to the Austria Press Agency, they discussed trade.")
    assert asserted(f) == [("PhoneCall", ["AUT", "KEN"])]


def test_a_visit_to_a_capital_named_by_nationality_is_a_visit_to_that_state(found: Callable[..., Findings],
                                                                            asserted: Events) -> None:
    f = found("Indonesian President Joko Widodo arrived in the Kenyan capital on Friday for a two-day visit.")
    assert ("Visit", ["IDN", "KEN"]) in asserted(f)


def test_the_object_of_another_verb_is_not_the_subject_of_the_trigger(found: Callable[..., Findings],
                                                                      asserted: Events) -> None:
    f = found("The bloc admitted Norway as an observer on Friday and, hours later, Sweden and Finland signed a "
              "declaration on Arctic research.")
    assert asserted(f) == [("AgreementSigning", ["FIN", "SWE"])]


def test_a_place_is_where_the_trigger_clause_puts_the_event(found: Callable[..., Findings]) -> None:
    f = found("WARSAW — After his visit to Paris last month, Polish President Andrzej Duda welcomed Ukrainian "
              "President Volodymyr Zelensky in Warsaw on Friday.")
    visits = [e for e in f.events if e.type == "Visit" and e.factuality == "asserted"]
    assert len(visits) == 1 and visits[0].place is not None and visits[0].place.name == "Warsaw"
    assert {(p.ref, p.role) for p in visits[0].participants} >= {("Andrzej Duda", "host")}


def test_bilateral_talks_are_one_event_per_pair_of_leaders(found: Callable[..., Findings]) -> None:
    f = found("PARIS — French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Friday. On "
              "the same day Macron met Italian Prime Minister Giorgia Meloni.")
    meetings = sorted(tuple(sorted(p.ref for p in e.participants)) for e in f.events if e.type == "Meeting")
    assert meetings == [("Emmanuel Macron", "Giorgia Meloni"), ("Emmanuel Macron", "Olaf Scholz")]


def test_a_news_agency_named_as_a_party_takes_no_part(found: Callable[..., Findings]) -> None:
    f = found("NAIROBI — The Ghana News Agency and the Kenyan president held talks in Nairobi on Friday.")
    assert all(p.kind != "organization" for e in f.events for p in e.participants)


def test_a_trigger_said_of_something_that_is_no_actor_takes_no_parties_from_context(found: Callable[..., Findings],
                                                                                     asserted: Events) -> None:
    f = found("BERLIN — Germany summoned Poland's ambassador on Monday over an attack on its consulate in Gdansk. "
              "Firefighters who arrived at the building put out the blaze, the ministry said.")
    assert asserted(f) == [("Protest", ["DEU", "POL"])]


def test_an_event_noun_that_was_talked_about_is_no_event(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("PARIS — France's president spoke by telephone with Germany's chancellor on Friday. The two leaders "
              "also discussed the stalled fisheries talks and reviewed the planned summit.")
    assert asserted(f) == [("PhoneCall", ["DEU", "FRA"])]
    g = found("PARIS — France's president discussed energy during talks with Germany's chancellor on Friday.")
    assert asserted(g) == [("Meeting", ["DEU", "FRA"])]


def test_a_nationality_of_a_former_office_names_no_party(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("BOGOTA — World Health Organization Director-General Tedros Adhanom Ghebreyesus met Colombian "
              "President Gustavo Petro on Tuesday. The visit took the former Ethiopian health minister to Colombia "
              "for the first time.", min_confidence=0.0)
    assert asserted(f) and not any("ETH" in parties for _, parties in asserted(f))
