"""A query worker: a process of its own holding a read-only view of the store.

Queries run here so that a timeout can really stop one (the server kills the process) without
blocking anything else. Frames on stdin/stdout: one type byte, a 4-byte big-endian length, a payload.
Requests are pickled dicts; answers are

- ``R`` meta + whole body (the answer fitted in one chunk), or ``H`` meta, then ``D`` chunks, then ``E``;
- ``X`` (status, message) before any output; ``A`` message if the output broke off;
- ``K`` once started (sandboxed, store open), ``F`` message if it could not start.

A worker cannot open a network socket (kg.sandbox) and its address space is capped, so neither a
federated query nor a runaway one can reach another host or exhaust the machine.
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import pickle
import struct
import sys
from typing import IO, Any

import pyoxigraph as ox

from api.dumpwriter import write_dump
from api.formats import RDF_FORMATS, RESULT_FORMATS
from api.results import WRITERS, Unrepresentable
from api.sparqltext import Refused, TooDeep, first_line, inspect_query, refuse_fetching
from kg.sandbox import SandboxError, deny_network, die_with_parent, limit_memory
from kg.setquery import distinct_matches, query_form
from kg.snapshots import View
from kg.sparqlhttp import is_url
from kg.store import StoreError

CHUNK = 256 * 1024
FRAME = struct.Struct(">cI")


def write_frame(out: IO[bytes], kind: bytes, payload: bytes = b"") -> None:
    out.write(FRAME.pack(kind, len(payload)))
    out.write(payload)
    out.flush()


def read_frame(inp: IO[bytes]) -> tuple[bytes, bytes]:
    head = inp.read(FRAME.size)
    if len(head) < FRAME.size:
        raise EOFError
    kind, size = FRAME.unpack(head)
    return kind, inp.read(size)


class Output:
    """A file-like sink: buffers the first chunk so that small answers travel as one frame."""

    def __init__(self, out: IO[bytes], meta: dict[str, Any]) -> None:
        self.out = out
        self.meta = meta
        self.buf = bytearray()
        self.started = False

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self._send()
        return len(data)

    def flush(self) -> None:
        pass

    def _send(self) -> None:
        if not self.started:
            write_frame(self.out, b"H", pickle.dumps(self.meta))
            self.started = True
        write_frame(self.out, b"D", bytes(self.buf))
        self.buf.clear()

    def close(self) -> None:
        if self.started:
            if self.buf:
                self._send()
            write_frame(self.out, b"E")
        else:
            write_frame(self.out, b"R", pickle.dumps((self.meta, bytes(self.buf))))


class Worker:
    def __init__(self, path: str, out: IO[bytes], base: str = "") -> None:
        self.path = path
        self.out = out
        self.base = base
        self.reopen()

    store: Any    # ox.Store, or a remote store's kg.remoteview.RemoteView

    def reopen(self) -> None:
        if is_url(self.path):       # one view for the worker's life: it reads the store as of each request
            if not hasattr(self, "store"):
                from api.storelink import child_store
                self.store = child_store(self.path, self.base).ox
            return
        self.view = View(self.path)
        self.store = self.view.ox

    def handle(self, req: dict[str, Any]) -> None:
        op = req["op"]
        out = Output(self.out, {})
        try:
            if not is_url(self.path) and self.view.stale:
                self.reopen()
            if op == "query":
                self._retrying(lambda: self.query(req, out), out)
            elif op == "dump":
                self.dump(req, out)
            else:
                raise ValueError(f"unknown operation {op!r}")
        except (Refused, TooDeep) as exc:
            self._fail(out, 400, str(exc))
        except (NotAcceptableHere, Unrepresentable) as exc:
            self._fail(out, 406, str(exc))
        except SyntaxError as exc:
            self._fail(out, 400, f"SPARQL syntax error: {first_line(str(exc))}")
        except MemoryError:
            self._fail(out, 503, "the query needed more memory than a query may use, and was stopped")
        except StoreError as exc:
            self._fail(out, *store_status(exc))
        except (ValueError, TypeError) as exc:
            self._fail(out, 400, f"cannot evaluate the query: {exc}")
        except (OSError, RuntimeError) as exc:
            if "is not supported" in str(exc):      # pyoxigraph on a function it does not have: the query's fault
                self._fail(out, 400, f"cannot evaluate the query: {first_line(str(exc))}")
            else:
                self._fail(out, 500, f"query evaluation failed: {exc}")
        else:
            out.close()

    def _retrying(self, run: Any, out: Output) -> None:
        # A view of the live store (no server's writer running yet) can lose a file to a compaction.
        try:
            run()
        except (OSError, RuntimeError):
            if out.started:
                raise
            out.buf.clear()
            self.reopen()
            run()

    def _fail(self, out: Output, status: int, message: str) -> None:
        if out.started:
            write_frame(self.out, b"A", message.encode())
        else:
            write_frame(self.out, b"X", pickle.dumps((status, message)))

    def query(self, req: dict[str, Any], out: Output) -> None:
        text = req["query"]
        info = inspect_query(text)      # first: it refuses what nests too deeply for the parsers below
        refuse_fetching(text, update=False)
        kwargs: dict[str, Any] = {"base_iri": req.get("base_iri")}
        if req.get("default_graphs") is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graphs"]]
        if req.get("named_graphs") is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
        # A query's own FROM names its dataset; the union default graph would override it.
        if req.get("union") and not info.has_dataset:
            kwargs["use_default_graph_as_union"] = True
        try:   # a default graph made of several graphs is one graph: each triple matches once (kg.setquery)
            result = self.store.query(distinct_matches(text), **kwargs)
        except SyntaxError:
            result = self.store.query(text, **kwargs)   # errors are reported on the text as sent
        if isinstance(result, ox.QueryBoolean):
            fmt = _format(req, out, "boolean")
            result.serialize(out, RESULT_FORMATS[fmt])
        elif isinstance(result, ox.QuerySolutions):
            fmt = _format(req, out, "solutions")
            cap = req.get("max_rows")
            rows = list(itertools.islice(result, None if cap is None else cap + 1))
            if cap is not None and len(rows) > cap:
                out.meta["truncated"] = cap
                del rows[cap:]
            store_cap = getattr(self.store, "truncated_at", None)   # a remote store's own row limit
            if store_cap is not None and len(rows) >= store_cap:
                out.meta["truncated"] = min(store_cap, out.meta.get("truncated", store_cap))
            WRITERS[fmt]([v.value for v in result.variables], rows, out.write)
        else:
            fmt = _format(req, out, "graph")
            if query_form(text) == "DESCRIBE":   # pyoxigraph describes with each graph's copy of a triple
                result = list(dict.fromkeys(result))
            if fmt in ("nq", "trig"):
                triples = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result)
                ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=req.get("prefixes"))
            elif fmt == "ttl" or isinstance(result, list):   # Turtle with prefixes for people, through Python
                ox.serialize(result, out, RDF_FORMATS[fmt], prefixes=req.get("prefixes") if fmt == "ttl" else None)
            else:                # all in Rust
                result.serialize(out, RDF_FORMATS[fmt])

    def dump(self, req: dict[str, Any], out: Output) -> None:
        write_dump(self.store, req)
        out.meta["kind"] = "file"


def store_status(exc: StoreError) -> tuple[int, str]:
    """A remote store's refusal or failure as this server's answer."""
    status = getattr(exc, "status", 0)
    message = str(exc)
    if status == 503 or any(w in message.lower() for w in ("timed out", "timeout", "execution time")):
        return 503, f"the query timed out at the store (or would have, by its estimate): {message}"
    if status == 404:
        return 404, message
    if 400 <= status < 500:
        return 400, f"the store refused the request: {message}"
    return 502, f"the store failed: {message}" if status else message


class NotAcceptableHere(ValueError):
    """The client accepts no format for the kind of answer this query gives."""


def _format(req: dict[str, Any], out: Output, kind: str) -> str:
    out.meta["kind"] = kind
    fmt: str | None = req["formats"].get(kind)
    if fmt is None:
        raise NotAcceptableHere(req.get("not_acceptable", {}).get(kind, f"no acceptable format for a {kind} answer"))
    return fmt


def start(out: IO[bytes], memory: int) -> bool:
    """Sandbox this process (no network, capped memory); on failure say why on the frame pipe."""
    try:
        deny_network()
        limit_memory(memory)
    except (SandboxError, OSError, ValueError) as exc:
        write_frame(out, b"F", f"cannot sandbox the worker: {exc}".encode())
        return False
    return True


def child(memory: int, pipe_size: int = 0) -> tuple[IO[bytes], IO[bytes]]:
    """A helper process's set-up: its request and frame pipes (a stray print goes to stderr, never into the
    frames), death with its parent, and the sandbox; it exits (3) with an F frame if it cannot be sandboxed."""
    parent = os.getppid()
    fd = os.dup(1)
    if pipe_size:
        with contextlib.suppress(OSError):   # Linux only
            fcntl.fcntl(fd, 1031, pipe_size)   # F_SETPIPE_SZ
    out = os.fdopen(fd, "wb")
    os.dup2(2, 1)
    die_with_parent(parent)
    if not start(out, memory):
        sys.exit(3)
    return sys.stdin.buffer, out


def main() -> None:
    # A bigger pipe means fewer wake-ups for large answers.
    inp, out = child(int(sys.argv[2]) if len(sys.argv) > 2 else 0, pipe_size=1 << 20)
    try:
        worker = Worker(sys.argv[1], out, sys.argv[3] if len(sys.argv) > 3 else "")
    except OSError as exc:   # the store is unreadable, or written by a process that takes no checkpoints
        write_frame(out, b"F", f"cannot read the store: {first_line(str(exc))}".encode())
        sys.exit(3)
    write_frame(out, b"K")
    while True:
        try:
            kind, payload = read_frame(inp)
        except EOFError:
            return
        worker.handle(pickle.loads(payload))


if __name__ == "__main__":
    main()
