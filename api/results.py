"""SPARQL SELECT results written row by row, for the answers whose row count the server must cap.

pyoxigraph's own serializer writes the uncapped answers; these writers exist because it cannot stop
after N rows. Formats: SPARQL 1.1 Query Results JSON, XML, CSV and TSV.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]
_str = json.encoder.encode_basestring  # type: ignore[attr-defined]


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


def write_json(variables: list[str], rows: list[Row], write: Callable[[bytes], object]) -> None:
    keys = [_str(v) for v in variables]
    write(f'{{"head":{{"vars":[{",".join(keys)}]}},"results":{{"bindings":['.encode())
    sep = ""
    for row in rows:
        cells = ",".join(f"{k}:{_json_term(t)}" for k, t in zip(keys, row) if t is not None)
        write(f"{sep}{{{cells}}}".encode())
        sep = ","
    write(b"]}}")


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


def write_xml(variables: list[str], rows: list[Row], write: Callable[[bytes], object]) -> None:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    write(f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
          "<results>".encode())
    names = [quoteattr(v) for v in variables]
    for row in rows:
        cells = "".join(f"<binding name={n}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t is not None)
        write(f"<result>{cells}</result>".encode())
    write(b"</results></sparql>")


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


def write_csv(variables: list[str], rows: list[Row], write: Callable[[bytes], object]) -> None:
    write((",".join(variables) + "\r\n").encode())
    for row in rows:
        write((",".join(_csv_cell(t) for t in row) + "\r\n").encode())


def write_tsv(variables: list[str], rows: list[Row], write: Callable[[bytes], object]) -> None:
    write(("\t".join(f"?{v}" for v in variables) + "\n").encode())
    for row in rows:
        write(("\t".join("" if t is None else str(t) for t in row) + "\n").encode())


WRITERS: dict[str, Callable[[list[str], list[Row], Callable[[bytes], object]], None]] = {
    "json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv,
}
