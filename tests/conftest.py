from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.virtuoso import Virtuoso

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return ROOT / "seeds" / "2022-04-23-india-uk-defence-cyber.txt"


VOCABULARIES = ROOT / "tests" / "data" / "vocabularies"
# Namespace -> the fixture file that defines it (see tests/data/vocabularies/README.md).
VOCABULARY_FILES = {
    "http://www.w3.org/ns/org#": "org", "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/2004/02/skos/core#": "skos", "http://www.w3.org/2006/time#": "time",
    "http://semanticweb.cs.vu.nl/2009/11/sem/": "sem", "http://rdfs.org/ns/void#": "void",
    "https://schema.org/": "schema", "http://purl.org/dc/terms/": "dcterms", "http://www.w3.org/ns/dcat#": "dcat",
    "http://www.w3.org/ns/sparql-service-description#": "sd", "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/ns/shacl#": "sh", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs", "http://www.w3.org/2002/07/owl#": "owl",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#": "nif",
    "http://www.w3.org/2005/11/its/rdf#": "itsrdf",
}
# The schema.org file is the http variant; schema.org publishes the same terms under https, which the data uses.
SAME_TERMS = {"https://schema.org/": "http://schema.org/"}


class Vocabularies:
    """The terms each vocabulary file describes, loaded on first use."""

    def __init__(self) -> None:
        self._terms: dict[str, frozenset[str]] = {}

    def terms(self, namespace: str) -> frozenset[str]:
        if namespace not in self._terms:
            import gzip

            import pyoxigraph as ox
            with gzip.open(VOCABULARIES / f"{VOCABULARY_FILES[namespace]}.nt.gz") as f:
                self._terms[namespace] = frozenset(t.subject.value for t in ox.parse(f, ox.RdfFormat.N_TRIPLES)
                                                   if isinstance(t.subject, ox.NamedNode))
        return self._terms[namespace]

    @staticmethod
    def namespace_of(term: str) -> str | None:
        return max((ns for ns in VOCABULARY_FILES if term.startswith(ns)), key=len, default=None)

    def undefined(self, terms: set[str]) -> list[str]:
        """The terms of a checked namespace that its vocabulary file does not describe, sorted."""
        out = []
        for term in terms:
            ns = self.namespace_of(term)
            if ns is None or term == ns:
                continue
            if SAME_TERMS.get(ns, ns) + term[len(ns):] not in self.terms(ns):
                out.append(term)
        return sorted(out)


@pytest.fixture(scope="session")
def vocabularies() -> Vocabularies:
    return Vocabularies()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso 7 of the session's own (tests/virtuoso.py), its credentials in the environment; skipped,
    saying why, only where the virtuoso-opensource package cannot be installed."""
    from tests.virtuoso import Unavailable, start
    try:
        v = start(tmp_path_factory.mktemp("virtuoso"))
    except Unavailable as exc:
        pytest.skip(f"no Virtuoso to test the remote store against: {exc}")
    saved = {k: os.environ.get(k) for k in v.env}
    os.environ.update(v.env)
    yield v
    v.stop()
    for k, value in saved.items():
        if value is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = value
