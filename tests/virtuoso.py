"""A Virtuoso 7 of its own for the tests (and the benchmarks): Debian's virtuoso-opensource, installed with
apt-get if it is missing, started on loopback ports with a database in a temporary folder, stopped after.

    python tests/virtuoso.py /tmp/v [SECONDS [BUFFERS]]   # start one, print its KG_STORE (Ctrl-C stops it)

(SECONDS: its limit on a query's running time; BUFFERS: 8 KB pages of cache, 170000 for about 1.3 GB, the
size Virtuoso's documentation gives a machine with 2 GB free for it.)

The set-up is the README's recipe: a user ``kg`` with SPARQL_UPDATE that writes through ``/sparql-auth``
(HTTP Digest), anonymous queries through ``/sparql``, Virtuoso's system graph made private (graph-level
security) and its sample graphs dropped, and row and time limits above the server's.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    import pytest

    from kg.remote import RemoteStore
    from kg.store import Store

INI = (Path("/etc/virtuoso-opensource-7/virtuoso.ini"), Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))
USER, PASSWORD = "kg", "kg-test-password"
SETUP = f"""
DB.DBA.USER_CREATE ('{USER}', '{PASSWORD}');
GRANT SPARQL_UPDATE TO "{USER}";
DB.DBA.RDF_GRAPH_GROUP_CREATE ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs',
                            'http://www.openlinksw.com/schemas/virtrdf#');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{USER}', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{USER}', 15, 0);
SPARQL CLEAR GRAPH <http://localhost:8890/DAV/>;
SPARQL CLEAR GRAPH <http://www.w3.org/2002/07/owl#>;
SPARQL CLEAR GRAPH <http://www.w3.org/ns/ldp#>;
SPARQL CLEAR GRAPH <http://localhost:8890/sparql>;
"""


BACKENDS = ("embedded", "virtuoso")      # the behaviour tests that run on both stores parametrize over these


class Unavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install() -> None:
    """virtuoso-t on the PATH, installed from Debian's package if need be; Unavailable if it cannot be."""
    if shutil.which("virtuoso-t") and shutil.which("isql-vt"):
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise Unavailable("Virtuoso is not installed, and apt-get is not available to root here")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "virtuoso-opensource"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:   # a clean machine may have no package lists yet
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=900)
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not shutil.which("virtuoso-t"):
        raise Unavailable(f"apt-get install virtuoso-opensource failed: {done.stderr.strip()[-500:]}")


