"""Text units with offsets: tokens, quotations and sentences, all indexing ``Article.text``."""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract import patterns
from kg.model import Article, Span

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w’'.\-]*[^\W_])?\.?|[^\w\s]", re.UNICODE)
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset("""mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep pres st jr sr no vs
    jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd dept mt ft h.e""".split())
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_MARKS = re.compile('["“„«”»]')
_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=[^\s’'])(.+?)(?<=[^\s‘'])[’'](?![\w‘'])")     # 'single' or ‘curly’ quotes
_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9À-ÖØ-Þ])")                 # where a sentence may end


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names: 'Gülşen' -> 'gulsen'."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


_KEYS: dict[str, tuple[str, bool]] = {}       # a token's text -> its key and whether it is capitalised


class Token:
    """A word or punctuation mark; ``key`` is its folded form for lookups."""

    __slots__ = ("begin", "end", "text", "key", "is_cap")

    def __init__(self, begin: int, end: int, text: str) -> None:
        self.begin, self.end, self.text = begin, end, text
        info = _KEYS.get(text)
        if info is None:
            if len(_KEYS) > 200_000:
                _KEYS.clear()                           # names and numbers never repeat: keep the table small
            info = _KEYS[text] = (fold(text.rstrip(".")) if len(text) > 1 else fold(text), text[:1].isupper())
        self.key, self.is_cap = info

    def __repr__(self) -> str:
        return f"Token({self.begin}, {self.end}, {self.text!r})"


@dataclass(slots=True)
class Quotation:
    begin: int                      # offset of the first quoted character (after the opening mark)
    end: int                        # offset just after the last quoted character
    text: str
    open_mark: int                  # offset of the opening quote mark
    close_mark: int                 # offset of the closing quote mark (or the end, if never closed)


@dataclass(slots=True)
class Sentence:
    begin: int
    end: int
    text: str
    paragraph: int                  # index into Article.paragraphs; -1 for the headline, -2 for a photo caption
    tokens: list[Token] = field(default_factory=list)
    begins: list[int] = field(default_factory=list)   # where each token begins (for bisection)

    def span(self) -> Span:
        return Span(self.begin, self.end, self.text)


def tokenize(text: str, begin: int, end: int) -> list[Token]:
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(text, begin, end):
        tok = m.group()
        b, e = m.span()
        if len(tok) > 2 and tok[-2] in "’'" and tok[-1] in "sS":
            append(Token(b, e - 2, tok[:-2]))
            append(Token(e - 2, e, tok[-2:]))            # the possessive: "Berg’s" -> "Berg", "’s"
        elif tok[-1] == "." and len(tok) > 1 and not _keeps_stop(tok):
            append(Token(b, e - 1, tok[:-1]))             # a full stop belongs to abbreviations and initials only
            append(Token(e - 1, e, "."))
        else:
            append(Token(b, e, tok))
    return out


def _keeps_stop(tok: str) -> bool:
    core = tok[:-1]
    if len(core) == 1 and core.isupper():
        return True                                # an initial: "David J. Francis"
    if "." in core:
        return True                                # "U.S.", "a.m."
    return core.casefold() in _ABBREV


def blank(text: str, offset: int, ranges: list[tuple[int, int]]) -> str:
    """``text`` (which starts at ``offset``) with the characters inside ``ranges`` (inclusive) blanked."""
    chars = list(text)
    end = offset + len(text)
    for a, b in ranges:
        for k in range(max(a, offset), min(b + 1, end)):
            chars[k - offset] = " "
    return "".join(chars)


def quotations(text: str, paragraphs: list[Span]) -> list[Quotation]:
    """Pair quotation marks; a quotation left open at a paragraph's end runs on into the next one."""
    out: list[Quotation] = []
    open_at: int | None = None
    for para in paragraphs:
        i = para.begin
        if open_at is not None and text[i:i + 1] in ('"', *_OPEN_DOUBLE):
            i += 1                                 # the conventional re-opening mark of a continued quote
        for mark in _MARKS.finditer(text, i, para.end):
            i, c = mark.start(), mark.group(0)
            if open_at is None:
                if c in _OPEN_DOUBLE or (c == '"' and _opens(text, i)):
                    open_at = i
            elif c in _CLOSE_DOUBLE or c == '"':
                out.append(_quotation(text, open_at, i))
                open_at = None
    if open_at is not None:
        last = paragraphs[-1].end if paragraphs else len(text)
        out.append(_quotation(text, open_at, last))
    out.extend(_single_quotations(text, paragraphs, out))
    out.sort(key=lambda q: q.open_mark)
    return out


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isspace() and (before.isspace() or before in "([{—–-:")


