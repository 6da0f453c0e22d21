"""What every route needs: the settings, the helper processes, and a read-only view of the store."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.pool import Pool
from kg.config import Settings
from kg.iris import Minter
from kg.store import Store

if TYPE_CHECKING:
    from api.dumps import DumpFiles


@dataclass
class State:
    path: Path
    minter: Minter
    settings: Settings
    pool: Pool
    dumps: DumpFiles
    stats: tuple[int, Any] | None = None          # (pool generation, api.meta.Stats)
    pipeline: Any = None                          # kg.pipeline.Worker for POST /articles, made on first use
    pipeline_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _view: Store | None = None
    _view_gen: int = -1
    _view_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def base(self) -> str:
        return self.minter.base

    async def view(self) -> Store:
        """The store as of the latest write, read-only (the writer process holds it read-write)."""
        async with self._view_lock:
            if self._view is None or self._view_gen != self.pool.gen:
                gen = self.pool.gen
                self._view = await asyncio.to_thread(Store, self.path, self.minter, read_only=True)
                self._view_gen = gen
            return self._view
