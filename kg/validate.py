"""The SHACL gate: article graphs are validated in batches against shapes/ before they are stored.

One pySHACL run covers a whole batch: the article graphs, plus only those reference triples the shapes
need about the things they link to (types, ISO codes, names, offices' countries), plus the ontology's
subclass axioms (so sh:class and sh:targetClass see subclasses). Results are split back per article by
focus node. Two checks need the article text and run here in Python rather than as SPARQL constraints
(~5 ms per focus node in pySHACL): a span's offsets lie inside the text, and its nif:anchorOf equals the
text between them (dipsh:SpanTextShape documents the same check in SPARQL).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg import gazetteer as gz
from kg.iris import Minter
from kg.model import EVENT_TYPES as EVENT_TYPE_NAMES
from kg.namespaces import DIP, DIPSH, NIF, ORG, PREFIXES, RDF, RDFS, SCHEMA, SEM, SH
from kg.reference import ReferenceIndex, ontology_graph, reference_graph, shapes_graph

EVENT_TYPES = frozenset(DIP[t] for t in EVENT_TYPE_NAMES)
# Predicates whose subject (or object, for the second set) is an event.
EVENT_SUBJECT_OF = frozenset({SEM.hasActor, DIP.participation, DIP.eventDate})
EVENT_OBJECT_OF = frozenset({DIP.mainEvent, DIP.signedAt, DIP.inEvent})
EVENT_MESSAGE = ("An event must have one of the event types Visit, Meeting, PhoneCall, Summit, AgreementSigning, "
                 "JointStatement, Statement, CooperationCommitment, Sanction, Protest.")
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
            if r.shape:
                g.add((node, SH.sourceShape, URIRef(r.shape)))
        return g.serialize(format="turtle")


def _text(results: list[Result], conforms: bool, graph: URIRef) -> str:
    lines = [f"{graph}: {'conforms' if conforms else 'does not conform'}"]
    for r in results:
        kind = (r.severity or "").rsplit("#", 1)[-1]
        lines.append(f"  {kind}: {r.message} [focus {r.focus}, path {r.path}]")
    return "\n".join(lines)


class Validator:
    """Validates article graphs in batches; one Report per item, in order."""

    def __init__(self, minter: Minter, gazetteer: gz.Gazetteer | None = None) -> None:
        self.minter = minter
        self.shapes = shapes_graph()
        gaz = gazetteer if gazetteer is not None else gz.load()
        self.reference = ReferenceIndex(reference_graph(minter, gaz))
        ontology = ontology_graph()
        self.axioms = [(s, RDFS.subClassOf, o) for s, o in ontology.subject_objects(RDFS.subClassOf)
                       if isinstance(s, URIRef) and isinstance(o, URIRef)]

    def validate(self, items: Sequence[tuple[URIRef, Graph]]) -> list[Report]:
        if not items:
            return []
        data = Graph()
        add = data.add
        for t in self.axioms:
            add(t)
        owners: dict[Node, set[int]] = {}
        linked: dict[Node, set[int]] = {}
        extra: list[list[Result]] = []
        for i, (_, graph) in enumerate(items):
            begins: dict[Node, Node] = {}
            ends: dict[Node, Node] = {}
            anchors: dict[Node, Node] = {}
            contexts: dict[Node, Node] = {}
            texts: dict[Node, str] = {}
            events: set[Node] = set()
            typed: dict[Node, bool] = {}
            for t in graph:
                add(t)
                s, p, o = t
                owners.setdefault(s, set()).add(i)
                if isinstance(o, URIRef):
                    linked.setdefault(o, set()).add(i)
                if p == NIF.beginIndex:
                    begins[s] = o
                elif p == NIF.endIndex:
                    ends[s] = o
                elif p == NIF.anchorOf:
                    anchors[s] = o
                elif p == NIF.referenceContext:
                    contexts[s] = o
                elif p == NIF.isString:
                    texts[s] = str(o)
                elif p == RDF.type:
                    typed[s] = typed.get(s, False) or o in EVENT_TYPES
                if p in EVENT_SUBJECT_OF:
                    events.add(s)
                elif p in EVENT_OBJECT_OF:
                    events.add(o)
            results = _span_results(begins, ends, anchors, contexts, texts)
            results += [Result(str(SH.Violation), str(e), str(RDF.type), EVENT_MESSAGE, str(DIPSH["DiplomaticEvent-type"]))
                        for e in sorted(events) if not typed.get(e, False)]
            extra.append(results)
        self._add_reference(data, linked, owners)
        conforms, report, _ = shacl_validate(
            data, shacl_graph=self.shapes, inference="none", inplace=True, advanced=False,
            abort_on_first=False, allow_warnings=True, allow_infos=True, meta_shacl=False,
        )
        per_item: list[list[Result]] = [list(e) for e in extra]
        if not conforms or len(report) > 2:
            for r in _results(report):
                focus = URIRef(r.focus) if r.focus and "://" in r.focus else None
                for i in owners.get(focus, set()) or linked.get(focus, set()):
                    per_item[i].append(r)
        reports = []
        for (iri, _), results in zip(items, per_item):
            violations = [r for r in results if r.severity == str(SH.Violation)]
            warnings = [r for r in results if r.severity != str(SH.Violation)]
            ok = not violations
            reports.append(Report(iri, ok, violations, warnings, _text(violations + warnings, ok, iri)))
        return reports

    def _add_reference(self, data: Graph, linked: dict[Node, set[int]], owners: dict[Node, set[int]]) -> None:
        for t in self.reference.closure(linked):
            data.add(t)


def _span_results(begins: dict, ends: dict, anchors: dict, contexts: dict, texts: dict[Node, str]) -> list[Result]:
    out = []
    for span, b in begins.items():
        e, a = ends.get(span), anchors.get(span)
        text = texts.get(contexts.get(span))
        if e is None or a is None or text is None:
            continue  # missing parts are reported by the core shapes
        try:
            begin, end = int(b), int(e)
        except (TypeError, ValueError):
            continue  # a wrong datatype is reported by the core shapes
        if not 0 <= begin <= end <= len(text):
            out.append(Result(str(SH.Violation), str(span), str(NIF.endIndex), SPAN_MESSAGE, str(DIPSH.SpanTextShape)))
        elif text[begin:end] != str(a):
            out.append(Result(str(SH.Violation), str(span), str(NIF.anchorOf), SPAN_MESSAGE, str(DIPSH.SpanTextShape)))
    return out


def _results(report: Graph) -> list[Result]:
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        def one(p: URIRef, node: Node = node) -> str | None:
            v = report.value(node, p)
            return None if v is None or isinstance(v, BNode) else str(v)
        out.append(Result(one(SH.resultSeverity), one(SH.focusNode), one(SH.resultPath), one(SH.resultMessage),
                          one(SH.sourceShape)))
    return out
