"""Ingest: read -> extract -> build -> validate -> store, in batches, with worker processes for the CPU work.

Workers (kg.workers: forked, capped in memory, stopped past a deadline, dying with the parent) read, extract,
build and validate a chunk of articles and hand back each article's triples as N-Triples (cheap to pickle,
parsed in Rust by the writer); the parent process is the only writer and stores each batch of valid articles
in one transaction. Whatever goes wrong with one file is that file's outcome; the batch goes on.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kg import gazetteer as gz
from kg.article import parse_article, read_article
from kg.config import Settings
from kg.extract import extract
from kg.graph import build_article_graph
from kg.identity import article_key
from kg.iris import Minter
from kg.model import ArticleError, Findings
from kg.namespaces import PROV, XSD
from kg.rdf import Triple, iri, literal, ntriples
from kg.reference import ReferenceIndex
from kg.shared import ensure_shared, reference_triples
from kg.store import Store, now_lexical
from kg.summary import summarize
from kg.validate import Engine, Report, Validator
from kg.workers import Pool as WorkerPool

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})
_GENERATED_AT = iri(PROV.generatedAtTime)
CHUNK = 128
# Triples per store write. A write is one RocksDB ingestion with ~0.1 s of fixed cost, so fewer and larger
# writes are much cheaper (measured: 3.3 ms an article in batches of 64 articles, 1.2 ms in batches of 640).
WRITE_BATCH = 100_000


@dataclass(slots=True)
class Outcome:
    path: str
    status: str                       # added | replaced | unchanged | rejected | unreadable
    article: str | None = None
    triples: int = 0
    message: str = ""
    report: str | None = None         # the SHACL report (Turtle) of a rejected article
    warnings: int = 0
    note: str = ""                    # a problem that did not stop the article (its report could not be written)


@dataclass(slots=True)
class Timings:
    parse: float = 0.0
    extract: float = 0.0
    build: float = 0.0
    validate: float = 0.0
    store: float = 0.0

    def add(self, other: Timings) -> None:
        for name in ("parse", "extract", "build", "validate", "store"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    seconds: float = 0.0
    run: str = ""                     # this run's name: the folder its reports of rejected articles go to
    reports: Path | None = None       # that folder, once a report was written there

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status in ("added", "replaced"))

    @property
    def ok(self) -> bool:
        return self.count("rejected", "unreadable") == 0


@dataclass(slots=True, frozen=True)
class Source:
    """One article to ingest: a file to read, or data with a name; ``key`` a given identity (kg ingest --id)."""
    name: str
    data: bytes | None = None
    key: str | None = None


def article_paths(paths: Iterable[Path], skipped: list[Path] | None = None) -> list[Path]:
    """The article files among ``paths`` (folders searched); other files of the folders go to ``skipped``."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                if f.suffix.lower() in ARTICLE_SUFFIXES and not any(part.startswith(".")
                                                                    for part in f.relative_to(p).parts):
                    out.append(f)
                elif skipped is not None:
                    skipped.append(f)
        else:
            out.append(p)
    return out


@dataclass(slots=True)
class Built:
    path: str
    article: str                      # the article IRI, also its graph's name
    triples: list[Triple]
    findings: Findings


