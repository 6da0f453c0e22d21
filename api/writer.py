"""The writer: the one process that opens the store read-write, for every write the server makes.

It runs sandboxed like the query workers (no network socket, capped memory), one job at a time, each
job one transaction; the server kills it when a job outlives its deadline, and the store stays as it
was. Uploaded graphs are parsed here too, so a hostile document costs this process, not the server.
Frames as in api/worker.py: requests are pickled dicts, answers ``R`` (meta, b"") or ``X`` (status,
message).
"""
from __future__ import annotations

import pickle
import re
import sys
from typing import IO, Any

import pyoxigraph as ox

from api.formats import RDF_FORMATS
from api.sparqltext import Refused, TooDeep, first_line, inspect_update, refuse_fetching, with_using
from api.worker import child, read_frame, store_status, write_frame
from kg.iris import Minter
from kg.shared import ensure_shared
from kg.snapshots import take
from kg.sparqlhttp import is_url
from kg.store import Store, StoreError

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class Failed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def graph_name(value: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if value is None else ox.NamedNode(value)


class Writer:
    def __init__(self, path: str, base: str) -> None:
        self.path = path
        self.remote = is_url(path)
        if self.remote:
            from api.storelink import child_store
            self.store: Any = child_store(path, base)
            self.store.ping()
        else:
            self.store = Store(path, Minter(base))
            take(self.store.ox, path)

    def handle(self, req: dict[str, Any]) -> dict[str, Any]:
        """One write, then a checkpoint for the readers (kg.snapshots) before the answer goes out."""
        meta = self._write(req)
        if not self.remote:            # a remote store's readers read the store itself
            take(self.store.ox, self.path)
        return meta

    def _write(self, req: dict[str, Any]) -> dict[str, Any]:
        op = req["op"]
        if op == "update":
            self.update(req["update"], req.get("base_iri"), req.get("using", []), req.get("using_named", []))
            return {}
        if op == "graph":
            name = graph_name(req["graph"])
            quads = parse_graph(req["parts"], name)
            return {"created": self.store.set_graph(name, quads, replace=req["replace"])}
        if op == "drop":
            return {"existed": self.store.drop_graph(graph_name(req["graph"]))}
        if op == "ingest":            # articles as the extractors hand them over: (IRI, N-Triples)
            ensure_shared(self.store)
            outcomes = self.store.write(req["articles"])
            self.store.flush()
            return {"outcomes": outcomes}
        raise Failed(400, f"unknown write {op!r}")

    def update(self, text: str, base_iri: str | None, using: list[str], using_named: list[str]) -> None:
        info = inspect_update(text)
        if using or using_named:
            if info.has_dataset:
                raise Failed(400, "give the dataset either by using-graph-uri/using-named-graph-uri or by "
                                  "USING/WITH in the update, not both")
            refuse_fetching(info.text, update=True, modify_count=len(info.where_positions))
            text = with_using(info, using, using_named)
        else:
            refuse_fetching(text, update=True)
        self.store.update(text, base_iri=base_iri)


def parse_graph(parts: list[tuple[str, bytes, str | None]], name: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """Uploaded documents (format, bytes, base IRI) as quads in graph ``name``; no DTDs, no entities."""
    quads = []
    for fmt, body, base in parts:
        if fmt == "rdfxml" and _DOCTYPE.search(body):
            raise Failed(400, "RDF/XML with a DOCTYPE or ENTITY declaration is not accepted")
        try:
            quads += [ox.Quad(t.subject, t.predicate, t.object, name)
                      for t in ox.parse(body, RDF_FORMATS[fmt], base_iri=base, without_named_graphs=True,
                                        rename_blank_nodes=True)]
        except SyntaxError as exc:
            raise Failed(400, f"cannot parse the graph as {fmt}: {first_line(str(exc))}") from None
    if any(isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple) for q in quads):
        raise Failed(400, "triple terms (RDF 1.2) are not accepted by this Graph Store")
    return quads


def answer(out: IO[bytes], writer: Writer, req: dict[str, Any]) -> None:
    try:
        meta = writer.handle(req)
    except Failed as exc:
        write_frame(out, b"X", pickle.dumps((exc.status, str(exc))))
    except (Refused, TooDeep) as exc:
        write_frame(out, b"X", pickle.dumps((400, str(exc))))
    except SyntaxError as exc:
        write_frame(out, b"X", pickle.dumps((400, f"SPARQL syntax error: {first_line(str(exc))}")))
    except MemoryError:
        write_frame(out, b"X", pickle.dumps((413, "the write needed more memory than a write may use; "
                                                  "nothing was written")))
    except StoreError as exc:
        write_frame(out, b"X", pickle.dumps(store_status(exc)))
    except (OSError, RuntimeError, ValueError) as exc:
        write_frame(out, b"X", pickle.dumps(update_error(exc)))
    else:
        write_frame(out, b"R", pickle.dumps((meta, b"")))


def update_error(exc: Exception) -> tuple[int, str]:
    """An update that parsed but cannot be applied: the client's mistake where oxigraph says so."""
    message = first_line(str(exc))
    if "does not exist" in message:
        return 404, f"the update cannot be applied: {message} (SILENT ignores that)"
    if "already exists" in message:
        return 400, f"the update cannot be applied: {message} (SILENT ignores that)"
    return 500, f"the write failed: {message}"


def main() -> None:
    inp, out = child(int(sys.argv[3]))
    try:
        writer = Writer(sys.argv[1], sys.argv[2])
    except Exception as exc:   # the store is locked by another process, or unreadable: say so, and stop
        write_frame(out, b"F", f"cannot open the store for writing: {first_line(str(exc))}".encode())
        sys.exit(3)
    write_frame(out, b"K")
    while True:
        try:
            kind, payload = read_frame(inp)
        except EOFError:
            return
        answer(out, writer, pickle.loads(payload))


if __name__ == "__main__":
    main()
