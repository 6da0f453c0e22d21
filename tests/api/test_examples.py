"""Every example query the server offers (the YASGUI page) and the README shows returns rows on the seed."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from api.service import EXAMPLES

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> dict[str, str]:
    blocks = re.findall(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return {f"README-{n}": q for n, q in enumerate(blocks, 1)}


QUERIES = {**EXAMPLES, **readme_queries()}


def test_the_readme_has_example_queries() -> None:
    assert len(readme_queries()) >= 2


@pytest.mark.parametrize("name", QUERIES)
def test_example_query_returns_rows_on_the_seed(name: str, seed_client: httpx.Client) -> None:
    r = seed_client.post("/sparql", data={"query": QUERIES[name]},
                         headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    rows = r.json()["results"]["bindings"]
    assert rows, f"{name} returned no rows"
    assert all(row for row in rows), f"{name} returned empty rows"
