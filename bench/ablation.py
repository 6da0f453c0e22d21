"""Ablation: which extraction rules change which scores on the graded sets.

Every rule is switched off in turn and every graded article rescored as ``score.py`` scores it:

- each row of the trigger lexicon (kg/data/triggers.tsv), by its id;
- each item of each shared word list or pattern (kg/extract/patterns.py LISTS), as ``list[index]``.

    python bench/ablation.py                          # the sets in tests/kg/data/eval
    python bench/ablation.py --set ../shared/eval/extra --only lexicon
    python bench/ablation.py --jobs 2 --out ablation.tsv

Prints the baseline, then one line per rule that changes any score (the change of overall F1 per set and the
fields that moved), then how many rules change nothing: those are candidates for deletion.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import patterns, triggers  # noqa: E402

EVAL = ROOT / "tests" / "kg" / "data" / "eval"
DEFAULT_SETS = ("dev", "web", "regression", "regression2")
Scores = dict[str, dict[str, float]]          # set -> field -> F1 (and "overall")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_STATE: dict[str, object] = {}


def _init(sets: list[str]) -> None:
    from kg.iris import Minter
    from kg.pipeline import Worker
    score = _scorer()
    articles = []
    for folder in sets:
        path = Path(folder) if "/" in folder else EVAL / folder
        for gold_file in sorted((path / "gold").glob("*.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            articles.append((path.name, gold, str(score.find_article(path / "articles", gold_file.stem))))
    _STATE.update(worker=Worker(Minter().base), score=score, articles=articles)


def _measure() -> Scores:
    score, worker = _STATE["score"], _STATE["worker"]
    tallies: dict[str, dict[str, list[int]]] = {}
    for name, gold, path in _STATE["articles"]:  # type: ignore[attr-defined]
        tally = tallies.setdefault(name, {})
        score.score_article(gold, worker.summary(path), tally, {})  # type: ignore[attr-defined]
    out: Scores = {}
    for name, tally in tallies.items():
        f1 = {}
        for field in score.SET_FIELDS:  # type: ignore[attr-defined]
            n_gold, n_pred, hits = tally.get(field, [0, 0, 0])
            p = hits / n_pred if n_pred else (1.0 if not n_gold else 0.0)
            r = hits / n_gold if n_gold else (1.0 if not n_pred else 0.0)
            f1[field] = 2 * p * r / (p + r) if p + r else 0.0
        f1["overall"] = sum(f1.values()) / len(f1)
        out[name] = f1
    return out


def rules(only: str | None) -> list[str]:
    out = []
    if only in (None, "lexicon"):
        out += [f"lexicon:{r.id}" for r in triggers.load()]
    if only in (None, "lists"):
        out += [f"list:{name}[{i}]" for name, items in patterns.LISTS.items() for i in range(len(items))]
    return out


def _without(rule: str) -> tuple[str, Scores]:
    kind, _, ref = rule.partition(":")
    if kind == "lexicon":
        triggers.switch_off(ref)
    else:
        name, _, index = ref.partition("[")
        patterns.switch_off(name, int(index.rstrip("]")))
    try:
        return rule, _measure()
    finally:
        triggers.reset()
        patterns.reset()


def _describe(rule: str) -> str:
    kind, _, ref = rule.partition(":")
    if kind == "list":
        name, _, index = ref.partition("[")
        return f"{rule} ({patterns.LISTS[name][int(index.rstrip(']'))]!r})"
    return rule


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", action="append", dest="sets",
                   help="a graded set: a name under tests/kg/data/eval, or a path")
    p.add_argument("--only", choices=("lexicon", "lists"))
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--out", type=Path, help="also write every rule's deltas here (TSV)")
    args = p.parse_args(argv)
    sets = args.sets or list(DEFAULT_SETS)
    _init(sets)
    base = _measure()
    print("baseline  " + "  ".join(f"{s} {v['overall']:.3f}" for s, v in base.items()))
    todo = rules(args.only)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(sets,)) as pool:
            results = list(pool.map(_without, todo, chunksize=4))
    else:
        results = [_without(r) for r in todo]
    idle, rows = [], []
    for rule, scores in results:
        deltas = {s: {f: scores[s][f] - base[s][f] for f in base[s]} for s in base}
        moved = [(s, f, d) for s, fs in deltas.items() for f, d in fs.items() if abs(d) > 1e-9 and f != "overall"]
        rows.append((rule, deltas))
        if not moved:
            idle.append(rule)
            continue
        overall = "  ".join(f"{s} {deltas[s]['overall']:+.3f}" for s in base)
        fields = ", ".join(f"{s}.{f} {d:+.2f}" for s, f, d in moved)
        print(f"{_describe(rule)}\n    without it: {overall}  ({fields})")
    print(f"\n{len(todo)} rules; {len(todo) - len(idle)} change a score, {len(idle)} change nothing:")
    for rule in idle:
        print(f"  {_describe(rule)}")
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            fh.write("rule\tset\tfield\tdelta\n")
            for rule, deltas in rows:
                for s, fs in deltas.items():
                    for f, d in fs.items():
                        fh.write(f"{rule}\t{s}\t{f}\t{d:.4f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
