"""SPARQL's lexical terminals, read in linear time: the one tokenizer of the project's SPARQL readers
(kg.setquery's rewriter, api.sparqltext's checks).

Comments end at CR or LF; codepoint escapes are the caller's to decode first (``unescape``). A run of name
characters is read once, whole: a prefixed name when a ':' follows its prefix, a word otherwise, and a
trailing '.' (which ends a triple, never a name) is given back. Reading each run once keeps the time linear;
a pattern that retried the run from every position inside it took minutes on 64 KB of "a.a.a.".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKEN = re.compile(rf"""
    (?P<skip>\s+|\#[^\r\n]*)
    |(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]\w+)
    |(?P<bnode>_:\w[\w.-]*)
    |(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<dt>\^\^)
    |(?P<num>[+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+(?:[eE][+-]?\d+)?))
    |(?P<run>(?:[^\W\d_][\w.-]*)?:(?:(?:[\w:]|{_PLX})(?:[\w.:-]|{_PLX})*)?|[^\W\d][\w.-]*)
    |(?P<punct>\|\||&&|!=|<=|>=|.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str     # string iri var bnode lang dt num pname word punct
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    pos, size = 0, len(text)
    while pos < size:
        m = _TOKEN.match(text, pos)
        assert m is not None   # the last alternative matches any character
        kind, value = m.lastgroup or "punct", m.group()
        if kind in ("run", "bnode"):
            value = value.rstrip(".") or value
            if kind == "run":
                kind = "pname" if ":" in value else "word"
        if kind != "skip":
            out.append(Tok(kind, value, pos, pos + len(value)))
        pos += len(value)
    return out


def unescape(text: str) -> str:
    r"""The text with its \u and \U codepoint escapes decoded, as SPARQL does before it parses."""
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)
    return _CODEPOINT.sub(char, text)
