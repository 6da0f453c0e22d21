"""What every route needs: the store, the settings and the query workers."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from api.pool import Pool
from kg.config import Settings
from kg.store import Store

if TYPE_CHECKING:
    from api.dumps import DumpFiles


@dataclass
class State:
    store: Store
    settings: Settings
    pool: Pool
    dumps: DumpFiles
    stats: tuple[int, Any] | None = None          # (pool generation, api.meta.Stats)
    pipeline: Any = None                          # kg.pipeline.Worker for POST /articles, made on first use
    pipeline_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def base(self) -> str:
        return self.store.minter.base
