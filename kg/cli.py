"""The ``kg`` command. Exit codes: 0 all good, 1 some articles rejected or unreadable, 2 usage error."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from kg.backend import is_url, store_spec
from kg.config import Settings

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXTRACT_FORMATS = ("turtle", "ttl", "jsonld", "nt")
EXPORT_FORMATS = ("nt", "ttl", "jsonld", "nq", "trig")
QUERY_FORMATS = ("table", "csv", "tsv", "json")


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store directory, or the URL of a SPARQL 1.1 store "
                        "(default: $KG_STORE or ./data/store)")
    p = argparse.ArgumentParser(prog="kg", description="Diplomacy news in, a validated linked RDF graph out.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", parents=[common], help="extract, validate and store articles")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files or folders")
    ingest.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count)")
    ingest.add_argument("--rejected", type=Path, help="where reports of rejected articles go (default: data/rejected)")

    ex = sub.add_parser("extract", parents=[common], help="print one article's graph or its summary")
    ex.add_argument("file", type=Path)
    ex.add_argument("--format", choices=EXTRACT_FORMATS, default="turtle")
    ex.add_argument("--summary", action="store_true", help="print the summary JSON instead of the graph")

    val = sub.add_parser("validate", parents=[common], help="validate articles against the shapes, store nothing")
    val.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    val.add_argument("--engine", choices=["fast", "pyshacl"], default="fast",
                     help="the compiled SHACL engine (default) or pySHACL, the reference implementation")

    exp = sub.add_parser("export", parents=[common], help="dump the whole dataset")
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="nq")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    q = sub.add_parser("query", parents=[common], help="run a SPARQL query against the store")
    q.add_argument("sparql", help="the query, or @FILE to read it from a file")
    q.add_argument("--format", choices=QUERY_FORMATS, default="table")

    rm = sub.add_parser("remove", parents=[common], help="remove articles (by article IRI) from the store")
    rm.add_argument("iris", nargs="+", metavar="IRI")

    serve = sub.add_parser("serve", parents=[common], help="serve the store over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return p


def run() -> None:
    """The ``kg`` command: commands that only read the store run without network access."""
    sys.exit(main(offline=True))


def main(argv: list[str] | None = None, *, offline: bool = False) -> int:
    args = _parser().parse_args(argv)
    args.offline = offline
    settings = Settings() if args.store is None else Settings(store=store_spec(args.store))
    try:
        return COMMANDS[args.command](args, settings)
    except UsageError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


def _open_store(settings: Settings, *, must_exist: bool = False, read_only: bool = False) -> Any:
    from kg.backend import open_store
    from kg.iris import Minter
    from kg.store import StoreError
    if must_exist and isinstance(settings.store, Path) and not settings.store.exists():
        raise UsageError(f"no store at {settings.store} (run `kg ingest` first, or pass --store)")
    try:
        store = open_store(settings.store, Minter(settings.base_iri), read_only=read_only)
        if is_url(settings.store):
            store.ping()
        return store
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from exc


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from kg.pipeline import Ingester, article_paths, text_progress
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    paths = article_paths(args.paths)
    store = _open_store(settings)
    rejected = args.rejected or settings.rejected_dir
    summary = Ingester(store, rejected, args.workers, text_progress).run(paths)
    for o in summary.outcomes:
        if o.status == "rejected":
            print(f"rejected {o.path}:\n{o.message}", file=sys.stderr)
        elif o.status == "unreadable":
            print(f"unreadable {o.message}", file=sys.stderr)
        elif o.warnings:
            print(f"stored with {o.warnings} warning(s): {o.path}", file=sys.stderr)
    rate = len(summary.outcomes) / summary.seconds if summary.seconds else 0.0
    n = len(summary.outcomes)
    print(f"{n} article{'' if n == 1 else 's'}: {summary.count('added')} added, {summary.count('replaced')} replaced, "
          f"{summary.count('unchanged')} unchanged, {summary.count('rejected')} rejected, "
          f"{summary.count('unreadable')} unreadable; {summary.triples} triples stored in {summary.seconds:.2f} s "
          f"({rate:.{0 if rate >= 10 else 1}f} articles/s)")
    if summary.count("rejected"):
        print(f"reports of rejected articles: {rejected}", file=sys.stderr)
    return EXIT_OK if summary.ok else EXIT_REJECTED


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from kg.model import ArticleError
    from kg.pipeline import Worker
    from kg.summary import summarize
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    worker = Worker(settings.base_iri)
    try:
        built = worker.build(str(args.file))
    except ArticleError as exc:
        print(f"kg extract: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    if args.summary:
        reference = worker.reference.for_graph(built.triples)
        print(json.dumps(summarize(built.article, built.triples, reference), ensure_ascii=False, indent=2))
        return EXIT_OK
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES
    from kg.rdf import ntriples
    fmt = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
           "nt": ox.RdfFormat.N_TRIPLES}[args.format]
    triples = ox.parse(ntriples(sorted(built.triples)).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt != ox.RdfFormat.N_TRIPLES else None
    ox.serialize(triples, sys.stdout.buffer, fmt, prefixes=prefixes)
    sys.stdout.flush()
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from kg.pipeline import Worker, article_paths
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    worker = Worker(settings.base_iri, args.engine)
    bad = 0
    for path in article_paths(args.paths):
        (outcome, _), = worker.chunk([str(path)])[0]
        if outcome.status == "unreadable":
            bad += 1
            print(f"unreadable {outcome.message}")
        elif outcome.status == "rejected":
            bad += 1
            print(f"invalid {path}\n{outcome.message}")
        else:
            print(f"valid {path} ({outcome.triples} triples, {outcome.warnings} warning(s))")
    return EXIT_REJECTED if bad else EXIT_OK


def _offline(settings: Settings) -> None:
    """Commands that only read the embedded store run without the network: a SERVICE in a query cannot fetch.
    (A remote store is reached over the network; a query to it is checked whole before it is sent.)"""
    if is_url(settings.store):
        return
    from kg.sandbox import SandboxError, deny_network
    try:
        deny_network()
    except SandboxError as exc:
        print(f"warning: {exc}; SERVICE is refused by parsing the query instead", file=sys.stderr)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        _offline(settings)
    store = _open_store(settings, must_exist=True, read_only=True)
    out: IO[bytes]
    if args.output:
        with args.output.open("wb") as out:
            store.export(args.format, out)
    else:
        store.export(args.format, sys.stdout.buffer)
    return EXIT_OK


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    import pyoxigraph as ox

    from api.sparqltext import Refused, TooDeep, refuse_fetching
    from kg.namespaces import PREFIXES
    from kg.store import StoreError
    text = Path(args.sparql[1:]).read_text(encoding="utf-8") if args.sparql.startswith("@") else args.sparql
    if args.offline:
        _offline(settings)
    store = _open_store(settings, must_exist=True, read_only=True)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    try:
        refuse_fetching(text, update=False)
        result = store.query(text, prefixes=prefixes)
    except SyntaxError as exc:
        raise UsageError(f"SPARQL syntax error: {exc}") from exc
    except (Refused, TooDeep, StoreError) as exc:
        raise UsageError(str(exc)) from exc
    if isinstance(result, ox.QueryBoolean):
        if args.format == "json":
            print(json.dumps({"head": {}, "boolean": bool(result)}))
        else:
            print("true" if result else "false")
        return EXIT_OK
    if not isinstance(result, ox.QuerySolutions):   # a graph: pyoxigraph's, or a remote store's (kg.remoteview)
        ox.serialize(result, sys.stdout.buffer, ox.RdfFormat.N_TRIPLES)
        return EXIT_OK
    if args.format in ("csv", "tsv", "json"):
        fmt = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON}[args.format]
        result.serialize(sys.stdout.buffer, fmt)
        sys.stdout.flush()
        return EXIT_OK
    _table([v.value for v in result.variables], [[_cell(row[v.value]) for v in result.variables] for row in result])
    return EXIT_OK


def _cell(term: Any) -> str:
    if term is None:
        return ""
    return term.value


def _table(head: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(head)]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = _open_store(settings, must_exist=True)
    missing = 0
    for iri in args.iris:
        if store.remove_article(iri):
            print(f"removed {iri}")
        else:
            missing += 1
            print(f"not an article in the store: {iri}", file=sys.stderr)
    store.flush()
    return EXIT_REJECTED if missing else EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    store = _open_store(settings)   # made here if new (or a remote one asked once); the server's writer writes
    store.flush()
    del store
    uvicorn.run(create_app(settings.store, settings), host=args.host, port=args.port, log_level="info")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "extract": cmd_extract, "validate": cmd_validate, "export": cmd_export,
            "query": cmd_query, "remove": cmd_remove, "serve": cmd_serve}

if __name__ == "__main__":
    run()
