"""SPARQL SELECT results written row by row, for the answers whose row count the server must cap.

pyoxigraph's own serializer writes the uncapped answers; these writers exist because it cannot stop
after N rows. Formats: SPARQL 1.1 Query Results JSON, XML, CSV and TSV.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]
Write = Callable[[bytes], object]
_str = json.encoder.encode_basestring  # type: ignore[attr-defined]
BATCH = 2000


class Terms(dict):  # type: ignore[type-arg]
    """Each term rendered once per answer: IRIs and common values recur on most rows."""

    def __init__(self, render: Callable[[object], str]) -> None:
        super().__init__()
        self.render = render

    def __missing__(self, term: object) -> str:
        text = self[term] = self.render(term)
        return text


def _emit(head: str, rows: list[Row], render_row: Callable[[Row], str], tail: str, write: Write) -> None:
    """head, then the rendered rows in batches (few, large writes), then tail."""
    write(head.encode())
    for start in range(0, len(rows), BATCH):
        write("".join(map(render_row, rows[start:start + BATCH])).encode())
    write(tail.encode())


def _json_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f'{{"type":"uri","value":{_str(t.value)}}}'
    if isinstance(t, ox.Literal):
        if t.language:
            return f'{{"type":"literal","value":{_str(t.value)},"xml:lang":{_str(t.language)}}}'
        dt = t.datatype.value
        if dt == XSD_STRING:
            return f'{{"type":"literal","value":{_str(t.value)}}}'
        return f'{{"type":"literal","value":{_str(t.value)},"datatype":{_str(dt)}}}'
    if isinstance(t, ox.BlankNode):
        return f'{{"type":"bnode","value":{_str(t.value)}}}'
    if isinstance(t, ox.Triple):
        return (f'{{"type":"triple","value":{{"subject":{_json_term(t.subject)},'
                f'"predicate":{_json_term(t.predicate)},"object":{_json_term(t.object)}}}}}')
    raise TypeError(f"not an RDF term: {t!r}")


def write_json(variables: list[str], rows: list[Row], write: Write) -> None:
    keys = [_str(v) + ":" for v in variables]
    terms = Terms(_json_term)

    def row(r: Row) -> str:
        return "{" + ",".join(k + terms[t] for k, t in zip(keys, r) if t is not None) + "},"

    head = '{"head":{"vars":[' + ",".join(_str(v) for v in variables) + ']},"results":{"bindings":['
    if not rows:
        write((head + "]}}").encode())
        return
    _emit(head, rows[:-1], row, "", write)
    write((row(rows[-1])[:-1] + "]}}").encode())


def escape(text: str) -> str:
    return _escape(text, {'"': "&quot;"})


def _xml_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        dt = t.datatype.value
        if dt == XSD_STRING:
            return f"<literal>{escape(t.value)}</literal>"
        return f"<literal datatype={quoteattr(dt)}>{escape(t.value)}</literal>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
                f"</predicate><object>{_xml_term(t.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {t!r}")


# Characters XML 1.0 cannot carry, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Unrepresentable(ValueError):
    pass


def _xml_safe(rows: list[Row]) -> None:
    for r in rows:
        for t in r:
            text = t.value if isinstance(t, ox.Literal | ox.NamedNode | ox.BlankNode) else str(t) if t else ""
            if (m := _NOT_XML.search(text)) is not None:
                raise Unrepresentable(f"the answer holds the character U+{ord(m.group()):04X}, which XML 1.0 cannot "
                                      "carry: ask for application/sparql-results+json, text/csv or TSV")


def write_xml(variables: list[str], rows: list[Row], write: Write) -> None:
    _xml_safe(rows)
    names = [f"<binding name={quoteattr(v)}>" for v in variables]
    terms = Terms(_xml_term)

    def row(r: Row) -> str:
        cells = "".join(n + terms[t] + "</binding>" for n, t in zip(names, r) if t is not None)
        return "<result>" + cells + "</result>"

    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    _emit(f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
          "<results>", rows, row, "</results></sparql>", write)


def _csv_cell(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        value = f"_:{t.value}"
    elif isinstance(t, (ox.NamedNode, ox.Literal)):
        value = t.value
    else:
        value = str(t)
    if any(c in value for c in '",\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(variables: list[str], rows: list[Row], write: Write) -> None:
    terms = Terms(_csv_cell)
    _emit(",".join(variables) + "\r\n", rows, lambda r: ",".join(terms[t] for t in r) + "\r\n", "", write)


def write_tsv(variables: list[str], rows: list[Row], write: Write) -> None:
    terms = Terms(lambda t: "" if t is None else str(t))
    _emit("\t".join(f"?{v}" for v in variables) + "\n", rows, lambda r: "\t".join(terms[t] for t in r) + "\n", "",
          write)


WRITERS: dict[str, Callable[[list[str], list[Row], Write], None]] = {
    "json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv,
}
