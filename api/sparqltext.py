"""What the server must know about a SPARQL text before running it. Runs in the worker processes, never
on the event loop.

Two kinds of question, answered two ways:

- *Would it fetch?* (SERVICE in a query; SERVICE or LOAD in an update) is decided on a real parse
  (rdflib's SPARQL parser), run whenever the word appears anywhere in the text, escapes decoded; a text
  that mentions the word and does not parse is refused. The processes that evaluate SPARQL cannot open
  a network socket in any case (kg.sandbox): this check only turns an attempt into a clear 400.
- *Where are FROM, USING/WITH and the WHERE of each operation; how deep does it nest?* is read by a
  lexer that follows the grammar's terminals (comments end at CR or LF, codepoint escapes decoded first,
  escaped characters in prefixed names, long strings with escapes). It runs in linear time.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.sparqllex import Tok, tokens, unescape

# Nesting of (), {}, [] plus any run of unary operators or triple-term marks ("!!!!x", "<< <<"): the parsers
# recurse on each level, and pyoxigraph's overflows its stack (a segfault) some thousands of levels down.
MAX_DEPTH = 128
_UNARY = frozenset("!+-^<")

_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


@dataclass(frozen=True, slots=True)
class Token:
    tok: Tok
    depth: int       # bracket depth before the token

    @property
    def keyword(self) -> str:
        return self.tok.word


def depths(text: str) -> Iterator[Token]:
    depth = 0
    for tok in tokens(text):
        if tok.kind == "punct" and tok.text in _CLOSE:
            depth = max(0, depth - 1)
        yield Token(tok, depth)
        if tok.kind == "punct" and tok.text in _OPEN:
            depth += 1


class TooDeep(ValueError):
    pass


def _checked(text: str) -> Iterator[Token]:
    run = 0
    for tok in depths(text):
        run = run + 1 if tok.tok.kind == "punct" and tok.tok.text in _UNARY else 0
        if tok.depth + run >= MAX_DEPTH:
            raise TooDeep(f"the request nests brackets or operators more than {MAX_DEPTH} deep")
        yield tok


@dataclass(frozen=True, slots=True)
class QueryInfo:
    has_dataset: bool         # FROM or FROM NAMED


def inspect_query(text: str) -> QueryInfo:
    """Raises TooDeep for a text nested past MAX_DEPTH."""
    has_dataset = False
    for tok in _checked(unescape(text)):
        has_dataset = has_dataset or tok.keyword == "FROM"
    return QueryInfo(has_dataset)


@dataclass(frozen=True, slots=True)
class UpdateInfo:
    text: str                          # the update with its codepoint escapes decoded: positions index it
    has_dataset: bool                  # USING, USING NAMED or WITH
    where_positions: tuple[int, ...]   # offsets of each top-level WHERE of a DELETE/INSERT ... WHERE


def inspect_update(text: str) -> UpdateInfo:
    """Raises TooDeep for a text nested past MAX_DEPTH."""
    text = unescape(text)
    has_dataset = False
    wheres: list[int] = []
    previous = ""
    for tok in _checked(text):
        kw = tok.keyword
        if kw in ("USING", "WITH"):
            has_dataset = True
        elif kw == "WHERE" and tok.depth == 0 and previous != "DELETE":
            wheres.append(tok.tok.start)
        if tok.tok.kind == "word":
            previous = kw
        elif tok.depth == 0 and tok.tok.kind == "punct" and tok.tok.text == ";":
            previous = ""
    return UpdateInfo(text, has_dataset, tuple(wheres))


def with_using(info: UpdateInfo, default: list[str], named: list[str]) -> str:
    """Give every DELETE/INSERT ... WHERE the protocol's dataset as USING clauses (SPARQL 1.1 Protocol 2.2.3).
    The IRIs must have been checked as absolute IRIs (no '>' can end the clause early)."""
    clause = "".join(f"USING <{g}> " for g in default) + "".join(f"USING NAMED <{g}> " for g in named)
    out, at = [], 0
    for pos in info.where_positions:
        out.append(info.text[at:pos])
        out.append(clause)
        at = pos
    out.append(info.text[at:])
    return "".join(out)


# -- the real parse -------------------------------------------------------------------------------------------

_FETCHING = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


class Refused(ValueError):
    """The request would fetch from elsewhere, or mentions doing so and cannot be checked."""


def _names(tree: Any, found: set[str]) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            found.add(x.name)
            stack.extend(x.values())
        elif isinstance(x, list | tuple | ParseResults):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
    return found


def _parse(text: str, update: bool, why: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    # SPARQL ends a comment at CR as at LF; rdflib only at LF. Structure is all this parse is for, and a CR
    # can stand nowhere else but in whitespace, comments and long strings, so LF in its place is the same.
    text = text.replace("\r", "\n")
    try:
        return parseUpdate(text) if update else parseQuery(text)
    except RecursionError:
        raise TooDeep("the request nests too deeply to be parsed") from None
    except Exception as exc:   # pyparsing raises its own exception classes, and rdflib a few more
        raise Refused(f"{why}, and it does not parse: {first_line(str(exc))}") from None


def refuse_fetching(text: str, *, update: bool, modify_count: int | None = None) -> None:
    """Raise Refused if the text would make the server fetch a URL (SERVICE; LOAD in an update).

    With ``modify_count``, an update is also parsed to check that it has that many DELETE/INSERT ... WHERE
    operations (the lexer's count, on which the protocol's USING clauses are placed)."""
    words = ("service", "load") if update else ("service",)
    folded = (text + "\n" + unescape(text)).casefold()
    if not any(w in folded for w in words) and modify_count is None:
        return
    tree = _parse(text, update, "the request must be checked before it runs (it mentions "
                  f"{' or '.join(w.upper() for w in words)}, or has using-graph-uri parameters)")
    names = _names(tree, set())
    for name, keyword in _FETCHING.items():
        if name in names:
            raise Refused(f"{keyword} is not allowed: this server never fetches data from elsewhere")
    if modify_count is not None:
        modifies = sum(1 for op in tree.request if getattr(op, "name", "") == "Modify")
        if modifies != modify_count:
            raise Refused("cannot apply using-graph-uri/using-named-graph-uri to this update: give the dataset "
                          "with USING clauses in the update instead")


XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, slots=True)
class Checked:
    text: str                 # what may be sent: the request with its codepoint escapes decoded
    form: str                 # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE
    has_dataset: bool         # FROM or FROM NAMED


@functools.lru_cache(maxsize=512)
def check_remote(text: str, *, update: bool) -> Checked:
    """The check every request passes before it is sent to a remote store, which would itself run a SERVICE,
    a LOAD or an extension function (Virtuoso's ``bif:`` functions reach files and the network).

    The text is parsed whole, always, after its codepoint escapes are decoded (as SPARQL decodes them before
    parsing) and its comments and strings written one way (``canonical``), and that text is what is sent, so
    the store parses what was checked. Refused: SERVICE, LOAD, any function called by IRI but the XSD casts, and
    any text the parser does not accept whole. (The parse takes milliseconds: a text seen lately is not parsed
    again.)"""
    decoded = canonical(unescape(text))
    tree = _parse(decoded, update, "a request to the store must be checked before it is sent")
    names = _names(tree, set())
    for name, keyword in _FETCHING.items():
        if name in names:
            raise Refused(f"{keyword} is not allowed: this server never fetches data from elsewhere")
    prefixes = _prefixes(tree)
    for iri in _functions(tree, prefixes):
        if iri is None or not iri.startswith(XSD):
            raise Refused("extension functions are not run by this server's store: only SPARQL's own functions "
                          "and XSD casts may be called")
    if update:
        return Checked(decoded, "UPDATE", False)
    query = tree[1]
    return Checked(decoded, query.name.removesuffix("Query").upper(), "datasetClause" in query)


def _field(node: Any, key: str) -> str:
    return str(node[key]) if key in node else ""     # CompValue.get answers a missing key with the key


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def canonical(text: str) -> str:
    """The text without its comments and with every string literal written ``"..."``, escapes for ``"``, ``\\``,
    line feed and carriage return only. The same query, with nothing left that two parsers may read apart:
    Virtuoso ends a comment at a line feed only (SPARQL at a carriage return too), and ends a long string
    with an escaped quote early (measured). Between tokens, whitespace and comments become one space or line."""
    out, at = [], 0
    for tok in tokens(text):
        gap = text[at:tok.start]
        if gap:
            out.append(" " if gap.isspace() and "\n" not in gap and "\r" not in gap else "\n")
        out.append(_string(tok.text) if tok.kind == "string" else tok.text)
        at = tok.end
    return "".join(out)


def _string(literal: str) -> str:
    q = 3 if literal[:3] in ("'''", '"""') else 1
    body = literal[q:-q]
    if re.search(r'\\[^tbnrf"\'\\]', body):
        return literal                       # not a valid string: left for the parser to refuse
    value = re.sub(r"\\(.)", lambda e: _ECHAR[e.group(1)], body, flags=re.DOTALL)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _prefixes(tree: Any) -> dict[str, str]:
    from rdflib.plugins.sparql.parserutils import CompValue
    found: dict[str, str] = {}
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            if x.name == "PrefixDecl":
                found[_field(x, "prefix")] = str(x["iri"])
            stack.extend(x.values())
        elif isinstance(x, list | tuple) or type(x).__name__ == "ParseResults":
            stack.extend(x)
    return found


def _functions(tree: Any, prefixes: dict[str, str]) -> list[str | None]:
    """The IRI of every function call (None where a prefix is not declared)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    out: list[str | None] = []
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            if x.name == "Function":
                iri = x["iri"]
                if isinstance(iri, CompValue):       # a prefixed name
                    ns = prefixes.get(_field(iri, "prefix"))
                    out.append(None if ns is None else ns + _field(iri, "localname"))
                else:
                    out.append(str(iri))
            stack.extend(x.values())
        elif isinstance(x, list | tuple) or type(x).__name__ == "ParseResults":
            stack.extend(x)
    return out


def first_line(message: str, limit: int = 300) -> str:
    line = next((s.strip() for s in message.splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[:limit] + "…"
