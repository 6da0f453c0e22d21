"""The row-capped result writers must say exactly what pyoxigraph's serializer says."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from api.results import WRITERS

QUERY = """SELECT ?s ?o ?extra WHERE {
  ?s ?p ?o OPTIONAL { ?s <http://ex/extra> ?extra FILTER(?p = <http://ex/name>) }
} ORDER BY ?s ?o"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    ex = lambda name: ox.NamedNode(f"http://ex/{name}")  # noqa: E731
    s.extend([
        ox.Quad(ex("a"), ex("name"), ox.Literal('quote " comma, tab\t newline\n <tag> & é'), ox.DefaultGraph()),
        ox.Quad(ex("a"), ex("extra"), ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ox.DefaultGraph()),
        ox.Quad(ex("b"), ex("label"), ox.Literal("Bé", language="fr"), ox.DefaultGraph()),
        ox.Quad(ex("c"), ex("knows"), ox.BlankNode("node1"), ox.DefaultGraph()),
    ])
    return s


def ours(store: ox.Store, fmt: str) -> bytes:
    result = store.query(QUERY)
    out = io.BytesIO()
    WRITERS[fmt]([v.value for v in result.variables], list(result), out.write)
    return out.getvalue()


@pytest.mark.parametrize("fmt,rust", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)])
def test_json_and_xml_are_byte_identical_to_pyoxigraph(store: ox.Store, fmt: str, rust: ox.QueryResultsFormat) -> None:
    assert ours(store, fmt) == store.query(QUERY).serialize(format=rust)


def test_tsv_parses_back_to_the_same_solutions(store: ox.Store) -> None:
    mine = ox.parse_query_results(ours(store, "tsv"), ox.QueryResultsFormat.TSV)
    assert [list(r) for r in mine] == [list(r) for r in store.query(QUERY)]


def test_csv_has_the_same_cells(store: ox.Store) -> None:
    rust = store.query(QUERY).serialize(format=ox.QueryResultsFormat.CSV)
    assert list(csv.reader(io.StringIO(ours(store, "csv").decode(), newline=""))) == \
        list(csv.reader(io.StringIO(rust.decode(), newline="")))


def test_an_empty_answer_is_well_formed(store: ox.Store) -> None:
    result = store.query("SELECT ?x WHERE { ?x <http://ex/none> ?y }")
    out = io.BytesIO()
    WRITERS["json"](["x"], [], out.write)
    assert out.getvalue() == result.serialize(format=ox.QueryResultsFormat.JSON)
