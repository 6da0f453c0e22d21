from __future__ import annotations

import io
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.iris import Minter
from kg.pipeline import Ingester, Worker, article_paths
from kg.rdf import to_oxigraph
from kg.remote import RemoteStore
from kg.store import Store, StoreError, graph_digest, split_history

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from ingest import generate  # noqa: E402

from tests.virtuoso import BACKENDS, wiped  # noqa: E402


@pytest.fixture(scope="module")
def worker() -> Worker:
    return Worker(Minter().base)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store | RemoteStore]:
    """These tests run against the embedded store and against Virtuoso (tests/virtuoso.py), emptied."""
    if request.param == "embedded":
        yield Store(tmp_path / "store")
        return
    with closing(wiped(request.getfixturevalue("virtuoso"))) as remote:
        yield remote


def _expected_digest(worker: Worker, path: Path) -> tuple[str, str]:
    """What was extracted, without the time it was (the store's bookkeeping, kg.store.split_history)."""
    built = worker.build(str(path))
    name = ox.NamedNode(built.article)
    return built.article, graph_digest(split_history(name, to_oxigraph(built.triples, built.article))[0])


def _stored_digest(store: Store, name: str) -> str:
    node = ox.NamedNode(name)
    return graph_digest(split_history(node, store.ox.quads_for_pattern(None, None, None, node))[0])


def test_each_article_goes_into_its_own_named_graph(store: Store, worker: Worker, seed_path: Path) -> None:
    built = worker.build(str(seed_path))
    assert store.write_articles([(built.article, built.triples)]) == ["added"]
    assert store.count(built.article) == len(built.triples)
    assert store.is_article(built.article)
    assert list(store.article_iris()) == [built.article]
    assert store.modified() is not None


def test_ingesting_the_same_article_twice_changes_nothing(store: Store, worker: Worker, seed_path: Path) -> None:
    built = worker.build(str(seed_path))
    store.write_articles([(built.article, built.triples)])
    before, modified = len(store.ox), store.modified()
    assert store.write_articles([(built.article, built.triples)]) == ["unchanged"]
    assert len(store.ox) == before and store.modified() == modified


def test_a_new_version_of_an_article_graph_replaces_the_old_one_exactly(store: Store, worker: Worker,
                                                                      seed_path: Path) -> None:
    built = worker.build(str(seed_path))
    store.write_articles([(built.article, built.triples)])
    changed = [t for t in built.triples if "#quote-" not in t[0]]          # e.g. a newer extractor drops quotes
    assert store.write_articles([(built.article, changed)]) == ["replaced"]
    assert store.count(built.article) == len(changed)
    stored = store.ox.quads_for_pattern(None, None, None, ox.NamedNode(built.article))
    assert graph_digest(stored) == graph_digest(to_oxigraph(changed, built.article))


def test_an_article_can_be_removed_and_only_articles_can(store: Store, worker: Worker, seed_path: Path) -> None:
    Ingester(store, None, workers=1).run([seed_path])
    article = next(store.article_iris())
    reference = str(store.minter.reference_graph)
    assert store.remove_article(reference) is False                        # shared graphs are not articles
    assert store.remove_article(article) is True
    assert store.count(article) == 0 and list(store.article_iris()) == []
    assert store.count(reference) > 1000
    assert store.remove_article(article) is False


def test_reference_graphs_are_written_once_and_rewritten_only_when_they_change(store: Store) -> None:
    ingester = Ingester(store, None, workers=1)
    ingester.ensure_reference()
    names = {str(store.minter.ontology_graph), str(store.minter.reference_graph), str(store.minter.graph("shapes"))}
    assert {str(g.value) for g in store.ox.named_graphs()} >= names
    modified = store.modified()
    time.sleep(1.1)
    ingester.ensure_reference()
    assert store.modified() == modified


@pytest.mark.parametrize("fmt, parse_as", [("nt", ox.RdfFormat.N_TRIPLES), ("nq", ox.RdfFormat.N_QUADS),
                                           ("ttl", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG)])
def test_export_writes_the_whole_dataset_in_each_format(store: Store, worker: Worker, seed_path: Path, fmt: str,
                                                       parse_as: ox.RdfFormat) -> None:
    built = worker.build(str(seed_path))
    store.write_articles([(built.article, built.triples)])
    out = io.BytesIO()
    store.export(fmt, out)
    parsed = list(ox.parse(out.getvalue(), parse_as))
    assert len(parsed) == len(built.triples) + 1                          # + the dataset's modification time
    if parse_as in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        assert {q.graph_name.value for q in parsed} == {built.article, str(store.minter.graph("meta"))}


def test_export_refuses_an_unknown_format(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        store.export("xml", io.BytesIO())


_INGEST = """
import sys
from pathlib import Path
from kg.pipeline import Ingester, article_paths
from kg.store import Store
def progress(done, total, summary):
    print(done, flush=True)
Ingester(Store(Path(sys.argv[1])), None, workers=1, chunk=4, write_batch=1, progress=progress).run(
    article_paths([Path(sys.argv[2])]))
"""


def test_killing_an_ingest_leaves_every_article_fully_in_or_fully_out(tmp_path: Path, worker: Worker) -> None:
    paths = generate(tmp_path / "articles", 60, seed=11)
    expected = dict(_expected_digest(worker, p) for p in paths)
    store_dir = tmp_path / "store"
    rng = random.Random(5)
    partial_seen = False
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", _INGEST, str(store_dir), str(tmp_path / "articles")],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 8)):          # let a few batches land, then kill during a later one
            if not proc.stdout.readline():
                break
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        store = Store(store_dir)
        present = [name for name in expected if store.count(name)]
        for name in present:
            assert _stored_digest(store, name) == expected[name], f"{name} is half written"
        partial_seen = partial_seen or 0 < len(present) < len(expected)
        del store
    assert partial_seen, "no kill landed in the middle of the batch; the test proved nothing"
    Ingester(Store(store_dir), None, workers=1).run(article_paths([tmp_path / "articles"]))
    store = Store(store_dir)
    assert all(_stored_digest(store, name) == digest for name, digest in expected.items())
