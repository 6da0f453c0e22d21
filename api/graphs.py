"""SPARQL 1.1 Graph Store HTTP Protocol at /graphs, indirect identification (``?graph=<iri>`` or ``?default``).

``?default`` is the store's own default graph (the pipeline writes nothing there); the union of all graphs,
which /sparql queries by default, is downloadable from /dumps/. Reads are queries on the workers; writes
need the token.
"""
from __future__ import annotations

import uuid
from typing import Any

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from api.documents import choose
from api.errors import HTTPError, media_type, read_body, require_token
from api.formats import GRAPH, MEDIA, PREFIX_MAP
from api.sparql import respond
from api.state import State

TRIPLE_TYPES = [media for media, name in GRAPH.items() if name in ("ttl", "nt", "rdfxml", "jsonld")]


def target(request: Request) -> ox.NamedNode | ox.DefaultGraph | None:
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise HTTPError(400, "give either ?graph=<iri> or ?default, not both")
    if len(graphs) > 1:
        raise HTTPError(400, "give one ?graph=<iri>")
    if "default" in params:
        return ox.DefaultGraph()
    if not graphs:
        return None
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise HTTPError(400, f"not an absolute IRI: {graphs[0]!r} ({exc})") from None


async def graph_store(request: Request) -> Response:
    state: State = request.app.state.kg
    graph = target(request)
    if request.method in ("GET", "HEAD"):
        if graph is None:
            raise HTTPError(400, "name the graph: ?graph=<iri>, or ?default for the default graph")
        return await read(request, state, graph)
    require_token(request, state.settings)
    if request.method == "DELETE":
        if graph is None:
            raise HTTPError(400, "name the graph to delete: ?graph=<iri> or ?default")
        answer = await state.pool.write({"op": "drop", "graph": _name(graph)}, state.settings.query_timeout)
        if not answer["existed"]:
            raise HTTPError(404, f"no graph {graph}")
        return Response(status_code=204)
    if request.method not in ("PUT", "POST"):
        raise HTTPError(405, f"{request.method} is not a Graph Store operation",
                        {"Allow": "GET, HEAD, PUT, POST, DELETE"})
    minted = graph is None
    if graph is None:
        if request.method == "PUT":
            raise HTTPError(400, "PUT needs ?graph=<iri> or ?default")
        graph = ox.NamedNode(f"{state.base}graph/{uuid.uuid4().hex}")
    parts = await payload(request, state, graph)
    answer = await state.pool.write({"op": "graph", "graph": _name(graph), "parts": parts,
                                     "replace": request.method == "PUT"}, state.settings.query_timeout)
    if minted:
        return Response(status_code=201, headers={"Location": graph.value})
    return Response(status_code=201 if answer["created"] else 204)


def _name(graph: ox.NamedNode | ox.DefaultGraph) -> str | None:
    return graph.value if isinstance(graph, ox.NamedNode) else None


async def read(request: Request, state: State, graph: ox.NamedNode | ox.DefaultGraph) -> Response:
    chosen = choose(request, [m for m in GRAPH if m != "text/plain"])
    if isinstance(graph, ox.NamedNode) and not await state.read(lambda v: v.ox.contains_named_graph(graph)):
        raise HTTPError(404, f"no graph {graph.value} in this store")
    fmt = GRAPH[chosen]
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        return Response(b"", media_type=MEDIA[fmt], headers=headers)
    req = {"op": "query", "query": "CONSTRUCT WHERE { ?s ?p ?o }", "union": False,
           "default_graphs": [graph.value] if isinstance(graph, ox.NamedNode) else None,
           "named_graphs": [] if isinstance(graph, ox.NamedNode) else None,
           "formats": {"graph": fmt, "solutions": "json", "boolean": "json"}, "prefixes": PREFIX_MAP}
    return respond(await state.pool.run(req, state.settings.query_timeout), MEDIA[fmt], headers)


async def payload(request: Request, state: State,
                  graph: ox.NamedNode | ox.DefaultGraph) -> list[tuple[str, bytes, str | None]]:
    """The uploaded documents as (format, bytes, base IRI); the writer parses them."""
    kind, params = media_type(request)
    limit = state.settings.max_body_bytes
    if kind == "multipart/form-data":
        raw = await read_body(request, limit)   # the whole body counts, whatever its transfer encoding
        parts = []
        async with Request({"type": "http", "method": "POST", "headers": request.headers.raw},
                           _replay(raw)).form(max_part_size=limit) as form:
            for _, part in form.multi_items():
                if isinstance(part, str):
                    continue
                ptype = (part.content_type or "").split(";")[0].strip().lower()
                parts.append((ptype, await part.read()))
    else:
        parts = [(kind, await read_body(request, limit))]
    base = graph.value if isinstance(graph, ox.NamedNode) else None
    for ptype, _ in parts:
        if ptype not in TRIPLE_TYPES:
            raise HTTPError(415, f"send the graph as one of {', '.join(TRIPLE_TYPES)}, not {ptype or 'no type'}")
    return [(GRAPH[ptype], body, base) for ptype, body in parts]


def _replay(body: bytes) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
