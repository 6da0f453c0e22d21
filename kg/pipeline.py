"""Ingest: read -> extract -> build -> validate -> store, in batches, with worker processes for the CPU work.

Workers read, extract, build and validate a chunk of articles and hand back each article's triples as
N-Triples (cheap to pickle, parsed in Rust by the writer); the parent process is the only writer and
stores each batch of valid articles in one transaction.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg import gazetteer as gz
from kg.article import parse_article, read_article
from kg.extract import extract
from kg.graph import build_article_graph
from kg.iris import Minter
from kg.model import ArticleError, Findings
from kg.rdf import Triple, ntriples
from kg.reference import ReferenceIndex, reference_graph, reference_graphs
from kg.store import Store
from kg.summary import summarize
from kg.validate import Engine, Validator

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})
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

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status in ("added", "replaced"))

    @property
    def ok(self) -> bool:
        return self.count("rejected", "unreadable") == 0


def article_paths(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
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

    def build(self, path: str, data: bytes | str | None = None, timings: Timings | None = None) -> Built:
        t = timings or Timings()
        t0 = time.process_time()
        article = parse_article(data, path) if data is not None else read_article(Path(path))
        t1 = time.process_time()
        findings = extract(article, self.gaz)
        t2 = time.process_time()
        triples = build_article_graph(findings, self.minter, self.gaz)
        t3 = time.process_time()
        t.parse += t1 - t0
        t.extract += t2 - t1
        t.build += t3 - t2
        return Built(path, str(self.minter.article(article.text)), triples, findings)

    def summary(self, path: str, data: bytes | str | None = None) -> dict[str, object]:
        """The summary JSON of one article: ``kg extract --summary``."""
        built = self.build(path, data)
        reference = self.reference.for_graph(built.triples)
        return summarize(built.article, built.triples, reference)

    @property
    def reference(self) -> ReferenceIndex:
        if self._reference is None:
            self._reference = ReferenceIndex(reference_graph(self.minter, self.gaz))
        return self._reference

    def chunk(self, paths: Sequence[str]) -> tuple[list[tuple[Outcome, str | None]], Timings]:
        """Outcomes for a chunk; valid articles carry their triples as N-Triples."""
        timings = Timings()
        built: list[Built] = []
        out: list[tuple[Outcome, str | None]] = []
        slots: list[int] = []
        for path in paths:
            try:
                b = self.build(path, timings=timings)
            except ArticleError as exc:
                out.append((Outcome(path, "unreadable", message=str(exc)), None))
                continue
            slots.append(len(out))
            out.append((Outcome(path, "pending", b.article, len(b.triples)), None))
            built.append(b)
        t0 = time.process_time()
        reports = self.validator.validate([(b.article, b.triples) for b in built])
        timings.validate += time.process_time() - t0
        for slot, b, report in zip(slots, built, reports):
            outcome = out[slot][0]
            outcome.warnings = len(report.warnings)
            if report.conforms:
                out[slot] = (outcome, ntriples(b.triples))
            else:
                outcome.status = "rejected"
                outcome.message = report.text
                outcome.report = report.to_turtle()
        return out, timings


_WORKER: Worker | None = None


def _init_worker(base_iri: str) -> None:
    global _WORKER
    _WORKER = Worker(base_iri)


def _run_chunk(paths: Sequence[str]) -> tuple[list[tuple[Outcome, str | None]], Timings]:
    assert _WORKER is not None
    return _WORKER.chunk(paths)


class Ingester:
    def __init__(self, store: Store, rejected_dir: Path | None, workers: int | None = None,
                 progress: Callable[[int, int, Summary], None] | None = None, chunk: int = CHUNK,
                 write_batch: int = WRITE_BATCH) -> None:
        self.store = store
        self.chunk = chunk
        self.write_batch = write_batch
        self.rejected_dir = rejected_dir
        self.workers = workers if workers is not None else max(1, min(os.cpu_count() or 1, 8))
        self.progress = progress

    def ensure_reference(self, gaz: gz.Gazetteer | None = None) -> None:
        for name, triples in reference_graphs(self.store.minter, gaz).items():
            self.store.put_graph(name, triples)

    def run(self, paths: Sequence[Path]) -> Summary:
        start = time.perf_counter()
        summary = Summary()
        self.ensure_reference()
        names = [str(p) for p in paths]
        chunks = [names[i:i + self.chunk] for i in range(0, len(names), self.chunk)]
        pending: list[tuple[Outcome, str | None]] = []
        for outcomes, timings in self._chunks(chunks):
            summary.timings.add(timings)
            pending.extend(outcomes)
            if sum(o.triples for o, nt in pending if nt is not None) >= self.write_batch:
                self._store(pending, summary)
                pending = []
                if self.progress:
                    self.progress(len(summary.outcomes), len(names), summary)
        if pending:
            self._store(pending, summary)
            if self.progress:
                self.progress(len(summary.outcomes), len(names), summary)
        self.store.flush()
        summary.seconds = time.perf_counter() - start
        return summary

    def _chunks(self, chunks: list[list[str]]) -> Iterator[tuple[list[tuple[Outcome, str | None]], Timings]]:
        base = self.store.minter.base
        if self.workers <= 1 or len(chunks) <= 1:
            worker = Worker(base)
            for chunk in chunks:
                yield worker.chunk(chunk)
            return
        with ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(base,)) as pool:
            yield from pool.map(_run_chunk, chunks)

    def _store(self, outcomes: list[tuple[Outcome, str | None]], summary: Summary) -> None:
        t0 = time.process_time()
        valid = [(o, nt) for o, nt in outcomes if nt is not None and o.article is not None]
        if valid:
            for (o, _), status in zip(valid, self.store.write([(o.article or "", nt) for o, nt in valid])):
                o.status = status
        for o, _ in outcomes:
            if o.status == "rejected":
                self._keep_report(o)
            summary.outcomes.append(o)
        summary.timings.store += time.process_time() - t0

    def _keep_report(self, o: Outcome) -> None:
        if self.rejected_dir is None or o.report is None:
            return
        self.rejected_dir.mkdir(parents=True, exist_ok=True)
        stem = Path(o.path).name
        (self.rejected_dir / f"{stem}.report.ttl").write_text(o.report, encoding="utf-8")
        (self.rejected_dir / f"{stem}.report.txt").write_text(f"{o.path}\n{o.message}\n", encoding="utf-8")


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
