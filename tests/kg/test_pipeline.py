from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.pipeline as pipeline
from kg.pipeline import Ingester, article_paths
from kg.rdf import Triple
from kg.store import Store


@pytest.fixture()
def batch(tmp_path: Path, seed_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(seed_path, folder / "a-seed.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-binary.txt").write_bytes(b"\x00\x01\x02 not text \x00")
    (folder / "d-plain.md").write_text("# Japan and Australia sign a defence pact\n\n**Tokyo, 17 November 2022** · "
                                       "*Pacific Review*\n\nJapanese Prime Minister Fumio Kishida and Australian Prime "
                                       "Minister Anthony Albanese signed a defence agreement in Tokyo on Thursday.\n",
                                       encoding="utf-8")
    (folder / ".hidden.txt").write_text("not an article", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return folder


def test_folders_give_article_files_only(batch: Path) -> None:
    assert [p.name for p in article_paths([batch])] == ["a-seed.txt", "b-empty.txt", "c-binary.txt", "d-plain.md"]


def test_bad_files_are_reported_by_name_and_the_batch_goes_on(tmp_path: Path, batch: Path) -> None:
    store = Store(tmp_path / "store")
    summary = Ingester(store, tmp_path / "rejected", workers=1).run(article_paths([batch]))
    status = {Path(o.path).name: o for o in summary.outcomes}
    assert status["a-seed.txt"].status == "added" and status["d-plain.md"].status == "added"
    assert status["b-empty.txt"].status == "unreadable"
    assert "b-empty.txt: empty article" in status["b-empty.txt"].message
    assert status["c-binary.txt"].status == "unreadable" and "binary input" in status["c-binary.txt"].message
    assert not summary.ok
    assert len(list(store.article_iris())) == 2
    assert summary.triples == sum(store.count(o.article) for o in summary.outcomes if o.status == "added")


def test_an_article_with_violations_is_not_stored_and_its_report_is_kept(tmp_path: Path, batch: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.build_article_graph

    def without_dates(*args: object, **kwargs: object) -> list[Triple]:
        triples: list[Triple] = real(*args, **kwargs)  # type: ignore[arg-type]
        if "Kishida" in triples[0][0] or any("Kishida" in o for _, _, o in triples):
            return [t for t in triples if not t[1].endswith("datePublished>")]
        return triples

    monkeypatch.setattr(pipeline, "build_article_graph", without_dates)
    store = Store(tmp_path / "store")
    summary = Ingester(store, tmp_path / "rejected", workers=1).run(article_paths([batch]))
    rejected = next(o for o in summary.outcomes if o.status == "rejected")
    assert Path(rejected.path).name == "d-plain.md"
    assert "publication date" in rejected.message
    assert rejected.article is not None and store.count(rejected.article) == 0
    report = (tmp_path / "rejected" / "d-plain.md.report.ttl").read_text(encoding="utf-8")
    assert "sh:ValidationReport" in report and "sh:conforms false" in report
    assert "d-plain.md" in (tmp_path / "rejected" / "d-plain.md.report.txt").read_text(encoding="utf-8")
    assert any(o.status == "added" for o in summary.outcomes)           # the rest of the batch is stored


def test_warnings_do_not_stop_an_article_but_a_missing_date_does(tmp_path: Path) -> None:
    headless = tmp_path / "no-header.txt"
    headless.write_text("Russian President Vladimir Putin spoke by telephone with Turkish President Recep Tayyip "
                        "Erdogan on Thursday, the Kremlin said in a statement on 7 October 2021.\n", encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text("Russian President Vladimir Putin spoke by telephone with Turkish President Recep Tayyip "
                       "Erdogan on Thursday, the Kremlin said.\n", encoding="utf-8")
    summary = Ingester(Store(tmp_path / "store"), tmp_path / "rejected", workers=1).run([headless, undated])
    dated, missing = summary.outcomes
    assert dated.status == "added" and dated.warnings >= 1               # no headline, no publisher: warnings
    assert missing.status == "rejected" and "exactly one publication date" in missing.message


def test_worker_processes_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from ingest import generate
    paths = generate(tmp_path / "articles", 40, seed=3)
    one = Store(tmp_path / "one")
    two = Store(tmp_path / "two")
    Ingester(one, None, workers=1, chunk=8).run(paths)
    Ingester(two, None, workers=2, chunk=8).run(paths)
    assert sorted(one.article_iris()) == sorted(two.article_iris())
    assert len(one.ox) == len(two.ox)
