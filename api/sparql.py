"""SPARQL 1.1 Protocol at /sparql: queries for everyone, updates with the token.

The default graph of a query is the union of all graphs (as Fuseki's unionDefaultGraph) unless the
request names its dataset, by ``default-graph-uri``/``named-graph-uri`` or by FROM/FROM NAMED; named
graphs resolve only against the store, an unknown one being empty. SERVICE and LOAD are refused: the
server never fetches a URL named in a request.
"""
from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.documents import here
from api.errors import HTTPError, media_type, not_acceptable, read_body, require_token, utf8
from api.formats import BOOLEAN, GRAPH, MEDIA, PREFIX_MAP, SOLUTIONS
from api.negotiation import NotAcceptable, negotiate
from api.pool import Answer
from api.service import service_description
from api.sparqltext import inspect_query, inspect_update, with_using
from api.state import State

OFFERS = {"SELECT": SOLUTIONS, "ASK": BOOLEAN, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}


def _single(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise HTTPError(400, f"the request has {len(values)} '{name}' parameters; give exactly one")
    return values[0] if values else None


def _form(body: bytes, params: dict[str, str]) -> MultiDict:
    text = utf8(body, params)
    try:
        return MultiDict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPError(400, f"malformed form body: {exc}") from None


async def sparql(request: Request) -> Response:
    state: State = request.app.state.kg
    params = MultiDict(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise HTTPError(405, "SPARQL Update is accepted only by POST", {"Allow": "GET, POST"})
        query = _single(params, "query")
        if query is None:
            return service_description(request)
        return await run_query(request, state, query, params)
    kind, ctype = media_type(request)
    if kind not in ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"):
        raise HTTPError(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query, "
                             "or an update as application/sparql-update" + (f", not {kind}" if kind else ""))
    body = await read_body(request, state.settings.max_body_bytes)
    if kind == "application/sparql-query":
        return await run_query(request, state, utf8(body, ctype), params)
    if kind == "application/sparql-update":
        return await run_update(request, state, utf8(body, ctype), params)
    form = _form(body, ctype)
    query, update = _single(form, "query"), _single(form, "update")
    if query is not None and update is not None:
        raise HTTPError(400, "a request carries either 'query' or 'update', not both")
    for name, value in form.multi_items():
        if name not in ("query", "update"):
            params.append(name, value)
    if query is not None:
        return await run_query(request, state, query, params)
    if update is not None:
        return await run_update(request, state, update, params)
    raise HTTPError(400, "the form has neither a 'query' nor an 'update' parameter")


async def run_query(request: Request, state: State, query: str, params: MultiDict) -> Response:
    info = inspect_query(query)
    if info.has_service:
        raise HTTPError(400, "SERVICE is not allowed: this endpoint never fetches data from elsewhere")
    offers = OFFERS.get(info.form or "SELECT", SOLUTIONS)
    try:
        chosen = negotiate(request.headers.get("accept"), list(offers))
    except NotAcceptable as exc:
        raise not_acceptable(exc) from None
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    protocol_dataset = bool(default_graphs or named_graphs)
    cap = state.settings.max_rows
    req = {
        "op": "query", "query": query, "base_iri": here(request),
        "union": not (protocol_dataset or info.has_dataset),
        "default_graphs": default_graphs if protocol_dataset else None,
        "named_graphs": named_graphs if protocol_dataset else None,
        "formats": {"solutions": SOLUTIONS.get(chosen, "json"), "boolean": BOOLEAN.get(chosen, "json"),
                    "graph": GRAPH.get(chosen, "ttl")},
        "max_rows": cap if info.limit is None or info.limit > cap else None,
        "prefixes": PREFIX_MAP,
    }
    answer = await state.pool.run(req, state.settings.query_timeout)
    kind = answer.meta.get("kind", "solutions")
    headers = {"Vary": "Accept"}
    if "truncated" in answer.meta:
        headers["X-SPARQL-MaxRows"] = str(answer.meta["truncated"])
    return respond(answer, MEDIA[req["formats"]["graph" if kind == "graph" else kind]], headers)


def respond(answer: Answer, media: str, headers: dict[str, str]) -> Response:
    """A worker's answer as a response: whole when it came in one piece, streamed otherwise."""
    if answer.rest is None:
        return Response(answer.body, media_type=media, headers=headers)
    return StreamingResponse(answer.rest, media_type=media, headers=headers)


async def run_update(request: Request, state: State, update: str, params: MultiDict) -> Response:
    require_token(request, state.settings)
    info = inspect_update(update)
    if info.has_load or info.has_service:
        raise HTTPError(400, f"{'LOAD' if info.has_load else 'SERVICE'} is not allowed: this server never fetches "
                             "data from elsewhere")
    using, using_named = params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    if using or using_named:
        if info.has_dataset:
            raise HTTPError(400, "give the dataset either by using-graph-uri/using-named-graph-uri or by "
                                 "USING/WITH in the update, not both")
        update = with_using(update, info, using, using_named)
    async with state.pool.write_lock:
        try:
            await asyncio.to_thread(state.store.update, update, base_iri=here(request))
        except SyntaxError as exc:
            raise HTTPError(400, f"SPARQL syntax error: {exc}") from None
        finally:
            state.pool.changed()
    return Response(status_code=204)
