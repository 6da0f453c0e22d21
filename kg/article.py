"""Reading articles: the seed wire format, plain text and Markdown pages, HTML pages and JSON documents.

The reader decodes the input, lets kg/markup.py turn HTML and JSON into text, and lets the cleaning stage
(kg/clean.py) tell the story from the page's furniture; it then settles the article's metadata from what the
page states, in order of trust: explicit headers and markup, the masthead, the copyright line, the wire's
credit in the dateline.

Offsets of every Span index ``Article.text``: the input decoded (UTF-8, BOM dropped) and otherwise untouched,
so CRLF line endings and curly quotes stay where they were. For HTML and JSON the text is the one markup.py
builds: the headline, the story's blocks, then the captions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg import header as hd
from kg.clean import Page, clean, furniture
from kg.config import max_article_bytes
from kg.markup import Parts, html_parts, json_parts, sniff, web_url
from kg.model import Article, ArticleError, Span

_SEED_FIRST = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})\b[ \t]*([^\r\n]*)")
_FRONT = re.compile(r"[ \t]*(title|date|published|source|publisher|outlet|author|byline|url|link|canonical|tags|"
                    r"section|category|lang|language|description|summary)[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE)
_FENCE = re.compile(r"[ \t]*---[ \t]*$")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")
_ISO_LIKE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(slots=True)
class _Header:
    """What explicit header lines (the seed line, front matter) state."""
    published: date | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    title: Span | None = None
    start: int = 0


def read_article(path: Path) -> Article:
    limit = max_article_bytes()
    try:
        size = Path(path).stat().st_size
        if size > limit:
            raise ArticleError(f"{path}: too large ({size:,} bytes; the limit is {limit:,}, set by KG_MAX_ARTICLE)")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_article(data, str(path))


def parse_article(data: bytes | str, source: str) -> Article:
    """An Article, or an ArticleError naming the source and the problem, whatever the input."""
    limit = max_article_bytes()
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ArticleError(f"{source}: too large ({size:,} bytes; the limit is {limit:,}, set by KG_MAX_ARTICLE)")
    try:
        return _parse(data, source)
    except ArticleError:
        raise
    except (ValueError, RecursionError, LookupError, TypeError, AttributeError) as exc:
        # A reader bug or an input shape nobody foresaw: still this file's error, never the batch's.
        raise ArticleError(f"{source}: cannot read ({type(exc).__name__}: {exc})") from exc


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
    control = len(_CONTROL.findall(sample))
    if control > max(3, len(sample) // 20):
        raise ArticleError(f"{source}: binary input ({control} control characters in the first "
                           f"{len(sample)}), not a text article")
    return text


def _parse(data: bytes | str, source: str) -> Article:
    text = decode(data, source)
    kind = sniff(text, source)
    if kind == "html":
        article = _from_parts(html_parts(text, source), source, "html")
    elif kind == "json":
        article = _from_parts(json_parts(text, source), source, "json")
    else:
        article = _from_text(text, source)
    if not article.paragraphs:
        raise ArticleError(f"{source}: no article body (no paragraph of story text among "
                           f"{len(article.text.splitlines())} line(s))")
    return article


def _from_parts(parts: Parts, source: str, kind: str) -> Article:
    text, headline, story_end, captions = parts.layout()
    article = Article(source=source, text=text, format=kind)  # type: ignore[arg-type]
    page = clean(text, headline.end if headline else 0, story_end, headline=headline)
    article.headline = headline
    article.published, article.published_at = parts.published, parts.published_at
    article.author, article.url = parts.author, parts.url
    if parts.language:
        article.language = parts.language
    _settle(article, page, parts.publisher, captions)
    return article


def _from_text(text: str, source: str) -> Article:
    article = Article(source=source, text=text)
    head = _explicit_header(text, source)
    markdown = bool(re.search(r"^[ \t]*#{1,6}[ \t]", text[head.start:head.start + 2000], re.MULTILINE))
    article.format = "seed" if _SEED_FIRST.match(text) else "markdown" if markdown else "plain"
    page = clean(text, head.start, markdown=markdown)
    article.headline = page.headline or head.title
    article.published, article.author, article.url = head.published, head.author, head.url
    _settle(article, page, head.publisher, [])
    return article


def _explicit_header(text: str, source: str) -> _Header:
    """The seed line ('date 2022-04-23 Outlet') or a front matter block ('title: ...', 'date: ...')."""
    head = _Header()
    first = _SEED_FIRST.match(text)
    if first:
        head.published = _iso_date(first.group(1), source)
        rest = first.group(2).strip()
        line_end = first.end()
        if rest and _outlet_line(rest):
            head.publisher = rest
            head.start = line_end
        else:
            head.start = first.start(2) if rest else line_end
        return head
    at, fenced, keys = 0, False, 0
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", text):
        line = m.group(0).rstrip("\r\n")
        if not line.strip():
            if keys or fenced:
                break
            continue
        if _FENCE.match(line) and (keys == 0 or fenced):
            if fenced:
                at = m.end()
                break
            fenced = True
            continue
        field = _FRONT.match(line)
        if not field:
            break
        keys += 1
        at = m.end()
        _front_field(head, field.group(1).lower(), field.group(2).strip(), text, m.start() + field.start(2), source)
        if m.end() >= len(text):
            break
    if keys >= 2 or (keys == 1 and head.url):
        head.start = at
        return head
    return _Header()


def _front_field(head: _Header, name: str, value: str, text: str, at: int, source: str) -> None:
    if not value:
        return
    if name in ("date", "published"):
        iso = _ISO_LIKE.match(value)
        if iso:
            head.published = _iso_date(iso.group(0), source)
        else:
            found = hd.published_stamp(value)
            head.published = found.day if found else None
    elif name in ("source", "publisher", "outlet") and not value.startswith(("http://", "https://")):
        head.publisher = head.publisher or value
    elif name in ("author", "byline"):
        head.author = re.sub(r"^by\s+", "", value, flags=re.IGNORECASE)
    elif name in ("url", "link", "canonical"):
        head.url = web_url(value)
    elif name == "title":
        head.title = Span.of(text, at, at + len(value))


def _iso_date(value: str, source: str) -> date:
    y, m, d = (int(x) for x in value.split("-"))
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ArticleError(f"{source}: the header's date {value!r} is not a valid date ({exc}); fix the "
                           f"header or remove the date line") from exc


def _outlet_line(value: str) -> bool:
    """The rest of a seed line is the outlet when it is a name, not a caption or a lead run into it."""
    return len(value.split()) <= 8 and not re.search(r"[.!?](?:\s|$)|[()“”\"]", value) and furniture(value) is None


def _settle(article: Article, page: Page, stated_publisher: str | None, captions: list[Span]) -> None:
    """Paragraphs, captions, dateline, dates, author and publisher, from the cleaned page."""
    text = article.text
    article.paragraphs, article.captions = page.paragraphs, page.captions + captions
    if article.paragraphs:
        article.body = Span.of(text, article.paragraphs[0].begin, article.paragraphs[-1].end)
    article.author = article.author or page.author
    if article.url is None:
        article.url = next((web_url(s.text.split()[-1]) for cls, s in page.cut if cls == "url"), None)
    if article.published is None and page.stamp is not None:
        article.published = page.stamp.day
    if page.stamp is not None and page.stamp.at is not None and page.stamp.day == article.published \
            and article.published_at is None:
        article.published_at = page.stamp.at
    if article.published is None and page.body_stamps:
        article.published = page.body_stamps[0].day
    _dateline(article, page)
    if article.published is None and article.paragraphs:
        # No dated header: the first full date the lead gives ("... on 7 October 2021") stands for it.
        lead = article.paragraphs[0]
        found = hd.stamps(text, lead.begin, lead.end)
        if found:
            article.published = found[0].day
    spellings = page.holders + page.credits + ([article.source_agency] if article.source_agency else [])
    publisher = stated_publisher or (hd.display_name(page.masthead, spellings) if page.masthead else None)
    article.publisher = publisher or (page.holders[0] if page.holders else None) or article.source_agency


def _dateline(article: Article, page: Page) -> None:
    text = article.text
    if not article.paragraphs:
        return
    lead = article.paragraphs[0]
    found = hd.dateline(text, lead.begin, lead.end)
    if found is None:
        if page.place is not None:
            article.dateline = page.place
        return
    article.dateline = Span.of(text, found.place_begin, found.place_end)
    article.lead_begin = found.end
    if found.agency:
        article.source_agency = re.split(r"\s*/\s*", found.agency.strip())[-1].strip() or None
    if article.published is None and found.date:
        article.published = _dateline_date(text, found.date)


def _dateline_date(text: str, value: str) -> date | None:
    """'23rd April, 2022' as it stands; 'Apr 4' completed by a full date of the same day elsewhere on the page."""
    full = hd.stamps(value)
    if full:
        return full[0].day
    day = hd.yearless(value)
    if day is None:
        return None
    same = [s.day for s in hd.stamps(text) if (s.day.month, s.day.day) == day]
    return same[0] if same else None

