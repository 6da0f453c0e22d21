"""Worker processes for ingest: each dies with its parent, runs under a memory cap and within a deadline.

The workers are forked from the ingesting process once it has loaded what they need (gazetteer, shapes,
reference index), so they start at once and share that memory. Each takes chunks over a pipe, one at a
time, two queued so it never waits for the parent. A chunk that outlives its deadline, or whose worker dies,
is tried again one item at a time on a fresh worker; the item that fails alone becomes that item's error
(``fail``), and the rest of the batch goes on. Results come back in the order of the chunks.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from kg.sandbox import SandboxError, deny_network, die_with_parent, limit_memory

T = TypeVar("T")
R = TypeVar("R")
DEPTH = 2                      # chunks queued on a worker


@dataclass(slots=True)
class _Task(Generic[T]):
    index: int                 # which chunk
    part: int | None           # which item of it, once the chunk is retried item by item
    items: list[T]


@dataclass(slots=True)
class _Slot:
    proc: Any
    conn: Connection
    queue: deque[Any] = field(default_factory=deque)
    since: float = 0.0         # when the head of the queue started, as far as the parent knows


def vm_size() -> int:
    """This process's address space, bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _serve(conn: Connection, handler: Callable[[list[Any]], Any], parent: int, memory: int) -> None:
    die_with_parent(parent)
    try:
        deny_network()             # reading articles needs no network: a hostile page cannot make it fetch
    except SandboxError:
        pass
    if memory:
        limit_memory(vm_size() + memory)
    while True:
        try:
            items = conn.recv()
        except (EOFError, OSError):
            return
        if items is None:
            return
        try:
            conn.send(("ok", handler(items)))
        except Exception as exc:   # the handler's own failure: the parent retries the items one by one
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class Pool(Generic[T, R]):
    """``map(chunks)``: ``handler(chunk)`` for each chunk, in worker processes, in order.

    ``fail(item, reason)`` is the result for one item that could not be handled alone, ``merge(results)`` joins
    the results of a chunk handled item by item, ``deadline(chunk)`` is how long a chunk may take, seconds."""

    def __init__(self, workers: int, handler: Callable[[list[T]], R], fail: Callable[[T, str], R],
                 merge: Callable[[list[R]], R], deadline: Callable[[list[T]], float], memory: int = 0) -> None:
        self.size = max(1, workers)
        self.handler, self.fail, self.merge, self.deadline = handler, fail, merge, deadline
        self.memory = memory
        self.context = mp.get_context("fork")
        self.slots: list[_Slot] = []
        self.restarts = 0

    def __enter__(self) -> Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for slot in self.slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self.slots:
            slot.proc.join(2)
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join()
            slot.conn.close()
        self.slots.clear()

    def _start(self) -> _Slot:
        mine, theirs = self.context.Pipe()
        proc = self.context.Process(target=_serve, args=(theirs, self.handler, os.getpid(), self.memory), daemon=True)
        proc.start()
        theirs.close()
        return _Slot(proc, mine)

    def _restart(self, slot: _Slot) -> None:
        slot.proc.kill()
        slot.proc.join()
        slot.conn.close()
        fresh = self._start()
        slot.proc, slot.conn, slot.queue = fresh.proc, fresh.conn, deque()
        self.restarts += 1

    def map(self, chunks: Sequence[list[T]]) -> Iterator[R]:
        tasks: deque[_Task[T]] = deque(_Task(i, None, list(c)) for i, c in enumerate(chunks))
        done: dict[int, R] = {}
        parts: dict[int, list[R | None]] = {}
        while len(self.slots) < min(self.size, len(tasks)):
            self.slots.append(self._start())
        following = 0

        def finish(task: _Task[T], result: R) -> None:
            if task.part is None:
                done[task.index] = result
                return
            got = parts[task.index]
            got[task.part] = result
            if all(r is not None for r in got):
                done[task.index] = self.merge([r for r in got if r is not None])
                del parts[task.index]

        def failed(task: _Task[T], reason: str) -> None:
            if len(task.items) > 1:
                parts[task.index] = [None] * len(task.items)
                tasks.extendleft(reversed([_Task(task.index, j, [item]) for j, item in enumerate(task.items)]))
            else:
                finish(task, self.fail(task.items[0], reason))

        while following < len(chunks):
            now = time.monotonic()
            for slot in self.slots:
                while len(slot.queue) < DEPTH and tasks:
                    task = tasks.popleft()
                    if not slot.queue:
                        slot.since = now
                    slot.queue.append(task)
                    slot.conn.send(task.items)
            busy = [s for s in self.slots if s.queue]
            if busy:
                first = min(s.since + self.deadline(s.queue[0].items) for s in busy)
                ready = wait([s.conn for s in busy], max(0.0, first - time.monotonic()))
                now = time.monotonic()
                for slot in busy:
                    if slot.conn in ready:
                        self._answer(slot, now, finish, failed, tasks)
                    elif now > slot.since + self.deadline(slot.queue[0].items):
                        limit = self.deadline(slot.queue[0].items)
                        head, rest = slot.queue[0], list(slot.queue)[1:]
                        self._restart(slot)
                        tasks.extendleft(reversed(rest))
                        failed(head, f"took longer than {limit:.0f} s and was stopped")
            while following in done:
                yield done.pop(following)
                following += 1

    def _answer(self, slot: _Slot, now: float, finish: Callable[[_Task[T], R], None],
                failed: Callable[[_Task[T], str], None], tasks: deque[_Task[T]]) -> None:
        try:
            kind, result = slot.conn.recv()
        except (EOFError, OSError):
            head, rest = slot.queue[0], list(slot.queue)[1:]
            slot.proc.join(1)
            code = slot.proc.exitcode
            self._restart(slot)
            tasks.extendleft(reversed(rest))
            why = f" (killed by signal {-code})" if code and code < 0 else f" (exit status {code})" if code else ""
            failed(head, f"the worker process died while reading it{why}")
            return
        task = slot.queue.popleft()
        slot.since = now
        if kind == "ok":
            finish(task, result)
        else:
            failed(task, f"the worker failed: {result}")
