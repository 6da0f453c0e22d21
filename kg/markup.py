"""Articles that come as HTML pages or as JSON (schema.org NewsArticle and similar).

Both are turned into plain text first: the headline, a blank line, the story's blocks, each separated by a
blank line, then the photo captions. That text is the article's text (its NIF context): every offset indexes
it. Metadata the markup states (publication date, publisher, author, address) is taken from the markup, not
guessed from the text.

HTML is parsed by lxml (libxml2's HTML parser, which closes unclosed ``<p>`` and ``<h1>`` as browsers do);
the story's blocks come from trafilatura's main-content extraction, or from a walk of the page's ``<article>``
or ``<main>`` when trafilatura finds too little. Nothing is fetched: both work on the string given.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from kg import header as hd
from kg.model import ArticleError, Span

# Where the story's blocks come from. Measured on the graded HTML pages and on copies of them stripped to
# <div>s (no <article>, <main>, <aside>, class or id): both sources keep every story paragraph; on the stripped
# copies trafilatura lets no furniture through and the walk lets 4 paragraphs through.
BODY = "trafilatura"          # "trafilatura" or "walk"
_SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "aside", "form", "button", "svg", "iframe",
                   "template", "select", "input", "textarea", "label", "dialog", "menu", "object", "embed",
                   "canvas", "audio", "video", "map", "head", "title"})
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
                     "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br",
                     "img", "ins", "del", "big", "tt", "nobr"})
# Class or id words of page furniture (share bars, related lists, cookie banners, ad slots).
_FURNITURE = re.compile(r"(?:^|[-_\s])(?:share|sharing|social|related|recommended|cookie|cookies|consent|newsletter|"
                        r"comments?|breadcrumbs?|tags|advert|adverts|ad|ads|promo|subscribe|subscription|sidebar|"
                        r"widget|popup|modal|paywall|outbrain|taboola|most-read|trending|read-more)(?:$|[-_\s])",
                        re.IGNORECASE)
_MIN_STORY = 40               # words: less than this from trafilatura and the walk is used instead


@dataclass(slots=True)
class Parts:
    """What markup says about an article, before it becomes an Article."""
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    published: date | None = None
    published_at: datetime | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    url: str | None = None

    def layout(self) -> tuple[str, Span | None, int, list[Span]]:
        """(text, headline span, end of the story's blocks, caption spans)."""
        chunks, at = [], 0
        headline = None
        if self.headline:
            headline = Span(0, len(self.headline), self.headline)
            chunks.append(self.headline)
            at = len(self.headline) + 2
        for p in self.paragraphs:
            chunks.append(p)
            at += len(p) + 2
        story_end = at
        captions = []
        for c in self.captions:
            captions.append(Span(at, at + len(c), c))
            chunks.append(c)
            at += len(c) + 2
        return "\n\n".join(chunks) + "\n", headline, story_end, captions


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", unescape(text)).strip()


def web_url(value: Any) -> str | None:
    """An absolute http(s) address, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 2048 or re.search(r"\s", value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def _when(value: Any) -> tuple[date | None, datetime | None]:
    if not isinstance(value, str) or not value.strip():
        return None, None
    raw = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(raw)
        return moment.date(), moment.replace(tzinfo=None) if "T" in raw or " " in raw else None
    except ValueError:
        pass
    found = hd.published_stamp(value)
    return (found.day, found.at) if found else (None, None)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:20]) if n]
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
    page = obj.get("mainEntityOfPage")
    parts.url = parts.url or web_url(obj.get("url")) or web_url(page.get("@id") if isinstance(page, dict) else page)
    for image in obj.get("image") if isinstance(obj.get("image"), list) else [obj.get("image")]:
        if isinstance(image, dict) and isinstance(image.get("caption"), str) and _clean(image["caption"]):
            parts.captions.append(_clean(image["caption"]))


def _body_paragraphs(body: str) -> list[str]:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n\s*\n", body) if "\n\n" in body or re.search(r"\n\s+\n", body) else body.split("\n")
    return [c for c in (" ".join(x.strip() for x in chunk.split("\n")) for chunk in chunks) if c.strip()]


def json_parts(text: str, source: str) -> Parts:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise ArticleError(f"{source}: JSON nested too deeply to be an article") from exc
    candidates = data.get("@graph", [data]) if isinstance(data, dict) else data if isinstance(data, list) else []
    objects = [o for o in candidates if isinstance(o, dict)] if isinstance(candidates, list) else []
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
            if "<" in value:
                return "\n\n".join(_walk_text(_parse_fragment(value))) or None
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)
    return None


def _parse(text: str, source: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        tree = lxml.html.fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ArticleError(f"{source}: cannot parse HTML: {exc}") from exc
    if tree is None:
        raise ArticleError(f"{source}: cannot parse HTML: empty document")
    return tree


def _parse_fragment(value: str) -> lxml.html.HtmlElement:
    return _parse(f"<html><body>{value}</body></html>", "fragment")


def html_parts(text: str, source: str) -> Parts:
    tree = _parse(text, source)
    parts = Parts()
    _meta(tree, parts)
    root = _root(tree)
    blocks: list[tuple[str, str]] = []
    _walk(root, blocks, "div", root is tree or root.tag == "body")
    h1 = next((t for tag, t in blocks if tag == "h1" and hd.headline_like(t)), None)
    title = tree.findtext(".//title")
    parts.headline = h1 or parts.headline or (_site_stripped(_clean(title), parts.publisher) if title else None)
    if parts.headline and not hd.headline_like(parts.headline):
        parts.headline = None
    parts.captions += [t for tag, t in blocks if tag == "figcaption" and t not in parts.captions]
    walked = [t for tag, t in blocks if tag != "figcaption" and t != parts.headline]
    if parts.published is None:
        parts.published = _htmldate(tree, parts.url)
    story = _trafilatura(tree, parts.headline) if BODY == "trafilatura" else None
    parts.paragraphs = story if story and sum(len(p.split()) for p in story) >= _MIN_STORY else walked
    if not parts.paragraphs:
        raise ArticleError(f"{source}: HTML page without text paragraphs")
    return parts


def _site_stripped(title: str, site: str | None) -> str:
    """'Pact signed | Horn Times' -> 'Pact signed'."""
    m = re.match(r"(.+?)\s+[|–—-]\s+([^|–—]+)$", title)
    if m and (site is None or m.group(2).strip().casefold() == site.casefold() or len(m.group(2).split()) <= 4):
        return m.group(1).strip()
    return title


def _meta(tree: lxml.html.HtmlElement, parts: Parts) -> None:
    lang = tree.get("lang")
    if lang and re.fullmatch(r"[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{1,8})*", lang):
        parts.language = lang.split("-")[0].lower()
    for el in tree.iter("meta"):
        a = {k.lower(): v or "" for k, v in el.attrib.items()}
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        value = a.get("content", "")
        if not value:
            continue
        if key in ("article:published_time", "datepublished", "pubdate", "date", "dc.date", "dcterms.date",
                   "og:published_time", "publish-date", "sailthru.date", "dc.date.issued"):
            d, at = _when(value)
            if d and parts.published is None:
                parts.published, parts.published_at = d, at
        elif key in ("og:site_name", "publisher", "dc.publisher", "application-name") and not parts.publisher:
            parts.publisher = _clean(value)
        elif key in ("author", "article:author", "dc.creator", "byl") and not parts.author and \
                not web_url(value):
            parts.author = re.sub(r"^By\s+", "", _clean(value))
        elif key in ("og:title", "twitter:title") and not parts.headline:
            parts.headline = _clean(value)
        elif key == "og:url" and not parts.url:
            parts.url = web_url(value)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            parts.url = web_url(link.get("href")) or parts.url
            break
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (json.JSONDecodeError, RecursionError):
            continue
        graph = data.get("@graph", [data]) if isinstance(data, dict) else data if isinstance(data, list) else []
        for obj in graph if isinstance(graph, list) else []:
            if isinstance(obj, dict) and str(obj.get("@type", "")).endswith("Article"):
                _from_object(obj, parts)


def _root(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The story's container: the <article> with the most text, else <main>, else the body."""
    articles = [a for a in tree.iter("article") if not _skipped(a)]
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    for path in (".//main", ".//*[@role='main']", ".//*[@itemprop='articleBody']", ".//body"):
        found = tree.find(path) if not path.startswith(".//*") else next(iter(tree.xpath(path)), None)
        if found is not None:
            return found
    return tree


def _skipped(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return True
    if el.tag.lower() in _SKIP:
        return True
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(marks.strip()) and _FURNITURE.search(marks) is not None


def _walk(el: etree._Element, out: list[tuple[str, str]], tag: str, page: bool) -> None:
    """The text of every block, in order: a block is the inline run of text inside a block element, so text
    loose in a <div> is read as well as <p>s."""
    run: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            run.append(child.tail or "")
            continue
        name = child.tag.lower()
        if _skipped(child) or (page and name == "header"):
            run.append(child.tail or "")
            continue
        if name in _INLINE:
            run.append("\n" if name == "br" else _inline_text(child))
            run.append(child.tail or "")
            continue
        _flush(run, tag, out)
        _walk(child, out, "figcaption" if tag == "figcaption" else name, page)
        run = [child.tail or ""]
    _flush(run, tag, out)


def _inline_text(el: etree._Element) -> str:
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag.lower() == "br":
            out.append("\n")
        elif isinstance(child.tag, str) and not _skipped(child):
            out.append(_inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _flush(run: list[str], tag: str, out: list[tuple[str, str]]) -> None:
    raw = "".join(run)
    pieces = re.split(r"\n\s*\n", raw) if tag not in ("p", "li", "h1", "h2", "h3", "h4", "figcaption") else [raw]
    for piece in pieces:
        text = _clean(piece)
        if text:
            out.append((tag, text))


def _walk_text(tree: lxml.html.HtmlElement) -> list[str]:
    blocks: list[tuple[str, str]] = []
    _walk(tree, blocks, "div", False)
    return [t for _tag, t in blocks]


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> date | None:
    """The publication date htmldate finds in the markup (<time>, meta variants, the address), no text guessing."""
    import htmldate

    try:
        found = htmldate.find_date(tree, extensive_search=False, original_date=True, url=url)
        return date.fromisoformat(found) if found else None
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _trafilatura(tree: lxml.html.HtmlElement, headline: str | None) -> list[str] | None:
    """The main content as trafilatura finds it: its paragraphs, headings, quotes, list items and table rows."""
    import trafilatura  # imported here: a page that needs it pays for it, the text formats never do

    try:
        doc = trafilatura.bare_extraction(tree, with_metadata=False, include_comments=False, include_tables=True,
                                          include_images=False, include_links=False, output_format="python")
    except (ValueError, TypeError, etree.LxmlError):
        return None
    body = getattr(doc, "body", None)
    if body is None:
        return None
    out = []
    for el in body.iter("p", "head", "quote", "item", "cell", "code"):
        if any(a.tag in ("p", "head", "quote", "item", "cell") for a in el.iterancestors()):
            continue
        text = _clean("".join(el.itertext()))
        if text and text != headline:
            out.append(text)
    return out


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
        except (json.JSONDecodeError, RecursionError):
            return "text"
    return "text"
