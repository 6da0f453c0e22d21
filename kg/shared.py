"""The shared graphs (ontology, shapes, reference data), built once per version of what they are made from.

A version is the SHA-256 of the data files, the ontology and shapes, the code that turns them into triples
and the base IRI. The built triples are kept in a cache folder (``$XDG_CACHE_HOME/diplomacy-kg``, JSON) under
that digest, and a store records the digest of the shared graphs it holds: an ingest into a store that holds
this version's graphs neither builds nor compares them.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import kg
from kg import gazetteer as gz
from kg.config import DATA_DIR, ONTOLOGY_DIR, SHAPES_DIR
from kg.iris import Minter
from kg.rdf import Triple

if TYPE_CHECKING:
    from kg.store import Store

_CODE = ("reference.py", "gazetteer.py", "graph.py", "iris.py", "rdf.py", "shared.py")


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "diplomacy-kg"


@cache
def _sources_digest() -> str:
    h = hashlib.sha256(kg.__version__.encode())
    package = Path(kg.__file__).parent
    files = [*sorted(DATA_DIR.glob("*.csv")), *sorted(DATA_DIR.glob("*.tsv")), *sorted(ONTOLOGY_DIR.glob("*.ttl")),
             *sorted(SHAPES_DIR.glob("*.ttl")), *(package / name for name in _CODE)]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def digest(minter: Minter) -> str:
    """The version of the shared graphs for this base IRI."""
    return hashlib.sha256(f"{_sources_digest()} {minter.base}".encode()).hexdigest()


_BUILT: dict[str, dict[str, list[Triple]]] = {}


def graphs(minter: Minter) -> dict[str, list[Triple]]:
    """Graph IRI -> triples of the shared graphs, from this process's copy, the cache folder, or built (and then
    cached)."""
    key = digest(minter)
    if key in _BUILT:
        return _BUILT[key]
    path = cache_dir() / f"shared-{key}.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        built = {name: [(s, p, o) for s, p, o in triples] for name, triples in loaded.items()}
    except (OSError, ValueError, TypeError):
        from kg.reference import reference_graphs
        built = reference_graphs(minter, gz.load())
        _save(path, built)
    _BUILT[key] = built
    return built


def reference_triples(minter: Minter) -> list[Triple]:
    return graphs(minter)[str(minter.reference_graph)]


def ensure_shared(store: Store) -> bool:
    """Put this version's shared graphs in ``store`` unless it holds them; True if it had to."""
    key = digest(store.minter)
    if store.shared_digest() == key:
        return False
    store.put_shared(graphs(store.minter), key)
    return True


def _save(path: Path, built: dict[str, list[Triple]]) -> None:
    """Write the cache file whole or not at all; a folder that cannot be written only means no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".shared-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(built, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
