"""Reads the W3C SPARQL 1.1 protocol and Graph Store manifests (copied in tests/api/w3c/) into runnable steps."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

W3C = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: list[str]                      # "2xx", "201", ...
    expected_format: str | None = None
    expected_boolean: bool | None = None
    expected_body: tuple[str, str] | None = None   # (content type, text)
    location_var: str | None = None

    @property
    def is_update(self) -> bool:
        ctype = self.headers.get("content-type", "")
        return self.method == "POST" and (ctype.startswith("application/sparql-update")
                                          or (self.body or b"").startswith(b"update="))


@dataclass
class Case:
    name: str
    steps: list[Step]
    requires: list[str] = field(default_factory=list)


def _status(node: URIRef) -> str:
    local = str(node).rsplit("#", 1)[-1]
    if local.startswith("StatusCode"):
        return local[len("StatusCode"):]
    return str(STATUS[local])


def load(manifest: Path) -> list[Case]:
    g = Graph()
    g.parse(manifest, format="turtle")
    entries = next(g.objects(None, MF.entries))
    cases = []
    for test in Collection(g, entries):
        requests = g.value(g.value(test, MF.action), HT.requests)
        steps = []
        for req in Collection(g, requests):
            headers = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                       for h in Collection(g, g.value(req, HT.headers))} if g.value(req, HT.headers) else {}
            body = None
            if (b := g.value(req, HT.body)) is not None:
                charset = re.search(r"charset=([\w-]+)", headers.get("content-type", ""))
                body = str(g.value(b, CNT.chars)).encode(charset.group(1) if charset else "utf-8")
            resp = g.value(req, HT.resp)
            expected_body = None
            if (rb := g.value(resp, HT.body)) is not None:
                rh = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                      for h in Collection(g, g.value(resp, HT.headers))}
                expected_body = (rh.get("content-type", "text/turtle"), str(g.value(rb, CNT.chars)))
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            location = g.value(resp, MF.expectedLocation)
            steps.append(Step(
                str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)), headers, body,
                sorted(_status(s) for s in g.objects(resp, MF.expectedStatus)),
                str(fmt) if fmt is not None else None, bool(boolean.toPython()) if boolean is not None else None,
                expected_body, str(location) if location is not None else None))
        requires = [str(r).rsplit("#", 1)[-1] for r in g.objects(test, MF.requires)]
        cases.append(Case(str(test).rsplit("#", 1)[-1], steps, requires))
    return cases


def status_ok(status: int, expected: list[str]) -> bool:
    return not expected or any(str(status) == e or (e.endswith("xx") and str(status)[0] == e[0]) for e in expected)


def check_body(step: Step, r: httpx.Response) -> str | None:
    """Why the response does not carry what the step expects, or None."""
    ctype = r.headers.get("content-type", "").split(";")[0].strip()
    if step.expected_format == "boolean":
        if ctype == "application/sparql-results+json":
            value = json.loads(r.text).get("boolean")
        elif ctype == "application/sparql-results+xml":
            node = ET.fromstring(r.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
            value = None if node is None else node.text == "true"
        else:
            return f"boolean answer as {ctype}"
        if step.expected_boolean is not None and value is not step.expected_boolean:
            return f"expected {step.expected_boolean}, got {value}"
    elif step.expected_format == "tabular" and ctype not in TABULAR:
        return f"tabular answer as {ctype}"
    elif step.expected_format == "RDF":
        if ctype not in RDF_TYPES:
            return f"RDF answer as {ctype}"
        list(ox.parse(r.content, RDF_TYPES[ctype]))
    if step.expected_body is not None:
        expected = Graph().parse(data=step.expected_body[1], format="turtle")
        got = Graph().parse(data=r.text, format="turtle" if ctype == "text/turtle" else ctype)
        if not isomorphic(expected, got):
            return "the graph differs from the expected one"
    return None
