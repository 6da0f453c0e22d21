"""Issue 9 item 7: ingest workers exit when their parent dies; kg.workers keeps order and isolates failures."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from ingest import generate  # noqa: E402


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killing_kg_ingest_leaves_no_worker_running(tmp_path: Path) -> None:
    generate(tmp_path / "articles", 600, seed=2)
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(tmp_path / "articles"), "--store",
                             str(tmp_path / "store"), "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the ingest never started its workers"
    time.sleep(0.5)                                   # let them get busy
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], f"workers {left} outlived the killed ingest"


def _square(items: list[int]) -> list[int]:
    if 13 in items:
        time.sleep(30)
    if 7 in items:
        os._exit(1)
    if 5 in items:
        raise ValueError("five")
    return [i * i for i in items]


def test_the_pool_keeps_order_and_isolates_the_item_that_fails() -> None:
    from kg.workers import Pool
    chunks = [[1, 2], [3, 4, 5], [6, 7, 8], [9], [10, 11, 12, 13], [14]]
    with Pool(2, _square, lambda item, why: [-item], lambda parts: sum(parts, []),
              lambda items: 1.0 + 0.1 * len(items)) as pool:
        results = list(pool.map(chunks))
    assert results == [[1, 4], [9, 16, -5], [36, -7, 64], [81], [100, 121, 144, -13], [196]]
    assert pool.restarts >= 2
