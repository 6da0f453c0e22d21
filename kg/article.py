"""Reading articles: the seed wire format, plain text with loose headers, and Markdown.

Offsets of every Span index ``Article.text``: the input decoded (UTF-8, BOM dropped) and otherwise
untouched, so CRLF line endings and curly quotes stay where they were.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from kg.extract.dates import MONTHS, find_dates, parse_date
from kg.markup import Parts, html_parts, json_parts, sniff
from kg.model import Article, ArticleError, Span

_SEED_FIRST = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+(\S[^\r\n]*?)[ \t]*$")
_BYLINE = re.compile(
    r"(?P<author>.*?)\s*Published\s+(?P<date>[A-Z][a-z]+\.? \d{1,2},? \d{4})"
    r"(?:\s*\|\s*(?P<time>\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?))?\s*$"
)
_CAPS_PLACE = r"[A-Z][A-Z'’.\- ]*[A-Z.]"
_DATELINES = (
    # MOSCOW (UrduPoint News / Sputnik - 23rd April, 2022)
    re.compile(rf"(?P<place>{_CAPS_PLACE})\s*\((?P<agency>[^()\r\n]+?)\s*[-–—]\s*(?P<date>[^()\r\n]*\d{{4}})\)\s*"),
    # RAROTONGA, Cook Islands, Thursday 9 November 2023 (Blue Pacific Wire) -
    re.compile(rf"(?P<place>{_CAPS_PLACE}),\s+(?:[A-Z][\w'’-]*\s+){{0,3}}?(?:[A-Z][\w'’-]*,\s+)?(?:\w+day,?\s+)?"
               rf"(?P<date>\d{{1,2}}\s+[A-Z][a-z]+\.?,?\s+\d{{4}}|[A-Z][a-z]{{2,8}}\.? \d{{1,2}},?\s+\d{{4}})"
               r"\s*\((?P<agency>[^()\r\n]+)\)\s*[-–—]+\s*"),
    # CARACAS, Nov 1 (Andes Wire) -
    re.compile(rf"(?P<place>{_CAPS_PLACE}),\s+(?P<date>[A-Z][a-z]{{2,8}}\.? \d{{1,2}}(?:, \d{{4}})?)"
               r"\s*\((?P<agency>[^()\r\n]+)\)\s*[-–—]+\s*"),
    # CANBERRA — / BEIJING - / PARIS, April 3 —
    re.compile(rf"(?P<place>{_CAPS_PLACE})(?:,\s+(?P<date>[A-Z][a-z]{{2,8}}\.? \d{{1,2}}(?:, \d{{4}})?))?"
               r"\s*(?:\((?P<agency>[^()\r\n]+)\))?\s+[-–—]+\s+"),
)
_PUBLICADO = re.compile(r"(?:Publicado|Published|Posted|Updated|Atualizado)\s+(?:em|on|at)?\s*"
                        r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?:\s*(?:às|at)?\s*(?P<h>\d{1,2})[h:](?P<min>\d{2}))?")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>(?:19|20)\d{2})(?![\d.])")
_BY = re.compile(r"(?:By|Por|Von|Par)\s+(?P<name>[A-Z][^,|·•\d]{1,60}?)(?:\s*[,|·•]\s*.*)?$")
_OUTLET = re.compile(r"\b(?:Gazette|Times|Post|News|Herald|Review|Daily|Journal|Tribune|Monitor|Observer|Chronicle|"
                     r"Wire|"
                     r"Press|Agency|Report|Dispatch|Courier|Ledger|Weekly|Magazine|Radio|TV|Television|Telegraph|"
                     r"Guardian|Express|Mail|Star|Standard|Sun|Mirror|Bulletin|Digest|Insider|Today|Online|Media)\b|\.(?:com|net|org)\b")
_HEADER_SEP = re.compile(r"\s+[—–|·•-]\s+|\s*[|·•]\s*")
_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b,?\s*")
_MD_MARKUP = re.compile(r"[*_`#>]+")


def read_article(path: Path) -> Article:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_article(data, str(path))


def decode(data: bytes | str, source: str) -> str:
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise ArticleError(f"{source}: binary input (contains NUL bytes), not a text article")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError(f"{source}: not valid UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    else:
        text = data.removeprefix("\ufeff")
        if "\x00" in text:
            raise ArticleError(f"{source}: binary input (contains NUL characters), not a text article")
    if not text.strip():
        raise ArticleError(f"{source}: empty article (no text)")
    sample = text[:4096]
    control = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0
                  or c == "\ufffd")
    if control > max(3, len(sample) // 20):
        raise ArticleError(f"{source}: binary input ({control} control characters in the first "
                           f"{len(sample)}), not a text article")
    return text


def _lines(text: str) -> list[tuple[int, int]]:
    """(begin, end) of every line, without its line break."""
    out, at = [], 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        out.append((at, m.start()))
        at = m.end()
    if at < len(text):
        out.append((at, len(text)))
    return out


def _strip_span(text: str, begin: int, end: int) -> Span | None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return Span.of(text, begin, end) if end > begin else None


def _paragraphs(text: str, begin: int, markdown: bool) -> list[Span]:
    """Blank-line separated blocks from ``begin``; in Markdown every heading or list item stands alone."""
    out: list[Span] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if block:
            span = _strip_span(text, block[0][0], block[-1][1])
            if span:
                out.append(span)
            block.clear()

    for b, e in _lines(text):
        if e <= begin:
            continue
        b = max(b, begin)
        line = text[b:e]
        if not line.strip():
            flush()
            continue
        if markdown and re.match(r"\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s)", line):
            flush()
            block.append((b, e))
            flush()
            continue
        block.append((b, e))
    flush()
    return out


def _clean_header(value: str) -> str:
    return _MD_MARKUP.sub("", value).strip(" \t-—–|·•:,")


def _find_dateline(text: str, para: Span) -> re.Match[str] | None:
    for pattern in _DATELINES:
        m = pattern.match(text, para.begin, para.end)
        if m and len(m.group("place")) >= 3 and not m.group("place").endswith(" "):
            return m
    return None


def parse_article(data: bytes | str, source: str) -> Article:
    text = decode(data, source)
    kind = sniff(text, source)
    if kind != "text":
        article = _from_parts(html_parts(text, source) if kind == "html" else json_parts(text, source), source, kind)
    else:
        article = _from_text(text, source)
    if article.publisher is None and article.source_agency:
        article.publisher = article.source_agency
    if article.published is None and article.paragraphs:
        # No dated header: the first full date the lead gives ("... on 7 October 2021") stands for it.
        lead = article.paragraphs[0]
        found = [d for d in find_dates(text, lead.begin, lead.end, None) if d.precision == "day" and d.value]
        if found:
            article.published = found[0].value
    if article.body is None or not article.paragraphs:
        raise ArticleError(f"{source}: no article body (only {len(text.splitlines())} header line(s))")
    return article


def _from_parts(parts: Parts, source: str, kind: str) -> Article:
    text = parts.text()
    article = Article(source=source, text=text, format=kind)  # type: ignore[arg-type]
    body_begin = 0
    if parts.headline:
        article.headline = Span.of(text, 0, len(parts.headline))
        body_begin = len(parts.headline) + 2
    article.published, article.published_at = parts.published, parts.published_at
    article.publisher, article.author = parts.publisher, parts.author
    if parts.language:
        article.language = parts.language
    _set_body(article, body_begin, markdown=False)
    return article


def _from_text(text: str, source: str) -> Article:
    article = Article(source=source, text=text)
    lines = [(b, e) for b, e in _lines(text) if text[b:e].strip()]
    first = _SEED_FIRST.match(text, lines[0][0], lines[0][1]) if lines else None
    if first:
        _parse_seed(article, lines, first)
    else:
        _parse_loose(article, lines)
    return article


def _parse_seed(article: Article, lines: list[tuple[int, int]], first: re.Match[str]) -> None:
    text = article.text
    article.format = "seed"
    article.published = date.fromisoformat(first.group(1))
    article.publisher = first.group(2).strip()
    rest = lines[1:]
    if rest:
        article.headline = _strip_span(text, *rest[0])
        rest = rest[1:]
    if rest:
        by = _BYLINE.match(text, rest[0][0], rest[0][1])
        if by:
            article.author = by.group("author").strip() or None
            day = parse_date(by.group("date"))
            if by.group("time") and day:
                t = datetime.strptime(re.sub(r"[.\s]", "", by.group("time")).upper(), "%I:%M%p").time()
                article.published_at = datetime.combine(day, t)
            rest = rest[1:]
    if rest and article.headline and text[rest[0][0]:rest[0][1]].strip().casefold() == article.headline.text.casefold():
        rest = rest[1:]
    if not rest:
        return
    body_begin = rest[0][0]
    _set_body(article, body_begin, markdown=False)


def _set_body(article: Article, body_begin: int, markdown: bool) -> None:
    text = article.text
    article.body = _strip_span(text, body_begin, len(text))
    article.paragraphs = _paragraphs(text, body_begin, markdown)
    if article.paragraphs:
        m = _find_dateline(text, article.paragraphs[0])
        if m:
            article.dateline = Span.of(text, m.start("place"), m.end("place"))
            article.lead_begin = m.end()
            agency = m.group("agency")
            if agency:
                article.source_agency = re.split(r"\s*/\s*", agency.strip())[-1].strip() or None
            if article.published is None and m.group("date"):
                article.published = parse_date(m.group("date"))


def _parse_loose(article: Article, lines: list[tuple[int, int]]) -> None:
    """Plain text or Markdown: a few header lines (title, outlet, date), then the body."""
    text = article.text
    markdown = any(re.match(r"\s*#{1,6}\s", text[b:e]) for b, e in lines[:3])
    article.format = "markdown" if markdown else "plain"
    header: list[tuple[int, int]] = []
    body_begin = None
    for i, (b, e) in enumerate(lines):
        line = text[b:e].strip()
        para = Span.of(text, b, e)
        if i == 0 and _find_dateline(text, para) and len(line.split()) >= 15:
            body_begin = b                          # no header at all: the text opens with its dateline
            break
        if i > 0 and (_find_dateline(text, para) or (len(line) > 160 and not line.startswith("#"))
                      or len(line.split()) >= 8 and line.rstrip().endswith((".", "!", "?", '"', "”"))):
            body_begin = b
            break
        if i >= 6 or (i > 0 and markdown and line.startswith("##")):
            body_begin = b
            break
        header.append((b, e))
    if body_begin is None:
        body_begin = header[1][0] if len(header) > 1 else header[0][0]
        header = header[:1] if len(header) > 1 else []
    titles: list[tuple[int, int]] = []
    for b, e in header:
        line = text[b:e]
        by = _BY.match(_clean_header(line))
        if by and article.author is None:
            article.author = by.group("name").strip()
            _header_date(article, line)
            continue
        if _header_date(article, line) is None:
            titles.append((b, e))
            continue
        for part in _HEADER_SEP.split(line):
            clean = _clean_header(part)
            if not clean or _WEEKDAY.sub("", clean).strip() == "":
                continue
            if _header_date(Article(source="", text=""), clean) is not None or re.search(r"\d", clean):
                # "Brussels, 4 April 2023": a place in front of the date names the dateline;
                # "Angus & Mearns Gazette, 20 October 2023": an outlet names the publisher.
                lead = re.match(r"([A-Z][^\d,]+?),\s+(?:\w+day,?\s+)?\d", clean)
                if lead and _OUTLET.search(lead.group(1)):
                    if article.publisher is None:
                        article.publisher = lead.group(1).strip()
                elif lead and article.dateline is None:
                    at = text.find(lead.group(1), b, e)
                    if at >= 0:
                        article.dateline = Span.of(text, at, at + len(lead.group(1)))
                continue
            if article.publisher is None:
                article.publisher = clean
    if titles:
        longest = max(titles, key=lambda be: len(_clean_header(text[be[0]:be[1]])))
        line = text[longest[0]:longest[1]]
        lead = len(line) - len(line.lstrip(" \t#*"))
        article.headline = _strip_span(text, longest[0] + lead, longest[1])
        others = [t for t in titles if t != longest]
        if article.publisher is None and others:
            article.publisher = re.split(r"\s+[-—–|:]\s+", _clean_header(text[others[0][0]:others[0][1]]))[0] or None
    _set_body(article, body_begin, markdown)


def _header_date(article: Article, line: str) -> date | None:
    m = _PUBLICADO.search(line)
    if m:
        day = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if article.published is None:
            article.published = day
            if m.group("h"):
                article.published_at = datetime(day.year, day.month, day.day, int(m.group("h")), int(m.group("min")))
        return day
    day_month = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    month_day = rf"(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    for m in re.finditer(rf"{day_month}|{month_day}|\d{{4}}-\d{{2}}-\d{{2}}", line):
        day = parse_date(m.group(0))
        if day:
            if article.published is None:
                article.published = day
            return day
    m = _NUMERIC_DATE.search(line)
    if m:
        day = numeric_date(m.group("a"), m.group("b"), m.group("y"))
        if day and article.published is None:
            article.published = day
        return day
    return None


def numeric_date(a: str, b: str, y: str) -> date | None:
    """'22.07.2022', '14/04/2023': day first, as most of the world writes it, unless that cannot be."""
    first, second = int(a), int(b)
    day, month = (second, first) if first <= 12 < second else (first, second)
    try:
        return date(int(y), month, day)
    except ValueError:
        return None
