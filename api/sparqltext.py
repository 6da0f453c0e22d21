"""What the server must know about a SPARQL text before running it, read with a small lexer.

pyoxigraph parses and evaluates; this module only finds the keywords the protocol cares about (the
query form, FROM, SERVICE, LOAD, USING/WITH, a top-level LIMIT), skipping strings, IRIs, comments,
variables and prefixed names, so that ``?from`` or ``"SERVICE"`` never count.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<skip>\#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"
        |<[^<>"{}|^`\\\x00-\x20]*>|[?$]\w+|(?:[A-Za-z][\w.-]*)?:[\w.:%\\-]*|_:[\w.-]+|\s+)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<int>\d+)
    |(?P<open>[{(\[])
    |(?P<close>[})\]])
    |(?P<other>.)
""", re.VERBOSE | re.DOTALL)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str        # word | int | open | close | other
    text: str
    start: int
    depth: int       # brace/bracket depth before the token

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[Token]:
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "skip":
            continue
        if kind == "close":
            depth = max(0, depth - 1)
        yield Token(kind, m.group(), m.start(), depth)
        if kind == "open":
            depth += 1


@dataclass(frozen=True, slots=True)
class QueryInfo:
    form: str | None          # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if not found
    has_dataset: bool         # FROM or FROM NAMED
    has_service: bool
    limit: int | None         # the outermost LIMIT, if any


def inspect_query(text: str) -> QueryInfo:
    form = None
    has_dataset = has_service = False
    limit = None
    toks = list(tokens(text))
    for i, tok in enumerate(toks):
        kw = tok.keyword
        if form is None and kw in FORMS and tok.depth == 0:
            form = kw
        elif kw == "FROM":
            has_dataset = True
        elif kw == "SERVICE":
            has_service = True
        elif kw == "LIMIT" and tok.depth == 0 and i + 1 < len(toks) and toks[i + 1].kind == "int":
            limit = int(toks[i + 1].text)
    return QueryInfo(form, has_dataset, has_service, limit)


@dataclass(frozen=True, slots=True)
class UpdateInfo:
    has_load: bool
    has_service: bool
    has_dataset: bool         # USING, USING NAMED or WITH
    where_positions: tuple[int, ...]   # offsets of each top-level WHERE of a DELETE/INSERT ... WHERE


def inspect_update(text: str) -> UpdateInfo:
    has_load = has_service = has_dataset = False
    wheres: list[int] = []
    previous = ""
    for tok in tokens(text):
        kw = tok.keyword
        if kw == "LOAD":
            has_load = True
        elif kw == "SERVICE":
            has_service = True
        elif kw in ("USING", "WITH"):
            has_dataset = True
        elif kw == "WHERE" and tok.depth == 0 and previous != "DELETE":
            wheres.append(tok.start)
        if tok.kind == "word":
            previous = kw
        elif tok.depth == 0 and tok.kind == "other" and tok.text == ";":
            previous = ""
    return UpdateInfo(has_load, has_service, has_dataset, tuple(wheres))


def with_using(text: str, info: UpdateInfo, default: list[str], named: list[str]) -> str:
    """Give every DELETE/INSERT ... WHERE the protocol's dataset as USING clauses (SPARQL 1.1 Protocol 2.2.3)."""
    clause = "".join(f"USING <{g}> " for g in default) + "".join(f"USING NAMED <{g}> " for g in named)
    out, at = [], 0
    for pos in info.where_positions:
        out.append(text[at:pos])
        out.append(clause)
        at = pos
    out.append(text[at:])
    return "".join(out)
