"""What every route needs: the settings, the helper processes, and a read-only view of the store."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from api.extractors import Extractors
from api.pool import Pool
from kg.backend import open_store
from kg.config import Settings
from kg.iris import Minter
from kg.sparqlhttp import is_url
from kg.store import Store

if TYPE_CHECKING:
    from api.dumps import DumpFiles

T = TypeVar("T")


@dataclass
class State:
    path: Path | str                               # a store directory, or a remote store's URL
    minter: Minter
    settings: Settings
    pool: Pool
    dumps: DumpFiles
    extractors: Extractors
    stats: tuple[str, Any] | None = None          # (version of the data, api.meta.Stats)
    _view: Any = None                             # kg.store.Store or kg.remote.RemoteStore
    _view_gen: int = -1
    _view_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def base(self) -> str:
        return self.minter.base

    async def _fresh(self, stale: Store | None = None) -> Store:
        async with self._view_lock:
            if is_url(self.path):   # reads the store as it is at each request: one view, its connections kept
                if self._view is None:
                    self._view = await asyncio.to_thread(open_store, self.path, self.minter, read_only=True)
                return self._view
            if self._view is None or self._view is stale or self._view_gen != self.pool.gen:
                gen = self.pool.gen
                self._view = await asyncio.to_thread(Store, self.path, self.minter, read_only=True)
                self._view_gen = gen
            return self._view

    def close(self) -> None:
        """Let go of the store (a remote one's kept-alive connections)."""
        view, self._view = self._view, None
        if view is not None and hasattr(view, "close"):
            view.close()

    async def read(self, fn: Callable[[Store], T]) -> T:
        """``fn`` on a read-only view of the store as of the latest write, in a thread: the writer's newest
        checkpoint (kg.snapshots), pinned until the last read of it is done. A read of the store itself (no
        writer could start) can lose a file to a compaction: it is tried once more on a fresh view."""
        view = await self._fresh()
        try:
            return await asyncio.to_thread(fn, view)
        except (OSError, RuntimeError):
            return await asyncio.to_thread(fn, await self._fresh(stale=view))
