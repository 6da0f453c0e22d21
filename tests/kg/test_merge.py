"""kg.merge and the store's own reads: the union of the graphs is one graph, each triple once."""
from __future__ import annotations

import io

from kg.merge import graphs, merged
from kg.store import Store

A, B = "urn:x-test:a", "urn:x-test:b"


def _store() -> Store:
    store = Store(None)
    store.ox.update(f"""INSERT DATA {{
        GRAPH <{A}> {{ <urn:s> <urn:p> "shared" . <urn:s> <urn:p> "only a" . _:x <urn:p> "blank" }}
        GRAPH <{B}> {{ <urn:s> <urn:p> "shared" . <urn:s> <urn:q> "only b" }}
        <urn:s> <urn:p> "shared" .
    }}""")
    return store


def test_merged_states_each_triple_of_any_graph_once() -> None:
    store = _store()
    triples = list(merged(store.ox))
    assert len(triples) == len(set(triples)) == 4
    assert [str(g) for g in graphs(store.ox)] == ["DEFAULT", f"<{A}>", f"<{B}>"]


def test_exporting_a_triple_format_writes_the_merged_graph() -> None:
    out = io.BytesIO()
    _store().export("nt", out)
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == len(set(lines)) == 4
    quads = io.BytesIO()
    _store().export("nq", quads)
    assert len(quads.getvalue().decode().splitlines()) == 6      # the graphs as they are


def test_a_query_on_the_union_matches_a_shared_triple_once() -> None:
    rows = list(_store().query('SELECT (COUNT(*) AS ?n) WHERE { <urn:s> <urn:p> ?o }'))
    assert rows[0]["n"].value == "2"
    named = list(_store().query('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <urn:s> <urn:p> "shared" } }'))
    assert named[0]["n"].value == "2"       # GRAPH ?g still sees each graph's copy
