"""``kg ingest --server URL``: articles sent to a running ``kg serve`` (POST /articles/batch), in batches.

Batches are NDJSON (``{"name", "text" or "base64", "id"}`` a line), a few in flight at once so the server
extracts one while it stores another. A batch the server stops past its deadline is sent again one article
at a time, so the slow article is the only one reported. The outcome is reported as a local ingest's is.
"""
from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kg.config import Settings, max_article_bytes
from kg.pipeline import Outcome, Summary, keep_report, run_name

BATCH = 200                        # articles per request
BATCH_BYTES = 8 * 1024 * 1024      # below the server's default KG_MAX_BODY (10 MiB)
IN_FLIGHT = 3


_Item = tuple[Path, bytes | None, "Outcome | None"]     # a file, its NDJSON line, or why it cannot be sent


class ClientError(Exception):
    """The server cannot be reached, or refuses the requests: nothing more can be sent."""


def _line(path: Path, key: str | None) -> tuple[bytes | None, Outcome | None]:
    limit = max_article_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            return None, Outcome(str(path), "unreadable", message=f"{path}: too large ({size:,} bytes; the limit is "
                                                                   f"{limit:,}, set by KG_MAX_ARTICLE)")
        data = path.read_bytes()
    except OSError as exc:
        return None, Outcome(str(path), "unreadable", message=f"{path}: cannot read: {exc.strerror or exc}")
    doc: dict[str, Any] = {"name": str(path)}
    try:
        doc["text"] = data.decode("utf-8")
    except UnicodeDecodeError:     # the server's reader says what is wrong with it
        doc["base64"] = base64.b64encode(data).decode("ascii")
    if key is not None:
        doc["id"] = key
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n", None


def _batches(paths: list[Path], key: str | None, size: int) -> Iterator[list[_Item]]:
    batch: list[_Item] = []
    total = 0
    for path in paths:
        line, failed = _line(path, key)
        if batch and (len(batch) >= size or total + len(line or b"") > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append((path, line, failed))
        total += len(line or b"")
    if batch:
        yield batch


class Sender:
    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/") + "/articles/batch"
        self.token = token

    def post(self, body: bytes) -> tuple[int, dict[str, Any] | str]:
        req = urllib.request.Request(self.url, body, method="POST", headers={
            "Content-Type": "application/x-ndjson", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=3600) as r:       # noqa: S310 - the user's own server URL
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace").strip()
        except (urllib.error.URLError, OSError) as exc:
            raise ClientError(f"cannot reach the server at {self.url}: {getattr(exc, 'reason', exc)}") from None

    def batch(self, batch: list[_Item]) -> list[Outcome]:
        """Send one batch; the outcome of each of its articles, in order."""
        lines = [line for _, line, _ in batch if line is not None]
        if not lines:
            return [failed for _, _, failed in batch if failed is not None]
        status, answer = self.post(b"".join(lines))
        if status in (401, 403):
            raise ClientError(f"the server refused the token ({status}): {answer}")
        if status == 503 and len(lines) > 1:
            return [o for item in batch for o in self.batch([item])]
        if status != 200 or not isinstance(answer, dict):
            message = answer if isinstance(answer, str) else json.dumps(answer)
            return [failed or Outcome(str(path), "unreadable", message=f"{path}: the server answered {status}: "
                                                                          f"{message}")
                    for path, _, failed in batch]
        sent = iter(answer["articles"])
        return [failed or _outcome(next(sent)) for _, _, failed in batch]


def _outcome(item: dict[str, Any]) -> Outcome:
    return Outcome(item["name"], item["status"], item.get("iri"), item.get("triples", 0), item.get("message", ""),
                   item.get("report"), item.get("warnings", 0))


def send(url: str, paths: list[Path], key: str | None, settings: Settings, size: int | None,
         rejected: Path | None) -> Summary:
    """Send ``paths`` to the server at ``url``; raises ClientError when it cannot go on."""
    if not settings.api_token:
        raise ClientError("--server needs the server's write token in KG_API_TOKEN")
    start = time.perf_counter()
    sender = Sender(url, settings.api_token)
    summary = Summary(run=run_name())
    def collect(outcomes: list[Outcome]) -> None:
        for o in outcomes:
            if o.status == "rejected":
                keep_report(rejected, o, summary)
            summary.outcomes.append(o)

    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        flying: deque[Future[list[Outcome]]] = deque()
        for batch in _batches(paths, key, size or BATCH):
            if len(flying) >= IN_FLIGHT:
                collect(flying.popleft().result())
            flying.append(pool.submit(sender.batch, batch))
        while flying:
            collect(flying.popleft().result())
    summary.seconds = time.perf_counter() - start
    return summary
