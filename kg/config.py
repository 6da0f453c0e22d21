"""Settings, read once from the environment."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A checkout (or an editable install) reads its own ontology/ and shapes/; a wheel installs them as data files.
_SHARED = ROOT if (ROOT / "ontology").is_dir() else Path(sys.prefix) / "share" / "diplomacy-kg"
ONTOLOGY_DIR = _SHARED / "ontology"
SHAPES_DIR = _SHARED / "shapes"
DATA_DIR = Path(__file__).resolve().parent / "data"

DEFAULT_BASE_IRI = "https://w3id.org/dipkg/"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from exc


def _env_int(name: str, default: int) -> int:
    return int(_env_float(name, default))


def _public_url(raw: str | None) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("http://", "https://")):
        raise SystemExit(f"KG_PUBLIC_URL must be an absolute http(s) URL, not {raw!r}")
    return raw if raw.endswith("/") else raw + "/"


def _store(raw: str) -> Path | str:
    return raw if raw.startswith(("http://", "https://")) else Path(raw)


def max_article_bytes() -> int:
    """The largest article the reader takes (KG_MAX_ARTICLE, bytes; default 2 MB): larger files are reported
    and skipped, never read."""
    return _env_int("KG_MAX_ARTICLE", 2 * 1024 * 1024)


@dataclass(frozen=True)
class Settings:
    # a directory (the embedded store) or the URL of a SPARQL 1.1 store (kg.sparqlhttp)
    store: Path | str = field(default_factory=lambda: _store(os.environ.get("KG_STORE", "data/store")))
    base_iri: str = field(default_factory=lambda: os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI))
    api_token: str | None = field(default_factory=lambda: os.environ.get("KG_API_TOKEN") or None)
    rejected_dir: Path = field(default_factory=lambda: Path(os.environ.get("KG_REJECTED", "data/rejected")))
    query_timeout: float = field(default_factory=lambda: _env_float("KG_QUERY_TIMEOUT", 30.0))
    max_rows: int = field(default_factory=lambda: _env_int("KG_MAX_ROWS", 100_000))
    max_body_bytes: int = field(default_factory=lambda: _env_int("KG_MAX_BODY", 10 * 1024 * 1024))
    public_url: str | None = field(default_factory=lambda: _public_url(os.environ.get("KG_PUBLIC_URL")))
    max_query_bytes: int = field(default_factory=lambda: _env_int("KG_MAX_QUERY", 64 * 1024))
    # address space of each query worker and of the writer; RocksDB alone reserves about 0.5 GB of it
    worker_memory: int = field(default_factory=lambda: _env_int("KG_WORKER_MEMORY", 2 * 1024 ** 3))
    # where the server writes its dump files (default: next to an embedded store; data/dumps for a remote one)
    dumps_dir: Path | None = field(default_factory=lambda: Path(os.environ["KG_DUMPS"]) if os.environ.get(
        "KG_DUMPS") else None)
    # seconds reading and extracting one article may take (a batch of n: this + n/4 s); past it, it is stopped
    article_timeout: float = field(default_factory=lambda: _env_float("KG_ARTICLE_TIMEOUT", 60.0))
    # Extracted facts less sure than this (0-1) are not published: precision first.
    min_confidence: float = field(default_factory=lambda: _env_float("KG_MIN_CONFIDENCE", 0.5))

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            object.__setattr__(self, "base_iri", self.base_iri + "/")
        if self.public_url is not None and not self.public_url.endswith("/"):
            object.__setattr__(self, "public_url", self.public_url + "/")

