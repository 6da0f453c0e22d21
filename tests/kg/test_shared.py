"""Issue 9 item 10: the shared graphs are built once per version and reused, not rebuilt by every ingest."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.reference
from kg.pipeline import Ingester
from kg.remote import RemoteStore
from kg.store import Store
from tests.virtuoso import BACKENDS, empty_store


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the reference graphs were built again")


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store | RemoteStore]:
    store = empty_store(request, tmp_path)
    yield store
    if isinstance(store, RemoteStore):
        store.close()


def test_a_second_ingest_neither_builds_nor_compares_the_shared_graphs(
        tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch, any_store: Store) -> None:
    store = any_store
    Ingester(store, None, workers=1).run([seed_path])
    reference = str(store.minter.reference_graph)
    before = store.count(reference)
    monkeypatch.setattr(kg.reference, "reference_graph", _refuse)
    monkeypatch.setattr(kg.reference, "reference_graphs", _refuse)
    monkeypatch.setattr(type(store), "put_graph", _refuse)
    copy = tmp_path / "again.txt"
    shutil.copy(seed_path, copy)
    summary = Ingester(store, None, workers=1).run([copy])
    assert summary.outcomes[0].status == "unchanged" and store.count(reference) == before > 1000


def test_a_new_store_takes_the_built_graphs_from_the_cache_folder(
        tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import shared
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(shared, "_BUILT", {})
    first = Store(tmp_path / "one")
    Ingester(first, None, workers=1).run([seed_path])
    assert len(list((tmp_path / "cache" / "diplomacy-kg").glob("shared-*.json"))) == 1
    monkeypatch.setattr(shared, "_BUILT", {})                 # a new process: only the cache folder is left
    monkeypatch.setattr(kg.reference, "reference_graphs", _refuse)
    second = Store(tmp_path / "two")
    Ingester(second, None, workers=1).run([seed_path])
    for name in (first.minter.reference_graph, first.minter.ontology_graph, first.minter.graph("shapes")):
        assert second.count(str(name)) == first.count(str(name)) > 100
    assert second.shared_digest() == first.shared_digest() == shared.digest(second.minter)


def test_a_store_holding_another_version_gets_this_one(any_store: Store, seed_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import shared
    store = any_store
    Ingester(store, None, workers=1).run([seed_path])
    ontology = str(store.minter.ontology_graph)
    store.drop_graph(ox.NamedNode(ontology))                  # as if the ontology had changed since
    monkeypatch.setattr(shared, "digest", lambda minter: "another version")
    assert shared.ensure_shared(store) is True
    assert store.count(ontology) > 100 and store.shared_digest() == "another version"
    assert shared.ensure_shared(store) is False
