"""What the OpenAPI description says of each route: the statuses and media types it answers with, the
parameters and bodies it takes. One table, so that the description cannot drift route by route."""
from __future__ import annotations

from typing import Any

RDF = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
QUADS = ["application/n-quads", "application/trig"]
RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]
HTML = ["text/html"]
PLAIN = ["text/plain"]
ERRORS = {
    400: "Bad request: a malformed parameter, query, update or document",
    404: "Nothing is known about it",
    406: "Not acceptable: no offered format matches the Accept header",
    413: "The body or query text is over its limit",
    415: "The request body's media type is not one this route takes",
    431: "The request's header fields are too large",
    503: "Busy or timed out: try again (Retry-After)",
}
WRITE_ERRORS = {401: "This write needs Authorization: Bearer <token>", 403: "Writes are disabled on this server"}


def _content(media: list[str]) -> dict[str, Any]:
    return {m: {"schema": {"type": "object"} if m.endswith("json") else {"type": "string"}} for m in media}


def responses(ok: dict[int, tuple[str, list[str]]], *, writes: bool = False) -> dict[int | str, Any]:
    table: dict[int | str, Any] = {code: {"description": text, "content": _content(media) if media else None}
                                   for code, (text, media) in ok.items()}
    for code, text in {**ERRORS, **(WRITE_ERRORS if writes else {})}.items():
        table.setdefault(code, {"description": text, "content": _content(PLAIN)})
    for entry in table.values():
        if entry["content"] is None:
            del entry["content"]
    return table


def _query(name: str, text: str, *, many: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "description": text, "schema": schema,
            **({"style": "form", "explode": True} if many else {})}


GRAPH_PARAMS = [_query("graph", "The graph's IRI"), {**_query("default", "The default graph"),
                                                      "allowEmptyValue": True}]
SPARQL_PARAMS = [_query("query", "A SPARQL 1.1 query"),
                 _query("default-graph-uri", "A graph of the query's default graph", many=True),
                 _query("named-graph-uri", "A named graph of the query's dataset", many=True)]
SPARQL_BODY = {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"},
        "using-graph-uri": {"type": "string"}, "using-named-graph-uri": {"type": "string"}}}},
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/sparql-update": {"schema": {"type": "string"}}}}
GRAPH_BODY = {"required": True, "content": {m: {"schema": {"type": "string"}} for m in RDF}}
ARTICLE_BODY = {"required": True, "content": {m: {"schema": {"type": "string"}} for m in
                                              ("text/plain", "text/markdown", "text/html", "application/json")}}
ARTICLE_PARAMS = [_query("id", "The article's identity: an edit posted with the same id replaces it"),
                  _query("source", "Where the article was read from, recorded as dip:readFrom")]
BATCH_ITEM = {"type": "object", "properties": {
    "name": {"type": "string", "description": "Where the article was read from (dip:readFrom)"},
    "text": {"type": "string", "description": "The article, as text"},
    "base64": {"type": "string", "description": "The article's bytes, base64-encoded (instead of text)"},
    "id": {"type": "string", "description": "The article's identity: an edit sent with the same id replaces it"}}}
BATCH_BODY = {"required": True, "content": {
    "application/x-ndjson": {"schema": {"type": "array", "items": BATCH_ITEM,
                                        "description": "One JSON object a line"}},
    "application/x-tar": {"schema": {"type": "string", "format": "binary",
                                     "description": "A tar archive of article files"}}}}

SEE_OTHER = {303: ("See Other: the document about it", [])}
PAGE_OR_RDF = {200: ("The document", HTML + RDF)}


def doc(path: str, method: str) -> dict[str, Any]:
    """add_api_route keyword arguments for one operation: ``responses`` and ``openapi_extra``."""
    extra: dict[str, Any] = {}
    if path == "/sparql":
        ok = ({200: ("Results, a graph, the service description or the query page", RESULTS + RDF + QUADS + HTML)}
              if method != "POST" else {200: ("Query results or a graph", RESULTS + RDF + QUADS),
                                        204: ("The update was applied", [])})
        extra["parameters"] = SPARQL_PARAMS
        if method == "POST":
            extra["requestBody"] = SPARQL_BODY
        return {"responses": responses(ok, writes=method == "POST"), "openapi_extra": extra}
    if path == "/graphs":
        extra["parameters"] = GRAPH_PARAMS
        if method in ("PUT", "POST"):
            extra["requestBody"] = GRAPH_BODY
        ok = {"GET": {200: ("The graph", RDF + QUADS)}, "HEAD": {200: ("The graph's headers", [])},
              "PUT": {201: ("Created", []), 204: ("Replaced", [])}, "POST": {201: ("Created", []), 204: ("Merged", [])},
              "DELETE": {204: ("Deleted", [])}}[method]
        return {"responses": responses(ok, writes=method not in ("GET", "HEAD")), "openapi_extra": extra}
    if path == "/articles":
        return {"responses": responses({201: ("Stored: the article's IRI", PLAIN),
                                        200: ("Already stored: the article's IRI", PLAIN),
                                        422: ("Refused by the shapes: the SHACL report",
                                              ["text/turtle", "text/plain"])},
                                       writes=True),
                "openapi_extra": {"requestBody": ARTICLE_BODY, "parameters": ARTICLE_PARAMS}}
    if path == "/articles/batch":
        return {"responses": responses({200: ("What became of each article: status, IRI, message, SHACL report",
                                              ["application/json"])}, writes=True),
                "openapi_extra": {"requestBody": BATCH_BODY}}
    if path.startswith(("/id", "/topics", "/plover", "/cameo", "/graph/", "/dataset")):
        return {"responses": responses(SEE_OTHER)}
    if path == "/dumps/{name}":
        return {"responses": responses({200: ("The file", RDF + QUADS + ["application/gzip"]),
                                        206: ("Part of the file", RDF + QUADS + ["application/gzip"]),
                                        304: ("Not modified", []), 416: ("Range not satisfiable", [])})}
    if path == "/context.jsonld":
        return {"responses": responses({200: ("The JSON-LD context", ["application/ld+json"])})}
    if path == "/":
        return {"responses": responses({200: ("The home page", HTML)})}
    if path.startswith("/page/"):
        return {"responses": responses({200: ("The page", HTML)})}
    if path.startswith("/data/"):
        return {"responses": responses({200: ("The document", RDF)})}
    return {"responses": responses(PAGE_OR_RDF)}
