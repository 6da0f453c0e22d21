"""The union of a store's graphs as one RDF graph: every triple once, however many graphs state it.

An article and the reference data may state the same triple, and so may two articles (each says that a person
acts for a state) or a Graph Store user. The merged downloads and the CLI's triple exports are this graph.
Graphs are visited in a fixed order (the default graph, then the named graphs by IRI) and a triple is written
with the first graph that has it: each triple of a later graph is looked up in the graphs before it (an index
probe), so memory stays flat whatever the store's size. (A CONSTRUCT over the union would hash every triple,
and pyoxigraph's CONSTRUCT forgets what it emitted after a million triples, so it may repeat one.)
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

_NEW_IN = """CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH $g { ?s ?p ?o }
  FILTER NOT EXISTS { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } FILTER(STR(?h) < STR($g)) }
}"""


def graphs(store: ox.Store) -> list[GraphName]:
    """The default graph, then the named graphs by IRI: the order the merged graph is written in."""
    return [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]


def merged_parts(store: ox.Store) -> Iterator[Iterable[ox.Triple]]:
    """Per graph, in ``graphs`` order, its triples that no graph before it has. Named graphs' parts are
    pyoxigraph answers (``.serialize`` writes them without a round trip through Python)."""
    if hasattr(store, "merged_parts"):    # a remote store (kg.remoteview): many graphs per request
        yield from store.merged_parts()
        return
    for g in graphs(store):
        if isinstance(g, ox.DefaultGraph):
            yield (q.triple for q in store.quads_for_pattern(None, None, None, g))
        else:
            yield store.query(_NEW_IN, substitutions={ox.Variable("g"): g})


def merged(store: ox.Store) -> Iterator[ox.Triple]:
    return itertools.chain.from_iterable(merged_parts(store))


def write_ntriples(store: ox.Store, out: object) -> None:
    """The merged graph as N-Triples, serialized in Rust graph by graph."""
    if hasattr(store, "merged_parts"):
        ox.serialize(merged(store), out, ox.RdfFormat.N_TRIPLES)
        return
    store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    for part in itertools.islice(merged_parts(store), 1, None):
        part.serialize(out, ox.RdfFormat.N_TRIPLES)  # type: ignore[attr-defined]
