"""Deterministic IRI minting.

The same country, person or organization gets the same IRI in every article, so the graph links
across articles. Everything minted lives under ``{base}id/``; article-local things (events, quotes,
spans) hang off the article IRI with a fragment so they vanish with the article's graph.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from kg.config import DEFAULT_BASE_IRI

_ARTICLE_PATH = re.compile(r"article/[0-9a-f]{16}")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Minter:
    """Mints IRIs under one base; ``{base}id/<kind>/<key>`` for things, graphs under ``{base}graph/``."""

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.id = self.base + "id/"

    def country(self, iso3: str) -> URIRef:
        return URIRef(f"{self.id}country/{iso3.upper()}")

    def person(self, name: str) -> URIRef:
        return URIRef(f"{self.id}person/{slug(name)}")

    def organization(self, key: str) -> URIRef:
        return URIRef(f"{self.id}organization/{slug(key)}")

    def place(self, name: str, country: str | None = None) -> URIRef:
        key = f"{slug(name)}-{country.lower()}" if country else slug(name)
        return URIRef(f"{self.id}place/{key}")

    def post(self, office: str, holder_of: str) -> URIRef:
        """An office of a country or organization: ``post/ind-prime-minister``."""
        return URIRef(f"{self.id}post/{slug(holder_of)}-{slug(office)}")

    def membership(self, person: str, office: str, holder_of: str, start: str | None) -> URIRef:
        key = f"{slug(person)}--{slug(holder_of)}-{slug(office)}"
        return URIRef(f"{self.id}membership/{key}" + (f"--{start}" if start else ""))

    def software(self, name: str) -> URIRef:
        """The extractor as a prov:SoftwareAgent: ``software/kg-rules``."""
        return URIRef(f"{self.id}software/{slug(name)}")

    def article(self, key: str) -> URIRef:
        """Minted from the article's identity key (kg.identity.article_key), which is its text when nothing else
        identifies it: the same key, the same IRI. A given key ``id:<IRI>`` naming an article IRI of this base is
        that IRI (how ``kg ingest --id`` updates an article stored under an earlier key)."""
        given = key[3:] if key.startswith("id:") else ""
        if given.startswith(self.id) and _ARTICLE_PATH.fullmatch(given[len(self.id):]):
            return URIRef(given)
        return URIRef(f"{self.id}article/{text_hash(key)[:16]}")

    def local(self, article: URIRef, kind: str, n: int | str) -> URIRef:
        """A thing that exists only within one article: ``<article>#event-3``."""
        return URIRef(f"{article}#{kind}-{n}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{slug(name)}")

    @property
    def reference_graph(self) -> URIRef:
        return self.graph("reference")

    @property
    def ontology_graph(self) -> URIRef:
        return self.graph("ontology")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")
