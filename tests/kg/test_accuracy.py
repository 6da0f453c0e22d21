"""The extractor's accuracy on the graded sets, scored as ../shared/eval scores it.

``dev`` and ``web`` are copies of ``../shared/eval/dev`` and ``../shared/eval/web``; ``regression`` and
``regression2`` are the project's own sets, whose misses have guided changes. The floors sit a little under
the figures last measured, so that a change that makes extraction worse fails here.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from kg.iris import Minter
from kg.pipeline import Worker

EVAL = Path(__file__).parent / "data" / "eval"
# set -> (overall F1 floor, F1 floor for every field, floor for the precision of events)
FLOORS = {"dev": (0.96, 0.87, 0.95), "web": (0.855, 0.77, 0.95), "regression": (0.845, 0.72, 0.90),
          "regression2": (0.845, 0.76, 0.92)}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def worker() -> Worker:
    return Worker(Minter().base)


def _score(worker: Worker, folder: Path) -> tuple[dict[str, float], float]:
    score = _scorer()
    tally: dict[str, list[int]] = {}
    extra: dict[str, list[int]] = {}
    for gold_file in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        article = score.find_article(folder / "articles", gold_file.stem)
        score.score_article(gold, worker.summary(str(article)), tally, extra)
    f1: dict[str, float] = {}
    for field in score.SET_FIELDS:
        n_gold, n_pred, hits = tally.get(field, [0, 0, 0])
        p = hits / n_pred if n_pred else (1.0 if not n_gold else 0.0)
        r = hits / n_gold if n_gold else (1.0 if not n_pred else 0.0)
        f1[field] = 2 * p * r / (p + r) if p + r else 0.0
    f1["overall"] = sum(f1[f] for f in score.SET_FIELDS) / len(score.SET_FIELDS)
    _, n_pred, hits = tally.get("events", [0, 0, 0])
    return f1, hits / n_pred if n_pred else 1.0


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_graded_sets_stay_accurate(worker: Worker, folder: str) -> None:
    overall, each, precision = FLOORS[folder]
    f1, events_precision = _score(worker, EVAL / folder)
    assert f1["overall"] >= overall, f1
    assert all(v >= each for v in f1.values()), f1
    assert events_precision >= precision, events_precision
