"""A compiled SHACL Core validator for the constraint components our shapes use.

Why: pySHACL spends ~10 ms on one of our 200-triple article graphs even with batching (it rebuilds
constraint objects per focus node and every lookup goes through rdflib's store); ingest needs well under
1 ms. This module reads the same shapes graph once, compiles each shape into plain Python checks over
dict indexes of the data, and reports results with the same focus node, path, source shape, severity and
message as pySHACL. tests/kg/test_shacl.py checks that both engines agree on every graph the tests use.
A shapes graph using a component this module does not implement is refused when it is loaded, never
silently half-checked. Data terms are N-Triples strings (kg.rdf); the shapes are read with rdflib.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.namespaces import RDF, RDFS, SH, XSD
from kg.rdf import RDF_LANGSTRING, Triple, from_rdflib_term, parse_literal

SUPPORTED = frozenset({
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.path, SH.severity,
    SH.message, SH.name, SH.description, SH.deactivated, SH.minCount, SH.maxCount, SH.datatype, SH["class"],
    SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.minLength, SH.maxLength, SH.lessThan, SH["or"], SH["not"], SH.node, SH.hasValue,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.order, SH.group, SH.defaultValue,
})
IGNORED = frozenset({RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy, SH.declare, SH.prefixes})
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

_INTEGER = r"[+-]?\d+"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"
# Lexical forms of the datatypes our graphs use; a literal whose form does not match is ill-typed.
_LEXICAL = {f"<{dt}>": re.compile(rx) for dt, rx in (
    (XSD.integer, _INTEGER), (XSD.int, _INTEGER), (XSD.long, _INTEGER), (XSD.short, _INTEGER),
    (XSD.nonNegativeInteger, r"\+?\d+|-0+"), (XSD.positiveInteger, r"\+?0*[1-9]\d*"),
    (XSD.decimal, r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"), (XSD.double, _NUMBER), (XSD.float, _NUMBER),
    (XSD.boolean, r"true|false|1|0"), (XSD.date, r"-?\d{4,}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})?"),
    (XSD.dateTime, r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?"),
    (XSD.gYear, r"-?\d{4,}(?:Z|[+-]\d{2}:\d{2})?"),
)}
_NUMERIC = frozenset(f"<{dt}>" for dt in (XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long,
                                          XSD.decimal, XSD.double, XSD.float, XSD.short))
_DATE, _DATETIME = f"<{XSD.date}>", f"<{XSD.dateTime}>"
_TYPE, _SUBCLASS = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
_KINDS = {SH.IRI: "I", SH.BlankNode: "B", SH.Literal: "L", SH.BlankNodeOrIRI: "BI", SH.IRIOrLiteral: "IL",
          SH.BlankNodeOrLiteral: "BL"}


class ShapesError(ValueError):
    """The shapes graph uses something this validator does not implement."""


@dataclass(frozen=True, slots=True)
class Result:
    severity: str                   # IRIs as plain strings; focus and value as N-Triples terms
    focus: str
    path: str | None
    message: str | None
    shape: str
    value: str | None = None


class Classes:
    """rdfs:subClassOf closure, computed once per class and kept (the ontology changes rarely)."""

    def __init__(self, axioms: Iterable[tuple[str, str]]) -> None:
        self._supers: dict[str, set[str]] = {}
        for sub, sup in axioms:
            self._supers.setdefault(sub, set()).add(sup)
        self._closure: dict[str, frozenset[str]] = {}

    def superclasses(self, c: str) -> frozenset[str]:
        hit = self._closure.get(c)
        if hit is None:
            seen: set[str] = {c}
            todo = [c]
            while todo:
                for parent in self._supers.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            hit = self._closure[c] = frozenset(seen)
        return hit


class Data:
    """Triples indexed by subject and by predicate, with rdf:type and rdfs:subClassOf closure."""

    def __init__(self, triples: Iterable[Triple], classes: Classes | None = None,
                 by_predicate: frozenset[str] | None = None) -> None:
        """``by_predicate``: the predicates to index by (those targets use); None indexes all."""
        out: dict[str, dict[str, list[str]]] = {}
        by_p: dict[str, list[tuple[str, str]]] = {}
        for t in triples:
            s, p, o = t
            props = out.get(s)
            if props is None:
                props = out[s] = {}
            values = props.get(p)
            if values is None:
                props[p] = [o]
            else:
                values.append(o)
            if by_predicate is None or p in by_predicate:
                pairs = by_p.get(p)
                if pairs is None:
                    by_p[p] = [(s, o)]
                else:
                    pairs.append((s, o))
        self.complete = by_predicate is None
        self.out, self.by_p = out, by_p
        self._inv: dict[str, dict[str, list[str]]] | None = None
        self._instances: dict[str, set[str]] = {}
        self.classes = classes if classes is not None else Classes(by_p.get(_SUBCLASS, ()))

    @property
    def inv(self) -> dict[str, dict[str, list[str]]]:
        if self._inv is None:
            inv: dict[str, dict[str, list[str]]] = {}
            for s, props in self.out.items():
                for p, values in props.items():
                    for o in values:
                        inv.setdefault(o, {}).setdefault(p, []).append(s)
            self._inv = inv
        return self._inv

    def objects(self, s: str, p: str) -> list[str]:
        props = self.out.get(s)
        return props.get(p, _EMPTY) if props is not None else _EMPTY

    def subjects(self, p: str, o: str) -> list[str]:
        return self.inv.get(o, {}).get(p, _EMPTY)

    def is_instance(self, node: str, cls: str) -> bool:
        up = self.classes.superclasses
        return any(cls in up(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: str) -> set[str]:
        hit = self._instances.get(cls)
        if hit is None:
            up = self.classes.superclasses
            hit = self._instances[cls] = {s for s, t in self.by_p.get(_TYPE, ()) if cls in up(t)}
        return hit


_EMPTY: list[str] = []
Check = Callable[[Data, str, list[str]], list[str]]   # returns the offending value nodes (or [focus])


@dataclass(slots=True)
class Shape:
    node: str                                                    # the shape's IRI (or blank node id)
    path: str | None = None                                      # an N-Triples IRI term
    inverse: bool = False
    severity: str = str(SH.Violation)
    message: str | None = None
    targets: list[tuple[URIRef, str]] = field(default_factory=list)
    min_count: int = 0
    max_count: int | None = None
    value_checks: list[Check] = field(default_factory=list)     # per value node
    count_checks: list[Check] = field(default_factory=list)     # other checks on the value set as a whole
    properties: list[Shape] = field(default_factory=list)

    def values(self, data: Data, focus: str) -> list[str]:
        if self.path is None:
            return [focus]
        return data.subjects(self.path, focus) if self.inverse else data.objects(focus, self.path)

    def focus_nodes(self, data: Data) -> set[str]:
        out: set[str] = set()
        for kind, arg in self.targets:
            if kind == SH.targetClass:
                out |= data.instances(arg)
            elif kind == SH.targetNode:
                if arg in data.out or arg in data.inv:
                    out.add(arg)
            elif kind == SH.targetSubjectsOf:
                out.update(s for s, _ in data.by_p.get(arg, ()))
            else:
                out.update(o for _, o in data.by_p.get(arg, ()))
        return out

    def validate(self, data: Data, focus: str, results: list[Result] | None) -> bool:
        """Check ``focus``; append results when ``results`` is a list, else only answer conforms or not."""
        ok = True
        values = self.values(data, focus)
        path = self.path[1:-1] if self.path else None
        n = len(values)
        over = self.max_count is not None and n > self.max_count and len(set(values)) > self.max_count
        if n < self.min_count or over:
            ok = False
            if results is None:
                return False
            results.append(Result(self.severity, focus, path, self.message, self.node))
        if n == 0 and not self.count_checks:
            return ok
        for check in self.count_checks:
            if check(data, focus, values):
                ok = False
                if results is None:
                    return False
                results.append(Result(self.severity, focus, path, self.message, self.node))
        for check in self.value_checks:
            for value in check(data, focus, values):
                ok = False
                if results is None:
                    return False
                results.append(Result(self.severity, focus, path, self.message, self.node, value))
        for prop in self.properties:
            for value in values:
                if not prop.validate(data, value, results):
                    ok = False
                    if results is None:
                        return False
        return ok


class Shapes:
    """The compiled shapes of a SHACL shapes graph."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._compiled: dict[Node, Shape] = {}
        # A shape is anything typed as one or anything with a target (SHACL 2.1).
        roots = {s for t in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, t)}
        roots |= {s for p in TARGETS for s in graph.subjects(p, None)}
        self.roots = [self.compile(s) for s in sorted(roots, key=str) if self._targets(s) and not self._deactivated(s)]
        # What Data must index by predicate: rdf:type and the predicates of subject/object targets.
        self.target_predicates = frozenset({_TYPE, *(arg for r in self.roots for kind, arg in r.targets
                                                     if kind in (SH.targetSubjectsOf, SH.targetObjectsOf))})

    def _deactivated(self, s: Node) -> bool:
        return self.g.value(s, SH.deactivated) == Literal(True)

    def _targets(self, s: Node) -> list[tuple[URIRef, str]]:
        return [(p, from_rdflib_term(o)) for p in TARGETS for o in self.g.objects(s, p)]

    def compile(self, s: Node) -> Shape:
        hit = self._compiled.get(s)
        if hit is not None:
            return hit
        g = self.g
        if self._deactivated(s):
            # Every node conforms to a deactivated shape, wherever it is used (sh:node, sh:or, ...).
            shape = self._compiled[s] = Shape(str(s) if isinstance(s, URIRef) else f"_:{s}")
            return shape
        for p in set(g.predicates(s)):
            if p not in SUPPORTED and p not in IGNORED:
                raise ShapesError(f"shape {s} uses {p}, which kg.shacl does not implement")
        shape = self._compiled[s] = Shape(str(s) if isinstance(s, URIRef) else f"_:{s}")
        path = g.value(s, SH.path)
        if isinstance(path, URIRef):
            shape.path = f"<{path}>"
        elif isinstance(path, BNode) and isinstance(g.value(path, SH.inversePath), URIRef):
            shape.path, shape.inverse = f"<{g.value(path, SH.inversePath)}>", True
        elif path is not None:
            raise ShapesError(f"shape {s}: only predicate and inverse paths are supported")
        shape.severity = str(g.value(s, SH.severity) or SH.Violation)
        messages = list(g.objects(s, SH.message))
        english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
        shape.message = str((english or messages)[0]) if messages else None
        shape.targets = self._targets(s)
        self._constraints(s, shape)
        shape.properties = [self.compile(p) for p in g.objects(s, SH.property) if not self._deactivated(p)]
        return shape

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.g, head))

    def _constraints(self, s: Node, shape: Shape) -> None:
        g, value, count = self.g, shape.value_checks, shape.count_checks
        n = g.value(s, SH.minCount)
        if n is not None:
            shape.min_count = int(n)
        n = g.value(s, SH.maxCount)
        if n is not None:
            shape.max_count = int(n)
        for dt in g.objects(s, SH.datatype):
            value.append(_each(lambda d, x, dt=f"<{dt}>": _has_datatype(x, dt)))
        for cls in g.objects(s, SH["class"]):
            value.append(_each(lambda d, x, cls=from_rdflib_term(cls): d.is_instance(x, cls)))
        for kind in g.objects(s, SH.nodeKind):
            if kind not in _KINDS:
                raise ShapesError(f"shape {s}: unknown sh:nodeKind {kind}")
            value.append(_each(lambda d, x, kinds=_KINDS[kind]: _kind(x) in kinds))
        for head in g.objects(s, SH["in"]):
            allowed = frozenset(from_rdflib_term(m) for m in self._list(head))
            value.append(_each(lambda d, x, allowed=allowed: x in allowed))
        for hv in g.objects(s, SH.hasValue):
            count.append(lambda d, f, v, hv=from_rdflib_term(hv): [] if hv in v else [f])
        for pattern in g.objects(s, SH.pattern):
            flags = str(g.value(s, SH.flags) or "")
            rx = re.compile(str(pattern), (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0)
                            | (re.DOTALL if "s" in flags else 0) | (re.VERBOSE if "x" in flags else 0))
            value.append(_each(lambda d, x, rx=rx: _kind(x) != "B" and rx.search(_text(x)) is not None))
        bounds = ((SH.minInclusive, "ge"), (SH.maxInclusive, "le"), (SH.minExclusive, "gt"), (SH.maxExclusive, "lt"))
        for p, op in bounds:
            for bound in g.objects(s, p):
                value.append(_each(lambda d, x, b=from_rdflib_term(bound), op=op: _compare(x, b, op)))
        for p, op in ((SH.minLength, "ge"), (SH.maxLength, "le")):
            for n2 in g.objects(s, p):
                value.append(_each(lambda d, x, size=int(n2), op=op: _kind(x) != "B"
                                   and (len(_text(x)) >= size if op == "ge" else len(_text(x)) <= size)))
        for other in g.objects(s, SH.lessThan):
            value.append(lambda d, f, v, other=f"<{other}>": [x for x in v for y in d.objects(f, other)
                                                               if not _compare(x, y, "lt")])
        for head in g.objects(s, SH["or"]):
            members = [self.compile(m) for m in self._list(head)]
            value.append(_each(lambda d, x, members=members: any(m.validate(d, x, None) for m in members)))
        for inner in g.objects(s, SH["not"]):
            value.append(_each(lambda d, x, negated=self.compile(inner): not negated.validate(d, x, None)))
        for inner in g.objects(s, SH.node):
            value.append(_each(lambda d, x, nested=self.compile(inner): nested.validate(d, x, None)))
        qvs = g.value(s, SH.qualifiedValueShape)
        if qvs is not None:
            qualified = self.compile(qvs)
            low_q, high_q = g.value(s, SH.qualifiedMinCount), g.value(s, SH.qualifiedMaxCount)

            def qualified_count(d: Data, f: str, v: list[str]) -> list[str]:
                n_ok = sum(1 for x in set(v) if qualified.validate(d, x, None))
                if low_q is not None and n_ok < int(low_q) or high_q is not None and n_ok > int(high_q):
                    return [f]
                return []
            count.append(qualified_count)

    def validate(self, data: Data) -> list[Result]:
        results: list[Result] = []
        for shape in self.roots:
            for focus in shape.focus_nodes(data):
                shape.validate(data, focus, results)
        return distinct(results)


