"""The route table: ``create_app(store, settings)`` is everything the server answers."""
from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from api import articles, dumps, graphs, meta, openapi, resources, sparql
from api.documents import page
from api.errors import HTTPError, plain
from api.extractors import Extractors
from api.middleware import Guard, GZipExceptDumps
from api.pool import Pool
from api.state import State
from api.storelink import Link
from kg.config import Settings
from kg.iris import Minter
from kg.serving import ServeLock
from kg.sparqlhttp import Endpoints, is_url

STATIC = Path(__file__).parent / "static"
READ, ALL = ["GET", "HEAD"], ["GET", "HEAD", "POST", "PUT", "DELETE"]


def create_app(path: Path | str, settings: Settings, *, workers: int | None = None, url: str = "") -> FastAPI:
    """The server of the store at ``path`` (which must exist), or of the remote store at that URL: it never
    opens the store read-write itself; its writer process does, on the first write. While it serves an embedded
    store it holds ``<store>.serving`` (kg.serving), which tells the CLI that the store is served, and where
    (``url``); a remote store takes any number of servers and writers, so nothing is held for it."""
    link, reader_env, lock = None, None, None
    if is_url(path):
        endpoints = Endpoints.parse(str(path))
        link = Link(endpoints)
        reader_env = None if endpoints.query_auth else {
            k: v for k, v in os.environ.items() if k not in ("KG_STORE_PASSWORD", "KG_STORE_TOKEN")}
        folder = settings.dumps_dir or Path("data") / "dumps"
    else:
        path = Path(path)
        if not (path / "CURRENT").exists():
            raise ValueError(f"no store at {path}: create it first (kg ingest, or kg serve --create)")
        folder = settings.dumps_dir or path.with_name(path.name + ".dumps")
        lock = ServeLock(path)
    pool = Pool(str(path), workers or max(2, os.cpu_count() or 2), memory=settings.worker_memory,
                base=settings.base_iri, link=link, reader_env=reader_env)
    # Extractors take a core each, like kg ingest's workers; started on the first article posted.
    extractors = Extractors(settings.base_iri, max(1, min(os.cpu_count() or 1, 8)), settings.worker_memory)
    state = State(path, Minter(settings.base_iri), settings, pool, dumps.DumpFiles(folder), extractors)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if lock is not None:
                lock.acquire(url)
        except PermissionError:
            pass           # a store in a folder this user cannot write: nothing can write it, so nothing to tell
        await pool.start()
        try:
            yield
        finally:
            await pool.stop()
            await extractors.stop()
            state.close()
            if lock is not None:
                lock.release()

    app = FastAPI(title="diplomacy-kg", lifespan=lifespan, docs_url=None, redoc_url=None,
                  summary="Diplomacy news as linked data: SPARQL 1.1, "
                  "Graph Store, dumps and dereferenceable URIs.")
    app.state.kg = state

    def route(path: str, endpoint: Callable[..., Awaitable[Response]], methods: list[str], summary: str,
              **kwargs: Any) -> None:
        listed = kwargs.pop("include_in_schema", True)
        in_path = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                   for name in re.findall(r"{(\w+)(?::path)?}", path)]
        for method in methods:   # one route per method: OpenAPI wants one operation id each
            described = openapi.doc(path, method)
            extra = described.get("openapi_extra", {})
            extra["parameters"] = in_path + extra.get("parameters", [])
            app.add_api_route(path, endpoint, methods=[method], summary=summary,
                              include_in_schema=listed and method != "HEAD", responses=described["responses"],
                              response_class=Response, status_code=min(described["responses"]),
                              openapi_extra=extra if extra["parameters"] or len(extra) > 1 else None,
                              operation_id=method.lower() + re.sub(r"\W+", "_", path).rstrip("_"), **kwargs)
        app.add_api_route(path, _options(methods), methods=["OPTIONS"], include_in_schema=False)

    route("/", meta.home, methods=READ, summary="Home page: what the dataset is, its size, where to go")
    route("/.well-known/void", meta.void_description, methods=READ, summary="VoID and DCAT description")
    route("/sparql", sparql.sparql, methods=["GET", "HEAD", "POST"], summary="SPARQL 1.1 query and update")
    route("/graphs", graphs.graph_store, methods=ALL, summary="Graph Store HTTP Protocol (?graph=<iri> or ?default)",
          name="graph_store")
    route("/articles", articles.post_article, methods=["POST"],
          summary="Add an article (raw text): 201, or 422 + SHACL report")
    route("/articles/batch", articles.post_batch, methods=["POST"],
          summary="Add many articles (NDJSON or tar): 200 + what became of each")
    route("/dumps/", dumps.listing, methods=READ, summary="The downloads: HTML, or DCAT by Accept")
    route("/dumps/{name}", dumps.download, methods=READ, summary="One download (ETag, Last-Modified, Range)")
    route("/context.jsonld", dumps.context, methods=READ, summary="The JSON-LD context of the JSON-LD dump")
    for scheme in ("/id", *(f"/{kind}" for kind in resources.SCHEMES)):
        for path in ((scheme + "/{rest:path}",) if scheme == "/id" else (scheme, scheme + "/{rest:path}")):
            route(path, resources.thing, methods=READ, summary="A thing: 303 to its page or data")
    route("/dataset", resources.dataset, methods=READ, summary="The dataset: 303 to its VoID description")
    route("/page/{rest:path}", resources.html_page, methods=READ, summary="A thing's HTML page")
    route("/data/{rest:path}", resources.data, methods=READ,
          summary="A thing's description (RDF by Accept or extension)")
    route("/graph/{rest:path}", resources.graph_iri, methods=READ, summary="A graph IRI: 303 to the Graph Store")
    for name in ("/ontology", "/ontology.{ext}", "/ontology/{version}", "/shapes", "/shapes.{ext}",
                 "/shapes/{version}"):
        route(name, resources.vocabulary, methods=READ, summary="Ontology and shapes documentation (HTML, RDF)")
    route("/docs", _docs, methods=READ, summary="This documentation", include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_exception_handler(HTTPError, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _starlette_error)  # type: ignore[arg-type]
    app.add_middleware(GZipExceptDumps)
    app.add_middleware(Guard)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                       allow_headers=["Accept", "Content-Type"], expose_headers=["X-SPARQL-MaxRows", "Location"])
    return app


def _options(methods: list[str]) -> Callable[[Request], Awaitable[Response]]:
    allow = ", ".join([*methods, "OPTIONS"])

    async def options(request: Request) -> Response:
        return Response(status_code=204, headers={"Allow": allow})
    return options


async def _docs(request: Request) -> Response:
    # Swagger UI from the bundled copy in api/static/swagger/, never from a CDN, started by a script file
    # of ours (the pages' Content-Security-Policy allows no inline script).
    return page("docs.html", title="API")


async def _http_error(request: Request, exc: HTTPError) -> Response:
    return plain(exc.status, exc.message, exc.headers)


async def _starlette_error(request: Request, exc: HTTPException) -> Response:
    return plain(exc.status_code, str(exc.detail), exc.headers)