class Worker:
    """Reads, extracts, builds and validates; one per process."""

    def __init__(self, base_iri: str, engine: Engine = "fast") -> None:
        self.minter = Minter(base_iri)
        self.gaz = gz.load()
        self.validator = Validator(self.minter, self.gaz, engine)
        self._reference: ReferenceIndex | None = None

    def build(self, path: str, data: bytes | str | None = None, timings: Timings | None = None,
              key: str | None = None) -> Built:
        """``key``: an identity given for the article (``kg ingest --id``); by default kg.identity decides."""
        t = timings or Timings()
        t0 = time.process_time()
        article = parse_article(data, path) if data is not None else read_article(Path(path))
        t1 = time.process_time()
        findings = extract(article, self.gaz)
        t2 = time.process_time()
        identity = article_key(article, key)
        name = str(self.minter.article(identity))
        triples = build_article_graph(findings, self.minter, self.gaz, identity)
        triples.append((f"<{name}>", _GENERATED_AT, literal(now_lexical(), str(XSD.dateTime))))
        t3 = time.process_time()
        t.parse += t1 - t0
        t.extract += t2 - t1
        t.build += t3 - t2
        return Built(path, name, triples, findings)

    def summary(self, path: str, data: bytes | str | None = None) -> dict[str, object]:
        """The summary JSON of one article: ``kg extract --summary``."""
        built = self.build(path, data)
        reference = self.reference.for_graph(built.triples)
        return summarize(built.article, built.triples, reference)

    @property
    def reference(self) -> ReferenceIndex:
        if self._reference is None:
            self._reference = ReferenceIndex(reference_triples(self.minter))
        return self._reference

    def chunk(self, items: Sequence[str | Source]) -> Chunk:
        """Outcomes for a chunk; valid articles carry their triples as N-Triples. Whatever goes wrong with one
        article (a reader or extractor bug included) is that article's outcome, never the chunk's."""
        timings = Timings()
        built: list[Built] = []
        out: list[tuple[Outcome, str | None]] = []
        slots: list[int] = []
        for item in items:
            source = item if isinstance(item, Source) else Source(item)
            try:
                b = self.build(source.name, source.data, timings, source.key)
            except ArticleError as exc:
                out.append((Outcome(source.name, "unreadable", message=str(exc)), None))
                continue
            except Exception as exc:       # noqa: BLE001 - a bug on one input must not end the batch
                out.append((Outcome(source.name, "unreadable", message=failure(source.name, exc)), None))
                continue
            slots.append(len(out))
            out.append((Outcome(source.name, "pending", b.article, len(b.triples)), None))
            built.append(b)
        t0 = time.process_time()
        for slot, b, report in zip(slots, built, self._validate(built)):
            outcome = out[slot][0]
            if isinstance(report, str):
                outcome.status, outcome.message = "unreadable", report
                continue
            outcome.warnings = len(report.warnings)
            if report.conforms:
                out[slot] = (outcome, ntriples(b.triples))
            else:
                outcome.status = "rejected"
                outcome.message = report.text
                outcome.report = report.to_turtle()
        timings.validate += time.process_time() - t0
        return out, timings

    def _validate(self, built: list[Built]) -> list[Report | str]:
        """One report per article; where validating an article fails, why (a string)."""
        try:
            return list(self.validator.validate([(b.article, b.triples) for b in built]))
        except Exception:                  # noqa: BLE001 - find the article it fails on
            out: list[Report | str] = []
            for b in built:
                try:
                    out.append(self.validator.validate([(b.article, b.triples)])[0])
                except Exception as exc:   # noqa: BLE001
                    out.append(failure(b.path, exc, "cannot validate"))
            return out


Chunk = tuple[list[tuple[Outcome, "str | None"]], Timings]


def failure(name: str, exc: BaseException, what: str = "cannot read") -> str:
    if isinstance(exc, MemoryError):
        return f"{name}: {what}: it needs more memory than a worker may use (KG_WORKER_MEMORY)"
    if isinstance(exc, RecursionError):
        return f"{name}: {what}: it nests too deeply"
    return f"{name}: {what} ({type(exc).__name__}: {exc})"


_WORKER: Worker | None = None


def _run_chunk(items: list[str | Source]) -> Chunk:
    assert _WORKER is not None
    return _WORKER.chunk(items)


def _fail_one(item: str | Source, reason: str) -> Chunk:
    name = item.name if isinstance(item, Source) else item
    return [(Outcome(name, "unreadable", message=f"{name}: {reason}"), None)], Timings()


def _merge(parts: list[Chunk]) -> Chunk:
    timings = Timings()
    out: list[tuple[Outcome, str | None]] = []
    for outcomes, t in parts:
        out += outcomes
        timings.add(t)
    return out, timings


