"""An extractor: a process of its own that reads, extracts, builds and validates posted articles.

It runs sandboxed like the query workers (no network socket, capped memory, killed with the server), and the
server stops it when a batch outlives its deadline: neither a hostile page nor a slow one can cost the event
loop anything. Requests are pickled dicts, one batch each:

- ``{"op": "extract", "items": [(name, bytes, key)]}``: articles given one by one (``POST /articles``);
- ``{"op": "ndjson", "body": bytes}``: one JSON object a line, ``{"name", "text" or "base64", "id"}``;
- ``{"op": "tar", "body": bytes}``: a tar archive, its article files (as ``kg ingest`` picks them in a folder).

The answer (``R`` frame) is ``{"outcomes": [(kg.pipeline.Outcome, N-Triples or None)], "skipped": [names]}``.
Frames as in api/worker.py.
"""
from __future__ import annotations

import base64
import binascii
import io
import json
import pickle
import sys
import tarfile
from pathlib import PurePosixPath
from typing import Any

from api.worker import child, read_frame, write_frame
from kg.pipeline import ARTICLE_SUFFIXES, Outcome, Source, Worker

Item = Source | Outcome            # an article to read, or a line of the batch that is not one


def ndjson_items(body: bytes) -> list[Item]:
    out: list[Item] = []
    for n, line in enumerate(body.split(b"\n"), 1):
        if not line.strip():
            continue
        out.append(_ndjson_item(n, line))
    return out


def _ndjson_item(n: int, line: bytes) -> Item:
    where = f"line {n}"
    try:
        doc = json.loads(line)
    except ValueError as exc:
        return Outcome(where, "unreadable", message=f"{where}: not a JSON object ({exc})")
    if not isinstance(doc, dict):
        return Outcome(where, "unreadable", message=f"{where}: not a JSON object")
    name = doc.get("name") if isinstance(doc.get("name"), str) and doc.get("name") else where
    key = doc.get("id") if isinstance(doc.get("id"), str) else None
    if isinstance(doc.get("text"), str):
        return Source(name, doc["text"].encode("utf-8", "surrogatepass"), key)
    if isinstance(doc.get("base64"), str):
        try:
            return Source(name, base64.b64decode(doc["base64"], validate=True), key)
        except (binascii.Error, ValueError):
            return Outcome(name, "unreadable", message=f"{name}: 'base64' is not base64 ({where})")
    return Outcome(name, "unreadable", message=f"{name}: no 'text' (a string) or 'base64' in {where}")


def tar_items(body: bytes, skipped: list[str]) -> list[Item]:
    out: list[Item] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:") as archive:
            for member in archive:
                path = PurePosixPath(member.name)
                if not member.isfile():
                    continue
                if path.suffix.lower() not in ARTICLE_SUFFIXES or any(p.startswith(".") for p in path.parts):
                    skipped.append(member.name)
                    continue
                data = archive.extractfile(member)
                out.append(Source(member.name, data.read() if data is not None else b""))
    except (tarfile.TarError, EOFError, OSError) as exc:
        out.append(Outcome("(archive)", "unreadable", message=f"the tar archive breaks off or is not one: {exc}"))
    return out


def handle(worker: Worker, req: dict[str, Any]) -> dict[str, Any]:
    skipped: list[str] = []
    op = req["op"]
    if op == "extract":
        items: list[Item] = [Source(name, data, key) for name, data, key in req["items"]]
    elif op == "ndjson":
        items = ndjson_items(req["body"])
    elif op == "tar":
        items = tar_items(req["body"], skipped)
    else:
        raise ValueError(f"unknown operation {op!r}")
    sources = [i for i in items if isinstance(i, Source)]
    done = iter(worker.chunk(sources)[0])
    outcomes = [next(done) if isinstance(i, Source) else (i, None) for i in items]
    return {"outcomes": outcomes, "skipped": skipped}


def main() -> None:
    inp, out = child(int(sys.argv[2]))
    worker = Worker(sys.argv[1])
    write_frame(out, b"K")
    while True:
        try:
            _, payload = read_frame(inp)
        except EOFError:
            return
        try:
            answer = handle(worker, pickle.loads(payload))
        except MemoryError:
            write_frame(out, b"X", pickle.dumps((413, "the articles needed more memory than an extractor may use; "
                                                      "send fewer at a time")))
        except (ValueError, KeyError, TypeError) as exc:
            write_frame(out, b"X", pickle.dumps((400, f"cannot read the batch: {exc}")))
        else:
            write_frame(out, b"R", pickle.dumps((answer, b"")))


if __name__ == "__main__":
    main()
