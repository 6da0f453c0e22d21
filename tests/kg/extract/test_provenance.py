"""The extractor is not fitted to the articles it is judged on: no comment, docstring or test of the extraction
quotes a graded article (seven words in a row in common)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EVAL = ROOT / "tests" / "kg" / "data" / "eval"
N = 7


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def test_no_extraction_code_or_test_quotes_a_graded_article() -> None:
    grams: dict[tuple[str, ...], str] = {}
    for article in EVAL.glob("*/articles/*"):
        w = _words(article.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(w) - N + 1):
            grams.setdefault(tuple(w[i:i + N]), article.name)
    assert len(grams) > 10_000
    # The reader's furniture.tsv is left out: it names publishing systems' own boilerplate (comment forms,
    # consent banners), which pages share word for word.
    data = [p for p in (ROOT / "kg" / "data").glob("*.tsv") if p.name != "furniture.tsv"]
    sources = [*(ROOT / "kg" / "extract").glob("*.py"), *(ROOT / "tests" / "kg" / "extract").glob("*.py"),
               ROOT / "tests" / "kg" / "test_extract.py", *data]
    found = []
    for path in sources:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            w = _words(line)
            hit = next((grams[g] for i in range(len(w) - N + 1) if (g := tuple(w[i:i + N])) in grams), None)
            if hit is not None:
                found.append(f"{path.relative_to(ROOT)}:{n} quotes {hit}")
    assert found == []
