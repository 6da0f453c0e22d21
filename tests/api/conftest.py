"""Live servers on loopback for the API tests: uvicorn in a thread, the store on disk in a temp folder."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from api.app import create_app
from kg.config import Settings
from kg.iris import Minter
from kg.remote import RemoteStore
from kg.store import Store
from tests.virtuoso import Virtuoso, wiped

DATA = Path(__file__).parent / "data"
TOKEN = "test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Live:
    url: str
    path: Path | str                 # the store directory, or a remote store's URL
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def minter(self) -> Minter:
        return Minter(self.settings.base_iri)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def serve(path: Path | str, **settings: object) -> Live:
    """A server on the store at ``path`` (or a remote store's URL); no Store may hold an embedded one open
    read-write (the server's writer will)."""
    if isinstance(path, str) and "dumps_dir" not in settings:
        settings["dumps_dir"] = Path(tempfile.mkdtemp(prefix="kg-dumps-"))
    s = Settings(store=path, **settings)  # type: ignore[arg-type]
    port = free_port()
    # asyncio, not uvloop: several test servers share this process, and uvloop refuses two loops spawning at once
    config = uvicorn.Config(create_app(path, s, workers=2, url=f"http://127.0.0.1:{port}"), host="127.0.0.1",
                            port=port, log_level="warning", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return Live(f"http://127.0.0.1:{port}", path, s, server, thread)


def new_store(path: Path, update: str | None = None) -> Path:
    """An on-disk store at ``path``, after an optional SPARQL update, closed again for a server to open."""
    store = Store(path)
    if update:
        store.ox.update(update)
    store.flush()
    return path


def seeded_store(path: Path, seed: Path, fixture: bool = True) -> Path:
    """The seed article through the real pipeline, plus (unless ``fixture`` is false) the hand-written fixture
    graphs."""
    from kg.pipeline import Ingester
    store = Store(path)
    Ingester(store, None, workers=1).run([seed])
    if fixture:
        store.ox.load(path=str(DATA / "fixture.trig"), format=ox.RdfFormat.TRIG)
    store.flush()
    return path


def load_trig(store: RemoteStore, path: Path) -> None:
    """A TriG file into a remote store, graph by graph."""
    graphs: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        graphs.setdefault(str(q.graph_name), []).append(q)
    for quads in graphs.values():
        name = quads[0].graph_name
        store.set_graph(name, quads, replace=False)  # type: ignore[arg-type]


def seeded_remote(virtuoso: Virtuoso, seed: Path) -> str:
    """The seeded store's content (seeded_store) in the session's Virtuoso; its KG_STORE URL."""
    from kg.pipeline import Ingester
    with closing(wiped(virtuoso)) as remote:
        Ingester(remote, None, workers=1).run([seed])  # type: ignore[arg-type]
        load_trig(remote, DATA / "fixture.trig")
    return virtuoso.store


def backend_live(request: pytest.FixtureRequest, live: Live, seed_path: Path) -> Iterator[Live]:
    """A module's ``live`` over both stores: ``live = pytest.fixture(scope="module", params=BACKENDS)(backend_live)``
    runs the module's tests against the embedded store (the session's server) and against Virtuoso (a server of
    its own on the same seeded content)."""
    if request.param == "embedded":
        yield live
        return
    server = serve(seeded_remote(request.getfixturevalue("virtuoso"), seed_path), api_token=TOKEN,
                   query_timeout=3.0, max_rows=50)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return seeded_store(tmp_path_factory.mktemp("store") / "store", seed_path)


@pytest.fixture(scope="session")
def live(store: Path) -> Iterator[Live]:
    server = serve(store, api_token=TOKEN, query_timeout=3.0, max_rows=50)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seed_live(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Live]:
    """A server over the seed article as the pipeline stores it, and nothing else (read-only)."""
    server = serve(seeded_store(tmp_path_factory.mktemp("seed") / "store", seed_path, fixture=False))
    yield server
    server.stop()


@pytest.fixture()
def seed_client(seed_live: Live) -> Iterator[httpx.Client]:
    with seed_live.client() as c:
        yield c


@pytest.fixture()
def client(live: Live) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c


@pytest.fixture()
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Served:
    """`kg serve` in a process of its own over a store whose base IRI is the server's own address, so that every
    IRI in the data is a URL that dereferences here (for linked-data clients, link traversal and browsers)."""
    url: str
    path: Path
    proc: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return self.url + "/"


def start_kg_serve(path: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(path), "--port", str(port)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=5)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("kg serve did not start") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Served]:
    from kg.pipeline import Ingester
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    path = tmp_path_factory.mktemp("served") / "store"
    store = Store(path, Minter(url + "/"))
    Ingester(store, None, workers=1).run([seed_path])
    store.flush()
    del store
    proc = start_kg_serve(path, port, KG_BASE_IRI=url + "/")
    yield Served(url, path, proc)
    proc.terminate()
    proc.wait(30)


@pytest.fixture(scope="session")
def seed_served(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[str]:
    """`kg serve` in a process of its own over a seed-only store (default base IRI) like seed_live's, a store of its
    own (a store is served by one server at a time): its URL."""
    port = free_port()
    proc = start_kg_serve(seeded_store(tmp_path_factory.mktemp("seed-served") / "store", seed_path, fixture=False),
                          port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(30)


NODE = Path(__file__).resolve().parents[1] / "node"


@pytest.fixture(scope="session")
def node_clients() -> Path:
    """tests/node with its npm packages installed (npm ci, once per package-lock.json)."""
    import hashlib
    import shutil
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("the JavaScript clients need Node.js and npm on PATH")
    stamp = NODE / "node_modules" / ".lock-sha256"
    lock = hashlib.sha256((NODE / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != lock:
        run = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE,
                             capture_output=True, text=True, timeout=1200)
        if run.returncode != 0:
            pytest.skip(f"npm ci could not install the JavaScript clients: {run.stderr[-2000:]}")
        stamp.write_text(lock)
    return NODE
