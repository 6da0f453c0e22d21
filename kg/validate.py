"""The SHACL gate: every article graph is validated against shapes/ before it is stored.

Each article is checked together with the reference triples its shapes need about the things it links to
(types, ISO codes, names, offices' countries) and the ontology's subclass axioms (so sh:class and
sh:targetClass see subclasses). Two engines run the same shapes: ``fast`` (kg.shacl, the default; ~0.5 ms
an article) and ``pyshacl`` (the reference implementation; ~10 ms an article). One check needs the article
text and runs here in Python for both engines: a span's offsets lie inside the text and its nif:anchorOf
equals the text between them (dipsh:SpanTextShape documents the same check in SPARQL).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg import gazetteer as gz
from kg import shacl
from kg.iris import Minter
from kg.namespaces import DIPSH, NIF, PREFIXES, RDF, RDFS, SH
from kg.rdf import Triple, iri, to_rdflib, value_of
from kg.reference import ReferenceIndex, ontology_graph, reference_graph, shapes_graph
from kg.shared import reference_triples

Engine = TypingLiteral["fast", "pyshacl"]
_BEGIN, _END, _ANCHOR, _CONTEXT, _STRING = (iri(t) for t in (NIF.beginIndex, NIF.endIndex, NIF.anchorOf,
                                                              NIF.referenceContext, NIF.isString))
_VIOLATION, _SPAN_SHAPE = str(SH.Violation), str(DIPSH.SpanTextShape)
SPAN_MESSAGE = "A span's offsets must lie inside its article's text and nif:anchorOf must equal the text between them."


@dataclass(slots=True)
class Result:
    severity: str | None
    focus: str | None
    path: str | None
    message: str | None
    shape: str | None


@dataclass(slots=True)
class Report:
    graph: URIRef
    conforms: bool
    violations: list[Result] = field(default_factory=list)
    warnings: list[Result] = field(default_factory=list)
    text: str = ""

    def to_turtle(self) -> str:
        """The report as a SHACL validation report in Turtle."""
        g = Graph()
        for prefix in ("sh", "dip", "dipsh", "nif", "schema", "xsd"):
            g.bind(prefix, PREFIXES[prefix])
        report = URIRef(f"{self.graph}#validation-report")
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        g.add((report, RDFS.comment, Literal(f"Validation of the article graph <{self.graph}>")))
        for r in self.violations + self.warnings:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            if r.severity:
                g.add((node, SH.resultSeverity, URIRef(r.severity)))
            if r.focus:
                g.add((node, SH.focusNode, URIRef(r.focus) if "://" in r.focus else Literal(r.focus)))
            if r.path:
                g.add((node, SH.resultPath, URIRef(r.path)))
            if r.message:
                g.add((node, SH.resultMessage, Literal(r.message)))
            if r.shape and "://" in r.shape:
                g.add((node, SH.sourceShape, URIRef(r.shape)))
        return g.serialize(format="turtle")


class Validator:
    """Validates article graphs; one Report per item, in order."""

    def __init__(self, minter: Minter, gazetteer: gz.Gazetteer | None = None, engine: Engine = "fast") -> None:
        self.minter = minter
        self.engine = engine
        self.shapes_graph = shapes_graph()
        self.shapes = shacl.Shapes(self.shapes_graph)
        default = gz.load()
        gaz = gazetteer if gazetteer is not None else default
        # The installed gazetteer's reference graph is built once per version (kg.shared); another is built here.
        self.reference = ReferenceIndex(reference_triples(minter) if gaz is default else reference_graph(minter, gaz))
        ontology = ontology_graph()
        self.axioms: list[Triple] = [(iri(s), iri(RDFS.subClassOf), iri(o))
                                     for s, o in ontology.subject_objects(RDFS.subClassOf)
                                     if isinstance(s, URIRef) and isinstance(o, URIRef)]
        self.classes = shacl.Classes((s, o) for s, _, o in self.axioms)

    def data_for(self, triples: Sequence[Triple]) -> list[Triple]:
        """The article's triples with the reference triples its shapes need."""
        linked = {o for _, _, o in triples if o.startswith("<")}
        return [*triples, *self.reference.closure(linked)]

    def validate(self, items: Sequence[tuple[str, Sequence[Triple]]]) -> list[Report]:
        """``items``: (article IRI, its triples) pairs."""
        if self.engine == "pyshacl":
            return [self._report(name, results) for (name, _), results in zip(items, self._pyshacl(items))]
        reports = []
        for name, graph in items:
            triples = self.data_for(graph)
            data = shacl.Data(triples, self.classes, self.shapes.target_predicates)
            results = [_result(r) for r in self.shapes.validate(data)]
            reports.append(self._report(name, results + span_results(triples)))
        return reports

    def _report(self, name: str, results: list[Result]) -> Report:
        violations = [r for r in results if r.severity == _VIOLATION]
        warnings = [r for r in results if r.severity != _VIOLATION]
        ok = not violations
        return Report(URIRef(name), ok, violations, warnings, _text(violations + warnings, ok, name))

    def _pyshacl(self, items: Sequence[tuple[str, Sequence[Triple]]]) -> list[list[Result]]:
        """pySHACL over one data graph per article: the reference engine, for checks and for `--engine pyshacl`."""
        from pyshacl import validate as shacl_validate
        out = []
        for _, graph in items:
            triples = self.data_for(graph)
            data = to_rdflib(triples + self.axioms)
            _, report, _ = shacl_validate(data, shacl_graph=self.shapes_graph, inference="none", inplace=True,
                                          advanced=False, abort_on_first=False, allow_warnings=True,
                                          allow_infos=True, meta_shacl=False)
            out.append(_pyshacl_results(report) + span_results(triples))
        return out


