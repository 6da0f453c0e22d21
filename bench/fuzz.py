"""Fuzz the reader (kg/article.py with kg/clean.py, kg/markup.py and kg/header.py) and, with --extract, the
extractor (kg/extract and the article graph, validated by the shapes) with hypothesis: random bytes, random
Unicode, tag soup, JSON documents and mutated real articles. A case passes when the reader returns an Article
whose spans index its text, or refuses the input with an ArticleError it raised on purpose, and the extractor
(with --extract) returns findings whose every span indexes the article's text; anything else is a crash.
Prints the crashes, the slowest cases per kilobyte, and how the slowest inputs scale when repeated (1x, 2x,
4x, 8x: linear time keeps the ratio near 2 a doubling), and real articles repeated to 1 MB.

    python bench/fuzz.py                  # 100,000 cases
    python bench/fuzz.py -n 2000 --seed 3
    python bench/fuzz.py --extract -n 20000  # reader and extractor

tests/kg/test_fuzz.py runs the same strategies, bounded.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.article import _parse  # noqa: E402
from kg.model import Article, ArticleError, Span  # noqa: E402

CORPUS = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "kg" / "data").rglob("articles/*.*")])
# Pieces the reader gives meaning to: header lines, markup, datelines, furniture, line endings, odd characters.
TOKENS = ["date 2022-04-23 Outlet\n", "date 2022-13-45 Nowhere\n", "url https://example.org/a\n", "---\n",
          "title: A\n", "date: 2021-02-30\n", "# ", "\n\n", "\r\n", "\r", "<p>", "</p>", "<h1>", "<html><body>",
          "<script>", "<!--", "]]>", '<link rel="canonical" href="', '<meta property="og:url" content="x">',
          '{"@type": "NewsArticle", "headline": ', '"datePublished": "', '"articleBody": "', "}", "[", "\\u0000",
          "MOSCOW (Sputnik) - ", "WASHINGTON, Jan 5 (Reuters) -", "By Jane Doe", "Published April 23, 2022 | 01:10 AM",
          "Share this article", "Related:", "Cookie", "©", "\u200b", "\u202e", "\ufeff", "\x00", "\x85", "\u2028",
          "“", "”", "—", "Prime Minister ", " said on Friday.", "...", "\t", " " * 40]


def corpus() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in CORPUS]


def _mutate(text: str, ops: list[tuple[int, int, int, str]]) -> str:
    for kind, a, b, token in ops:
        n = len(text)
        i, j = (a % (n + 1), b % (n + 1)) if n else (0, 0)
        i, j = min(i, j), max(i, j)
        if kind == 0:
            text = text[:i] + text[j:]                      # delete a slice
        elif kind == 1:
            text = text[:j] + text[i:j] + text[j:]          # duplicate a slice
        elif kind == 2:
            text = text[:i] + token + text[i:]              # insert a meaningful piece
        else:
            text = text[:i]                                 # truncate
    return text


def strategies() -> dict[str, st.SearchStrategy[bytes | str]]:
    real = corpus()
    ops = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1 << 20), st.integers(0, 1 << 20),
                             st.sampled_from(TOKENS) | st.text(max_size=20)), max_size=12)
    tag = st.sampled_from(["p", "h1", "h2", "div", "article", "main", "figure", "figcaption", "script", "style",
                           "table", "td", "li", "br", "nav", "header", "footer", "span", "a", "meta", "title"])
    element = st.tuples(tag, st.text(max_size=60), st.booleans()).map(
        lambda t: f"<{t[0]}>{t[1]}" + (f"</{t[0]}>" if t[2] else ""))
    soup = st.lists(element | st.sampled_from(TOKENS), max_size=60).map(lambda xs: "<html><body>" + "".join(xs))
    value = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                       max_size=4), max_leaves=12)
    keys = st.sampled_from(["headline", "datePublished", "articleBody", "url", "author", "publisher", "@type",
                            "@graph", "name", "dateModified", "inLanguage", "text", "description"])
    document = st.dictionaries(keys, value | st.text(max_size=200), max_size=8)
    import json
    return {
        "bytes": st.binary(max_size=4096),
        "unicode": st.text(max_size=4096),
        "tokens": st.lists(st.sampled_from(TOKENS) | st.text(max_size=30), max_size=80).map("".join),
        "html": soup,
        "json": document.map(lambda d: json.dumps(d, ensure_ascii=False)),
        "mutated": st.tuples(st.sampled_from(real), ops).map(lambda t: _mutate(*t)),
    }


def check(article: Article) -> None:
    """An Article's spans index its text, in order."""
    text = article.text
    spans: list[Span | None] = [article.headline, article.dateline, article.body, *article.paragraphs,
                                *article.captions]
    for s in spans:
        if s is not None:
            assert 0 <= s.begin <= s.end <= len(text), f"span {s.begin}-{s.end} outside a text of {len(text)}"
            assert text[s.begin:s.end] == s.text, f"span {s.begin}-{s.end} does not hold its text"
    begins = [p.begin for p in article.paragraphs]
    assert begins == sorted(begins), "paragraphs out of order"
    assert article.paragraphs, "an Article without paragraphs"


