"""Small RDF documents the server writes itself (service description, VoID, resource data), and pages."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.dumpwriter import Compactor
from api.errors import HTTPError, not_acceptable
from api.formats import GRAPH, JSONLD_CONTEXT, JSONLD_STREAMING, MEDIA, PREFIX_MAP, RDF_FORMATS
from api.negotiation import NotAcceptable, negotiate

RDF_OFFERS = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "application/json"]
HTML = "text/html"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))


def choose(request: Request, offers: Sequence[str]) -> str:
    try:
        return negotiate(request.headers.get("accept"), offers)
    except NotAcceptable as exc:
        raise not_acceptable(exc) from None


def iri(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def serialize(triples: Iterable[ox.Triple], name: str) -> bytes:
    if name == "jsonld":
        return compact_jsonld(triples)
    fmt = RDF_FORMATS[name]
    if name in ("nq", "trig"):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = PREFIX_MAP if name in ("ttl", "trig", "rdfxml") else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def root(request: Request) -> str:
    """This server's absolute URL, ending in '/': KG_PUBLIC_URL where set (the Host header is then ignored:
    no cache behind a proxy can be poisoned through it), else the URL the request reached."""
    public: str | None = request.app.state.kg.settings.public_url
    return public or str(request.base_url)


def compact_jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """A JSON-LD document with its context embedded: compact IRIs, one node object per subject."""
    nodes = Compactor(PREFIX_MAP).nodes(iter(triples))  # type: ignore[arg-type]
    return json.dumps({"@context": JSONLD_CONTEXT, "@graph": nodes}, ensure_ascii=False).encode()


def here(request: Request) -> str:
    """The request's URL without query or fragment (the endpoint, or the document being served)."""
    return root(request) + request.url.path.lstrip("/")


def rdf_response(triples: Iterable[ox.Triple], media: str, headers: dict[str, str] | None = None) -> Response:
    name = GRAPH[media]
    served = JSONLD_STREAMING if name == "jsonld" else MEDIA[name]
    return Response(serialize(triples, name), media_type=served, headers={"Vary": "Accept", **(headers or {})})


def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status, headers={"Vary": "Accept", **(headers or {})})


def require(found: bool, message: str) -> None:
    if not found:
        raise HTTPError(404, message)
