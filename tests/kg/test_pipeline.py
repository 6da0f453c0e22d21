from __future__ import annotations

import os
import shutil
import time
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
    assert summary.reports == tmp_path / "rejected" / summary.run
    report, = summary.reports.glob("d-plain.md-*.report.ttl")
    assert "sh:ValidationReport" in report.read_text(encoding="utf-8")
    assert "sh:conforms false" in report.read_text(encoding="utf-8")
    assert rejected.path in report.with_suffix(".txt").read_text(encoding="utf-8")
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


# --- issue 9: no bad file sinks a batch (item 2), reports (item 5) -------------------------------------------

GOOD = ("date 2023-05-02 Lakeside Courier\n\nKenya and Ghana agree on visa waiver\n\nNAIROBI (Lakeside Courier) - "
        "Kenyan President William Ruto and Ghanaian President Nana Akufo-Addo met in Nairobi on Monday.\n")
UNDATED = ("Talks in the capital\n\nRussian President Vladimir Putin spoke by telephone with Turkish President "
           "Recep Tayyip Erdogan on Thursday, the Kremlin said.\n")


def test_a_bad_header_date_and_a_reader_bug_are_that_files_errors(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-bad-date.txt").write_text("date 2022-13-45 Nowhere\n\n" + GOOD.split("\n", 2)[2], encoding="utf-8")
    (folder / "c-bug.txt").write_text(GOOD.replace("Monday", "Tuesday"), encoding="utf-8")
    real = pipeline.extract

    def buggy(article: object, gaz: object) -> object:
        if str(getattr(article, "source", "")).endswith("c-bug.txt"):
            raise KeyError("an extractor bug")
        return real(article, gaz)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract", buggy)
    store = Store(tmp_path / "store")
    summary = Ingester(store, tmp_path / "rejected", workers=2, chunk=1).run(article_paths([folder]))
    status = {Path(o.path).name: o for o in summary.outcomes}
    assert status["a-good.txt"].status == "added"
    assert status["b-bad-date.txt"].status == "unreadable"
    assert "b-bad-date.txt" in status["b-bad-date.txt"].message and "2022-13-45" in status["b-bad-date.txt"].message
    assert status["c-bug.txt"].status == "unreadable"
    assert "c-bug.txt" in status["c-bug.txt"].message and "KeyError" in status["c-bug.txt"].message
    assert len(list(store.article_iris())) == 1


@pytest.mark.parametrize("how", ["dies", "hangs"])
def test_a_file_that_kills_or_hangs_its_worker_is_reported_and_the_rest_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, day in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")):
        (folder / f"{n}.txt").write_text(GOOD.replace("Monday", day).replace("visa", f"visa {n}"), encoding="utf-8")
    real = pipeline.extract

    def fatal(article: object, gaz: object) -> object:
        if str(getattr(article, "source", "")).endswith("2.txt"):
            if how == "dies":
                os._exit(9)
            time.sleep(60)
        return real(article, gaz)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract", fatal)
    store = Store(tmp_path / "store")
    summary = Ingester(store, None, workers=2, chunk=3, timeout=2).run(article_paths([folder]))
    status = {Path(o.path).name: o for o in summary.outcomes}
    assert [o.status for o in summary.outcomes].count("added") == 4
    assert status["2.txt"].status == "unreadable" and status["2.txt"].message.startswith(str(folder / "2.txt"))
    assert ("died" if how == "dies" else "took longer than") in status["2.txt"].message
    assert [Path(o.path).name for o in summary.outcomes] == [f"{n}.txt" for n in range(5)]      # in order


def test_an_unwritable_reports_folder_is_a_warning_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "story.txt").write_text(UNDATED, encoding="utf-8")
    (folder / "b" / "story.txt").write_text(UNDATED.replace("Thursday", "Friday"), encoding="utf-8")
    (folder / "c.txt").write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "reports-are-a-file"
    blocker.write_text("", encoding="utf-8")
    store = Store(tmp_path / "store")
    summary = Ingester(store, blocker / "rejected", workers=1).run(article_paths([folder]))
    assert [o.status for o in summary.outcomes] == ["rejected", "rejected", "added"]
    assert all("could not be written" in o.note for o in summary.outcomes[:2])
    assert summary.reports is None and len(list(store.article_iris())) == 1


def test_reports_of_files_with_the_same_name_are_kept_apart_in_a_folder_per_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "story.txt").write_text(UNDATED, encoding="utf-8")
    (folder / "b" / "story.txt").write_text(UNDATED.replace("Thursday", "Friday"), encoding="utf-8")
    runs = []
    for _ in range(2):
        summary = Ingester(Store(tmp_path / "store"), tmp_path / "rejected", workers=1).run(article_paths([folder]))
        assert summary.reports is not None and summary.reports.name == summary.run
        reports = sorted(summary.reports.glob("story.txt-*.report.txt"))
        assert len(reports) == 2
        texts = [r.read_text(encoding="utf-8") for r in reports]
        assert {t.splitlines()[1] for t in texts} == {f"file {folder / 'a' / 'story.txt'}",
                                                      f"file {folder / 'b' / 'story.txt'}"}
        assert all(t.startswith(f"run {summary.run}\n") for t in texts)
        runs.append(summary.run)
    assert runs[0] != runs[1] and len(list((tmp_path / "rejected").iterdir())) == 2
