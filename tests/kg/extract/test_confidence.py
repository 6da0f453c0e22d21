"""Confidence on each fact and the publish threshold (KG_MIN_CONFIDENCE)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.config import Settings
from kg.extract import patterns, triggers
from kg.model import Findings


def test_every_published_event_agreement_and_quote_has_a_confidence_within_bounds(
        found: Callable[..., Findings]) -> None:
    f = found("LISBON — Prime Minister António Costa met Pedro Sánchez of Spain in Lisbon on Monday "
              "and they signed a memorandum on migration. \"A good day,\" Sánchez said.", day="Tuesday 7 Feb 2023")
    facts = [*f.events, *f.agreements, *f.quotes]
    assert facts and all(0 < x.confidence <= 1 for x in facts)


def test_a_named_argument_is_surer_than_one_taken_from_context(found: Callable[..., Findings]) -> None:
    named = found("LISBON — Prime Minister António Costa held talks with Pedro Sánchez of Spain on "
                  "Monday.", day="Tuesday 7 Feb 2023")
    context = found("LISBON — Prime Minister António Costa welcomed Pedro Sánchez of Spain to Lisbon on "
                    "Monday. The two leaders then held talks.", day="Tuesday 7 Feb 2023")
    talks = next(e for e in named.events if e.type == "Meeting")
    inferred = next(e for e in context.events if e.type == "Meeting")
    assert inferred.confidence < talks.confidence


def test_the_threshold_leaves_out_facts_less_sure_than_it(found: Callable[..., Findings]) -> None:
    body = "LISBON — Prime Minister António Costa held talks with Pedro Sánchez of Spain on Monday."
    assert found(body, min_confidence=0.5, day="Tuesday 7 Feb 2023").events
    assert found(body, min_confidence=0.99, day="Tuesday 7 Feb 2023").events == []


def test_the_threshold_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MIN_CONFIDENCE", "0.75")
    assert Settings().min_confidence == 0.75
    monkeypatch.setenv("KG_MIN_CONFIDENCE", "high")
    with pytest.raises(SystemExit):
        Settings()


def test_rules_switched_off_for_the_ablation_come_back_on_after() -> None:
    before = patterns.words("say")
    with patterns.without("say", 0):
        assert patterns.LISTS["say"][0] not in patterns.words("say")
        with patterns.without("say", 0):
            pass
        assert patterns.LISTS["say"][0] not in patterns.words("say")      # still off: the outer block owns it
    assert patterns.words("say") == before
    with triggers.without("summon"):
        assert triggers.rule("summon") is None
    assert triggers.rule("summon") is not None


def test_an_event_named_by_a_noun_with_no_tense_or_date_is_less_sure(found: Callable[..., Findings]) -> None:
    dated = found("Talks between Ghana and Togo on Monday focused on the river.", day="Tuesday 7 Feb 2023")
    undated = found("Talks between Ghana and Togo focused on the river.", day="Tuesday 7 Feb 2023")
    assert undated.events[0].confidence < dated.events[0].confidence
