"""POST /articles: raw article text in; extracted, validated and stored, or refused with the SHACL report."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.documents import choose
from api.errors import HTTPError, media_type, read_body, require_token
from api.state import State

if TYPE_CHECKING:
    from kg.pipeline import Built, Worker
    from kg.validate import Report

SUFFIX = {"text/plain": ".txt", "text/markdown": ".md", "text/html": ".html", "application/json": ".json", "": ".txt"}


async def worker(state: State) -> Worker:
    """The pipeline's worker (gazetteer, validator), made on first use; the shared graphs are put in place then."""
    async with state.pipeline_lock:
        if state.pipeline is None:
            from kg.pipeline import Worker
            from kg.reference import reference_graphs
            w = await asyncio.to_thread(Worker, state.base)
            graphs = await asyncio.to_thread(reference_graphs, state.minter, w.gaz)
            await state.pool.write({"op": "put_graphs", "graphs": list(graphs.items())}, state.settings.query_timeout)
            state.pipeline = w
        pipeline: Worker = state.pipeline
        return pipeline


def build(w: Worker, source: str, body: bytes) -> tuple[Built, Report]:
    from kg.model import ArticleError
    try:
        built = w.build(source, body)
    except ArticleError as exc:
        raise HTTPError(400, f"cannot read the article: {exc}") from None
    report = w.validator.validate([(built.article, built.triples)])[0]
    return built, report


async def post_article(request: Request) -> Response:
    state: State = request.app.state.kg
    require_token(request, state.settings)
    kind, _ = media_type(request)
    if kind not in SUFFIX:
        raise HTTPError(415, f"send the article as one of {', '.join(t for t in SUFFIX if t)}")
    body = await read_body(request, state.settings.max_body_bytes)
    w = await worker(state)
    built, report = await asyncio.to_thread(build, w, "posted" + SUFFIX[kind], body)
    if not report.conforms:
        if choose(request, ["text/turtle", "text/plain"]) == "text/plain":
            return PlainTextResponse(report.text, 422)
        return Response(report.to_turtle(), 422, media_type="text/turtle")
    iri = built.article
    answer = await state.pool.write({"op": "articles", "articles": [(built.article, built.triples)]},
                                    state.settings.query_timeout)
    outcome, = answer["outcomes"]
    return PlainTextResponse(iri, 201 if outcome == "added" else 200, headers={"Location": iri})
