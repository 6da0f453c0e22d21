"""Every term of another vocabulary that the graphs use exists in that vocabulary.

The vocabularies are loaded from their published files (tests/data/vocabularies/): ORG, schema.org, PROV, SKOS,
OWL-Time, NIF, ITS, SEM, DCAT, VoID, Dublin Core, SHACL, FOAF, RDF, RDFS and OWL.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from kg import gazetteer as gz
from kg.config import ONTOLOGY_DIR, SHAPES_DIR
from kg.iris import Minter
from kg.namespaces import ORG, RDF
from kg.pipeline import Built
from kg.rdf import Triple, value_of
from kg.reference import reference_graph

TYPE = f"<{RDF.type}>"


def _used(triples: list[Triple]) -> set[str]:
    """The predicates and the classes (objects of rdf:type) of a graph."""
    return {value_of(p) for _, p, _ in triples} | {value_of(o) for _, p, o in triples if p == TYPE}


def _every_iri(path: Path) -> set[str]:
    g = Graph().parse(path, format="turtle")
    return {str(term) for triple in g for term in triple if isinstance(term, URIRef)}


def test_the_checker_finds_a_term_its_vocabulary_lacks(vocabularies: Any) -> None:
    assert vocabularies.undefined({str(ORG.holder), str(ORG.heldBy), "https://schema.org/headlines"}) == [
        str(ORG.holder), "https://schema.org/headlines"]


def test_every_term_of_the_seed_article_graph_is_in_its_vocabulary(seed_built: Built, vocabularies: Any) -> None:
    used = _used(seed_built.triples)
    assert len(used) > 30
    assert vocabularies.undefined(used) == []


def test_every_term_of_the_reference_graph_is_in_its_vocabulary(vocabularies: Any) -> None:
    used = _used(reference_graph(Minter(), gz.load()))
    assert str(ORG.heldBy) in used
    assert vocabularies.undefined(used) == []


@pytest.mark.parametrize("path", [*sorted(ONTOLOGY_DIR.glob("*.ttl")), *sorted(SHAPES_DIR.glob("*.ttl"))],
                         ids=lambda p: p.name)
def test_every_term_the_ontology_and_shapes_name_is_in_its_vocabulary(path: Path, vocabularies: Any) -> None:
    """Any position: the classes and properties the axioms and shapes refer to, not only the predicates."""
    assert vocabularies.undefined(_every_iri(path)) == []
