"""Whether a store is being served: ``kg serve`` holds an exclusive lock on ``<store>.serving`` while it runs.

The lock file says which process serves the store and where (``pid URL``); the kernel releases the lock when
that process ends, however it ends, so a stale file never blocks anything. The CLI's writing commands look
here first and tell the user what to do instead of failing on RocksDB's own lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path


class Served(Exception):
    """The store is held by a running ``kg serve``; ``holder`` is what its lock file says: ``pid URL``."""

    def __init__(self, store: Path, holder: str) -> None:
        pid, _, url = holder.strip().partition(" ")
        self.store = store
        self.pid = pid if pid.isdigit() else None
        self.url = url.strip() or None
        where = ", ".join(x for x in (f"pid {self.pid}" if self.pid else "", self.url or "") if x)
        super().__init__(f"the store {store} is being served by kg serve" + (f" ({where})" if where else ""))


def lock_path(store: Path | str) -> Path:
    store = Path(store).absolute()
    return store.with_name(store.name + ".serving")


def server_of(store: Path | str) -> Served | None:
    """The server holding ``store``, or None when nothing serves it."""
    path = lock_path(store)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return Served(Path(store), os.pread(fd, 512, 0).decode("utf-8", "replace"))
    finally:
        os.close(fd)
    return None


_HELD: dict[Path, list[int]] = {}       # lock file -> [fd, apps of this process serving it]


@dataclass
class ServeLock:
    """Held by a server process for as long as it serves ``store`` (several apps of one process may share it)."""
    store: Path
    held: bool = False

    def acquire(self, url: str = "") -> None:
        path = lock_path(self.store)
        if path in _HELD:
            _HELD[path][1] += 1
            self.held = True
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode("utf-8", "replace")
            os.close(fd)
            raise Served(self.store, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {url}\n".encode(), 0)
        _HELD[path] = [fd, 1]
        self.held = True

    def release(self) -> None:
        path = lock_path(self.store)
        if not self.held or path not in _HELD:
            return
        self.held = False
        _HELD[path][1] -= 1
        if _HELD[path][1] == 0:
            fd = _HELD.pop(path)[0]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)       # closing releases the lock
