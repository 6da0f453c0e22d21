"""The ontology under a DL reasoner: OWL 2 DL by the OWL API's profile checker, and HermiT (through owlready2)
on the ontology alone and with the seed article's graph and the reference data.

The data's dates are xsd:date, which is outside the OWL 2 datatype map: HermiT is told to ignore literals it
cannot type (owlready2's ``ignore_unsupported_datatypes``) for the data, never for the ontology alone.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from kg import gazetteer as gz
from kg.config import ONTOLOGY_DIR
from kg.iris import Minter
from kg.namespaces import DIP, OWL, RDF
from kg.pipeline import Built
from kg.rdf import Triple, from_rdflib, iri, ntriples
from kg.reference import ReferenceIndex, ontology_graph, reference_graph

owlready2 = pytest.importorskip("owlready2", reason="owlready2 (HermiT) is a test dependency: pip install -e '.[test]'")
if shutil.which("java") is None:
    pytest.skip("HermiT needs Java (a JRE 11 or later on PATH)", allow_module_level=True)

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
DL_CHECKER = Path(__file__).parent / "owl" / "DLProfile.java"
IMPORTS = iri(OWL.imports)


def _ontology_documents(tmp: Path) -> list[Path]:
    """Each ontology/*.ttl as N-Triples (the OWL API bundled with HermiT predates some Turtle 1.1 names)."""
    out = []
    for ttl in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        nt = tmp / f"{ttl.stem}.nt"
        Graph().parse(ttl, format="turtle").serialize(nt, format="nt", encoding="utf-8")
        out.append(nt)
    return out


def _ontology_triples() -> list[Triple]:
    return [t for t in from_rdflib(ontology_graph()) if t[1] != IMPORTS]


def _hermit(tmp: Path, triples: list[Triple], ignore_unsupported_datatypes: bool) -> None:
    """HermiT through owlready2; raises OwlReadyInconsistentOntologyError if the triples are inconsistent."""
    path = tmp / "input.nt"
    path.write_text(ntriples(triples), encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                   ignore_unsupported_datatypes=ignore_unsupported_datatypes)


def test_the_ontology_documents_are_owl2_dl(tmp_path: Path) -> None:
    run = subprocess.run(["java", "-cp", str(HERMIT_JAR), str(DL_CHECKER), *map(str, _ontology_documents(tmp_path))],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "0 violations", run.stdout


def test_hermit_accepts_the_ontology_as_it_is(tmp_path: Path) -> None:
    """No datatype is ignored here: every datatype the ontology's axioms name is one HermiT supports."""
    _hermit(tmp_path, _ontology_triples(), ignore_unsupported_datatypes=False)


@pytest.fixture(scope="module")
def reference() -> list[Triple]:
    return reference_graph(Minter(), gz.load())


def test_hermit_finds_the_ontology_the_reference_data_and_the_seed_consistent(
        tmp_path: Path, seed_built: Built, reference: list[Triple]) -> None:
    _hermit(tmp_path, [*_ontology_triples(), *reference, *seed_built.triples], ignore_unsupported_datatypes=True)


def _seed_person(seed_built: Built) -> str:
    return next(s for s, p, o in seed_built.triples if p == iri(DIP.actsFor))


def _seed_event_of(seed_built: Built, cls: str) -> str:
    return next(s for s, p, o in seed_built.triples if p == iri(RDF.type) and o == iri(DIP[cls]))


BREAKS = {
    "person-typed-as-a-country": lambda b: [(_seed_person(b), iri(RDF.type), iri(DIP.Country))],
    "visit-typed-as-a-phone-call": lambda b: [(_seed_event_of(b, "Visit"), iri(RDF.type), iri(DIP.PhoneCall))],
    "person-same-as-a-country": lambda b: [(_seed_person(b), iri(OWL.sameAs), "<https://w3id.org/dipkg/id/country/IND>")],
}


@pytest.mark.parametrize("name", BREAKS)
def test_hermit_finds_a_graph_that_breaks_a_disjointness_inconsistent(
        name: str, tmp_path: Path, seed_built: Built, reference: list[Triple]) -> None:
    """The disjointness axioms bite: the seed graph with one false statement added cannot be satisfied."""
    linked = ReferenceIndex(reference).for_graph(seed_built.triples)
    triples = [*_ontology_triples(), *seed_built.triples, *linked, *BREAKS[name](seed_built)]
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(tmp_path, triples, ignore_unsupported_datatypes=True)
