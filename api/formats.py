"""The media types the server speaks, in its order of preference, and their pyoxigraph formats."""
from __future__ import annotations

import pyoxigraph as ox

from kg.namespaces import PREFIXES

PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
# The JSON-LD context of every JSON-LD document the server writes (embedded, so that any loader reads it as is;
# also published at /context.jsonld): the prefixes, each a term that compact IRIs use.
JSONLD_CONTEXT: dict[str, object] = {"@version": 1.1, **PREFIX_MAP}
# What the server's own JSON-LD documents are served as: they follow the JSON-LD streaming profile's key order.
# Unquoted, as the JSON-LD Streaming note writes it and as Comunica's parser reads it (a quoted value it ignores,
# and it then buffers the whole document: minutes for the dump instead of seconds).
JSONLD_STREAMING = "application/ld+json; profile=http://www.w3.org/ns/json-ld#streaming"

# SELECT results: media type -> short name (the name the worker uses).
SOLUTIONS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
BOOLEAN: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "application/json": "json",
    "application/xml": "xml",
}
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}

# RDF graphs and datasets: media type -> short name.
GRAPH: dict[str, str] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/n-quads": "nq",
    "application/trig": "trig",
    "text/plain": "nt",
    "application/json": "jsonld",      # a JSON client gets JSON-LD (served as application/ld+json)
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}
MEDIA: dict[str, str] = {
    "ttl": "text/turtle; charset=utf-8", "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json", "nq": "application/n-quads", "trig": "application/trig; charset=utf-8",
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
}