def _quotation(text: str, open_mark: int, close_mark: int) -> Quotation:
    b, e = open_mark + 1, close_mark
    while b < e and text[b].isspace():
        b += 1
    while e > b and text[e - 1].isspace():
        e -= 1
    # Final punctuation before the closing mark belongs to the sentence around the quote: '...partnership,"'
    while e > b and text[e - 1] in ",;:":
        e -= 1
    return Quotation(b, e, text[b:e], open_mark, close_mark)


def _single_quotations(text: str, paragraphs: list[Span], doubles: list[Quotation]) -> list[Quotation]:
    """‘Curly’ or 'straight' single quotes used as the outer marks (British style), outside double quotes."""
    inside = [(q.open_mark, q.close_mark) for q in doubles]
    out = []
    for para in paragraphs:
        for m in _SINGLE.finditer(text[para.begin:para.end]):
            b = para.begin + m.start()
            if any(o <= b <= c for o, c in inside):
                continue
            out.append(_quotation(text, b, para.begin + m.end() - 1))
    return out


HEADLINE, CAPTION = -1, -2


def sentences(article: Article, quotes: list[Quotation]) -> list[Sentence]:
    """Sentences of the headline, the story's paragraphs and the photo captions; a sentence never ends inside a
    quotation."""
    text = article.text
    guarded = [(q.open_mark, q.close_mark) for q in quotes]
    attribution = patterns.rx("attribution", 0)
    out: list[Sentence] = []
    units: list[tuple[int, Span]] = []
    if article.headline is not None:
        units.append((HEADLINE, article.headline))
    units.extend(enumerate(article.paragraphs))
    units.extend((CAPTION, c) for c in article.captions)
    for index, para in units:
        start = para.begin
        if index == 0 and article.lead_begin is not None and para.begin <= article.lead_begin < para.end:
            start = article.lead_begin               # the dateline is not part of the first sentence
        for m in _END.finditer(text[para.begin:para.end]):
            stop = para.begin + m.end()
            dot = para.begin + m.start()
            if any(o < stop - 1 < c for o, c in guarded):
                continue                             # inside a quotation: '"... sector. We welcome ..."'
            if text[stop - 1] in "\"”’'" and attribution.match(text, stop, min(para.end, stop + 100)):
                continue                             # '"We are ready!" Berg said.'

            word = re.search(r"([\w.]+)\.$", text[start:dot + 1])
            if word and text[dot] == "." and _keeps_stop(word.group(1) + "."):
                continue
            out.append(_sentence(text, start, stop, index))
            start = stop
        if start < para.end:
            out.append(_sentence(text, start, para.end, index))
    return [s for s in out if s.text]


def _sentence(text: str, begin: int, end: int, paragraph: int) -> Sentence:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    tokens = tokenize(text, begin, end)
    return Sentence(begin, end, text[begin:end], paragraph, tokens, [t.begin for t in tokens])


class Cover:
    """Spans of a text, merged as they are added, so that whether an offset lies in one takes log time."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._begins: list[int] = []
        self._ends: list[int] = []
        for begin, end in spans:
            self.add(begin, end)

    def add(self, begin: int, end: int) -> None:
        if begin >= end:
            return
        lo = bisect.bisect_left(self._ends, begin)      # the first span that ends at or after ``begin``
        hi = bisect.bisect_right(self._begins, end)     # past the last span that begins at or before ``end``
        if lo < hi:
            begin, end = min(begin, self._begins[lo]), max(end, self._ends[hi - 1])
        self._begins[lo:hi] = [begin]
        self._ends[lo:hi] = [end]

    def __contains__(self, offset: int) -> bool:
        k = bisect.bisect_right(self._begins, offset) - 1
        return k >= 0 and offset < self._ends[k]
