"""Factuality: only events the article reports as happening are its events; plans, earlier occasions and denials
are marked, and never typed in the graph as having happened."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from kg import gazetteer as gz
from kg.graph import build_article_graph
from kg.iris import Minter
from kg.model import Findings
from kg.namespaces import DIP, RDF
from kg.rdf import iri

Events = Callable[[Findings], list[tuple[str, list[str]]]]


def _factualities(f: Findings) -> dict[str, str]:
    return {e.type: e.factuality for e in f.events}


def test_a_background_event_is_not_the_news(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("SANTIAGO — Chile summoned the Peruvian ambassador on Friday over a border incident. The incident took "
              "place in March, when the Peruvian foreign minister was visiting Bolivia.", day="Saturday 23 April 2022")
    assert asserted(f) == [("Protest", ["CHL", "PER"])]
    assert not any(e.type == "Visit" and e.factuality == "asserted" for e in f.events)


def test_earlier_occasions_by_date_tense_and_phrase(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("ACCRA — Ghana's president met Togo's president in Accra on Friday. The two leaders had met in Lome "
              "in 2019, and Ghana has twice hosted the regional summit since then. Their first call was two years ago.")
    assert asserted(f) == [("Meeting", ["GHA", "TGO"])]


def test_planned_and_proposed_events_are_not_reported_as_happening(found: Callable[..., Findings],
                                                                   asserted: Events) -> None:
    f = found("HANOI — Vietnam and Laos signed a trade agreement on Friday. The Lao prime minister is due to visit "
              "Hanoi in June, and the two sides agreed to hold a summit next year. Vietnam's president flies to "
              "Tokyo on Monday, ahead of the upcoming summit of Mekong leaders.")
    assert asserted(f) == [("AgreementSigning", ["LAO", "VNM"])]
    assert any(e.factuality == "planned" for e in f.events)


def test_a_negated_or_called_off_event_did_not_happen(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("QUITO — Ecuador's foreign minister did not meet her Colombian counterpart on Friday. A visit by the "
              "Colombian president to Quito was cancelled.")
    assert asserted(f) == []


def test_a_decision_taken_is_news_but_an_intention_is_not(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("TEHRAN — Iran decided on Friday to recall its ambassador from Baku for consultations, and EU "
              "foreign ministers decided to impose sanctions on Belarus.")
    assert ("Protest", ["AZE", "IRN"]) in asserted(f)
    g = found("TEHRAN — Iran wants to recall its ambassador from Baku, officials said on Friday.")
    assert asserted(g) == []


def test_an_event_named_but_not_reported_is_an_event_mention_in_the_graph(found: Callable[..., Findings],
                                                                          gaz: gz.Gazetteer) -> None:
    f = found("HANOI — Vietnam and Laos signed a trade agreement on Friday. The Lao prime minister is due to visit "
              "Hanoi in June.")
    planned = [e for e in f.events if e.factuality == "planned"]
    assert planned
    triples = set(build_article_graph(f, Minter(), gaz))
    typed = {s for s, p, o in triples if p == iri(RDF.type) and o == iri(DIP.EventMention)}
    assert len(typed) == len(planned)
    for node in typed:
        assert (node, iri(DIP.factuality), iri(DIP.Planned)) in triples
        assert (node, iri(RDF.type), iri(DIP.Visit)) not in triples         # never typed as having happened
        assert (node, iri(DIP.mentionedType), iri(DIP.Visit)) in triples
    asserted_nodes = {s for s, p, o in triples if p == iri(RDF.type) and o == iri(DIP.AgreementSigning)}
    assert all((n, iri(DIP.factuality), iri(DIP.Asserted)) in triples for n in asserted_nodes)


@pytest.mark.parametrize("later", [
    "The Lao prime minister will visit Hanoi.",                            # a modal
    "Officials prepared for an upcoming summit of the two leaders.",       # a word before the noun
])
def test_one_sign_of_a_plan_is_enough(found: Callable[..., Findings], asserted: Events, later: str) -> None:
    f = found(f"HANOI — Vietnam and Laos signed a trade pact on Friday. {later}")
    assert asserted(f) == [("AgreementSigning", ["LAO", "VNM"])]


def test_a_clause_of_so_long_after_is_an_earlier_occasion(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("ACCRA — Ghana's president met Togo's president in Accra on Friday, two years after they signed a "
              "border pact.")
    assert asserted(f) == [("Meeting", ["GHA", "TGO"])]


def test_a_decision_after_a_word_of_planning_is_still_taken(found: Callable[..., Findings], asserted: Events) -> None:
    f = found("BRUSSELS — EU foreign ministers, urged to act for months, decided on Monday to impose sanctions on "
              "Belarus.", day="Tuesday 7 March 2023")
    assert ("Sanction", ["BLR", "EU"]) in asserted(f)


def test_a_conjunct_with_no_verb_of_its_own_is_as_planned_as_the_verb_it_shares(found: Callable[..., Findings],
                                                                                asserted: Events) -> None:
    f = found("LIMA — Peru's president held talks with Chile's president in Lima on Friday. From Lima, the Chilean "
              "president travels to Quito, and then to the regional summit in Bogota and the trade summit in Panama.")
    assert asserted(f) == [("Meeting", ["CHL", "PER"])]
    assert {e.factuality for e in f.events if e.type == "Summit"} <= {"planned"}


def test_what_a_programme_or_a_document_provides_for_has_not_happened(found: Callable[..., Findings],
                                                                       asserted: Events) -> None:
    f = found("OSLO — Norway and Iceland signed a fisheries agreement in Oslo on Friday. The accord sets out a "
              "programme of meetings between the two fisheries ministries, and it provides for visits by inspectors.")
    assert asserted(f) == [("AgreementSigning", ["ISL", "NOR"])]


def test_the_occasion_a_traveller_comes_from_is_over_and_not_where_they_are(found: Callable[..., Findings],
                                                                             asserted: Events) -> None:
    f = found("LOME — Togo's president received Ghana's president in Lome on Friday. The Ghanaian president flew in "
              "from the regional summit in Abuja, and returned from a state visit to Kenya last month.")
    events = asserted(f)
    assert ("Visit", ["GHA", "TGO"]) in events
    assert not any(t == "Summit" or "NGA" in parties or "KEN" in parties for t, parties in events)


def test_what_had_happened_a_day_before_the_news_is_background(found: Callable[..., Findings],
                                                                asserted: Events) -> None:
    f = found("NAIROBI — Kenya's president spoke by telephone with Tanzania's president on Sunday. The Kenyan "
              "president had arrived in Kampala a day earlier for a regional forum.")
    assert asserted(f) == [("PhoneCall", ["KEN", "TZA"])]
