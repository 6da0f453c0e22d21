"""What every route needs: the store, the settings and the query workers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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

    @property
    def base(self) -> str:
        return self.store.minter.base
