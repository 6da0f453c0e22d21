"""SPARQL 1.1 Protocol at /sparql: queries for everyone, updates with the token.

The default graph of a query is the union of all graphs (as Fuseki's unionDefaultGraph) unless the
request names its dataset, by ``default-graph-uri``/``named-graph-uri`` or by FROM/FROM NAMED; named
graphs resolve only against the store, an unknown one being empty. SERVICE and LOAD are refused: the
server never fetches a URL named in a request (and the processes that run SPARQL cannot: api/pool.py).
Everything that reads the text of a query runs in those processes, under the query's deadline.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.documents import here
from api.errors import HTTPError, media_type, not_acceptable, read_body, require_token, utf8
from api.formats import BOOLEAN, GRAPH, MEDIA, PREFIX_MAP, SOLUTIONS
from api.negotiation import NotAcceptable, negotiate
from api.pool import Answer
from api.service import service_description
from api.state import State


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


def graph_iris(params: MultiDict, name: str) -> list[str]:
    """The values of a ``*-graph-uri`` parameter, each checked to be an absolute IRI."""
    values = params.getlist(name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise HTTPError(400, f"{name} must be an absolute IRI, not {value[:200]!r}: {exc}") from None
    return values


def _check_size(state: State, text: str, what: str) -> None:
    limit = state.settings.max_query_bytes
    if len(text) > limit and len(text.encode()) > limit:
        raise HTTPError(413, f"the {what} is longer than the limit of {limit} bytes (KG_MAX_QUERY)")


def _formats(request: Request) -> tuple[dict[str, str | None], dict[str, str]]:
    """The format for each kind of answer a query may give, and why not where the client accepts none."""
    formats: dict[str, str | None] = {}
    refusals: dict[str, str] = {}
    accept = request.headers.get("accept")
    for kind, offers in (("solutions", SOLUTIONS), ("boolean", BOOLEAN), ("graph", GRAPH)):
        try:
            formats[kind] = offers[negotiate(accept, list(offers))]
        except NotAcceptable as exc:
            formats[kind] = None
            refusals[kind] = not_acceptable(exc).message
    return formats, refusals


async def run_query(request: Request, state: State, query: str, params: MultiDict) -> Response:
    _check_size(state, query, "query")
    formats, refusals = _formats(request)
    if not any(formats.values()):
        raise HTTPError(406, next(iter(refusals.values())), {"Vary": "Accept"})
    default_graphs = graph_iris(params, "default-graph-uri")
    named_graphs = graph_iris(params, "named-graph-uri")
    protocol_dataset = bool(default_graphs or named_graphs)
    req = {
        "op": "query", "query": query, "base_iri": here(request),
        "union": not protocol_dataset,
        "default_graphs": default_graphs if protocol_dataset else None,
        "named_graphs": named_graphs if protocol_dataset else None,
        "formats": formats, "not_acceptable": refusals,
        "max_rows": state.settings.max_rows,
        "prefixes": PREFIX_MAP,
    }
    answer = await state.pool.run(req, state.settings.query_timeout)
    kind = answer.meta.get("kind", "solutions")
    headers = {"Vary": "Accept"}
    if "truncated" in answer.meta:
        headers["X-SPARQL-MaxRows"] = str(answer.meta["truncated"])
    return respond(answer, MEDIA[formats[kind] or "json"], headers)


def respond(answer: Answer, media: str, headers: dict[str, str]) -> Response:
    """A worker's answer as a response: whole when it came in one piece, streamed otherwise."""
    if answer.rest is None:
        return Response(answer.body, media_type=media, headers=headers)
    return StreamingResponse(answer.rest, media_type=media, headers=headers)


async def run_update(request: Request, state: State, update: str, params: MultiDict) -> Response:
    require_token(request, state.settings)
    _check_size(state, update, "update")
    req = {"op": "update", "update": update, "base_iri": here(request),
           "using": graph_iris(params, "using-graph-uri"), "using_named": graph_iris(params, "using-named-graph-uri")}
    await state.pool.write(req, state.settings.query_timeout)
    return Response(status_code=204)
