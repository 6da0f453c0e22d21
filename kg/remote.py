"""A SPARQL 1.1 store elsewhere as the project's store: ``RemoteStore`` has ``kg.store.Store``'s methods.

Writes are SPARQL 1.1 Update requests. What is atomic is one operation (Virtuoso 7 commits each operation of
a request on its own: a request whose second operation fails keeps its first, measured), so every article is
written by one operation: ``INSERT DATA`` when its graph is new, ``DELETE``/``INSERT`` of its graph when it
replaces one. A failure anywhere in a batch leaves each article fully in or fully out. A graph too large for
one operation, or with blank nodes (which ``INSERT DATA`` on Virtuoso refuses, and which one operation must
carry together), is written into a staging graph first and moved over its target by one ``MOVE``. Many
articles go in one request, up to the store's ``batch`` of triples, and each request first records the
dataset's modification time. Reads go through ``RemoteView`` (kg.remoteview).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

import pyoxigraph as ox

from api.sparqltext import check_remote
from kg.iris import Minter
from kg.merge import merged
from kg.namespaces import DCTERMS, DIP, XSD
from kg.rdf import Triple, ntriples, to_oxigraph
from kg.remoteview import RemoteView
from kg.sparqlhttp import Client, Endpoints, Opener, StoreError, direct
from kg.store import FORMATS, QUAD_FORMATS, graph_digest, in_rounds, revision, split_history
from kg.virtuoso import operations

CHUNK = 1_000                 # triples in one INSERT DATA operation (Virtuoso's parser stops near 5,000)
ASK_GRAPHS = 200              # graphs asked about in one query
_SHARED_DIGEST = ox.NamedNode(str(DIP.sharedGraphsDigest))


class _Op:
    """One update operation and the number of triples it carries."""

    def __init__(self, text: str, size: int = 1) -> None:
        self.text = text
        self.size = size


class RemoteStore:
    path = None

    def __init__(self, spec: str | Endpoints, minter: Minter | None = None, *, opener: Opener = direct,
                 read_only: bool = False) -> None:
        try:
            self.endpoints = spec if isinstance(spec, Endpoints) else Endpoints.parse(spec)
        except ValueError as exc:
            raise StoreError(0, str(exc)) from exc
        self.minter = minter or Minter()
        self.client = Client(self.endpoints, opener)
        self.ox = RemoteView(self.client, self.minter)
        self.read_only = read_only
        self._meta = ox.NamedNode(str(self.minter.graph("meta")))
        self._dataset = ox.NamedNode(str(self.minter.dataset))

    # -- writing -------------------------------------------------------------------------------------------

    def write_articles(self, articles: Sequence[tuple[str, Sequence[Triple]]]) -> list[str]:
        return self.write([(str(name), ntriples(triples)) for name, triples in articles])

    def write(self, articles: Sequence[tuple[str, str]]) -> list[str]:
        """Store each article's graph (N-Triples text); per article "added", "replaced" or "unchanged". As the
        embedded store's: a replacing graph carries the history of the one it replaces (kg.store.revision), and
        one IRI given twice is written twice, in order."""
        return in_rounds(articles, self._write_once)

    def _write_once(self, articles: Sequence[tuple[str, str]], now: ox.Literal) -> list[str]:
        stored = self._stored([iri for iri, _ in articles])
        outcome: list[str] = []
        ops: list[_Op] = []
        for iri, nt in articles:
            quads = _quads(nt, iri)
            name = ox.NamedNode(iri)
            if iri in stored:
                old, old_books = split_history(name, stored[iri])
                if graph_digest(old) == graph_digest(split_history(name, quads)[0]):
                    outcome.append("unchanged")
                    continue
                quads += revision(name, old, old_books, quads, now)
            outcome.append("replaced" if iri in stored else "added")
            ops += self._graph_ops(name, quads, replace=iri in stored)
        self._send(ops)
        return outcome

    def _stored(self, iris: list[str]) -> dict[str, list[ox.Quad]]:
        """The stored graphs among ``iris``, with their quads (for fresh articles, one query that finds none)."""
        found: dict[str, list[ox.Quad]] = {}
        for start in range(0, len(iris), ASK_GRAPHS):
            values = " ".join(f"<{i}>" for i in iris[start:start + ASK_GRAPHS])
            there = [row["g"] for row in self.ox._select(
                f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")]
            if not there:
                continue
            listed = " ".join(str(g) for g in there)
            for row in self.ox.pages(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                                     "?g ?s ?p ?o"):
                found.setdefault(row["g"].value, []).append(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
        return found

    def _graph_ops(self, name: ox.NamedNode, quads: list[ox.Quad], *, replace: bool, add: bool = False) -> list[_Op]:
        """The operations that make graph ``name`` hold ``quads`` (or, with ``add``, also hold them); ``replace``
        says the graph holds triples now (a DELETE/INSERT whose WHERE matches nothing inserts nothing)."""
        if not quads:
            return [] if add else [_Op(f"DROP SILENT GRAPH {name}")]
        blank = any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)
        if len(quads) <= CHUNK and not blank:
            body = _lines(quads)
            if not replace or add:
                return [_Op(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}", len(quads))]
            return [_Op(f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} INSERT {{ GRAPH {name} {{\n{body}\n}} }} "
                        f"WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}", len(quads))]
        stage = self._stage(name)
        ops = [_Op(f"DROP SILENT GRAPH {stage}")]
        if add:
            ops.append(_Op(f"ADD SILENT GRAPH {name} TO GRAPH {stage}"))
        plain = [q for q in quads if not (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode))]
        for start in range(0, len(plain), CHUNK):
            chunk = plain[start:start + CHUNK]
            ops.append(_Op(f"INSERT DATA {{ GRAPH {stage} {{\n{_lines(chunk)}\n}} }}", len(chunk)))
        blanks = [q for q in quads if q not in plain] if blank else []
        if blanks:   # one operation, so that a label names one node throughout
            ops.append(_Op(f"INSERT {{ GRAPH {stage} {{\n{_lines(blanks)}\n}} }} WHERE {{}}", len(blanks)))
        ops.append(_Op(f"MOVE SILENT GRAPH {stage} TO GRAPH {name}"))
        return ops

    def _stage(self, name: ox.NamedNode) -> ox.NamedNode:
        return ox.NamedNode(self.ox.staging + hashlib.sha256(name.value.encode()).hexdigest()[:32])

    def _touch(self) -> list[_Op]:
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        return [_Op(f"DELETE WHERE {{ GRAPH {self._meta} {{ {self._dataset} <{DCTERMS.modified}> ?m }} }}"),
                _Op(f"INSERT DATA {{ GRAPH {self._meta} {{ {self._dataset} <{DCTERMS.modified}> "
                    f"\"{now}\"^^<{XSD.dateTime}> }} }}")]

    def _send(self, ops: list[_Op]) -> None:
        """Requests of up to ``batch`` triples, each opening with the modification time. Operations that stage
        a graph stay in order; the MOVE that ends them may land in a later request, which is what makes the
        graph's change one operation."""
        if self.read_only:
            raise StoreError(0, "this store was opened read-only")
        if not ops:
            return
        pragma = "define sql:big-data-const 1\n" if self.ox.dialect == "virtuoso" else ""
        batch: list[_Op] = []
        size = 0
        for op in ops:
            if batch and size + op.size > self.endpoints.batch:
                self._request(pragma, batch)
                batch, size = [], 0
            batch.append(op)
            size += op.size
        self._request(pragma, batch)

    def _request(self, pragma: str, ops: list[_Op]) -> None:
        # Virtuoso compiles literals in an update into its SQL text unless told they are data; a
        # thousand-triple INSERT DATA then takes seconds instead of milliseconds.
        self.client.update(pragma + " ;\n".join(op.text for op in [*self._touch(), *ops]))

    def remove_article(self, iri: str) -> bool:
        name = ox.NamedNode(str(iri))
        if not self.is_article(iri):
            return False
        self._send([_Op(f"DROP SILENT GRAPH {name}")])
        return True

    def put_graph(self, iri: str, triples: Sequence[Triple]) -> bool:
        quads = list(to_oxigraph(triples, str(iri)))
        name = ox.NamedNode(str(iri))
        stored = list(self.ox.quads_for_pattern(None, None, None, name))
        if graph_digest(stored) == graph_digest(quads):
            return False
        self._send(self._graph_ops(name, quads, replace=bool(stored)))
        return True

    def shared_digest(self) -> str | None:
        """The version (kg.shared.digest) of the shared graphs this store holds."""
        for q in self.ox.quads_for_pattern(self._dataset, _SHARED_DIGEST, None, self._meta):
            return q.object.value
        return None

    def put_shared(self, graphs: dict[str, list[Triple]], digest: str) -> None:
        """Put the shared graphs of version ``digest`` in place, each only if it changed, then record the version
        (last: an ingest stopped before it puts them again)."""
        for name, triples in graphs.items():
            self.put_graph(name, triples)
        self._send([_Op(f"DELETE WHERE {{ GRAPH {self._meta} {{ {self._dataset} {_SHARED_DIGEST} ?d }} }}"),
                    _Op(f"INSERT DATA {{ GRAPH {self._meta} {{ {self._dataset} {_SHARED_DIGEST} \"{digest}\" }} }}")])

    def set_graph(self, name: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad], *, replace: bool) -> bool:
        """The Graph Store's PUT (``replace``) and POST; True if the graph did not exist before."""
        target = self.ox._stored(name)
        held = self.ox.contains(("?s", "?p", "?o", str(target)))
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        self._send(self._graph_ops(target, quads, replace=held, add=not replace))
        return not held and isinstance(name, ox.NamedNode)

    def drop_graph(self, name: ox.NamedNode | ox.DefaultGraph) -> bool:
        if isinstance(name, ox.NamedNode) and not self.ox.contains_named_graph(name):
            return False
        self._send([_Op(f"DROP SILENT GRAPH {self.ox._stored(name)}")])
        return True

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """A client's SPARQL update: checked (kg.remoteview), then sent as it was checked. On Virtuoso its
        operations go one by one, as Virtuoso runs them anyway, so that DROP/CLEAR ALL, NAMED and DEFAULT can
        be spelled out graph by graph (Virtuoso's own leave every graph in place) and the default graph is
        the stand-in graph (kg.virtuoso)."""
        if self.read_only:
            raise StoreError(0, "this store was opened read-only")
        head = f"BASE <{ox.NamedNode(base_iri).value}>\n" if base_iri else ""
        checked = check_remote(head + sparql, update=True)
        touch = " ;\n".join(op.text for op in self._touch())
        if self.ox.dialect != "virtuoso":
            self.client.update(touch + " ;\n" + checked.text)
            return
        self.client.update(touch)
        for text, default in operations(checked.text, self.ox):
            self.client.update(text, [("default-graph-uri", self.ox.default.value)] if default else [])

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()

    # -- reading -------------------------------------------------------------------------------------------

    def ping(self) -> None:
        """Ask the store once (and learn its dialect): StoreError if it cannot be reached."""
        self.ox._select("ASK {}")
        self.ox.dialect   # noqa: B018 -- read once, from the answer just had

    def is_article(self, iri: str) -> bool:
        name = ox.NamedNode(str(iri))
        return bool(self.ox._select(f"ASK {{ GRAPH {name} {{ {name} a <{DIP.NewsArticle}> }} }}"))

    def article_iris(self) -> Iterator[str]:
        for row in self.ox.pages(f"SELECT ?a WHERE {{ GRAPH ?a {{ ?a a <{DIP.NewsArticle}> }} }}", "?a"):
            yield row["a"].value

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.ox)
        for row in self.ox._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ox.NamedNode(graph).value}> "
                                   "{ ?s ?p ?o } }"):
            return int(row["n"].value)
        return 0

    def modified(self) -> datetime | None:
        for q in self.ox.quads_for_pattern(self._dataset, ox.NamedNode(str(DCTERMS.modified)), None,
                                           self._meta):
            return datetime.fromisoformat(q.object.value)
        return None

    def query(self, sparql: str, *, union: bool = True, **kwargs: Any) -> Any:
        return self.ox.query(sparql, use_default_graph_as_union=union, **kwargs)

    def export(self, fmt: str, out: IO[bytes]) -> None:
        try:
            rdf_format = FORMATS[fmt]
        except KeyError:
            raise StoreError(0, f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}") from None
        if fmt in QUAD_FORMATS:
            self.ox.dump(out, rdf_format)
        else:
            ox.serialize(merged(self.ox), out, rdf_format)


def _quads(nt: str, graph: str) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, name)
            for t in ox.parse(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)]


def _lines(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


__all__ = ["RemoteStore"]
