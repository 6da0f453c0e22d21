"""The embedded store: the only module that opens pyoxigraph on disk (read-only views through kg.snapshots).

Layout: every article's triples in the named graph of the article IRI; the ontology, the shapes and the
reference data (countries, office holders, organizations, places) each in a graph of their own; a small
``meta`` graph with the dataset's modification time. Writes are transactions: an article is fully in or
fully out, whatever happens to the process.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.iris import Minter
from kg.merge import merged
from kg.namespaces import DCTERMS, DIP, PROV, RDF, XSD
from kg.rdf import Triple, ntriples, to_oxigraph
from kg.setquery import distinct_matches
from kg.snapshots import View, prune, views_dir

FORMATS: dict[str, ox.RdfFormat] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = frozenset({"nq", "trig", "jsonld"})


BULK_LIMIT = 500_000               # quads; oxigraph's bulk loader ingests up to 1M quads (2 threads) at once
BULK_FROM = 20_000                 # quads; fewer load faster in a transaction (measured: 300 in 2 ms, not 150 ms)


class StoreError(Exception):
    pass


def graph_digest(quads: Iterable[ox.Quad]) -> str:
    """Order-independent digest of a graph; blank nodes (the ontology's lists) are canonicalised first."""
    quads = list(quads)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    acc = 0
    for q in quads:
        h = hashlib.blake2b(f"{q.subject} {q.predicate} {q.object}".encode(), digest_size=16).digest()
        acc ^= int.from_bytes(h, "big")
    return f"{acc:032x}"


def in_rounds(articles: Sequence[tuple[str, str]],
              write_once: Callable[[Sequence[tuple[str, str]], ox.Literal], list[str]]) -> list[str]:
    """Write (IRI, N-Triples) pairs with ``write_once``, an IRI at most once a round, in the order given: a later
    version of one article replaces the earlier. Per article, what ``write_once`` said of it."""
    now = literal_now()
    out = [""] * len(articles)
    todo = list(range(len(articles)))
    while todo:
        seen: set[str] = set()
        now_round, later = [], []
        for i in todo:
            (later if articles[i][0] in seen else now_round).append(i)
            seen.add(articles[i][0])
        for i, status in zip(now_round, write_once([articles[i] for i in now_round], now)):
            out[i] = status
        todo = later
    return out


class Store:
    """An on-disk (or, with ``path=None``, in-memory) pyoxigraph store of article graphs."""

    def __init__(self, path: Path | str | None, minter: Minter | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.minter = minter or Minter()
        self.view: View | None = None
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                self.view = View(self.path)
                self.ox = self.view.ox
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
                if views_dir(self.path).is_dir():
                    prune(self.path, keep=0)   # left by a server that was killed; they hold old files on disk
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        self._meta = ox.NamedNode(str(self.minter.graph("meta")))
        self._dataset = ox.NamedNode(str(self.minter.dataset))

    # -- writing -------------------------------------------------------------------------------

    def write_articles(self, articles: Sequence[tuple[str, Sequence[Triple]]]) -> list[str]:
        """Store each article's triples in the graph named by its IRI, replacing an older version; one
        transaction per call. Returns, per article, "added", "replaced" or "unchanged".
        """
        return self.write([(str(name), ntriples(triples)) for name, triples in articles])

    def write(self, articles: Sequence[tuple[str, str]]) -> list[str]:
        """Like write_articles, for graphs given as N-Triples text (what the ingest workers send).

        An article already stored is replaced when its graph changed; when its text changed too, the new graph
        records the version it replaces (prov:wasRevisionOf a dip:ArticleVersion with the old text's SHA-256 and
        the times that version was stored and replaced) and carries the older versions on. One IRI given twice
        is written twice, in the order given: the later version replaces the earlier.
        """
        return in_rounds(articles, self._write_once)

    def _write_once(self, articles: Sequence[tuple[str, str]], now: ox.Literal) -> list[str]:
        outcome: list[str] = []
        fresh: list[str] = []
        size = 0
        replace: list[tuple[ox.NamedNode, list[ox.Quad]]] = []
        for iri, nt in articles:
            name = ox.NamedNode(iri)
            if not self._any(name):
                fresh.append(nt.replace(" .\n", f" <{iri}> .\n"))
                size += nt.count("\n")
                outcome.append("added")
                continue
            quads = [ox.Quad(t.subject, t.predicate, t.object, name)
                     for t in ox.parse(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)]
            old, old_books = split_history(name, self.ox.quads_for_pattern(None, None, None, name))
            new, _ = split_history(name, quads)
            if graph_digest(old) == graph_digest(new):
                outcome.append("unchanged")
            else:
                quads += revision(name, old, old_books, quads, now)
                replace.append((name, quads))
                outcome.append("replaced")
        if replace:
            fresh_quads = list(ox.parse("".join(fresh).encode("utf-8"), ox.RdfFormat.N_QUADS)) if fresh else []
            self.ox.update(self._replace_update(replace, fresh_quads))
        elif fresh and BULK_FROM <= size < BULK_LIMIT:
            # The bulk loader sorts the quads into files and ingests them in one RocksDB IngestExternalFiles call
            # for all column families: all or nothing, and twice as fast as a transaction for large batches (its
            # fixed cost, ~0.15 s, makes small ones slower). Above BULK_LIMIT oxigraph splits a load into several
            # ingestions, so large batches go through a transaction.
            self.ox.bulk_load("".join(fresh).encode("utf-8"), ox.RdfFormat.N_QUADS)
            self.ox.update(self._touch_update())
        elif fresh:
            self.ox.load("".join(fresh).encode("utf-8"), ox.RdfFormat.N_QUADS)
            self.ox.update(self._touch_update())
        return outcome

    def _any(self, name: ox.NamedNode) -> bool:
        return next(iter(self.ox.quads_for_pattern(None, None, None, name)), None) is not None

    def _touch_update(self) -> str:
        now = datetime.now(UTC).isoformat(timespec="microseconds")
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

    def remove_article(self, iri: str) -> bool:
        name = ox.NamedNode(str(iri))
        if not self._any(name) or not self.is_article(iri):
            return False
        self.ox.update(f"DROP SILENT GRAPH {name} ;\n{self._touch_update()}")
        return True

    def put_graph(self, iri: str, triples: Sequence[Triple]) -> bool:
        """Replace a shared graph (ontology, shapes, reference data) when its content changed."""
        quads = list(to_oxigraph(triples, str(iri)))
        name = ox.NamedNode(str(iri))
        if graph_digest(self.ox.quads_for_pattern(None, None, None, name)) == graph_digest(quads):
            return False
        # Dropped, then loaded (far faster than INSERT DATA): the digest put_shared records last makes an ingest
        # interrupted in between put the graph again.
        self.ox.update(f"DROP SILENT GRAPH {name}")
        self.ox.load(ntriples(triples).replace(" .\n", f" {name} .\n").encode("utf-8"), ox.RdfFormat.N_QUADS)
        self.ox.update(self._touch_update())
        return True

    def shared_digest(self) -> str | None:
        """The version (kg.shared.digest) of the shared graphs this store holds."""
        for q in self.ox.quads_for_pattern(self._dataset, _SHARED_DIGEST, None, self._meta):
            return q.object.value
        return None

    def put_shared(self, graphs: dict[str, list[Triple]], digest: str) -> None:
        """Put the shared graphs of version ``digest`` in place, each only if it changed, and record the version.
        Graphs the store lacks (a new store) are loaded together by the bulk loader."""
        absent = {name: triples for name, triples in graphs.items() if not self._any(ox.NamedNode(name))}
        if absent:
            text = "".join(ntriples(triples).replace(" .\n", f" <{name}> .\n") for name, triples in absent.items())
            self.ox.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_QUADS)
            self.ox.update(self._touch_update())
        for name, triples in graphs.items():
            if name not in absent:
                self.put_graph(name, triples)
        self.ox.update(f"DELETE WHERE {{ GRAPH {self._meta} {{ {self._dataset} {_SHARED_DIGEST} ?d }} }} ;\n"
                       f"INSERT DATA {{ GRAPH {self._meta} {{ {self._dataset} {_SHARED_DIGEST} \"{digest}\" }} }}")

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

    def is_article(self, iri: str) -> bool:
        name = ox.NamedNode(str(iri))
        return bool(self.ox.query(f"ASK {{ GRAPH {name} {{ {name} a <{DIP.NewsArticle}> }} }}"))

    def article_iris(self) -> Iterator[str]:
        q = f"SELECT ?a WHERE {{ GRAPH ?a {{ ?a a <{DIP.NewsArticle}> }} }} ORDER BY ?a"
        for row in self.ox.query(q):
            yield row["a"].value

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.ox)
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))

    def modified(self) -> datetime | None:
        for q in self.ox.quads_for_pattern(self._dataset, ox.NamedNode(str(DCTERMS.modified)), None, self._meta):
            return datetime.fromisoformat(q.object.value)
        return None

    def query(self, sparql: str, *, union: bool = True, **kwargs: Any) -> Any:
        """A query; on the union of all graphs (``union``) each triple matches once (kg.setquery)."""
        if union:
            sparql = distinct_matches(sparql)
        return self.ox.query(sparql, use_default_graph_as_union=union, **kwargs)

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """The whole dataset; triple formats get the union of all graphs, each triple once."""
        try:
            rdf_format = FORMATS[fmt]
        except KeyError:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}") from None
        if fmt in QUAD_FORMATS:
            self.ox.dump(out, rdf_format)
        else:
            ox.serialize(merged(self.ox), out, rdf_format)


