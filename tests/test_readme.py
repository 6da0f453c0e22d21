"""Issue 9 item 11: the README documents what a newcomer runs into: every CLI option, setting, make target,
route and the summary JSON's fields, so a new one cannot be added without saying what it does."""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from kg.cli import _parser
from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _options() -> list[tuple[str, str]]:
    out = []
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        for action in parser._actions:
            out += [(name, o) for o in action.option_strings if o.startswith("--") and o != "--help"]
    return out


@pytest.mark.parametrize("command, option", _options())
def test_every_cli_option_is_documented(command: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), f"kg {command} {option} is not in README.md"


def _settings() -> set[str]:
    names: set[str] = set()
    for path in [*(ROOT / "kg").glob("*.py"), *(ROOT / "api").glob("*.py")]:
        names |= set(re.findall(r"\"(KG_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    return names


def test_every_setting_is_in_the_configuration_table() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(KG_[A-Z_]+)` \|", table, re.MULTILINE))
    assert _settings() <= documented, sorted(_settings() - documented)
    assert {"KG_ARTICLE_TIMEOUT", "KG_MAX_ARTICLE", "KG_WORKER_MEMORY"} <= documented
    assert Settings().article_timeout > 0


def test_every_make_target_and_variable_is_documented() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)
    assert targets is not None
    for target in targets.group(1).split():
        assert f"make {target}" in README, f"make {target} is not in README.md"
    for variable in re.findall(r"^(\w+) \?=", makefile, re.MULTILINE):
        if variable in ("HOST", "PORT"):
            assert re.search(rf"make run [^\n]*{variable}=", README), f"make run {variable}= is not in README.md"


def test_every_route_is_in_the_route_table() -> None:
    source = (ROOT / "api" / "app.py").read_text(encoding="utf-8")
    table = README.split("| route | what |", 1)[1].split("\n\n", 1)[0]
    for path in re.findall(r'route\("(/[^"{]*)', source):
        if path in ("/docs", "/", "/static"):
            continue
        assert f"{path.rstrip('/')}" in table, f"{path} is not in the README's route table"


def test_the_summary_json_is_documented_field_by_field(seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main
    assert main(["extract", "--summary", str(seed_path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    section = README.split("## The summary JSON", 1)[1].split("\n## ", 1)[0]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    documented = json.loads(re.sub(r"\s+//[^\n]*", "", block))
    assert set(documented) == set(summary)
    for key in ("persons", "events", "agreements", "quotes"):
        if summary[key] and documented[key]:
            assert set(documented[key][0]) == set(summary[key][0]), key


def test_the_example_queries_are_named_as_the_commands_read_them() -> None:
    for name in ("people.rq", "events.rq"):
        said = re.search(rf"[Ss]ave\s+(the\s+query|it)\s+as\s+`{name}`", README)
        used = re.search(rf"@{name}", README)
        assert said and used and said.start() < used.start(), f"the README uses {name} before saying to save it"
