"""/dumps/: the whole dataset as files, listed for people (HTML) and machines (DCAT); /context.jsonld.

Each dump is written once per version of the dataset (its modification time and the server's write
count) by a worker process into ``<store>.dumps/``, then served from the file: flat memory, Range
requests, and an ETag that changes only with the data, so If-None-Match gets 304.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from api.documents import HTML, RDF_OFFERS, choose, iri, page, rdf_response, root
from api.errors import HTTPError
from api.formats import JSONLD_CONTEXT, JSONLD_STREAMING, PREFIX_MAP
from api.state import State
from kg.namespaces import DCAT, DCTERMS, FORMATS, IANA, RDF, VOID, XSD
from kg.sparqlhttp import is_url
from kg.store import Store


@dataclass(frozen=True)
class Dump:
    file: str
    media: str          # of the content, before compression
    format: str         # W3C formats IRI local name
    title: str
    gzip: bool = False

    @property
    def served_as(self) -> str:
        if self.gzip:
            return "application/gzip"
        return JSONLD_STREAMING if self.format == "JSON-LD" else self.media


DUMPS = {d.file: d for d in [
    Dump("dataset.nt", "application/n-triples", "N-Triples", "N-Triples, all graphs merged"),
    Dump("dataset.nt.gz", "application/n-triples", "N-Triples", "N-Triples, all graphs merged, gzip", True),
    Dump("dataset.nq.gz", "application/n-quads", "N-Quads", "N-Quads, one graph per article, gzip", True),
    Dump("dataset.trig", "application/trig", "TriG", "TriG, one graph per article"),
    Dump("dataset.ttl", "text/turtle", "Turtle", "Turtle, all graphs merged"),
    Dump("dataset.jsonld", "application/ld+json", "JSON-LD", "JSON-LD, one graph per article, its context embedded"),
]}
WRITER_NAMES = {"dataset.nt": "nt", "dataset.nt.gz": "nt.gz", "dataset.nq.gz": "nq.gz", "dataset.trig": "trig",
                "dataset.ttl": "ttl", "dataset.jsonld": "jsonld"}


def context_document() -> dict[str, object]:
    return {"@context": JSONLD_CONTEXT}


@dataclass
class DumpFiles:
    folder: Path
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def path(self, name: str, version: str) -> Path:
        return self.folder / f"{version}.{name}"

    def existing(self, name: str, version: str) -> Path | None:
        p = self.path(name, version)
        return p if p.exists() else None

    async def ensure(self, state: State, name: str, version: str) -> Path:
        async with self.locks.setdefault(name, asyncio.Lock()):
            target = self.path(name, version)
            if target.exists():
                return target
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".part")
            await state.pool.run_once({"op": "dump", "name": WRITER_NAMES[name], "path": str(tmp),
                                       "prefixes": PREFIX_MAP, "context": JSONLD_CONTEXT})
            os.replace(tmp, target)
            for old in self.folder.glob(f"*.{name}"):
                if old != target:
                    old.unlink(missing_ok=True)
            return target


async def version(state: State) -> tuple[str, str | None]:
    """A key that changes whenever the data does, and the Last-Modified date if the store records one. For a
    remote store, the store's modification time alone, which every server on it reads alike (replicas give
    one ETag)."""
    modified = await state.read(Store.modified)
    key = hashlib.sha256(f"{modified}|{'' if is_url(state.path) else state.pool.gen}".encode()).hexdigest()[:16]
    return key, format_datetime(modified, usegmt=True) if modified else None


async def download(request: Request) -> Response:
    state: State = request.app.state.kg
    name = request.path_params["name"]
    dump = DUMPS.get(name)
    if dump is None:
        raise HTTPError(404, f"no download named {name}; see /dumps/")
    key, last_modified = await version(state)
    etag = f'"{key}-{name}"'
    headers = {"ETag": etag, "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-cache"}
    if last_modified:
        headers["Last-Modified"] = last_modified
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    path = await state.dumps.ensure(state, name, key)
    return FileResponse(path, media_type=dump.served_as, headers=headers)


async def dcat(state: State, root: str) -> list[ox.Triple]:
    dataset = iri(state.minter.dataset)
    a = iri(RDF.type)
    key, _ = await version(state)
    triples = [ox.Triple(dataset, a, iri(DCAT.Dataset)), ox.Triple(dataset, a, iri(VOID.Dataset)),
               ox.Triple(dataset, iri(DCTERMS.title), ox.Literal("diplomacy-kg: diplomacy news as linked data",
                                                                 language="en"))]
    for dump in DUMPS.values():
        url = ox.NamedNode(f"{root}dumps/{dump.file}")
        triples += [
            ox.Triple(dataset, iri(DCAT.distribution), url),
            ox.Triple(dataset, iri(VOID.dataDump), url),
            ox.Triple(url, a, iri(DCAT.Distribution)),
            ox.Triple(url, iri(DCAT.downloadURL), url),
            ox.Triple(url, iri(DCTERMS.title), ox.Literal(dump.title, language="en")),
            ox.Triple(url, iri(DCAT.mediaType), iri(IANA[dump.media])),
            ox.Triple(url, iri(DCTERMS.format), iri(FORMATS[dump.format])),
        ]
        if dump.gzip:
            triples.append(ox.Triple(url, iri(DCAT.compressFormat), iri(IANA["application/gzip"])))
        if (p := state.dumps.existing(dump.file, key)) is not None:
            triples.append(ox.Triple(url, iri(DCAT.byteSize), ox.Literal(str(p.stat().st_size),
                                                                        datatype=iri(XSD.integer))))
    return triples


def root_url(request: Request) -> str:
    return root(request)


async def listing(request: Request) -> Response:
    state: State = request.app.state.kg
    chosen = choose(request, [HTML, *RDF_OFFERS])
    if chosen != HTML:
        return rdf_response(await dcat(state, root_url(request)), chosen)
    key, _ = await version(state)
    rows = [(d, (p.stat().st_size if (p := state.dumps.existing(d.file, key)) else None)) for d in DUMPS.values()]
    return page("dumps.html", title="Downloads", rows=rows)


async def context(request: Request) -> Response:
    return JSONResponse(context_document(), media_type="application/ld+json")
