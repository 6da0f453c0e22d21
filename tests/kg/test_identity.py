"""Issue 9 item 1: an article's identity survives edits; a changed version replaces the old graph and records it."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.identity import article_key, normal_headline, normal_url
from kg.iris import Minter, text_hash
from kg.namespaces import DIP, PROV, SCHEMA
from kg.pipeline import Ingester, Worker
from kg.remote import RemoteStore
from kg.store import Store
from kg.validate import Validator
from tests.virtuoso import BACKENDS, empty_store

STORY = ("date 2023-03-14 Harbour Times\n\nFinland and Sweden sign a border pact\n\n"
         "HELSINKI (Harbour Times) - Finnish President Sauli Niinisto and Swedish Prime Minister Ulf Kristersson "
         "signed a border cooperation agreement in Helsinki on Monday.\n\n"
         "\"This is a good day for our two countries,\" Niinisto said after the meeting.\n")
EDITED = STORY.replace("a good day", "a very good day")
WITH_URL = "url https://www.harbour.example/news/border-pact/?utm_source=feed\n" + STORY


@pytest.fixture(scope="module")
def worker() -> Worker:
    return Worker(Minter().base)


def _iri(worker: Worker, text: str, name: str = "story.txt", key: str | None = None) -> str:
    return worker.build(name, text.encode("utf-8"), key=key).article


def test_an_edit_a_trailing_newline_or_crlf_keep_the_article_iri(worker: Worker) -> None:
    first = _iri(worker, STORY)
    assert _iri(worker, EDITED) == first
    assert _iri(worker, STORY + "\n") == first
    assert _iri(worker, STORY.replace("\n", "\r\n")) == first


def test_a_url_identifies_the_article_whatever_its_text_and_tracking_parameters(worker: Worker) -> None:
    by_url = _iri(worker, WITH_URL)
    assert by_url != _iri(worker, STORY)
    retitled = WITH_URL.replace("sign a border pact", "agree border pact").replace("utm_source=feed", "fbclid=x")
    assert _iri(worker, retitled.replace("http", "HTTP", 1)) == by_url
    assert normal_url("http://WWW.Example.org:443/a/b/#top") == normal_url("https://example.org/a/b")
    assert normal_url("https://example.org/a?id=1&utm_medium=x") == "https://example.org/a?id=1"
    assert normal_url("https://example.org/a?id=1") != normal_url("https://example.org/a?id=2")


def test_outlet_date_and_headline_tell_articles_apart(worker: Worker) -> None:
    first = _iri(worker, STORY)
    assert _iri(worker, STORY.replace("2023-03-14", "2023-03-15")) != first
    assert _iri(worker, STORY.replace("Harbour Times\n", "Fjord Post\n", 1)) != first
    assert _iri(worker, STORY.replace("sign a border pact", "sign a fishing pact")) != first
    assert normal_headline("Finland, Sweden ‘sign’ border pact") == normal_headline("finland sweden 'SIGN' Border Pact")


def test_without_url_outlet_or_date_the_text_is_the_identity(worker: Worker) -> None:
    bare = STORY.split("\n", 2)[2]                       # no header line: no date, no outlet
    built = worker.build("bare.txt", bare.encode())
    assert article_key(built.findings.article) == built.findings.article.text
    assert built.article == str(worker.minter.article(bare))


def test_a_given_id_overrides_and_an_article_iri_can_be_given(worker: Worker) -> None:
    given = _iri(worker, STORY, key="newsroom-4711")
    assert given == _iri(worker, WITH_URL, key="newsroom-4711") != _iri(worker, STORY)
    old = str(worker.minter.article("some earlier text"))
    assert _iri(worker, STORY, key=old) == old


def _values(store: Store, s: str, p: str) -> list[str]:
    return sorted(q.object.value for q in store.ox.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None))


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store | RemoteStore]:
    store = empty_store(request, tmp_path)
    yield store
    if isinstance(store, RemoteStore):
        store.close()


def test_a_changed_version_replaces_the_graph_and_records_the_one_before(tmp_path: Path,
                                                                         any_store: Store) -> None:
    path = tmp_path / "in" / "story.txt"
    path.parent.mkdir()
    store = any_store
    ingester = Ingester(store, None, workers=1)
    versions = [STORY, EDITED, EDITED.replace("border cooperation", "border security")]
    statuses = []
    for text in versions:
        path.write_text(text, encoding="utf-8")
        statuses.append(ingester.run([path]).outcomes[0].status)
    assert statuses == ["added", "replaced", "replaced"]
    (article,) = store.article_iris()
    assert _values(store, article, str(PROV.wasRevisionOf)) == [second := f"{article}#version-2"]
    assert _values(store, second, str(PROV.wasRevisionOf)) == [first := f"{article}#version-1"]
    assert _values(store, first, str(DIP.textSha256)) == [text_hash(versions[0])]
    assert _values(store, second, str(DIP.textSha256)) == [text_hash(versions[1])]
    assert _values(store, article, str(DIP.textSha256)) == [text_hash(versions[2])]
    for version in (first, second):
        assert len(_values(store, version, str(PROV.generatedAtTime))) == 1
        assert len(_values(store, version, str(PROV.invalidatedAtTime))) == 1
        assert _values(store, version, str(DIP.readFrom)) == [str(path)]
    once = Store(None)
    Ingester(once, None, workers=1).run([path])
    assert _events(store) == _events(once) > 0                      # the edited article's events counted once


def _events(store: Store) -> int:
    query = (f"PREFIX dip: <{DIP}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT (COUNT(?e) AS ?n) WHERE { ?e a/rdfs:subClassOf* dip:DiplomaticEvent }")
    return int(next(iter(store.query(query)))["n"].value)


def test_a_stored_revision_conforms_to_the_shapes(any_store: Store, worker: Worker) -> None:
    store = any_store
    for text in (STORY, EDITED):
        built = worker.build("story.txt", text.encode())
        store.write_articles([(built.article, built.triples)])
    name = ox.NamedNode(built.article)
    triples = [(str(q.subject), str(q.predicate), str(q.object)) for q in store.ox.quads_for_pattern(None, None, None,
                                                                                                    name)]
    for engine in ("fast", "pyshacl"):
        report = Validator(worker.minter, worker.gaz, engine).validate([(built.article, triples)])[0]  # type: ignore
        assert report.conforms, report.text
    assert any(p == f"<{PROV.wasRevisionOf}>" for _, p, _ in triples)
    broken = [t for t in triples if t[1] != f"<{PROV.invalidatedAtTime}>"]
    report = Validator(worker.minter, worker.gaz).validate([(built.article, broken)])[0]
    assert not report.conforms and "invalidatedAtTime" in report.text


def test_the_source_path_and_url_are_recorded(worker: Worker) -> None:
    built = worker.build("feeds/harbour/story.txt", WITH_URL.encode())
    a = f"<{built.article}>"
    assert (a, f"<{DIP.readFrom}>", '"feeds/harbour/story.txt"') in built.triples
    assert (a, f"<{SCHEMA.url}>", "<https://www.harbour.example/news/border-pact/?utm_source=feed>") in built.triples


def test_kg_ingest_id_replaces_an_article_whose_identity_changed(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    one, two = tmp_path / "v1.txt", tmp_path / "v2.txt"
    one.write_text(STORY, encoding="utf-8")
    two.write_text(STORY.replace("sign a border pact", "agree on border pact"), encoding="utf-8")  # new headline
    assert main(["ingest", str(one), "--store", store, "--id", "desk/2023/0314-border"]) == 0
    assert main(["ingest", str(two), "--store", store, "--id", "desk/2023/0314-border"]) == 0
    assert "1 replaced" in capsys.readouterr().out
    assert len(list(Store(store, read_only=True).article_iris())) == 1
    assert main(["ingest", str(one), str(two), "--store", store, "--id", "x"]) == 2
    assert "--id names one article" in capsys.readouterr().err