def set_key(ini: str, section: str, key: str, value: str) -> str:
    """The ini text with ``key = value`` in ``[section]`` (replaced where present, added where not)."""
    out: list[str] = []
    current, done = None, False
    for line in ini.splitlines():
        m = re.match(r"\s*\[(.+)\]", line)
        if m:
            if current == section and not done:
                out.append(f"{key} = {value}")
                done = True
            current = m.group(1)
        elif current == section and re.match(rf"\s*{re.escape(key)}\s*=", line):
            if done:
                continue
            line, done = f"{key} = {value}", True
        out.append(line)
    if not done:
        out += [f"[{section}]", f"{key} = {value}"] if current != section else [f"{key} = {value}"]
    return "\n".join(out) + "\n"


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def store(self) -> str:
        """KG_STORE for this Virtuoso: anonymous queries, Digest-authenticated writes."""
        return f"http://127.0.0.1:{self.http_port}/sparql#update=/sparql-auth&graphs=/sparql-graph-crud-auth"

    @property
    def env(self) -> dict[str, str]:
        return {"KG_STORE_USER": USER, "KG_STORE_PASSWORD": PASSWORD}

    def configure(self, max_seconds: int = 5, buffers: int = 30000, rows: int = 100_000_000) -> None:
        template = next((p for p in INI if p.exists()), None)
        if template is None:
            raise Unavailable("virtuoso-opensource is installed but has no virtuoso.ini")
        ini = template.read_text()
        db = str(self.folder)
        ini = re.sub(r"/var/lib/virtuoso-opensource-7/db", db, ini)
        for section, key, value in [
            ("Parameters", "ServerPort", f"127.0.0.1:{self.sql_port}"),
            ("HTTPServer", "ServerPort", f"127.0.0.1:{self.http_port}"),
            ("Parameters", "DirsAllowed", f"., {db}"),
            ("Parameters", "MaxSortedTopRows", "1000000"),
            ("Parameters", "NumberOfBuffers", str(buffers)),          # 8 KB pages of cache
            ("Parameters", "MaxDirtyBuffers", str(buffers * 3 // 4)),
            ("SPARQL", "ResultSetMaxRows", str(rows)),     # above any answer: dumps come in one answer
            ("SPARQL", "MaxQueryExecutionTime", str(max_seconds)),
            # its estimate refuses queries that run in milliseconds (one was put at 49,846,964 s): 0 turns it off
            ("SPARQL", "MaxQueryCostEstimationTime", "0"),
        ]:
            ini = set_key(ini, section, key, value)
        (self.folder / "virtuoso.ini").write_text(ini)

    def start(self, timeout: float = 180) -> None:
        with (self.folder / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(["virtuoso-t", "-f", "-c", str(self.folder / "virtuoso.ini")],
                                         cwd=self.folder, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable(f"virtuoso-t exited ({self.proc.returncode}): {self.log_tail()}")
            try:
                httpx.get(f"http://127.0.0.1:{self.http_port}/sparql", params={"query": "ASK {}"}, timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.3)
        self.stop()
        raise Unavailable(f"Virtuoso did not answer within {timeout:.0f} s: {self.log_tail()}")

    def sql(self, script: str) -> None:
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=script, text=True,
                              capture_output=True, timeout=300)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise Unavailable(f"isql failed: {done.stdout[-800:]} {done.stderr[-300:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)

    def kill(self) -> None:
        """Stop it the hard way (SIGKILL): what it had not committed is gone when it starts again."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(30)

    def log_tail(self) -> str:
        log = self.folder / "virtuoso.log"
        return log.read_text(errors="replace")[-600:] if log.exists() else ""


def start(folder: Path, max_seconds: int = 5, buffers: int = 30000, rows: int = 100_000_000) -> Virtuoso:
    """Install if need be, configure, start and set up a Virtuoso in ``folder``; ``max_seconds`` is its own limit
    on a query's running time (the tests' servers give up on a query after a few seconds)."""
    install()
    folder.mkdir(parents=True, exist_ok=True)
    v = Virtuoso(folder, free_port(), free_port())
    v.configure(max_seconds, buffers, rows)
    v.start()
    try:
        v.sql(SETUP)
    except Exception:
        v.stop()
        raise
    return v


def wiped(v: Virtuoso) -> RemoteStore:
    """The Virtuoso as an empty store (close it when done)."""
    from kg.remote import RemoteStore
    remote = RemoteStore(v.store)
    remote.update("DROP ALL")
    return remote


def empty_store(request: pytest.FixtureRequest, folder: Path) -> Store | RemoteStore:
    """For a fixture parametrized over BACKENDS: a new embedded store in ``folder``, or the session's Virtuoso
    emptied (close it when done)."""
    if request.param == "embedded":
        from kg.store import Store
        return Store(folder / "store")
    return wiped(request.getfixturevalue("virtuoso"))


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/kg-virtuoso")
    v = start(folder, int(sys.argv[2]) if len(sys.argv) > 2 else 300, int(sys.argv[3]) if len(sys.argv) > 3 else 30000)
    pid = v.proc.pid if v.proc else "?"
    print(f"KG_STORE='{v.store}' KG_STORE_USER={USER} KG_STORE_PASSWORD={PASSWORD}  (pid {pid})", flush=True)
    try:
        assert v.proc is not None
        v.proc.wait()
    except KeyboardInterrupt:
        v.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
