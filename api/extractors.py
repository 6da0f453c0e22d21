"""The server's side of its extractor processes (api/extractor.py): posted articles are read and extracted there.

Up to ``size`` extractors, started on the first write that needs one and kept; a batch waits for a free one,
and one that outlives its deadline is stopped by killing its process (replaced on the next batch), so the
event loop only ever awaits a pipe.
"""
from __future__ import annotations

import asyncio
import pickle
from dataclasses import dataclass, field
from typing import Any

from api.errors import HTTPError
from api.pool import RETRY_AFTER, StartError, _Proc, spawn

START_WITHIN = 120.0      # seconds an extractor may take to start (it loads the gazetteer and the shapes)


@dataclass
class Extractors:
    base: str
    size: int = 2
    memory: int = 0
    _idle: list[_Proc] = field(default_factory=list)
    _all: set[_Proc] = field(default_factory=set)
    _free: asyncio.Semaphore | None = None

    async def run(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        """One batch on a free extractor; its answer. Past ``timeout`` seconds of work on it: 503."""
        loop = asyncio.get_running_loop()
        if self._free is None:
            self._free = asyncio.Semaphore(self.size)
        try:
            await asyncio.wait_for(self._free.acquire(), START_WITHIN + timeout)
        except TimeoutError:
            raise HTTPError(503, "every extractor stayed busy; try again shortly", RETRY_AFTER) from None
        p: _Proc | None = None
        try:
            p = self._idle.pop() if self._idle else await asyncio.wait_for(self._start(), START_WITHIN)
            deadline = loop.time() + timeout
            await p.send(req)
            kind, payload = await asyncio.wait_for(p.frame(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            await self._drop(p)
            what = "starting an extractor" if p is None else "reading and extracting the articles"
            raise HTTPError(503, f"{what} took too long ({timeout if p else START_WITHIN:g} s) and was stopped; "
                                 "nothing was written (send fewer at a time, or find the slow one by sending them one "
                                 "by one)", RETRY_AFTER) from None
        except (ConnectionError, asyncio.IncompleteReadError):
            await self._drop(p)
            raise HTTPError(500, "the extractor process died on these articles; nothing was written") from None
        except StartError as exc:
            raise HTTPError(503, f"cannot read articles: {exc}", RETRY_AFTER) from None
        except BaseException:
            await self._drop(p)
            raise
        finally:
            self._free.release()
        self._idle.append(p)
        if kind == b"X":
            raise HTTPError(*pickle.loads(payload))
        meta: dict[str, Any] = pickle.loads(payload)[0]
        return meta

    async def _start(self) -> _Proc:
        p = await spawn("api.extractor", self.base, str(self.memory))
        self._all.add(p)
        return p

    async def _drop(self, p: _Proc | None) -> None:
        if p is not None:
            self._all.discard(p)
            await p.end()

    async def stop(self) -> None:
        procs, self._idle = list(self._all), []
        self._all.clear()
        await asyncio.gather(*(p.end() for p in procs))
