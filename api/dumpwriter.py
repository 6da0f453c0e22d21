"""Whole-dataset downloads, written to a file by a worker process straight from the store, graph by graph.

Triple formats (N-Triples, Turtle) carry the union of all graphs as one graph, each triple once however many
graphs state it (kg.merge); N-Quads and TriG keep the graphs; JSON-LD keeps the graphs too, compacted with the
context it embeds (the one published at /context.jsonld).
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

import pyoxigraph as ox

from kg.merge import graphs, merged, write_ntriples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Gzip:
    """A write-only gzip member over another file-like object."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.z = zlib.compressobj(6, zlib.DEFLATED, 31)

    def write(self, data: bytes) -> int:
        self.out.write(self.z.compress(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.out.write(self.z.flush())


def write_dump(store: ox.Store, req: dict[str, Any]) -> None:
    """Write the dump ``req["name"]`` (nt, nt.gz, nq.gz, trig, ttl, jsonld) to the file ``req["path"]``."""
    with open(req["path"], "wb", buffering=1 << 20) as out:
        _write(store, req["name"], req["prefixes"], req["context"], out)


def _write(store: ox.Store, name: str, prefixes: dict[str, str], context: dict[str, Any], out: IO[bytes]) -> None:
    sink: Any = Gzip(out) if name.endswith(".gz") else out
    kind = name.removesuffix(".gz")
    if kind == "nt":
        write_ntriples(store, sink)
    elif kind == "nq":
        store.dump(sink, ox.RdfFormat.N_QUADS)
    elif kind == "trig":
        store.dump(sink, ox.RdfFormat.TRIG, prefixes=prefixes)
    elif kind == "ttl":
        ox.serialize(merged(store), sink, ox.RdfFormat.TURTLE, prefixes=prefixes)
    elif kind == "jsonld":
        write_jsonld(store, prefixes, context, sink)
    else:
        raise ValueError(f"no dump named {name!r}")
    if isinstance(sink, Gzip):
        sink.close()


class Compactor:
    """IRIs to compact IRIs (``prefix:local``) with the published context's prefixes, longest first."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.cache: dict[str, str] = {}

    def iri(self, value: str) -> str:
        got = self.cache.get(value)
        if got is None:
            got = value
            for prefix, ns in self.prefixes:
                local = value[len(ns):]
                if value.startswith(ns) and local and not local.startswith("//"):
                    got = f"{prefix}:{local}"
                    break
            if len(self.cache) < 100_000:
                self.cache[value] = got
        return got

    def node_ref(self, term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term: Any) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        return {"@id": self.node_ref(term)}

    def nodes(self, quads: Iterator[ox.Quad]) -> list[dict[str, Any]]:
        nodes: dict[Any, dict[str, Any]] = {}
        for q in quads:
            node = nodes.get(q.subject)
            if node is None:
                node = nodes[q.subject] = {"@id": self.node_ref(q.subject)}
            p = q.predicate.value
            if p == RDF_TYPE and not isinstance(q.object, ox.Literal):
                node.setdefault("@type", []).append(self.node_ref(q.object))
            else:
                node.setdefault(self.iri(p), []).append(self.value(q.object))
        # The JSON-LD streaming profile's key order (@type, then @id, then the rest): streaming parsers such as
        # Comunica's read the document in one pass instead of buffering it.
        return [{"@type": n.pop("@type"), **n} if "@type" in n else n for n in nodes.values()]


def write_jsonld(store: ox.Store, prefixes: dict[str, str], context: dict[str, Any], out: Any) -> None:
    c = Compactor(prefixes)
    out.write(b'{"@context":' + json.dumps(context).encode() + b',\n"@graph":[')
    sep = b""
    for g in graphs(store):
        nodes = c.nodes(store.quads_for_pattern(None, None, None, g))
        if not nodes:
            continue
        if isinstance(g, ox.DefaultGraph):
            body = b",".join(json.dumps(n, ensure_ascii=False).encode() for n in nodes)
        else:
            body = (b'{"@id":' + json.dumps(c.node_ref(g)).encode() + b',"@graph":['
                    + b",".join(json.dumps(n, ensure_ascii=False).encode() for n in nodes) + b"]}")
        out.write(sep + body)
        sep = b",\n"
    out.write(b"]}\n")