_SHARED_DIGEST = ox.NamedNode(str(DIP.sharedGraphsDigest))
_GENERATED = ox.NamedNode(str(PROV.generatedAtTime))
_INVALIDATED = ox.NamedNode(str(PROV.invalidatedAtTime))
_REVISION_OF = ox.NamedNode(str(PROV.wasRevisionOf))
_READ_FROM = ox.NamedNode(str(DIP.readFrom))
_TEXT_SHA256 = ox.NamedNode(str(DIP.textSha256))
_TYPE = ox.NamedNode(str(RDF.type))
_VERSION = ox.NamedNode(str(DIP.ArticleVersion))
# What the store itself records on an article: not part of what makes two versions of it differ.
_BOOKKEEPING = frozenset({_GENERATED, _REVISION_OF, _READ_FROM})


def now_lexical() -> str:
    """The time now as Oxigraph writes an xsd:dateTime back (UTC, 'Z'), so what is stored is what was built."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def literal_now() -> ox.Literal:
    return ox.Literal(now_lexical(), datatype=ox.NamedNode(str(XSD.dateTime)))


def split_history(name: ox.NamedNode, quads: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """An article graph's quads as (what was extracted, what the store recorded: stored time, where it was read
    from, earlier versions)."""
    prefix = name.value + "#version-"
    content, books = [], []
    for q in quads:
        s = q.subject
        if (s == name and q.predicate in _BOOKKEEPING) or (isinstance(s, ox.NamedNode) and s.value.startswith(prefix)):
            books.append(q)
        else:
            content.append(q)
    return content, books


def revision(name: ox.NamedNode, old: list[ox.Quad], old_books: list[ox.Quad], new: list[ox.Quad],
             now: ox.Literal) -> list[ox.Quad]:
    """The history a replacing graph carries: the versions before the one it replaces, and, when the text
    changed, that version (``<article>#version-N``: its text's SHA-256, when it was stored and replaced, where
    it was read from)."""
    def first(quads: list[ox.Quad], subject: ox.NamedNode, predicate: ox.NamedNode) -> Any:
        return next((q.object for q in quads if q.subject == subject and q.predicate == predicate), None)

    older = [ox.Quad(q.subject, q.predicate, q.object, name) for q in old_books if q.subject != name]
    prior = [q.object for q in old_books if q.subject == name and q.predicate == _REVISION_OF]
    old_hash, new_hash = first(old, name, _TEXT_SHA256), first(new, name, _TEXT_SHA256)
    if old_hash is None or old_hash == new_hash:        # the same text, extracted again: the history stays
        return older + [ox.Quad(name, _REVISION_OF, p, name) for p in prior]
    count = sum(1 for q in older if q.predicate == _TYPE and q.object == _VERSION)
    version = ox.NamedNode(f"{name.value}#version-{count + 1}")
    out = [*older, ox.Quad(name, _REVISION_OF, version, name), ox.Quad(version, _TYPE, _VERSION, name),
           ox.Quad(version, _TEXT_SHA256, old_hash, name), ox.Quad(version, _INVALIDATED, now, name)]
    for predicate in (_GENERATED, _READ_FROM):
        value = first(old_books, name, predicate)
        if value is not None:
            out.append(ox.Quad(version, predicate, value, name))
    out += [ox.Quad(version, _REVISION_OF, p, name) for p in prior]
    return out


def _insert_data(quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(("\n".join(lines) if g == "DEFAULT" else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
                     for g, lines in by_graph.items())
    return f"INSERT DATA {{\n{body}\n}}"


__all__ = ["FORMATS", "QUAD_FORMATS", "Store", "StoreError", "graph_digest"]
