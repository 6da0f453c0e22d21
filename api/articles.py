"""POST /articles (one article) and POST /articles/batch (many): read and extracted in the extractor processes
(api/extractors.py), validated there, and the valid ones stored by the writer process in one transaction."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.documents import choose
from api.errors import HTTPError, media_type, read_body, require_token
from api.state import State
from kg.pipeline import batch_deadline

SUFFIX = {"text/plain": ".txt", "text/markdown": ".md", "text/html": ".html", "application/json": ".json", "": ".txt"}
BATCH = {"application/x-ndjson": "ndjson", "application/jsonl": "ndjson", "application/x-tar": "tar"}


def _deadline(state: State, items: int) -> float:
    """Reading and extracting a batch may take as long as kg ingest gives as many articles."""
    return batch_deadline(state.settings.article_timeout, items)


async def _store(state: State, outcomes: list[tuple[Any, str | None]]) -> None:
    """Write the valid articles of ``outcomes`` (one transaction) and set their statuses."""
    valid = [(o, nt) for o, nt in outcomes if nt is not None]
    if not valid:
        return
    answer = await state.pool.write({"op": "ingest", "articles": [(o.article, nt) for o, nt in valid]},
                                    max(state.settings.query_timeout, 0.01 * len(valid)))
    for (o, _), status in zip(valid, answer["outcomes"]):
        o.status = status


async def post_article(request: Request) -> Response:
    state: State = request.app.state.kg
    require_token(request, state.settings)
    kind, _ = media_type(request)
    if kind in BATCH:
        raise HTTPError(415, f"a batch ({kind}) goes to POST /articles/batch")
    if kind not in SUFFIX:
        raise HTTPError(415, f"send the article as one of {', '.join(t for t in SUFFIX if t)}")
    body = await read_body(request, state.settings.max_body_bytes)
    name = request.query_params.get("source") or "POST /articles" + SUFFIX[kind]
    answer = await state.extractors.run({"op": "extract", "items": [(name, body, request.query_params.get("id"))]},
                                        _deadline(state, 1))
    (outcome, nt), = answer["outcomes"]
    if outcome.status == "unreadable":
        raise HTTPError(400, f"cannot read the article: {outcome.message}")
    if outcome.status == "rejected":
        if choose(request, ["text/turtle", "text/plain"]) == "text/plain":
            return PlainTextResponse(outcome.message, 422)
        return Response(outcome.report, 422, media_type="text/turtle")
    await _store(state, [(outcome, nt)])
    iri = outcome.article
    return PlainTextResponse(iri, 201 if outcome.status == "added" else 200, headers={"Location": iri})


async def post_batch(request: Request) -> Response:
    """Many articles in one request: NDJSON (``{"name", "text" or "base64", "id"}`` a line) or a tar archive.
    200 with a JSON account of each: its status (added, replaced, unchanged, rejected, unreadable), IRI and
    message, the SHACL report of a rejected one, and the archive's files that are not articles."""
    state: State = request.app.state.kg
    require_token(request, state.settings)
    kind, _ = media_type(request)
    if kind not in BATCH:
        raise HTTPError(415, f"send the batch as {', '.join(BATCH)}")
    body = await read_body(request, state.settings.max_body_bytes)
    estimate = body.count(b"\n") if BATCH[kind] == "ndjson" else len(body) // 4096
    answer = await state.extractors.run({"op": BATCH[kind], "body": body}, _deadline(state, estimate))
    outcomes = answer["outcomes"]
    await _store(state, outcomes)
    items = [{"name": o.path, "status": o.status, "iri": o.article, "triples": o.triples, "warnings": o.warnings,
              **({"message": o.message} if o.message else {}), **({"report": o.report} if o.report else {})}
             for o, _ in outcomes]
    counts = {s: sum(1 for o, _ in outcomes if o.status == s)
              for s in ("added", "replaced", "unchanged", "rejected", "unreadable")}
    doc = {**counts, "articles": items, "skipped": answer.get("skipped", [])}
    return Response(json.dumps(doc, ensure_ascii=False), 200, media_type="application/json")
