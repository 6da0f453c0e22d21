"""Issue 9 item 12: hypothesis over the reader and the extractor, bounded; bench/fuzz.py runs 100,000 cases.

Every input either reads as an Article whose spans index its text, or is refused with an ArticleError the
reader raised on purpose; nothing else escapes (a bug the reader's safety net would turn into an error too)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from fuzz import extract_checked, read, strategies  # noqa: E402

STRATEGIES = strategies()


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_the_reader_reads_or_refuses_whatever_it_is_given(kind: str) -> None:
    name = "fuzz.html" if kind == "html" else "fuzz.json" if kind == "json" else "fuzz.txt"

    @settings(max_examples=250, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[kind])
    def reads_or_refuses(data: bytes | str) -> None:
        read(data, name)

    reads_or_refuses()


@pytest.mark.parametrize("data", [b"date 2022-13-45 Nowhere\n\nHeadline\n\nA paragraph of the story.\n",
                                  "\ufeff\r\n\r\n<p>only a tag", b"\xff\xfe\x00x", "{\"articleBody\": [1, {}]}",
                                  "<html><body><h1>Talks<p>One<p>Two", "---\ntitle: x\n---\n" * 3])
def test_inputs_that_broke_readers_before(data: bytes | str) -> None:
    read(data)


@pytest.mark.parametrize("kind", ["mutated", "tokens", "html"])
def test_the_extractor_reports_only_spans_that_hold_the_text(kind: str) -> None:
    name = "fuzz.html" if kind == "html" else "fuzz.txt"

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[kind])
    def extracts_or_refuses(data: bytes | str) -> None:
        extract_checked(data, name)

    extracts_or_refuses()


def test_the_span_check_sees_the_spans_of_a_real_articles_findings() -> None:
    from fuzz import CORPUS, _worker, spans_of
    path = next(p for p in CORPUS if p.suffix == ".txt")
    assert extract_checked(path.read_bytes(), path.name)
    findings = _worker().build(path.name, path.read_bytes()).findings
    assert len(list(spans_of(findings))) > 10