def spans_of(value: Any, seen: set[int] | None = None) -> Iterator[Span]:
    """Every Span inside a findings object (dataclasses, lists, tuples, dicts), once each."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, str | bytes | int | float | bool) or value is None:
        return
    seen.add(id(value))
    if isinstance(value, Span):
        yield value
    elif is_dataclass(value):
        for f in fields(value):
            if f.name != "article":
                yield from spans_of(getattr(value, f.name), seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from spans_of(v, seen)
    elif isinstance(value, dict):
        for v in value.values():
            yield from spans_of(v, seen)


@cache
def _worker() -> Any:
    from kg.config import Settings
    from kg.pipeline import Worker
    return Worker(Settings().base_iri)


def extract_checked(data: bytes | str, name: str) -> bool:
    """The ingest worker's build (reader, extractor, article graph) and validation on ``data``: every span the
    extractor reports holds the article's text there, and validation gives a report. False when the input is
    refused on purpose (unreadable, or its graph fails the shapes: reported, never stored); raises on a crash."""
    worker = _worker()
    try:
        built = worker.build(name, data)
    except ArticleError:
        return False
    text = built.findings.article.text
    check(built.findings.article)
    for s in spans_of(built.findings):
        assert 0 <= s.begin <= s.end <= len(text), f"finding span {s.begin}-{s.end} outside a text of {len(text)}"
        assert text[s.begin:s.end] == s.text, f"finding span {s.begin}-{s.end} does not hold its text"
    report = worker._validate([built])[0]
    assert not isinstance(report, str), report
    return bool(report.conforms)


def read(data: bytes | str, name: str = "fuzz.txt") -> Article | None:
    """The reader on ``data``: an Article (checked), None for an input refused on purpose; raises on a crash."""
    from kg.article import decode
    try:
        text = decode(data, name)
        article = _parse(text, name)
    except ArticleError:
        return None
    check(article)
    return article


@dataclass
class Tally:
    extract: bool = False          # run the extractor and validation too
    cases: int = 0
    refused: int = 0
    crashes: list[tuple[str, str, str]] = field(default_factory=list)      # (strategy, input, traceback)
    slowest: list[tuple[float, str, bytes | str]] = field(default_factory=list)   # (ms per KB, strategy, input)
    longest: float = 0.0           # ms, any case

    def run(self, kind: str, data: bytes | str) -> None:
        self.cases += 1
        name = "fuzz.html" if kind == "html" else "fuzz.json" if kind == "json" else "fuzz.txt"
        t0 = time.perf_counter()
        try:
            if (not extract_checked(data, name)) if self.extract else read(data, name) is None:
                self.refused += 1
        except Exception:   # noqa: BLE001 - a crash is what we are looking for
            self.crashes.append((kind, repr(data)[:300], traceback.format_exc(limit=4)))
        ms = 1000 * (time.perf_counter() - t0)
        self.longest = max(self.longest, ms)
        if len(data) < 512:            # a fixed cost, not a rate
            return
        self.slowest.append((ms / (len(data) / 1024), kind, data))
        if len(self.slowest) > 200:
            self.slowest.sort(key=lambda x: -x[0])
            del self.slowest[20:]


def fuzz(count: int, rng_seed: int, tally: Tally, only: str | None = None) -> None:
    kinds = strategies()
    if only:
        kinds = {only: kinds[only]}
    per = max(1, count // len(kinds))
    for kind, strategy in kinds.items():
        runner(kind, strategy, per, rng_seed, tally)()


def runner(kind: str, strategy: st.SearchStrategy[bytes | str], examples: int, rng_seed: int,
           tally: Tally) -> Callable[[], None]:
    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(data: bytes | str) -> None:
        tally.run(kind, data)
    return one


def scaling(inputs: list[bytes | str], reps: tuple[int, ...] = (1, 2, 4, 8)) -> list[tuple[str, list[float]]]:
    """Seconds to read each input repeated 1x, 2x, 4x, 8x (best of three)."""
    out = []
    for data in inputs:
        times = []
        for r in reps:
            big = data * r
            best = min(_timed(lambda big=big: _quiet(big)) for _ in range(3))
            times.append(best)
        out.append((repr(data)[:60], times))
    return out


EXTRACT = False


def _quiet(data: bytes | str) -> None:
    try:
        extract_checked(data, "fuzz.txt") if EXTRACT else read(data)
    except Exception:   # noqa: BLE001
        pass


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", "--cases", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", choices=list(strategies()), help="one strategy")
    p.add_argument("--extract", action="store_true", help="the extractor, article graph and validation too")
    args = p.parse_args(argv)
    global EXTRACT
    EXTRACT = args.extract
    tally = Tally(extract=args.extract)
    for text in corpus()[:3]:          # imports and lazy tables loaded before anything is timed
        tally.run("tokens", text)
    tally.cases = tally.refused = 0
    t0 = time.perf_counter()
    fuzz(args.cases, args.seed, tally, args.only)
    seconds = time.perf_counter() - t0
    refused = "unreadable, or a graph the shapes reject" if args.extract else "refused on purpose"
    print(f"cases             {tally.cases} in {seconds:.0f} s ({tally.refused} {refused})")
    print(f"crashes           {len(tally.crashes)}")
    for kind, data, tb in tally.crashes[:10]:
        print(f"--- {kind}: {data}\n{tb}")
    tally.slowest.sort(key=lambda x: -x[0])
    print(f"longest case      {tally.longest:.1f} ms")
    print("slowest per KB    (inputs of 512 bytes or more: ms per KB, strategy, size)")
    for per_kb, kind, data in tally.slowest[:5]:
        print(f"  {per_kb:8.2f}  {kind:<8} {len(data):>6}")
    print("scaling           (the slowest inputs repeated 1x 2x 4x 8x: seconds; linear doubles)")
    worst = 1.0
    for name, times in scaling([d for _, _, d in tally.slowest[:5]]):
        ratio = (times[-1] / max(times[0], 1e-4)) ** (1 / 3)
        worst = max(worst, ratio)
        print(f"  {' '.join(f'{t:.4f}' for t in times)}  x{ratio:.2f} a doubling  {name}")
    print(f"worst growth      x{worst:.2f} a doubling")
    what = "read, extract, build and validate" if args.extract else "read"
    print(f"real articles     (repeated to 64 KB, 256 KB, 1 MB: seconds to {what}; linear quadruples)")
    for path in CORPUS[:: max(1, len(CORPUS) // 4)][:4]:
        text = path.read_text(encoding="utf-8")
        times = [min(_timed(lambda t=text * max(1, size // len(text)): _quiet(t)) for _ in range(2))
                 for size in (64 << 10, 256 << 10, 1 << 20)]
        growth = (times[-1] / max(times[0], 1e-4)) ** 0.5
        worst = max(worst, growth ** 0.5)
        print(f"  {' '.join(f'{t:.3f}' for t in times)}  x{growth:.2f} a quadrupling  {path.name}")
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
