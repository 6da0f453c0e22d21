"""The store behind every command: the embedded pyoxigraph store (a directory) or any SPARQL 1.1 store (a URL).

Both have the methods of ``kg.store.Store`` (write, put_graph, set_graph, drop_graph, remove_article, update,
query, export, count, modified, is_article, article_iris, flush) and an ``ox`` read surface with the
pyoxigraph ``Store`` methods the server reads by (kg.remoteview for the remote one).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.iris import Minter
from kg.sparqlhttp import Opener, direct, is_url

if TYPE_CHECKING:
    from kg.remote import RemoteStore
    from kg.store import Store


def store_spec(raw: str | Path) -> str | Path:
    """A store as given on the command line or in KG_STORE: a URL stays a string, anything else is a path."""
    return raw if isinstance(raw, str) and is_url(raw) else Path(raw)


def open_store(spec: str | Path, minter: Minter | None = None, *, read_only: bool = False,
               opener: Opener = direct) -> Store | RemoteStore:
    if is_url(spec):
        from kg.remote import RemoteStore
        return RemoteStore(str(spec), minter, opener=opener, read_only=read_only)
    from kg.store import Store
    return Store(spec, minter, read_only=read_only)


def shown(spec: str | Path) -> str:
    """The store as messages name it: a URL without its fragment."""
    return str(spec).partition("#")[0] if is_url(spec) else str(spec)


__all__ = ["is_url", "open_store", "shown", "store_spec"]
