"""A remote store read through SPARQL 1.1 Protocol, with the pyoxigraph ``Store`` methods the project reads by.

``RemoteView`` answers ``query``, ``quads_for_pattern``, ``contains_named_graph``, ``named_graphs``, ``len``
and ``dump`` as pyoxigraph does, so the server's pages, the query workers and the dump writer read both
backends with one code. What differs, and why:

- ``query`` sends only text that passed ``check_remote`` (parsed whole; SERVICE, LOAD and extension functions
  refused), and the exact text that was checked. Answers are parsed as they stream in (SPARQL XML results,
  through kg.sparqlhttp.XmlResults: Virtuoso's JSON writes ``true`` as ``1``; N-Triples for graphs);
  ``truncated_at`` tells when the store cut an answer short at its own row limit (``X-SPARQL-MaxRows``).
- A store like Virtuoso has no default graph apart from the union of its named graphs. The default graph that
  clients write (Graph Store ``?default``, an update that names no graph) is kept in the named graph
  ``<base>graph/default``, which the methods here present as the default graph; graphs under
  ``<base>graph/staging/`` hold writes in progress (kg.remote) and are not listed.
- Reads of unknown size stream; one that the store cuts at its own row limit is read again in pages of that
  size (``ORDER BY`` with ``LIMIT``/``OFFSET``), so nothing is cut silently; dumps fetch many small graphs
  per request.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyoxigraph as ox

from api.sparqltext import check_remote
from kg.iris import Minter
from kg.sparqlhttp import Answer, Client, StoreError, XmlResults
from kg.virtuoso import ordered_construct

GROUP = 5_000                 # triples of small graphs fetched in one request by a dump
RESULTS = "application/sparql-results+xml"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                 "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Triples:
    """A graph answer as it streams in: iterable of triples, and ``serialize`` as pyoxigraph's answers have."""

    def __init__(self, answer: Answer, fmt: ox.RdfFormat) -> None:
        self.answer = answer
        self.fmt = fmt

    def __iter__(self) -> Iterator[ox.Triple]:
        try:
            for q in ox.parse(self.answer, self.fmt):
                yield q.triple
        except SyntaxError as exc:
            raise StoreError(502, f"the store's answer does not parse: {exc}") from exc
        finally:
            self.answer.close()

    def serialize(self, output: IO[bytes] | None = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> Any:
        return ox.serialize(iter(self), output, format)


class RemoteView:
    def __init__(self, client: Client, minter: Minter) -> None:
        self.client = client
        self.default = ox.NamedNode(str(minter.graph("default")))
        self.staging = str(minter.graph("staging")) + "/"
        self.truncated_at: int | None = None
        self._dialect = client.endpoints.dialect

    @property
    def dialect(self) -> str:
        """virtuoso or standard: from the endpoint string, else from the store's Server header."""
        if self._dialect is None:
            if not self.client.server:
                self._select("ASK {}")
            self._dialect = "virtuoso" if self.client.server.lower().startswith("virtuoso") else "standard"
        return self._dialect

    # -- queries as pyoxigraph takes them -------------------------------------------------------------------

    def query(self, query: str, *, use_default_graph_as_union: bool = False, default_graph: Any = None,
              named_graphs: Any = None, base_iri: str | None = None, prefixes: dict[str, str] | None = None,
              substitutions: dict[ox.Variable, Term] | None = None) -> Any:
        """A query, checked and sent; its answer as pyoxigraph's (solutions, boolean) or ``Triples``."""
        for var, term in (substitutions or {}).items():
            query = re.sub(rf"[?$]{re.escape(var.value)}\b", str(term), query)
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        if base_iri:
            head = f"BASE <{ox.NamedNode(base_iri).value}>\n" + head
        checked = check_remote(head + query, update=False)
        dataset: list[tuple[str, str]] = []
        if default_graph is not None or named_graphs is not None:
            dataset = [("default-graph-uri", self._stored(g).value) for g in _listed(default_graph)]
            dataset += [("named-graph-uri", self._stored(g).value) for g in _listed(named_graphs)]
        elif not use_default_graph_as_union and not checked.has_dataset:
            dataset = [("default-graph-uri", self.default.value)]
        graph = checked.form in ("CONSTRUCT", "DESCRIBE")
        text = checked.text
        if checked.form == "CONSTRUCT" and self.dialect == "virtuoso":
            text = ordered_construct(text)
        answer = self.client.query(text, GRAPH_ACCEPT if graph else RESULTS, dataset)
        self.truncated_at = answer.capped
        return self._parse(answer)

    def _parse(self, answer: Answer) -> Any:
        if answer.media in GRAPH_FORMATS:
            return Triples(answer, GRAPH_FORMATS[answer.media])
        fmt = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "application/sparql-results+json": ox.QueryResultsFormat.JSON}.get(answer.media)
        if fmt is None:
            answer.close()
            raise StoreError(502, f"the store answered {answer.media or 'with no media type'}, which is not read")
        source = XmlResults(answer) if fmt == ox.QueryResultsFormat.XML else answer
        try:
            return ox.parse_query_results(source, fmt)
        except SyntaxError as exc:
            answer.close()
            raise StoreError(502, f"the store's answer does not parse: {exc}") from exc

    def _select(self, text: str) -> Any:
        """One of our own queries (built from terms, never from a request): not checked, answer not paged."""
        answer = self.client.query(text, RESULTS)
        result = self._parse(answer)
        if answer.capped is not None:
            raise StoreError(502, f"the store cut an answer at {answer.capped} rows: raise its row limit")
        return result

    def pages(self, select: str, order: str) -> Iterator[ox.QuerySolution]:
        """The rows of one of our SELECT queries, streamed. A store that cuts the answer at its own row limit
        (``X-SPARQL-MaxRows``) is asked again in pages of that many rows, in ``order``."""
        answer = self.client.query(select, RESULTS)
        if answer.capped is None:
            yield from self._parse(answer)
            return
        answer.close()
        page, offset = answer.capped, 0
        while True:
            batch = list(self._parse(self.client.query(f"{select} ORDER BY {order} LIMIT {page} OFFSET {offset}",
                                                       RESULTS)))
            yield from batch
            if len(batch) < page:
                return
            offset += page

    # -- pyoxigraph's Store methods -------------------------------------------------------------------------

    def _stored(self, g: Any) -> ox.NamedNode:
        if isinstance(g, ox.DefaultGraph):
            return self.default
        if not isinstance(g, ox.NamedNode):
            raise StoreError(400, f"a remote store names graphs by IRI, not {g}")
        return g

    def _shown(self, g: ox.NamedNode) -> GraphName:
        return ox.DefaultGraph() if g == self.default else g

    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None, object: Term | None,
                          graph_name: GraphName | None = None) -> Iterator[ox.Quad]:
        terms = [_pattern_term(t, v) for t, v in ((subject, "?s"), (predicate, "?p"), (object, "?o"))]
        g = "?g" if graph_name is None else str(self._stored(graph_name))
        variables = [v for v in (*terms, g) if v.startswith("?")]
        if not variables:
            if self.contains((*terms, g)):
                yield ox.Quad(subject, predicate, object, graph_name)  # type: ignore[arg-type]
            return
        select = f"SELECT {' '.join(variables)} WHERE {{ GRAPH {g} {{ {' '.join(terms)} }} }}"
        for row in self.pages(select, " ".join(variables)):
            s, p, o = (row[t[1:]] if t.startswith("?") else fixed
                       for t, fixed in zip(terms, (subject, predicate, object)))
            graph = self._shown(row["g"]) if graph_name is None else graph_name
            if graph_name is None and _hidden(row["g"], self.staging):
                continue
            yield ox.Quad(s, p, o, graph)

    def contains(self, pattern: Iterable[str]) -> bool:
        s, p, o, g = pattern
        return bool(self._select(f"ASK {{ GRAPH {g} {{ {s} {p} {o} }} }}"))

    def contains_named_graph(self, graph_name: GraphName) -> bool:
        if not isinstance(graph_name, ox.NamedNode) or graph_name == self.default:
            return False
        return self.contains(("?s", "?p", "?o", str(graph_name)))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        # GROUP BY, not DISTINCT: Virtuoso answers SELECT DISTINCT ?g from its list of graphs, private ones too
        for row in self.pages("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "?g"):
            if row["g"] != self.default and not _hidden(row["g"], self.staging):
                yield row["g"]

    def __len__(self) -> int:
        for row in self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
            return int(row["n"].value)
        return 0

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    # -- dumps ----------------------------------------------------------------------------------------------

    def graph_sizes(self) -> Iterator[tuple[ox.NamedNode, int]]:
        """(graph, triples) for every graph, the default graph's stand-in included, by graph IRI."""
        select = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        for row in self.pages(select, "?g"):
            if not _hidden(row["g"], self.staging):
                yield row["g"], int(row["n"].value)

    def graph_quads(self, graphs: Iterable[tuple[ox.NamedNode, int]]) -> Iterator[ox.Quad]:
        """The quads of the given graphs, many small graphs per request; a large one in pages of its own."""
        group: list[ox.NamedNode] = []
        size = 0
        for g, n in graphs:
            if n > GROUP:
                yield from self.quads_for_pattern(None, None, None, self._shown(g))
                continue
            if size + n > GROUP and group:
                yield from self._group(group)
                group, size = [], 0
            group.append(g)
            size += n
        if group:
            yield from self._group(group)

    def _group(self, graphs: list[ox.NamedNode]) -> Iterator[ox.Quad]:
        values = " ".join(str(g) for g in graphs)
        select = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        answer = self.client.query(select, RESULTS)
        if answer.capped is not None:     # the store's row limit is below GROUP: page graph by graph
            answer.close()
            for g in graphs:
                yield from self.quads_for_pattern(None, None, None, self._shown(g))
            return
        for row in self._parse(answer):
            yield ox.Quad(row["s"], row["p"], row["o"], self._shown(row["g"]))

    def whole(self, select: str) -> Iterator[ox.QuerySolution] | None:
        """The rows of one of our queries over the whole store in one streamed answer, or None if the store cuts
        it at its own row limit."""
        answer = self.client.query(select, RESULTS)
        if answer.capped is not None:
            answer.close()
            return None
        return iter(self._parse(answer))

    def merged_parts(self) -> Iterator[Iterable[ox.Triple]]:
        """The union of the graphs as one graph (kg.merge), each triple once. The store's own DISTINCT in one
        streamed answer; where its row limit is below the dataset, graph by graph: a triple is taken from the
        first graph (by IRI) that has it, many small graphs per request, probing the graphs before it (flat
        memory on both sides, and slow: Virtuoso probes a few thousand triples a second)."""
        rows = self.whole("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                          f'FILTER(!STRSTARTS(STR(?g), "{self.staging}")) }}')
        if rows is not None:
            yield (ox.Triple(row["s"], row["p"], row["o"]) for row in rows)
            return
        group: list[ox.NamedNode] = []
        size = 0
        for g, n in self.graph_sizes():
            if size + n > GROUP and group:
                yield self._merged(group)
                group, size = [], 0
            group.append(g)
            size += n
        if group:
            yield self._merged(group)

    def _merged(self, graphs: list[ox.NamedNode]) -> Iterator[ox.Triple]:
        values = " ".join(str(g) for g in graphs)
        select = (f"SELECT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                  "FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } FILTER(STR(?h) < STR(?g) && "
                  f'!STRSTARTS(STR(?h), "{self.staging}")) }} }}')
        for row in self.pages(select, "?g ?s ?p ?o"):
            yield ox.Triple(row["s"], row["p"], row["o"])

    def dump(self, output: IO[bytes], format: ox.RdfFormat, *, from_graph: GraphName | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """As pyoxigraph's: a graph, or (quad formats) the whole store: in one streamed answer, or, where the
        store's row limit is below its size, graph by graph in IRI order, many graphs per request."""
        if from_graph is not None:
            triples = (q.triple for q in self.quads_for_pattern(None, None, None, from_graph))
            ox.serialize(triples, output, format, prefixes=prefixes)
            return
        rows = self.whole("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = (ox.Quad(r["s"], r["p"], r["o"], self._shown(r["g"])) for r in rows
                 if not _hidden(r["g"], self.staging)) if rows is not None else self.graph_quads(self.graph_sizes())
        ox.serialize(quads, output, format, prefixes=prefixes)


def _listed(graphs: Any) -> list[Any]:
    if graphs is None:
        return []
    return list(graphs) if isinstance(graphs, list | tuple) else [graphs]


def _pattern_term(term: Term | None, var: str) -> str:
    if term is None:
        return var
    if isinstance(term, ox.BlankNode):
        raise StoreError(400, "a remote store cannot be asked about one of its blank nodes by label")
    return str(term)


def _hidden(g: ox.NamedNode, staging: str) -> bool:
    return g.value.startswith(staging)


__all__ = ["RemoteView", "Triples"]
