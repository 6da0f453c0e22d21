"""The embedded store: the only module that opens pyoxigraph on disk.

Layout: every article's triples in the named graph of the article IRI; the ontology, the shapes and the
reference data (countries, office holders, organizations, places) each in a graph of their own; a small
``meta`` graph with the dataset's modification time. Writes are transactions: an article is fully in or
fully out, whatever happens to the process.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.iris import Minter
from kg.namespaces import DCTERMS, DIP, XSD

FORMATS: dict[str, ox.RdfFormat] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = frozenset({"nq", "trig", "jsonld"})


class StoreError(Exception):
    pass


class TermConverter:
    """rdflib terms to pyoxigraph terms; IRIs are cached because most recur in every article."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}
        self._blanks: dict[str, ox.BlankNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            if len(self._iris) > 200_000:
                self._iris.clear()
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def __call__(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and term.datatype != XSD.string:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            node = self._blanks.get(str(term))
            if node is None:
                node = self._blanks[str(term)] = ox.BlankNode()
            return node
        raise StoreError(f"cannot store term {term!r}")

    def quads(self, graph: Graph, name: URIRef) -> list[ox.Quad]:
        g = self.iri(str(name))
        c = self
        return [ox.Quad(c(s), c(p), c(o), g) for s, p, o in graph]


def to_rdflib(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    raise StoreError(f"cannot convert {term!r}")


def graph_digest(quads: Iterable[ox.Quad]) -> str:
    """Order-independent digest of a graph without blank nodes (ours have none)."""
    acc = 0
    for q in quads:
        h = hashlib.blake2b(f"{q.subject} {q.predicate} {q.object}".encode(), digest_size=16).digest()
        acc ^= int.from_bytes(h, "big")
    return f"{acc:032x}"


class Store:
    """An on-disk (or, with ``path=None``, in-memory) pyoxigraph store of article graphs."""

    def __init__(self, path: Path | str | None, minter: Minter | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.minter = minter or Minter()
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        self.convert = TermConverter()
        self._meta = self.convert.iri(str(self.minter.graph("meta")))
        self._dataset = self.convert.iri(str(self.minter.dataset))

    # -- writing -------------------------------------------------------------------------------

    def write_articles(self, articles: Sequence[tuple[URIRef, Graph]]) -> list[str]:
        """Store each article's graph under its IRI, replacing an older version; one transaction per call.

        Returns, per article, "added", "replaced" or "unchanged".
        """
        return self.write_quads([(iri, self.convert.quads(graph, iri)) for iri, graph in articles])

    def write_quads(self, articles: Sequence[tuple[URIRef, list[ox.Quad]]]) -> list[str]:
        outcome: list[str] = []
        fresh: list[ox.Quad] = []
        replace: list[tuple[ox.NamedNode, list[ox.Quad]]] = []
        batch: set[str] = set()
        for iri, quads in articles:
            name = self.convert.iri(str(iri))
            if str(iri) in batch:
                outcome.append("unchanged")         # the same text twice in one batch
                continue
            batch.add(str(iri))
            if not self._any(name):
                fresh.extend(quads)
                outcome.append("added")
            elif graph_digest(self.ox.quads_for_pattern(None, None, None, name)) == graph_digest(quads):
                outcome.append("unchanged")
            else:
                replace.append((name, quads))
                outcome.append("replaced")
        if not fresh and not replace:
            return outcome
        if replace:
            self.ox.update(self._replace_update(replace, fresh))
        else:
            # extend() is one transaction, and twice as fast as INSERT DATA; the modification time follows.
            self.ox.extend(fresh)
            self.ox.update(self._touch_update())
        return outcome

    def _any(self, name: ox.NamedNode) -> bool:
        return next(iter(self.ox.quads_for_pattern(None, None, None, name)), None) is not None

    def _touch_update(self) -> str:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return (f"DELETE WHERE {{ GRAPH {self._meta} {{ {self._dataset} <{DCTERMS.modified}> ?m }} }} ;\n"
                f"INSERT DATA {{ GRAPH {self._meta} {{ {self._dataset} <{DCTERMS.modified}> "
                f"\"{now}\"^^<{XSD.dateTime}> }} }}")

    def _replace_update(self, replace: list[tuple[ox.NamedNode, list[ox.Quad]]], fresh: list[ox.Quad]) -> str:
        parts = []
        for name, quads in replace:
            parts.append(f"DROP SILENT GRAPH {name}")
            parts.append(_insert_data(quads))
        if fresh:
            parts.append(_insert_data(fresh))
        parts.append(self._touch_update())
        return " ;\n".join(parts)

    def remove_article(self, iri: URIRef) -> bool:
        name = self.convert.iri(str(iri))
        if not self._any(name) or not self.is_article(iri):
            return False
        self.ox.update(f"DROP SILENT GRAPH {name} ;\n{self._touch_update()}")
        return True

    def put_graph(self, iri: URIRef, graph: Graph) -> bool:
        """Replace a shared graph (ontology, shapes, reference data) when its content changed."""
        quads = self.convert.quads(graph, iri)
        name = self.convert.iri(str(iri))
        if graph_digest(self.ox.quads_for_pattern(None, None, None, name)) == graph_digest(quads):
            return False
        self.ox.update(f"DROP SILENT GRAPH {name} ;\n{_insert_data(quads)} ;\n{self._touch_update()}")
        return True

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update (one transaction) and record the modification time (server's write path)."""
        self.ox.update(sparql, base_iri=base_iri)
        self.ox.update(self._touch_update())

    def set_graph(self, name: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad], *, replace: bool) -> bool:
        """Add ``quads`` to a graph, or replace the graph with them; True if the graph did not exist before."""
        existed = self._any(name) if isinstance(name, ox.NamedNode) else True
        drop = f"DROP SILENT GRAPH {name} ;\n" if replace and isinstance(name, ox.NamedNode) else (
            "DROP SILENT DEFAULT ;\n" if replace else "")
        self.ox.update(f"{drop}{_insert_data(quads)} ;\n{self._touch_update()}")
        return not existed

    def drop_graph(self, name: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Remove a whole graph; False if it held nothing."""
        if isinstance(name, ox.NamedNode) and not self._any(name):
            return False
        target = f"GRAPH {name}" if isinstance(name, ox.NamedNode) else "DEFAULT"
        self.ox.update(f"DROP SILENT {target} ;\n{self._touch_update()}")
        return True

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()

    # -- reading -------------------------------------------------------------------------------

    def is_article(self, iri: URIRef) -> bool:
        name = self.convert.iri(str(iri))
        return bool(self.ox.query(f"ASK {{ GRAPH {name} {{ {name} a <{DIP.NewsArticle}> }} }}"))

    def article_iris(self) -> Iterator[URIRef]:
        q = f"SELECT ?a WHERE {{ GRAPH ?a {{ ?a a <{DIP.NewsArticle}> }} }} ORDER BY ?a"
        for row in self.ox.query(q):
            yield URIRef(row["a"].value)

    def graph(self, iri: URIRef) -> Graph:
        g = Graph(bind_namespaces="none")
        for q in self.ox.quads_for_pattern(None, None, None, self.convert.iri(str(iri))):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self.ox)
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, self.convert.iri(str(graph))))

    def modified(self) -> datetime | None:
        for q in self.ox.quads_for_pattern(self._dataset, self.convert.iri(str(DCTERMS.modified)), None, self._meta):
            return datetime.fromisoformat(q.object.value)
        return None

    def query(self, sparql: str, *, union: bool = True, **kwargs: Any) -> Any:
        return self.ox.query(sparql, use_default_graph_as_union=union, **kwargs)

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """The whole dataset; triple formats get the union of all graphs."""
        try:
            rdf_format = FORMATS[fmt]
        except KeyError:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}") from None
        if fmt in QUAD_FORMATS:
            self.ox.dump(out, rdf_format)
        else:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self.ox), out, rdf_format)


def _insert_data(quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(("\n".join(lines) if g == "DEFAULT" else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
                     for g, lines in by_graph.items())
    return f"INSERT DATA {{\n{body}\n}}"


__all__ = ["FORMATS", "QUAD_FORMATS", "Store", "StoreError", "TermConverter", "graph_digest", "to_rdflib"]
