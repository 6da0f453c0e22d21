"""An article's identity: what its IRI is minted from, so that an edited version replaces the one before it.

In order of trust: a key the caller gives (``kg ingest --id``, an NDJSON ``id``); the article's URL (canonical
link, ``og:url``, JSON ``url``, a ``url`` header line); its outlet, publication date and headline; and, when
the input states none of those, its text (then an edit makes a new article). The text's SHA-256 is kept as
the version (``dip:textSha256``).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from kg.iris import slug
from kg.model import Article

# Query parameters that track a click, not name a page.
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|dclid|msclkid|mc_[ce]id|ocid|cmpid|icid|ref_?src|smid|ito", re.I)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
# Characters an IRI may not hold (RFC 3987), percent-encoded when a URL becomes an IRI term.
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def normal_url(url: str) -> str:
    """The form of a URL two versions of one page share: https, lower-case host without www., no default port,
    no fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.fullmatch(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, query, ""))


def normal_headline(text: str) -> str:
    """Case, accents, quote styles, punctuation and spacing do not tell two headlines apart."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def article_key(article: Article, given: str | None = None) -> str:
    """The key of ``article``'s IRI (kg.iris.Minter.article): a given key, else ``url:``, ``story:`` or the text."""
    if given is not None and given.strip():
        return "id:" + given.strip()
    if article.url:
        return "url:" + normal_url(article.url)
    headline = normal_headline(article.headline.text) if article.headline is not None else ""
    if headline and article.published is not None and article.publisher:
        return f"story:{slug(article.publisher)}|{article.published.isoformat()}|{headline}"
    return article.text


def iri_of_url(url: str) -> str:
    """A URL as an IRI: the few characters an IRI may not contain, percent-encoded."""
    return _NOT_IRI.sub(lambda m: quote(m.group(0), safe=""), url)
