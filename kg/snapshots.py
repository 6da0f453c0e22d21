"""Reading a store that another process writes: through checkpoints the writer takes, never the live files.

RocksDB, under pyoxigraph, leaves a read-only open of a store that another process writes undefined, and
so it measured: under steady writes, queries on such views ran away into 512 MB allocations and their
workers died. So a writer that others read (the server's writer process) takes a checkpoint after every
write (``Store.backup``: hard links and a flush, a few ms), into ``<store>.views/<n>``, and every reader
opens the newest checkpoint, which nothing writes. A reader pins the checkpoint it holds with a shared
lock on ``<n>.pin``; the writer deletes an older checkpoint only when it gets that lock exclusively, since
a checkpoint deleted under a reader ran away too. The kernel drops a dead reader's lock. A store that a
process writes without checkpoints (``kg ingest``) is not read at all until it is done.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import struct
import time
from pathlib import Path

import pyoxigraph as ox

from kg.serving import server_of


def views_dir(store: Path | str) -> Path:
    store = Path(store).absolute()
    return store.with_name(store.name + ".views")


def newest(store: Path | str) -> int:
    """The number of the newest complete checkpoint of ``store``, 0 when there is none."""
    try:
        return max((int(name) for name in os.listdir(views_dir(store)) if name.isdigit()), default=0)
    except OSError:
        return 0


def take(store: ox.Store, path: Path | str) -> int:
    """Checkpoint ``store`` (open read-write at ``path``) as the newest view; delete the unpinned older ones."""
    views = views_dir(path)
    views.mkdir(exist_ok=True)
    n = newest(path) + 1
    part = views / f"{n}.part"
    shutil.rmtree(part, ignore_errors=True)
    store.backup(str(part))
    (views / f"{n}.pin").touch()
    os.rename(part, views / str(n))      # complete, or not there at all
    prune(path, keep=n)
    return n


def prune(path: Path | str, keep: int) -> None:
    """Delete every checkpoint but ``keep`` that no reader holds, and what an interrupted ``take`` left."""
    views = views_dir(path)
    for name in os.listdir(views):
        if name.endswith(".part") and name != f"{keep}.part":
            shutil.rmtree(views / name, ignore_errors=True)
        if not name.isdigit() or int(name) == keep:
            continue
        pin = views / f"{name}.pin"
        fd = os.open(pin, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue                      # a reader has it open
        else:
            shutil.rmtree(views / name, ignore_errors=True)
            pin.unlink(missing_ok=True)
        finally:
            os.close(fd)


_FLOCK = "hhqqi"        # struct flock: type, whence, start, len, pid


class Busy(OSError):
    """Another process writes the store and takes no checkpoints: reading it now is undefined."""


def writer_pid(path: Path | str) -> int | None:
    """The other process holding the store open read-write (RocksDB's lock on its LOCK file), if any."""
    try:
        fd = os.open(Path(path) / "LOCK", os.O_RDONLY)
    except OSError:
        return None
    try:
        got = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(_FLOCK, fcntl.F_WRLCK, 0, 0, 0, 0))
    except OSError:
        return None
    finally:
        os.close(fd)
    kind, _, _, _, pid = struct.unpack(_FLOCK, got)
    return None if kind == fcntl.F_UNLCK else pid


class View:
    """A read-only store: while a server serves it, its newest checkpoint, pinned while this object lives;
    otherwise the store itself."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._pin: int | None = None
        for _ in range(50):
            self.number = _current(path)
            if self.number == 0:
                pid = writer_pid(path)
                if pid is not None:
                    raise Busy(f"process {pid} is writing it (a kg ingest?): read it when that is done, or "
                               f"serve it (kg serve reads it while it writes)")
                self.ox = _open_live(str(path))
                return
            with contextlib.suppress(FileNotFoundError):
                self.ox = self._open_pinned(self.number)
                return
        raise OSError(f"no checkpoint of {path} could be opened: each was replaced while opening it")

    def _open_pinned(self, n: int) -> ox.Store:
        views = views_dir(self.path)
        fd = os.open(views / f"{n}.pin", os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not (views / str(n)).is_dir():
                raise FileNotFoundError(views / str(n))   # deleted before our lock was granted
            store = ox.Store.read_only(str(views / str(n)))
        except BaseException:
            os.close(fd)
            raise
        self._pin = fd
        return store

    @property
    def stale(self) -> bool:
        """A newer checkpoint exists (a write happened since this view was opened)."""
        return _current(self.path) != self.number

    def close(self) -> None:
        """Release the pin; the store object must not be read after this."""
        if self._pin is not None:
            os.close(self._pin)
            self._pin = None

    def __del__(self) -> None:
        self.close()


def _current(path: Path | str) -> int:
    return newest(path) if server_of(path) else 0


def _open_live(path: str, attempts: int = 50) -> ox.Store:
    # Opening races a compaction by a writer that takes no checkpoints (a CLI ingest): try again.
    for _ in range(attempts - 1):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            time.sleep(0.02)
    return ox.Store.read_only(path)