def _each(ok: Callable[[Data, str], bool]) -> Check:
    def check(d: Data, f: str, values: list[str]) -> list[str]:
        return [x for x in values if not ok(d, x)]
    return check


def _kind(x: str) -> str:
    return "I" if x.startswith("<") else "B" if x.startswith("_:") else "L"


def _text(x: str) -> str:
    """The string value SPARQL's str() gives: an IRI without brackets, a literal's lexical form."""
    if x.startswith("<"):
        return x[1:-1]
    lit = parse_literal(x)
    return lit.lexical if lit else x


def _has_datatype(x: str, dt: str) -> bool:
    lit = parse_literal(x)
    if lit is None or lit.datatype != dt:
        return False
    rx = _LEXICAL.get(dt)
    if rx is not None and rx.fullmatch(lit.lexical) is None:
        return False
    if dt in (_DATE, _DATETIME):
        return _when(lit.lexical, dt) is not None
    return True


def _when(lexical: str, dt: str) -> date | datetime | None:
    try:
        if dt == _DATE:
            return date.fromisoformat(lexical[:10])
        return datetime.fromisoformat(lexical.replace("Z", "+00:00"))
    except ValueError:
        return None


def _value(x: str) -> Any:
    lit = parse_literal(x)
    if lit is None or lit.datatype == RDF_LANGSTRING:
        return None
    if lit.datatype in _NUMERIC:
        try:
            return Decimal(lit.lexical)
        except InvalidOperation:
            return None
    if lit.datatype in (_DATE, _DATETIME):
        return _when(lit.lexical, lit.datatype)
    return None


def _compare(x: str, bound: str, op: str) -> bool:
    a, b = _value(x), _value(bound)
    if a is None or b is None:
        return False
    try:
        return {"ge": a >= b, "le": a <= b, "gt": a > b, "lt": a < b}[op]
    except TypeError:
        return False


def distinct(results: Sequence[Result]) -> list[Result]:
    seen, out = set(), []
    for r in results:
        key = (r.severity, r.focus, r.path, r.shape, r.value)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