def _result(r: shacl.Result) -> Result:
    return Result(r.severity, value_of(r.focus), r.path, r.message, r.shape)


def _text(results: list[Result], conforms: bool, graph: str) -> str:
    lines = [f"{graph}: {'conforms' if conforms else 'does not conform'}"]
    for r in results:
        kind = (r.severity or "").rsplit("#", 1)[-1]
        lines.append(f"  {kind}: {r.message} [focus {r.focus}, path {r.path}]")
    return "\n".join(lines)


def span_results(triples: Iterable[Triple]) -> list[Result]:
    begins: dict[str, str] = {}
    ends: dict[str, str] = {}
    anchors: dict[str, str] = {}
    contexts: dict[str, str] = {}
    texts: dict[str, str] = {}
    wanted = {_BEGIN: begins, _END: ends, _ANCHOR: anchors, _CONTEXT: contexts, _STRING: texts}
    for s, p, o in triples:
        table = wanted.get(p)
        if table is not None:
            table[s] = o
    out = []
    for span, b in begins.items():
        e, a = ends.get(span), anchors.get(span)
        context = texts.get(contexts.get(span, ""))
        if e is None or a is None or context is None:
            continue  # missing parts are reported by the core shapes
        try:
            begin, end = int(value_of(b)), int(value_of(e))
        except ValueError:
            continue  # a wrong datatype is reported by the core shapes
        text = value_of(context)
        if not 0 <= begin <= end <= len(text):
            out.append(Result(_VIOLATION, value_of(span), str(NIF.endIndex), SPAN_MESSAGE, _SPAN_SHAPE))
        elif text[begin:end] != value_of(a):
            out.append(Result(_VIOLATION, value_of(span), str(NIF.anchorOf), SPAN_MESSAGE, _SPAN_SHAPE))
    return out


def _pyshacl_results(report: Graph) -> list[Result]:
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        def one(p: URIRef, node: Node = node) -> str | None:
            v = report.value(node, p)
            return None if v is None or isinstance(v, BNode) else str(v)
        out.append(Result(one(SH.resultSeverity), one(SH.focusNode), one(SH.resultPath), one(SH.resultMessage),
                          one(SH.sourceShape)))
    return out
