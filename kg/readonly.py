"""Opening a store read-only while another process writes it."""
from __future__ import annotations

import time

import pyoxigraph as ox


def open_read_only(path: str, attempts: int = 50) -> ox.Store:
    """A read-only view of a store another process may be writing."""
    # Opening races the writer's compaction, which may delete a file the manifest just named: try again.
    for _ in range(attempts - 1):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            time.sleep(0.02)
    return ox.Store.read_only(path)
