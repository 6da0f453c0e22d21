"""The server's side of its helper processes: query workers (api/worker.py) and the writer (api/writer.py).

Every piece of SPARQL, every uploaded graph and every write runs in one of them, sandboxed (no network
socket can be opened, kg.sandbox) and with capped memory; the event loop only awaits pipes. A job that
outlives its deadline is stopped by killing its process, which is then replaced: a killed write leaves
the store as it was, since each write is one transaction.

Workers: ``size`` always running, up to ``spare`` more started while every worker has been busy for
GROW_AFTER seconds, never more than ``size + spare`` in all, however many requests arrive at once; a
spare worker idle for RETIRE_AFTER seconds is stopped. A request waits for a worker until its deadline
(503 with Retry-After then), or is refused at once when MAX_WAITING requests are already waiting.
The writer starts with the pool and checkpoints the store after every write (kg.snapshots); workers read
the newest checkpoint, reopening it with their next job after a write. The generation counts writes.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, field
from typing import Any

from api.errors import HTTPError
from api.storelink import ENV, Link
from api.worker import FRAME
from kg.snapshots import prune

GROW_AFTER = 0.25     # seconds every worker must have been busy before a spare one is started
RETIRE_AFTER = 30.0   # seconds a spare worker may sit idle before it is stopped
MAX_WAITING = 256     # requests waiting for a worker; more are refused at once
RETRY_AFTER = {"Retry-After": "2"}


class _Proc:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.idle_since = time.monotonic()
        self.link: asyncio.Task[None] | None = None

    async def send(self, req: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        if self.proc.returncode is not None or self.proc.stdin.is_closing():
            raise ConnectionResetError("the process has exited")
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

    async def end(self) -> None:
        """Kill the process and wait until it is gone, its pipes closed."""
        self.kill()
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        with contextlib.suppress(Exception):
            await self.proc.wait()
        if self.link is not None:
            self.link.cancel()


@dataclass
class Answer:
    meta: dict[str, Any]
    body: bytes                       # the whole body, or its first chunk when ``rest`` is set
    rest: AsyncIterator[bytes] | None = None


class StartError(RuntimeError):
    pass


class BrokenAnswer(RuntimeError):
    """A streamed answer broke off after its first bytes were sent."""


COMMENTED = frozenset({"nt", "nq", "ttl", "trig"})   # answer formats where '# ...' is a comment


async def spawn(*args: str, link: Link | None = None, env: dict[str, str] | None = None) -> _Proc:
    """Start ``python -m <args>`` and wait for its K frame (sandboxed and ready) or F frame (why not). With a
    ``link`` (a remote store) the child gets one end of a socketpair to ask for connections (api/storelink.py)."""
    if link is None:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", *args, stdin=asyncio.subprocess.PIPE,
                                                    stdout=asyncio.subprocess.PIPE, env=env)
        p = _Proc(proc)
    else:
        ours, theirs = link.pair()
        with theirs:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                pass_fds=(theirs.fileno(),), env={**(env or os.environ), ENV: str(theirs.fileno())})
        p = _Proc(proc)
        p.link = asyncio.get_running_loop().create_task(link.serve(ours))
    try:
        kind, payload = await p.frame()
    except asyncio.IncompleteReadError:
        kind, payload = b"", b"it exited while starting"
    except asyncio.CancelledError:        # the pool stopped while it started: nothing else knows of it
        p.kill()
        if proc.stdin is not None:
            proc.stdin.close()
        if p.link is not None:
            p.link.cancel()
        raise
    if kind != b"K":
        await p.end()
        raise StartError(f"{args[0]} did not start: {payload.decode(errors='replace')}")
    return p


@dataclass
class Pool:
    path: str
    size: int = 2
    spare: int = 4
    memory: int = 0                   # bytes of address space per process; 0 = no cap
    base: str = ""                    # the base IRI, for the writer
    link: Link | None = None          # a remote store: connections for the children (api/storelink.py)
    reader_env: dict[str, str] | None = None   # the query workers' environment (no write credentials)
    gen: int = 0
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _idle: deque[_Proc] = field(default_factory=deque)
    _waiting: deque[asyncio.Future[_Proc]] = field(default_factory=deque)
    _live: int = 0                    # workers running or starting
    _procs: set[_Proc] = field(default_factory=set)
    _dying: set[_Proc] = field(default_factory=set)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _writer: _Proc | None = None

    @property
    def cap(self) -> int:
        return self.size + self.spare

    @property
    def workers(self) -> int:
        return self._live

    async def start(self) -> None:
        """Start the writer, whose first checkpoint the workers then open, and ``size`` workers. A writer that
        cannot start (another process holds the store) leaves the workers reading the store itself."""
        with contextlib.suppress(StartError):
            self._writer = await self._spawn_writer()
        self._live = self.size
        try:
            procs = await asyncio.gather(*(self._new() for _ in range(self.size)))
        except BaseException:
            await self.stop()
            raise
        for p in procs:
            self._release(p)
        self._background(self._retire())

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        procs = [*self._procs, *self._dying, *([self._writer] if self._writer else [])]
        await asyncio.gather(*(p.end() for p in procs))
        self._procs.clear()
        self._dying.clear()
        self._idle.clear()
        self._writer = None
        self._live = 0
        if self.link is None:              # an embedded store's checkpoints (kg.snapshots)
            with contextlib.suppress(OSError):
                prune(self.path, keep=0)   # no server reads them now; a CLI reader's pinned one stays

    def changed(self) -> None:
        """The store was written: workers reopen their view with their next job."""
        self.gen += 1

    # -- workers ------------------------------------------------------------------------------------------

    def _spawn_worker(self) -> Coroutine[Any, Any, _Proc]:
        return spawn("api.worker", self.path, str(self.memory), self.base, link=self.link, env=self.reader_env)

    def _spawn_writer(self) -> Coroutine[Any, Any, _Proc]:
        return spawn("api.writer", self.path, self.base, str(self.memory), link=self.link)

    async def _new(self) -> _Proc:
        p = await self._spawn_worker()
        self._procs.add(p)
        return p

    def _background(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _release(self, p: _Proc) -> None:
        """A worker is free: to the first request still waiting, else to the idle list."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(p)
                return
        p.idle_since = time.monotonic()
        self._idle.append(p)

    def _discard(self, p: _Proc) -> None:
        """Stop a worker; it counts against the cap until it is gone, and the pool regrows to its size."""
        p.kill()
        if p not in self._procs:
            return
        self._procs.discard(p)
        self._dying.add(p)

        async def bury() -> None:
            await p.end()
            self._dying.discard(p)
            self._live -= 1
            if self._live < self.size:
                self._grow()

        self._background(bury())

    def _grow(self) -> None:
        """Start one more worker, if the cap allows; it goes to a waiting request or the idle list."""
        if self._live >= self.cap:
            return
        self._live += 1

        async def started() -> None:
            while True:
                try:
                    p = await self._new()
                except (OSError, RuntimeError):   # StartError, or a spawn refused by the loop
                    await asyncio.sleep(0.5)
                    continue
                self._release(p)
                return

        self._background(started())

    async def _retire(self) -> None:
        while True:
            await asyncio.sleep(RETIRE_AFTER / 4)
            now = time.monotonic()
            while len(self._procs) > self.size and self._idle and now - self._idle[0].idle_since > RETIRE_AFTER:
                self._discard(self._idle.popleft())

    async def _acquire(self, deadline: float) -> _Proc:
        while True:
            p = self._idle.pop() if self._idle else None
            if p is None:
                p = await self._wait(deadline)
            if p.proc.returncode is None:
                return p
            self._discard(p)

    async def _wait(self, deadline: float) -> _Proc:
        if len(self._waiting) >= MAX_WAITING:
            raise HTTPError(503, "the server is busy: too many queries are waiting; try again shortly", RETRY_AFTER)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Proc] = loop.create_future()
        self._waiting.append(waiter)
        try:
            try:
                return await asyncio.wait_for(asyncio.shield(waiter), min(GROW_AFTER, deadline - loop.time()))
            except TimeoutError:
                self._grow()   # every worker has been busy for a while: long queries, not just a burst
            return await asyncio.wait_for(asyncio.shield(waiter), max(0.0, deadline - loop.time()))
        except TimeoutError:
            if waiter.done():
                return waiter.result()   # a worker came free at the last moment
            raise HTTPError(503, "the server is busy: no query worker became free in time", RETRY_AFTER) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())
            raise
        finally:
            if not waiter.done():
                waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiting.remove(waiter)

    async def run(self, req: dict[str, Any], timeout: float) -> Answer:
        """Send one job; raise HTTPError for an error answer or a missed deadline (503)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        p = await self._acquire(deadline)
        try:
            await p.send(req)
            kind, payload = await asyncio.wait_for(p.frame(), deadline - loop.time())
        except TimeoutError:
            self._discard(p)
            raise HTTPError(503, f"query timed out after {timeout:g} s and was stopped", RETRY_AFTER) from None
        except (ConnectionError, asyncio.IncompleteReadError):
            self._discard(p)
            raise HTTPError(500, "the query worker died while answering (it has been replaced)") from None
        except BaseException:
            self._discard(p)
            raise
        if kind == b"R":
            meta, body = pickle.loads(payload)
            self._release(p)
            return Answer(meta, body)
        if kind == b"X":
            self._release(p)
            status, message = pickle.loads(payload)
            raise HTTPError(status, message)
        if kind != b"H":
            self._discard(p)
            raise HTTPError(500, f"query worker answered {kind!r}")
        meta = pickle.loads(payload)
        fmt = req.get("formats", {}).get(meta.get("kind", ""))
        return Answer(meta, b"", self._stream(p, deadline, timeout, comments=fmt in COMMENTED))

    async def _stream(self, p: _Proc, deadline: float, timeout: float, *, comments: bool) -> AsyncIterator[bytes]:
        """The rest of a streamed answer. One that breaks off (deadline, worker error) ends with an error
        comment where the format has comments, and then the connection is dropped without the closing
        chunk: a client sees a broken transfer, never a complete-looking 200."""
        loop = asyncio.get_running_loop()
        done = False
        try:
            while True:
                try:
                    kind, payload = await asyncio.wait_for(p.frame(), deadline - loop.time())
                except TimeoutError:
                    kind, payload = b"A", f"query timed out after {timeout:g} s; this answer is incomplete".encode()
                if kind == b"D":
                    yield payload
                elif kind == b"E":
                    done = True
                    return
                else:
                    message = payload.decode(errors="replace")
                    if comments:
                        yield f"\n# ERROR: {message}\n".encode()
                    raise BrokenAnswer(message)
        finally:
            if done:
                self._release(p)
            else:
                self._discard(p)

    async def run_once(self, req: dict[str, Any]) -> dict[str, Any]:
        """Run one long job (a dump) on a fresh worker of its own, with no deadline; its answer's meta."""
        p = await self._spawn_worker()
        try:
            await p.send(req)
            kind, payload = await p.frame()
        finally:
            await p.end()
        if kind == b"X":
            raise HTTPError(*pickle.loads(payload))
        if kind != b"R":
            raise HTTPError(500, f"the worker answered {kind!r}")
        meta: dict[str, Any] = pickle.loads(payload)[0]
        return meta

    # -- the writer ---------------------------------------------------------------------------------------

    async def write(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        """One write on the writer (started with the pool, again if it was stopped), one at a time; its meta.

        Past the deadline the writer is killed: its transaction never commits, so nothing is written."""
        loop = asyncio.get_running_loop()
        async with self.write_lock:
            deadline = loop.time() + timeout
            try:
                if self._writer is None or self._writer.proc.returncode is not None:
                    self._writer = await asyncio.wait_for(
                        self._spawn_writer(),
                        max(0.0, deadline - loop.time()))
                w = self._writer
                await w.send(req)
                kind, payload = await asyncio.wait_for(w.frame(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                await self._stop_writer()
                raise HTTPError(503, f"the write ran over {timeout:g} s and was stopped; nothing was written",
                                RETRY_AFTER) from None
            except (ConnectionError, asyncio.IncompleteReadError):
                await self._stop_writer()
                raise HTTPError(500, "the writer process died on this request; nothing was written") from None
            except StartError as exc:
                raise HTTPError(503, f"cannot write: {exc}", RETRY_AFTER) from None
            finally:
                self.changed()
        if kind == b"X":
            raise HTTPError(*pickle.loads(payload))
        if kind != b"R":
            await self._stop_writer()
            raise HTTPError(500, f"the writer answered {kind!r}")
        meta: dict[str, Any] = pickle.loads(payload)[0]
        return meta

    async def _stop_writer(self) -> None:
        w, self._writer = self._writer, None
        if w is not None:
            await w.end()
