"""Ablation: which extraction rules change which scores on the graded sets, and which only the tests need.

Every rule is switched off in turn and every graded article rescored as ``score.py`` scores it. The rules are

- each row of the trigger lexicon (kg/data/triggers.tsv): ``lexicon:<id>``;
- each shared word list and pattern of kg/extract/patterns.py as a whole, ``pattern:<name>``, and each item of a
  list, ``list:<name>[i]``;
- each regular expression a module of kg/extract defines, as a whole, ``regex:<module>.<NAME>``, and each
  alternative of each of its groups, ``regex:<module>.<NAME>[g.k]`` (alternative k of the g-th group to close).

``--level rules`` takes lexicon rows, patterns and regular expressions as wholes; ``--level alternatives`` takes
lexicon rows, list items and regex alternatives (the issue's measure); ``--level all`` (default) takes both.
With ``--tests``, each rule that changes no score is switched off once more while the extraction tests run
(tests/kg/extract, tests/kg/test_extract.py): a rule a test needs is reported as such, not as idle.

    python bench/ablation.py                          # the sets in tests/kg/data/eval
    python bench/ablation.py --set ../shared/eval/extra --level rules
    python bench/ablation.py --jobs 2 --tests --out ablation.tsv
    python bench/ablation.py --jobs 2 --tests --out ablation.tsv --resume     # after an interruption

Prints the baseline, then one line per rule that changes any score (the change of overall F1 per set and the
fields that moved), then the rules only the tests need, then the rules that change nothing at all: those are
candidates for deletion.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import io
import json
import pkgutil
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg.extract  # noqa: E402
from kg.extract import patterns, triggers  # noqa: E402

EVAL = ROOT / "tests" / "kg" / "data" / "eval"
DEFAULT_SETS = ("dev", "web", "regression", "regression2")
TESTS = ("tests/kg/extract", "tests/kg/test_extract.py")
Scores = dict[str, dict[str, float]]          # set -> field -> F1 (and "overall")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the regular expressions of kg/extract and their alternatives --------------------------------------------------

def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"kg.extract.{m.name}") for m in pkgutil.iter_modules(kg.extract.__path__)]


def regexes() -> dict[str, re.Pattern[str]]:
    """``module.NAME`` -> each compiled pattern a module of kg/extract defines (named where it is first found)."""
    out: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and id(value) not in seen:
                seen.add(id(value))
                out[f"{module.__name__.rsplit('.', 1)[1]}.{name}"] = value
    return out


def alternatives(pattern: str) -> dict[tuple[int, int], tuple[int, int]]:
    """(g, k) -> the (begin, end) of alternative k of the g-th group with more than one (the whole pattern counts
    as a group; groups are numbered in the order they close)."""
    stack: list[tuple[int, list[int]]] = [(0, [])]
    groups: list[tuple[int, int, list[int]]] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (pattern[i + 1:i + 2] == "^")
            i += pattern[i:i + 1] == "]"
            continue
        elif c == "(":
            i = _group_body(pattern, i)
            stack.append((i, []))
            continue
        elif c == ")":
            begin, bars = stack.pop()
            if bars:
                groups.append((begin, i, bars))
        elif c == "|":
            stack[-1][1].append(i)
        i += 1
    begin, bars = stack.pop()
    if bars:
        groups.append((begin, len(pattern), bars))
    out = {}
    for g, (begin, end, bars) in enumerate(groups):
        edges = [begin - 1, *bars, end]
        out.update({(g, k): (edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)})
    return out


def _group_body(pattern: str, i: int) -> int:
    """Where the body of the group opened at ``i`` begins."""
    j = i + 1
    if pattern[j:j + 1] != "?":
        return j
    if pattern[j + 1:j + 2] in (":", "=", "!"):
        return j + 2
    if pattern[j + 1:j + 3] in ("<=", "<!"):
        return j + 3
    if pattern[j + 1:j + 3] == "P<":
        return pattern.index(">", j) + 1
    return pattern.index(")", j) + 1 if pattern[j + 1:j + 2] != "(" else j


def _without_alternative(pattern: str, begin: int, end: int) -> str:
    """The pattern with the alternative at (begin, end) and one of its bars taken out."""
    if end < len(pattern) and pattern[end] == "|":
        return pattern[:begin] + pattern[end + 1:]
    return pattern[:begin - 1] + pattern[end:]


def _alternative_rules() -> Iterator[str]:
    for name, rx in regexes().items():
        yield from (f"regex:{name}[{g}.{k}]" for g, k in alternatives(rx.pattern))


def _alternative(ref: str) -> tuple[re.Pattern[str], str, tuple[int, int] | None]:
    """The pattern, its name and the span of the alternative a ``regex:`` rule names (None: the whole)."""
    name, _, index = ref.partition("[")
    original = regexes()[name]
    if not index:
        return original, name, None
    g, k = (int(x) for x in index.rstrip("]").split("."))
    return original, name, alternatives(original.pattern)[g, k]


@contextlib.contextmanager
def _regex_off(ref: str) -> Iterator[bool]:
    """Replace the pattern in every module holding it by one without the alternative (or matching nothing)."""
    original, _, span = _alternative(ref)
    text = patterns.NEVER if span is None else _without_alternative(original.pattern, *span)
    try:
        replacement = re.compile(text, original.flags)
    except re.error:
        yield False
        return
    holders = [m for m in _modules() for v in vars(m).values() if v is original]
    attrs = [(m, a) for m in holders for a, v in vars(m).items() if v is original]
    for module, attr in attrs:
        setattr(module, attr, replacement)
    try:
        yield True
    finally:
        for module, attr in attrs:
            setattr(module, attr, original)


# -- rules ---------------------------------------------------------------------------------------------------------

def rules(level: str) -> list[str]:
    out = [f"lexicon:{r.id}" for r in triggers.load()]
    if level in ("rules", "all"):
        out += [f"pattern:{name}" for name in {**patterns.LISTS, **patterns.TEMPLATES}]
        out += [f"regex:{name}" for name in regexes()]
    if level in ("alternatives", "all"):
        out += [f"list:{name}[{i}]" for name, items in patterns.LISTS.items() for i in range(len(items))]
        out += list(_alternative_rules())
    return out


@contextlib.contextmanager
def switched_off(rule: str) -> Iterator[bool]:
    """The extraction with ``rule`` left out; yields False when it cannot be left out (a regex that would not
    compile without the alternative)."""
    kind, _, ref = rule.partition(":")
    if kind == "regex":
        with _regex_off(ref) as done:
            yield done
        return
    if kind == "lexicon":
        off = triggers.without(ref)
    elif kind == "pattern":
        off = patterns.without(ref)
    else:
        name, _, index = ref.partition("[")
        off = patterns.without(name, int(index.rstrip("]")))
    with off:
        yield True


def describe(rule: str) -> str:
    kind, _, ref = rule.partition(":")
    if kind == "list":
        name, _, index = ref.partition("[")
        return f"{rule} ({patterns.LISTS[name][int(index.rstrip(']'))]!r})"
    if kind == "regex" and "[" in ref:
        original, _, (begin, end) = _alternative(ref)  # type: ignore[misc]
        text = original.pattern[begin:end]
        return f"{rule} ({text if len(text) <= 60 else text[:57] + '...'!r})"
    return rule


# -- measuring -----------------------------------------------------------------------------------------------------

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


def _without(rule: str) -> tuple[str, Scores | None]:
    with switched_off(rule) as done:
        if not done:
            return rule, None
        try:
            return rule, _measure()
        except (KeyError, IndexError, AttributeError, TypeError):
            return rule, None                  # the code reads a group of the alternative: it cannot go alone


def _tests_fail(rule: str) -> tuple[str, bool]:
    """Whether an extraction test fails without the rule (a test run that breaks counts as failing)."""
    import pytest
    with switched_off(rule), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
                                "-W", "ignore", *(str(ROOT / t) for t in TESTS)])
        except Exception:  # noqa: BLE001 - any breakage means the tests need the rule
            return rule, True
    return rule, code != 0


def _kind(rule: str) -> str:
    kind = rule.split(":")[0]
    return "lexicon rows" if kind == "lexicon" else f"{kind} {'alternatives' if '[' in rule else 'wholes'}"


def _read(path: Path) -> tuple[dict[str, dict[str, dict[str, float]]], set[str], dict[str, bool]]:
    """What an earlier run wrote to ``path``: deltas per rule, the rules that could not go, the test outcomes."""
    deltas: dict[str, dict[str, dict[str, float]]] = {}
    stuck: set[str] = set()
    tests: dict[str, bool] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            rule, name, field, value = line.split("\t")
            if field == "stuck":
                stuck.add(rule)
            elif field == "tests":
                tests[rule] = value == "fail"
            else:
                deltas.setdefault(rule, {}).setdefault(name, {})[field] = float(value)
    return deltas, stuck, tests


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", action="append", dest="sets",
                   help="a graded set: a name under tests/kg/data/eval, or a path")
    p.add_argument("--level", choices=("rules", "alternatives", "all"), default="all")
    p.add_argument("--only", help="only rules whose name starts with this (lexicon, pattern, list, regex, ...)")
    p.add_argument("--tests", action="store_true", help="run the extraction tests without each idle rule")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--out", type=Path, default=Path("ablation.tsv"),
                   help="where each rule's deltas are written as they come (TSV; default ablation.tsv)")
    p.add_argument("--resume", action="store_true", help="keep what --out already holds and measure the rest")
    args = p.parse_args(argv)
    sets = args.sets or list(DEFAULT_SETS)
    _init(sets)
    base = _measure()
    print("baseline  " + "  ".join(f"{s} {v['overall']:.3f}" for s, v in base.items()), flush=True)
    todo = [r for r in rules(args.level) if not args.only or r.startswith(args.only)]
    deltas, stuck, tests = _read(args.out) if args.resume else ({}, set(), {})
    if not args.resume:
        args.out.write_text("rule\tset\tfield\tdelta\n", encoding="utf-8")
    with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(sets,)) as pool, \
            args.out.open("a", encoding="utf-8") as out:
        for rule, scores in pool.map(_without, [r for r in todo if r not in deltas and r not in stuck], chunksize=4):
            if scores is None:
                stuck.add(rule)
                out.write(f"{rule}\t-\tstuck\t\n")
            else:
                deltas[rule] = {s: {f: scores[s][f] - base[s][f] for f in base[s]} for s in base}
                out.writelines(f"{rule}\t{s}\t{f}\t{d:.4f}\n" for s, fs in deltas[rule].items() for f, d in fs.items())
            out.flush()
        idle = [r for r in todo if r in deltas and _moved(deltas[r]) == []]
        for rule in todo:
            if rule in deltas and (moved := _moved(deltas[rule])):
                overall = "  ".join(f"{s} {deltas[rule][s]['overall']:+.3f}" for s in deltas[rule])
                fields = ", ".join(f"{s}.{f} {d:+.2f}" for s, f, d in moved)
                print(f"{describe(rule)}\n    without it: {overall}  ({fields})")
        if args.tests:
            for rule, fails in pool.map(_tests_fail, [r for r in idle if r not in tests], chunksize=4):
                tests[rule] = fails
                out.write(f"{rule}\t-\ttests\t{'fail' if fails else 'pass'}\n")
                out.flush()
    tested = [r for r in idle if tests.get(r)]
    stuck_here = [r for r in todo if r in stuck]
    counted = len(todo) - len(stuck_here)
    print(f"\n{counted} rules; {counted - len(idle)} change a score, {len(idle)} change none"
          + (f", of which the tests need {len(tested)}" if args.tests else "")
          + (f"; {len(stuck_here)} alternatives cannot be left out alone (the pattern or the code needs them)"
             if stuck_here else ""))
    for kind in sorted({_kind(r) for r in todo}):
        def of(rs: list[str], kind: str = kind) -> int:
            return sum(1 for r in rs if _kind(r) == kind)
        print(f"  {kind:<22} {of(todo) - of(stuck_here):5d} rules, {of(idle):5d} change no score"
              + (f", {of(tested):4d} of these a test needs" if args.tests else ""))
    if tested:
        print("\nChange no score, but a test needs them:")
        for rule in tested:
            print(f"  {describe(rule)}")
    print("\nChange nothing:")
    for rule in idle:
        if rule not in tested:
            print(f"  {describe(rule)}")
    return 0


def _moved(deltas: dict[str, dict[str, float]]) -> list[tuple[str, str, float]]:
    return [(s, f, d) for s, fs in deltas.items() for f, d in fs.items() if abs(d) > 1e-9 and f != "overall"]


if __name__ == "__main__":
    sys.exit(main())
