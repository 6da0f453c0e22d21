"""Helpers for the extraction tests: made-up articles in the plain-text format the reader knows."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from kg import gazetteer as gz
from kg.article import parse_article
from kg.extract import annotate, findings
from kg.extract.doc import Doc
from kg.model import Findings, Span

HEADER = "{headline}\nDiplomatic Courier\n{day}\n\n"


@pytest.fixture(scope="session")
def gaz() -> gz.Gazetteer:
    return gz.load()


def text_of(body: str, day: str = "Saturday 23 April 2022", headline: str = "Leaders meet") -> str:
    return HEADER.format(headline=headline, day=day) + body


@pytest.fixture(scope="session")
def doc(gaz: gz.Gazetteer) -> Callable[..., Doc]:
    """The annotated document of a made-up article; ``captions`` are lines of the body marked as photo captions."""
    def make(body: str, captions: tuple[str, ...] = (), **kw: str) -> Doc:
        text = text_of(body, **kw)
        article = parse_article(text, "test.txt")
        if captions:
            spans = [Span.of(text, text.index(c), text.index(c) + len(c)) for c in captions]
            article.paragraphs = [p for p in article.paragraphs if not any(c.begin <= p.begin < c.end for c in spans)]
            article.captions = spans
        return annotate(article, gaz)
    return make


@pytest.fixture(scope="session")
def found(doc: Callable[..., Doc]) -> Callable[..., Findings]:
    """The published findings of a made-up article (the default confidence threshold applies)."""
    def make(body: str, min_confidence: float = 0.5, **kw: str) -> Findings:
        return findings(doc(body, **kw), min_confidence)
    return make


@pytest.fixture(scope="session")
def asserted() -> Callable[[Findings], list[tuple[str, list[str]]]]:
    """(type, sorted states of the participants) of the events the findings report as happening."""
    def events(f: Findings) -> list[tuple[str, list[str]]]:
        people = {p.key: p.country for p in f.persons}
        return [(e.type, sorted({people.get(p.ref) or p.ref if p.kind == "person" else p.ref for p in e.participants}))
                for e in f.events if e.factuality == "asserted"]
    return events
