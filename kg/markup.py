"""Articles that come as HTML pages or as JSON (schema.org NewsArticle and similar).

Both are turned into plain text first: the headline, a blank line, then the paragraphs, each separated by a
blank line. That text is the article's text (its NIF context): every offset indexes it, and its hash is the
article's identity. Metadata the markup states (publication date, publisher, author) is taken from the
markup, not guessed from the text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from kg.model import ArticleError

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre", "dd", "dt", "figcaption", "td"})
_SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "aside", "form", "button", "svg", "iframe",
                   "template"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed",
                   "track"})


@dataclass(slots=True)
class Parts:
    """What markup says about an article, before it becomes an Article."""
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    published: date | None = None
    published_at: datetime | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None

    def text(self) -> str:
        blocks = ([self.headline] if self.headline else []) + self.paragraphs
        return "\n\n".join(blocks) + "\n"


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", unescape(text)).strip()


def _when(value: Any) -> tuple[date | None, datetime | None]:
    if not isinstance(value, str) or not value.strip():
        return None, None
    raw = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(raw)
        return moment.date(), moment.replace(tzinfo=None) if "T" in raw or " " in raw else None
    except ValueError:
        pass
    m = re.match(r"(\d{4}-\d{2}-\d{2})", raw)
    if m:
        try:
            return date.fromisoformat(m.group(1)), None
        except ValueError:
            return None, None
    from kg.extract.dates import parse_date
    return parse_date(value), None


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _from_object(obj: dict[str, Any], parts: Parts) -> None:
    """schema.org NewsArticle fields and their common variants."""
    parts.headline = parts.headline or _name(obj.get("headline") or obj.get("title") or obj.get("name"))
    for key in ("datePublished", "published", "date", "pubDate", "publishedAt", "dateCreated"):
        d, at = _when(obj.get(key))
        if d:
            parts.published, parts.published_at = parts.published or d, parts.published_at or at
            break
    parts.publisher = parts.publisher or _name(obj.get("publisher") or obj.get("source") or obj.get("outlet"))
    parts.author = parts.author or _name(obj.get("author") or obj.get("byline") or obj.get("creator"))
    lang = obj.get("inLanguage") or obj.get("language")
    if isinstance(lang, str) and re.fullmatch(r"[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{1,8})*", lang):
        parts.language = parts.language or lang.split("-")[0].lower()


def _body_paragraphs(body: str) -> list[str]:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n\s*\n", body) if "\n\n" in body or re.search(r"\n\s+\n", body) else body.split("\n")
    return [c for c in (" ".join(x.strip() for x in chunk.split("\n")) for chunk in chunks) if c.strip()]


def json_parts(text: str, source: str) -> Parts:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    candidates = data.get("@graph", [data]) if isinstance(data, dict) else data if isinstance(data, list) else []
    objects = [o for o in candidates if isinstance(o, dict)]
    article = next((o for o in objects if _body_of(o)), None)
    if article is None:
        raise ArticleError(f"{source}: JSON without an article body (expected a field such as "
                           f"'articleBody', 'text', 'body' or 'content')")
    parts = Parts(paragraphs=_body_paragraphs(_body_of(article) or ""))
    _from_object(article, parts)
    return parts


def _body_of(obj: dict[str, Any]) -> str | None:
    for key in ("articleBody", "text", "body", "content", "description"):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return unescape(re.sub(r"<[^>]+>", " ", value)) if "<" in value else value
        if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            return "\n\n".join(value)
    return None


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = Parts()
        self.title: str | None = None
        self.h1: str | None = None
        self.blocks: list[tuple[str, str]] = []
        self.ld: list[str] = []
        self._stack: list[str] = []
        self._buf: list[str] | None = None
        self._block: str | None = None
        self._skip = 0
        self._in_title = False
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            self._meta(a)
            return
        if tag in _VOID:
            if tag == "br" and self._buf is not None:
                self._buf.append(" ")
            return
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self._in_ld = True
            self.ld.append("")
            return
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag == "html" and a.get("lang"):
            self.parts.language = a["lang"].split("-")[0].lower()
        if tag in _BLOCKS and self._block is None and not self._skip:
            self._block, self._buf = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_ld:
            self._in_ld = False
            return
        if tag in _SKIP and self._skip:
            self._skip -= 1
            return
        if tag == "title":
            self._in_title = False
        if tag == self._block and self._buf is not None:
            text = _clean("".join(self._buf))
            if text:
                self.blocks.append((tag, text))
            self._block, self._buf = None, None

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld[-1] += data
        elif self._in_title:
            self.title = (self.title or "") + data
        elif self._buf is not None and not self._skip:
            self._buf.append(data)

    def _meta(self, a: dict[str, str]) -> None:
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        value = a.get("content", "")
        if not value:
            return
        if key in ("article:published_time", "datepublished", "pubdate", "date", "dc.date", "dcterms.date",
                   "og:published_time", "publish-date", "sailthru.date"):
            d, at = _when(value)
            if d and self.parts.published is None:
                self.parts.published, self.parts.published_at = d, at
        elif key in ("og:site_name", "publisher", "dc.publisher", "application-name") and not self.parts.publisher:
            self.parts.publisher = _clean(value)
        elif key in ("author", "article:author", "dc.creator", "byl") and not self.parts.author:
            self.parts.author = re.sub(r"^By\s+", "", _clean(value))
        elif key in ("og:title", "twitter:title") and not self.parts.headline:
            self.parts.headline = _clean(value)


def html_parts(text: str, source: str) -> Parts:
    parser = _Html()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:
        raise ArticleError(f"{source}: cannot parse HTML: {exc}") from exc
    parts = parser.parts
    for raw in parser.ld:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        for obj in (data.get("@graph", [data]) if isinstance(data, dict) else data if isinstance(data, list) else []):
            if isinstance(obj, dict) and str(obj.get("@type", "")).endswith("Article"):
                _from_object(obj, parts)
    h1 = next((t for tag, t in parser.blocks if tag == "h1"), None)
    parts.headline = h1 or parts.headline or (_clean(parser.title) if parser.title else None)
    parts.paragraphs = [t for tag, t in parser.blocks if not (tag == "h1" and t == parts.headline)]
    if not parts.paragraphs:
        raise ArticleError(f"{source}: HTML page without text paragraphs")
    return parts


def sniff(text: str, source: str) -> str:
    """'html', 'json' or 'text', by the file name and then by the content."""
    lower = source.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".json", ".jsonld")):
        return "json"
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or re.match(r"<(?:head|body|article|meta)\b", head):
        return "html"
    if head.startswith(("{", "[")):
        try:
            json.loads(text)
            return "json"
        except json.JSONDecodeError:
            return "text"
    return "text"
