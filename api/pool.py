"""The server's side of the query workers (api/worker.py): a pool of processes, deadlines, kills.

A query that outlives its deadline is stopped by killing its worker, which is then replaced; the
event loop only ever awaits pipes, so no query blocks another request. After every write the pool's
generation goes up and each worker reopens its read-only view before its next query.
"""
from __future__ import annotations

import asyncio
import contextlib
import pickle
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from api.errors import HTTPError
from api.worker import FRAME

GROW_AFTER = 0.25   # seconds a request waits for a busy pool before a spare worker is started


class _Proc:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.gen = 0

    async def send(self, req: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        if self.proc.returncode is not None or self.proc.stdin.is_closing():
            raise ConnectionResetError("the worker has exited")
        payload = pickle.dumps(req)
        self.proc.stdin.write(FRAME.pack(b"Q", len(payload)) + payload)
        await self.proc.stdin.drain()

    async def frame(self) -> tuple[bytes, bytes]:
        assert self.proc.stdout is not None
        kind, size = FRAME.unpack(await self.proc.stdout.readexactly(FRAME.size))
        return kind, (await self.proc.stdout.readexactly(size) if size else b"")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()


@dataclass
class Answer:
    meta: dict[str, Any]
    body: bytes                       # the whole body, or its first chunk when ``rest`` is set
    rest: AsyncIterator[bytes] | None = None


@dataclass
class Pool:
    """``size`` workers, and up to ``spare`` more started while every worker is busy (long queries)."""

    path: str
    size: int = 2
    spare: int = 4
    idle: asyncio.Queue[_Proc] = field(default_factory=asyncio.Queue)
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    gen: int = 0
    _all: set[_Proc] = field(default_factory=set)
    _spawning: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        procs = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for p in procs:
            self.idle.put_nowait(p)

    async def stop(self) -> None:
        for task in self._spawning:
            task.cancel()
        for p in list(self._all):
            p.kill()
            with contextlib.suppress(Exception):
                await p.proc.wait()
        self._all.clear()

    def changed(self) -> None:
        """The store was written: workers reopen their view before their next job."""
        self.gen += 1

    async def _spawn(self) -> _Proc:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "api.worker", self.path,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        p = _Proc(proc)
        self._all.add(p)
        try:
            kind, _ = await p.frame()
        except asyncio.IncompleteReadError:
            kind = b""
        if kind != b"K":
            self._all.discard(p)
            p.kill()
            raise RuntimeError("a query worker failed to start")
        p.gen = self.gen
        return p

    def _replace(self, p: _Proc) -> None:
        p.kill()
        self._all.discard(p)
        self._grow()

    def _grow(self) -> None:
        async def respawn() -> None:
            while True:
                try:
                    self.idle.put_nowait(await self._spawn())
                    return
                except (OSError, RuntimeError, asyncio.IncompleteReadError):
                    await asyncio.sleep(0.5)

        task = asyncio.get_running_loop().create_task(respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _acquire(self, deadline: float | None) -> _Proc:
        """An idle worker with a view of the latest writes; a worker found dead is replaced, not used."""
        loop = asyncio.get_running_loop()
        while True:
            timeout = None if deadline is None else max(0.0, deadline - loop.time())
            wait = timeout
            if len(self._all) + len(self._spawning) < self.size + self.spare:
                wait = GROW_AFTER if timeout is None else min(GROW_AFTER, timeout)
            try:
                p = await asyncio.wait_for(self.idle.get(), wait)
            except TimeoutError:
                if wait == timeout:
                    raise
                self._grow()   # every worker has been busy for a while: long queries, not just load
                continue
            if p.proc.returncode is not None:
                self._replace(p)
                continue
            try:
                if p.gen != self.gen:
                    async with self.write_lock:
                        gen = self.gen
                        await p.send({"op": "open"})
                        await p.frame()
                    p.gen = gen
                return p
            except (ConnectionError, asyncio.IncompleteReadError):
                self._replace(p)
            except BaseException:
                self._replace(p)
                raise

    async def run(self, req: dict[str, Any], timeout: float | None) -> Answer:
        """Send one job; raise HTTPError for an error answer or a missed deadline (503)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        try:
            p = await self._acquire(deadline)
        except TimeoutError:
            raise HTTPError(503, f"the server is busy: no query worker became free within {timeout:g} s") from None
        try:
            await p.send(req)
            kind, payload = await asyncio.wait_for(p.frame(), None if deadline is None else deadline - loop.time())
        except TimeoutError:
            self._replace(p)
            raise HTTPError(503, f"query timed out after {timeout:g} s and was stopped") from None
        except (ConnectionError, asyncio.IncompleteReadError):
            self._replace(p)
            raise HTTPError(500, "the query worker died while answering (it has been replaced)") from None
        except BaseException:
            self._replace(p)
            raise
        if kind == b"R":
            meta, body = pickle.loads(payload)
            self.idle.put_nowait(p)
            return Answer(meta, body)
        if kind == b"X":
            self.idle.put_nowait(p)
            status, message = pickle.loads(payload)
            raise HTTPError(status, message)
        if kind != b"H":
            self._replace(p)
            raise HTTPError(500, f"query worker answered {kind!r}")
        return Answer(pickle.loads(payload), b"", self._stream(p, deadline))

    async def run_once(self, req: dict[str, Any]) -> dict[str, Any]:
        """Run one long job (a dump) on a fresh worker of its own, with no deadline; its answer's meta."""
        p = await self._spawn()
        try:
            await p.send(req)
            kind, payload = await p.frame()
        finally:
            p.kill()
            self._all.discard(p)
            await p.proc.wait()
        if kind == b"X":
            raise HTTPError(*pickle.loads(payload))
        if kind != b"R":
            raise HTTPError(500, f"the worker answered {kind!r}")
        meta: dict[str, Any] = pickle.loads(payload)[0]
        return meta

    async def _stream(self, p: _Proc, deadline: float | None) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        done = False
        try:
            while True:
                wait = None if deadline is None else deadline - loop.time()
                kind, payload = await asyncio.wait_for(p.frame(), wait)
                if kind == b"D":
                    yield payload
                elif kind == b"E":
                    done = True
                    return
                else:
                    raise RuntimeError(f"answer broke off: {payload.decode(errors='replace')}")
        finally:
            if done:
                self.idle.put_nowait(p)
            else:
                self._replace(p)
