"""RDF terms as N-Triples strings: the pipeline's working representation of a graph.

An article graph is a list of (subject, predicate, object) strings in N-Triples term syntax (``<iri>``,
``"text"``, ``"2022-04-22"^^<...#date>``, ``"text"@en``). They hash and compare at C speed (rdflib terms
hash in Python, which made validation 5x slower), pickle cheaply to the writer process, and are already the
text pyoxigraph parses. rdflib graphs are made from them only where a library needs one (pySHACL, tests).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import RDF, XSD

Triple = tuple[str, str, str]

XSD_STRING = f"<{XSD.string}>"
RDF_LANGSTRING = f"<{RDF.langString}>"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE = re.compile(r'[\\"\n\r]')
_UNESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: object, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term; Python dates, datetimes, ints, Decimals and bools get their XSD datatype."""
    if datatype is None and lang is None:
        if isinstance(value, bool):
            value, datatype = "true" if value else "false", str(XSD.boolean)
        elif isinstance(value, datetime):
            value, datatype = value.isoformat(), str(XSD.dateTime)
        elif isinstance(value, date):
            value, datatype = value.isoformat(), str(XSD.date)
        elif isinstance(value, int):
            datatype = str(XSD.integer)
        elif isinstance(value, Decimal):
            datatype = str(XSD.decimal)
    text = '"' + _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], str(value)) + '"'
    if lang:
        return f"{text}@{lang}"
    if datatype and datatype != str(XSD.string):
        return f"{text}^^<{datatype}>"
    return text


class Lit(NamedTuple):
    lexical: str
    datatype: str          # an N-Triples IRI term: <http://www.w3.org/2001/XMLSchema#string>
    lang: str | None


@lru_cache(maxsize=65536)
def parse_literal(term: str) -> Lit | None:
    if not term.startswith('"'):
        return None
    end = term.rindex('"')
    lexical = _UNESCAPE.sub(_unescape, term[1:end]) if "\\" in term else term[1:end]
    rest = term[end + 1:]
    if rest.startswith("^^"):
        return Lit(lexical, rest[2:], None)
    if rest.startswith("@"):
        return Lit(lexical, RDF_LANGSTRING, rest[1:])
    return Lit(lexical, XSD_STRING, None)


def _unescape(m: re.Match[str]) -> str:
    if m.group(1):
        return chr(int(m.group(1), 16))
    if m.group(2):
        return chr(int(m.group(2), 16))
    return _SIMPLE.get(m.group(3), m.group(3))


def value_of(term: str) -> str:
    """The IRI of an IRI term, the lexical form of a literal."""
    if term.startswith("<"):
        return term[1:-1]
    lit = parse_literal(term)
    return lit.lexical if lit else term


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def from_rdflib_term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    if isinstance(t, Literal):
        return literal(str(t), str(t.datatype) if t.datatype else None, t.language)
    raise TypeError(f"not an RDF term: {t!r}")


def from_rdflib(graph: Iterable[tuple[Node, Node, Node]]) -> list[Triple]:
    f = from_rdflib_term
    return [(f(s), f(p), f(o)) for s, p, o in graph]


def to_rdflib(triples: Iterable[Triple]) -> Graph:
    g = Graph(bind_namespaces="none")
    g.parse(data=ntriples(triples), format="nt")
    return g


def to_oxigraph(triples: Iterable[Triple], graph_name: str | None = None) -> Iterator[ox.Quad]:
    """Quads for pyoxigraph, parsed in Rust from the N-Triples text."""
    name = ox.NamedNode(graph_name) if graph_name else ox.DefaultGraph()
    for t in ox.parse(ntriples(triples).encode("utf-8"), ox.RdfFormat.N_TRIPLES):
        yield ox.Quad(t.subject, t.predicate, t.object, name)
