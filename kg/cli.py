"""The ``kg`` command. Exit codes: 0 all good, 1 some articles rejected or unreadable, 2 usage or I/O error (a
one-line message; for several IRIs or files, the others are still processed)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import IO, Any

from kg.backend import is_url, store_spec
from kg.config import Settings

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
# An absolute IRI (RFC 3987's characters): what a graph name may be.
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+')
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
    ingest.add_argument("--id", dest="identity", metavar="ID",
                        help="the article's identity (one file only): an edit ingested with the same ID replaces it; "
                             "an article IRI updates that article")
    ingest.add_argument("--server", metavar="URL", help="send the articles to a running kg serve at URL instead of "
                                                         "writing the store (the token from $KG_API_TOKEN)")
    ingest.add_argument("--batch", type=_positive, default=None, help="articles per request with --server")

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
    serve.add_argument("--port", type=_port, default=8000, help="TCP port, 1-65535 (default 8000)")
    serve.add_argument("--create", action="store_true", help="create the store if it does not exist")
    return p


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a TCP port (1-65535)")
    return int(value)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number")
    return int(value)


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
    except OSError as exc:               # a file or folder that cannot be read or written: say which, in one line
        print(f"kg {args.command}: {_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE


def _os_error(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {exc.strerror}" if where and exc.strerror else str(exc).splitlines()[0]


def _open_store(settings: Settings, *, must_exist: bool = False, read_only: bool = False, doing: str = "") -> Any:
    """The store; ``doing`` (for writing commands) is what to suggest when a server holds it. A remote store is
    asked once, so that an unreachable one is a usage error here."""
    from kg.backend import open_store
    from kg.iris import Minter
    from kg.store import StoreError
    remote = is_url(settings.store)
    if must_exist and not remote and not (Path(settings.store) / "CURRENT").exists():
        raise UsageError(f"no store at {settings.store} (run `kg ingest` first, or pass --store)")
    if not read_only:
        _not_served(settings, doing)
    try:
        store = open_store(settings.store, Minter(settings.base_iri), read_only=read_only)
        if remote:
            store.ping()
        return store
    except (StoreError, ValueError) as exc:
        if not remote and "lock" in str(exc).lower():
            raise UsageError(f"the store {settings.store} is open for writing in another process (a kg ingest or "
                             "kg remove still running, or a kg serve): wait for it to end, or stop it") from None
        raise UsageError(str(exc).splitlines()[0]) from exc


def _not_served(settings: Settings, doing: str) -> None:
    """An embedded store has one writer: tell the user which server holds it. A remote store takes writes from
    any number of processes (each article one operation), so nothing is checked for it."""
    from kg.serving import server_of
    if is_url(settings.store):
        return
    served = server_of(settings.store)
    if served is None:
        return
    url = served.url or "http://HOST:PORT"
    stop = f"stop the server (Ctrl-C where it runs{f', or kill {served.pid}' if served.pid else ''})"
    raise UsageError(f"{served}; the CLI cannot write to a store while it is served. Either {doing.format(url=url)}"
                     f"{' or ' if doing else ''}{stop} and run this again.")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from kg.pipeline import Ingester, Source, text_progress
    paths = _article_files(args.paths)
    if args.identity is not None and len(paths) != 1:
        raise UsageError(f"--id names one article, and {len(paths)} files were given")
    rejected = args.rejected or settings.rejected_dir
    if args.server:
        from kg.client import ClientError, send
        try:
            return report(send(args.server, paths, args.identity, settings, args.batch, rejected), rejected)
        except ClientError as exc:
            raise UsageError(str(exc)) from None
    store = _open_store(settings, doing="send the articles to it: kg ingest --server {url} PATH... "
                                       "(with KG_API_TOKEN set),")
    sources = [Source(str(p), key=args.identity) for p in paths]
    summary = Ingester(store, rejected, args.workers, text_progress).run(sources)
    return report(summary, rejected)


def _article_files(given: list[Path]) -> list[Path]:
    """The article files of the files and folders given; a missing path or no article at all is a usage error."""
    from kg.pipeline import article_paths
    missing = [str(p) for p in given if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    skipped: list[Path] = []
    paths = article_paths(given, skipped)
    if skipped:
        _say_skipped(skipped)
    if not paths:
        raise UsageError(f"no article files in {', '.join(str(p) for p in given)}")
    return paths


def _say_skipped(skipped: list[Path]) -> None:
    from kg.pipeline import ARTICLE_SUFFIXES
    kinds = ", ".join(sorted({p.suffix.lower() or "no extension" for p in skipped})[:8])
    names = ", ".join(str(p) for p in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
    print(f"skipped {len(skipped)} file(s) in the folders that are not articles ({kinds}; articles end in "
          f"{', '.join(sorted(ARTICLE_SUFFIXES))} and are not hidden): {names}", file=sys.stderr)


def report(summary: Any, rejected: Path | None) -> int:
    """Print what happened to each article that was not simply stored, and the summary line; the exit code."""
    for o in summary.outcomes:
        if o.status == "rejected":
            print(f"rejected {o.path}:\n{o.message}", file=sys.stderr)
        elif o.status == "unreadable":
            print(f"unreadable {o.message}", file=sys.stderr)
        elif o.warnings:
            print(f"stored with {o.warnings} warning(s): {o.path}", file=sys.stderr)
        if o.note:
            print(f"warning: {o.path}: {o.note}", file=sys.stderr)
    rate = len(summary.outcomes) / summary.seconds if summary.seconds else 0.0
    n = len(summary.outcomes)
    print(f"{n} article{'' if n == 1 else 's'}: {summary.count('added')} added, {summary.count('replaced')} replaced, "
          f"{summary.count('unchanged')} unchanged, {summary.count('rejected')} rejected, "
          f"{summary.count('unreadable')} unreadable; {summary.triples} triples stored in {summary.seconds:.2f} s "
          f"({rate:.{0 if rate >= 10 else 1}f} articles/s)")
    if summary.count("rejected") and summary.reports is not None:
        print(f"reports of rejected articles (run {summary.run}): {summary.reports}", file=sys.stderr)
    elif summary.count("rejected") and rejected is not None:
        print(f"warning: no report of a rejected article could be written to {rejected}", file=sys.stderr)
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
    from kg.pipeline import Worker
    paths = _article_files(args.paths)
    worker = Worker(settings.base_iri, args.engine)
    bad = 0
    for path in paths:
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
        try:
            out = args.output.open("wb")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        with out:
            store.export(args.format, out)
    else:
        store.export(args.format, sys.stdout.buffer)
    return EXIT_OK


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    import pyoxigraph as ox

    from api.sparqltext import Refused, TooDeep, refuse_fetching
    from kg.namespaces import PREFIXES
    from kg.store import StoreError
    text = _query_text(args.sparql)
    if args.offline:
        _offline(settings)
    store = _open_store(settings, must_exist=True, read_only=True)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    try:
        refuse_fetching(text, update=False)
        result = store.query(text, prefixes=prefixes)
    except SyntaxError as exc:
        raise UsageError(syntax_message(str(exc))) from None
    except (Refused, TooDeep, StoreError) as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
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


def _query_text(arg: str) -> str:
    if not arg.startswith("@"):
        return arg
    path = Path(arg[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the query file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"the query file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def syntax_message(raw: str, alternatives: int = 6) -> str:
    """A parser's error in one line: where, and a few of the tokens it expected."""
    line = next((s.strip() for s in raw.splitlines() if s.strip()), raw.strip())
    m = re.match(r"error at (\d+):(\d+): expected (one of )?(.*)", line)
    if not m:
        return f"SPARQL syntax error: {line[:200]}"
    tokens = [t for t in re.findall(r'"(?:[^"\\]|\\.)*"|[A-Za-z_]+', m.group(4)) if t != "_"]
    shown = ", ".join(tokens[:alternatives]) + (f" or {len(tokens) - alternatives} more" if len(tokens) > alternatives
                                                 else "")
    return f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: expected {shown or m.group(4)[:80]}"


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
    """Each IRI is removed if it names a stored article; a malformed one is reported and the others still go."""
    store = _open_store(settings, must_exist=True,
                        doing="remove it through the server: curl -X DELETE -H 'Authorization: Bearer $KG_API_TOKEN' "
                              "'{url}/graphs?graph=IRI',")
    missing = malformed = 0
    for given in args.iris:
        iri = given.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]                       # as `kg query --format tsv` and N-Triples print it
        if not _IRI.fullmatch(iri):
            malformed += 1
            print(f"not an IRI: {given!r} (give the article's full IRI, such as "
                  f"{settings.base_iri}id/article/0123456789abcdef)", file=sys.stderr)
        elif store.remove_article(iri):
            print(f"removed {iri}")
        else:
            missing += 1
            print(f"not an article in the store: {iri}", file=sys.stderr)
    store.flush()
    return EXIT_USAGE if malformed else EXIT_REJECTED if missing else EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from kg.serving import server_of
    from kg.snapshots import writer_pid
    url = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}"
    if is_url(settings.store):      # asked once; any number of servers may serve it (read replicas)
        _open_store(settings, read_only=True).close()
        uvicorn.run(create_app(settings.store, settings, url=url), host=args.host, port=args.port, log_level="info")
        return EXIT_OK
    if not (Path(settings.store) / "CURRENT").exists():
        if not args.create:
            raise UsageError(f"no store at {settings.store}: give the --store of an existing one (made by kg ingest), "
                             "or add --create to serve a new, empty store")
        store = _open_store(settings)             # made here; the server's writer process opens it read-write
        store.flush()
        del store
    served = server_of(settings.store)
    if served is not None:
        raise UsageError(f"{served} already; stop that one first, or serve another --store")
    writing = writer_pid(settings.store)
    if writing is not None:
        raise UsageError(f"process {writing} is writing the store {settings.store} (a kg ingest?): serve it when "
                         "that is done")
    uvicorn.run(create_app(settings.store, settings, url=url), host=args.host, port=args.port, log_level="info")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "extract": cmd_extract, "validate": cmd_validate, "export": cmd_export,
            "query": cmd_query, "remove": cmd_remove, "serve": cmd_serve}

if __name__ == "__main__":
    run()
