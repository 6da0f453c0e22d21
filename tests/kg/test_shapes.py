"""The SHACL gate (shapes/diplomacy-shapes.ttl through kg.validate): it accepts the seed article's graph and
rejects graphs broken in specific ways with the shapes file's own messages, with both engines.

The broken graphs (conftest.BREAKAGES, fixture ``broken_graph``) are the hand-built seed graph with specific
triples removed or changed; test_shacl.py checks that both engines also agree on them result by result.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph, Literal, URIRef

from kg import gazetteer as gz
from kg.graph import build_article_graph
from kg.identity import article_key
from kg.iris import Minter
from kg.model import Country, Findings
from kg.namespaces import DIP, DIPSH, SCHEMA, SH
from kg.pipeline import Built
from kg.rdf import Triple, iri
from kg.validate import Report, Validator

if TYPE_CHECKING:
    from conftest import Breakage, BrokenGraph

ENGINES = ("fast", "pyshacl")


def _validate(validator: Validator, article: str, triples: list[Triple]) -> Report:
    (report,) = validator.validate([(article, triples)])
    return report


@pytest.fixture()
def seed_article(minter: Minter, seed_findings: Findings) -> str:
    return str(minter.article(article_key(seed_findings.article)))


@pytest.mark.parametrize("engine", ENGINES)
def test_pipeline_graph_of_the_seed_article_conforms(engine: str, seed_built: Built,
                                                      worker_validators: dict[str, Validator]) -> None:
    report = _validate(worker_validators[engine], seed_built.article, seed_built.triples)
    assert report.conforms, report.text
    assert report.violations == []


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_built_seed_graph_conforms_over_the_small_gazetteer(engine: str, seed_graph: list[Triple],
                                                                 seed_article: str,
                                                                 validators: dict[str, Validator]) -> None:
    report = _validate(validators[engine], seed_article, seed_graph)
    assert report.conforms, report.text
    assert report.violations == [] and report.warnings == []


def test_at_least_twelve_distinct_breakages_are_checked(breakages: tuple[Breakage, ...]) -> None:
    assert len({b.id for b in breakages}) == len(breakages) >= 12
    assert len({b.shapes for b in breakages}) >= 12


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_seed_graph_is_rejected_with_the_shapes_message(engine: str, broken_graph: BrokenGraph,
                                                                shape_message: Callable[[URIRef], str],
                                                                validators: dict[str, Validator]) -> None:
    report = _validate(validators[engine], broken_graph.article, broken_graph.triples)
    assert not report.conforms
    for shape in broken_graph.breakage.shapes:
        message = shape_message(shape)
        hits = [r for r in report.violations if r.message == message]
        assert hits, f"expected {message!r} among:\n{report.text}"
        assert any(r.focus == broken_graph.focus and r.shape == str(shape) and r.severity == str(SH.Violation)
                   for r in hits), report.text
    # Each breakage is specific: nothing else in the graph is reported broken.
    assert {r.shape for r in report.violations} == {str(s) for s in broken_graph.breakage.shapes}, report.text


def test_rejection_report_in_turtle_says_why(broken_graph: BrokenGraph, shape_message: Callable[[URIRef], str],
                                             validators: dict[str, Validator]) -> None:
    report = _validate(validators["fast"], broken_graph.article, broken_graph.triples)
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    assert (None, SH.conforms, Literal(False)) in g
    message = shape_message(broken_graph.breakage.shapes[0])
    assert (None, SH.resultMessage, Literal(message)) in g
    assert message in report.text


@pytest.mark.parametrize("engine", ENGINES)
def test_graph_missing_only_its_headline_conforms_and_lists_the_warning(
        engine: str, seed_graph: list[Triple], seed_article: str, shapes: Graph,
        shape_message: Callable[[URIRef], str], validators: dict[str, Validator]) -> None:
    triples = [t for t in seed_graph if t[1] != iri(SCHEMA.headline)]
    assert len(triples) == len(seed_graph) - 1
    shape = DIPSH["NewsArticle-headline"]
    assert shapes.value(shape, SH.severity) == SH.Warning
    report = _validate(validators[engine], seed_article, triples)
    assert report.conforms, report.text
    assert report.violations == []
    assert [(r.message, r.shape, r.focus, r.severity) for r in report.warnings] == [
        (shape_message(shape), str(shape), seed_article, str(SH.Warning))]
    assert f"Warning: {shape_message(shape)}" in report.text


@pytest.mark.parametrize("engine", ENGINES)
def test_builder_describes_a_country_outside_the_reference_data_well_enough_to_pass(
        engine: str, seed_findings: Findings, minter: Minter, small_gazetteer: gz.Gazetteer, seed_article: str,
        validators: dict[str, Validator]) -> None:
    assert "FRA" not in small_gazetteer.countries
    seed_findings.countries.append(Country("FRA"))
    triples = build_article_graph(seed_findings, minter, small_gazetteer)
    france = iri(minter.country("FRA"))
    assert (france, iri(DIP.isoAlpha3), '"FRA"') in triples
    report = _validate(validators[engine], seed_article, triples)
    assert report.conforms, report.text
    # The article graph gives no alpha-2 code for it: the shapes only warn about that.
    expected = {(str(minter.country("FRA")), str(DIPSH["Country-isoAlpha2"]))}
    assert {(r.focus, r.shape) for r in report.warnings} == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_event_of_a_type_outside_the_event_classes_is_built_generic_and_rejected(
        engine: str, seed_findings: Findings, minter: Minter, small_gazetteer: gz.Gazetteer, seed_article: str,
        shape_message: Callable[[URIRef], str], validators: dict[str, Validator]) -> None:
    seed_findings.events[1].type = "Negotiation"
    triples = build_article_graph(seed_findings, minter, small_gazetteer)
    report = _validate(validators[engine], seed_article, triples)
    assert not report.conforms
    assert {(r.message, r.focus) for r in report.violations} == {
        (shape_message(DIPSH["DiplomaticEvent-type"]), f"{seed_article}#event-2")}