class Ingester:
    def __init__(self, store: Store, rejected_dir: Path | None, workers: int | None = None,
                 progress: Callable[[int, int, Summary], None] | None = None, chunk: int = CHUNK,
                 write_batch: int = WRITE_BATCH, timeout: float | None = None, memory: int | None = None) -> None:
        self.store = store
        self.chunk = chunk
        self.write_batch = write_batch
        self.rejected_dir = rejected_dir
        self.workers = workers if workers is not None else max(1, min(os.cpu_count() or 1, 8))
        self.progress = progress
        settings = Settings() if timeout is None or memory is None else None
        self.timeout = timeout if timeout is not None else settings.article_timeout  # type: ignore[union-attr]
        self.memory = memory if memory is not None else settings.worker_memory  # type: ignore[union-attr]

    def ensure_reference(self) -> None:
        """The shared graphs of this version in the store: nothing to do when it holds them already."""
        ensure_shared(self.store)

    def run(self, paths: Sequence[Path | str | Source]) -> Summary:
        start = time.perf_counter()
        summary = Summary(run=run_name())
        self.ensure_reference()
        items = [p if isinstance(p, Source) else Source(str(p)) for p in paths]
        chunks = [items[i:i + self.chunk] for i in range(0, len(items), self.chunk)]
        pending: list[tuple[Outcome, str | None]] = []
        writing: Future[None] | None = None
        # One batch is written (pyoxigraph lets go of the GIL) while the next is read from the workers, whose
        # results would otherwise wait in their pipes and stop them. One write at a time, in order.
        with ThreadPoolExecutor(1) as writer:
            for outcomes, timings in self._chunks(chunks):
                summary.timings.add(timings)
                pending.extend(outcomes)
                if sum(o.triples for o, nt in pending if nt is not None) >= self.write_batch:
                    self._written(writing, len(items), summary)
                    writing, pending = writer.submit(self._store, pending, summary), []
            self._written(writing, len(items), summary)
        if pending:
            self._store(pending, summary)
            if self.progress:
                self.progress(len(summary.outcomes), len(items), summary)
        self.store.flush()
        summary.seconds = time.perf_counter() - start
        return summary

    def _chunks(self, chunks: list[list[Source]]) -> Iterator[Chunk]:
        global _WORKER
        if not chunks:
            return
        # Loaded once here, before the workers are forked: they share it and start at once.
        _WORKER = Worker(self.store.minter.base)
        workers = min(self.workers, len(chunks))
        with WorkerPool(workers, _run_chunk, _fail_one, _merge, self._deadline, self.memory) as pool:
            yield from pool.map(chunks)

    def _deadline(self, items: list[Source]) -> float:
        return batch_deadline(self.timeout, len(items))

    def _written(self, writing: Future[None] | None, total: int, summary: Summary) -> None:
        """Wait for the batch being written (its errors are raised here), then report progress."""
        if writing is None:
            return
        writing.result()
        if self.progress:
            self.progress(len(summary.outcomes), total, summary)

    def _store(self, outcomes: list[tuple[Outcome, str | None]], summary: Summary) -> None:
        t0 = time.thread_time()
        valid = [(o, nt) for o, nt in outcomes if nt is not None and o.article is not None]
        if valid:
            for (o, _), status in zip(valid, self.store.write([(o.article or "", nt) for o, nt in valid])):
                o.status = status
        for o, _ in outcomes:
            if o.status == "rejected":
                self._keep_report(o, summary)
            summary.outcomes.append(o)
        summary.timings.store += time.thread_time() - t0

    def _keep_report(self, o: Outcome, summary: Summary) -> None:
        keep_report(self.rejected_dir, o, summary)


def keep_report(rejected_dir: Path | None, o: Outcome, summary: Summary) -> None:
    """The report of a rejected article, in this run's folder, named after its file and a digest of its path
    (``a/story.txt`` and ``b/story.txt`` differ); a report that cannot be written is a note on the article."""
    if rejected_dir is None or o.report is None:
        return
    folder = rejected_dir / summary.run
    stem = f"{Path(o.path).name}-{hashlib.sha256(o.path.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    head = f"run {summary.run}\nfile {o.path}\narticle {o.article}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{stem}.report.ttl").write_text("".join(f"# {line}\n" for line in head.splitlines()) + o.report,
                                                   encoding="utf-8")
        (folder / f"{stem}.report.txt").write_text(f"{head}\n{o.message}\n", encoding="utf-8")
    except OSError as exc:
        o.note = f"its report could not be written to {folder}: {exc.strerror or exc}"
    else:
        summary.reports = folder


def batch_deadline(timeout: float, items: int) -> float:
    """How long reading and extracting ``items`` articles may take: one article's timeout, and a quarter of a second
    for each (a hundred times what an article takes)."""
    return timeout + 0.25 * items


def run_name() -> str:
    """A name for one ingest run: when it started (UTC) and a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def text_progress(done: int, total: int, summary: Summary) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                     f"stored {summary.count('added', 'replaced')} rejected {summary.count('rejected')}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
