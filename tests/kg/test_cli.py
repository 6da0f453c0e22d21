from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main

SEED_IRI_QUERY = "SELECT ?a ?h WHERE { ?a a dip:NewsArticle ; schema:headline ?h }"


@pytest.fixture()
def store_dir(tmp_path: Path, seed_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    store = tmp_path / "store"
    assert main(["ingest", str(folder), "--store", str(store), "--workers", "1"]) == 0
    return store


def test_extract_prints_the_summary_json(seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--summary", str(seed_path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["published"] == "2022-04-23" and summary["event_date"] == "2022-04-22"
    assert set(summary["countries"]) == {"IND", "GBR"}
    assert {"name": "Narendra Modi", "role": "Prime Minister", "country": "IND"} in summary["persons"]
    assert {"Visit", "Meeting", "AgreementSigning", "JointStatement"} <= {e["type"] for e in summary["events"]}


@pytest.mark.parametrize("fmt, rdf_format", [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                             ("jsonld", ox.RdfFormat.JSON_LD)])
def test_extract_prints_the_graph_in_each_format(seed_path: Path, capsysbinary: pytest.CaptureFixture[bytes], fmt: str,
                                                 rdf_format: ox.RdfFormat) -> None:
    assert main(["extract", "--format", fmt, str(seed_path)]) == 0
    triples = list(ox.parse(capsysbinary.readouterr().out, rdf_format))
    assert len(triples) > 200
    assert any(t.object.value.startswith("India, UK Strengthening") for t in triples)


def test_ingest_reports_a_summary_line_and_exit_code_1_when_something_is_rejected(
        tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    code = main(["ingest", str(seed_path), str(tmp_path / "bad.txt"), "--store", str(tmp_path / "s"), "--workers", "1"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "2 articles: 1 added, 0 replaced, 0 unchanged, 0 rejected, 1 unreadable" in out
    assert "bad.txt: binary input" in err


def test_ingesting_again_reports_unchanged(store_dir: Path, seed_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ingest", str(seed_path), "--store", str(store_dir), "--workers", "1"]) == 0
    assert "1 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["ingest", "/nonexistent/path"], ["extract", "/nonexistent.txt"],
                                  ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", "/nonexistent/store"],
                                  ["frobnicate"], ["query", "SELECT * WHERE {", "--store", "STORE"]])
def test_usage_errors_exit_with_2(argv: list[str], store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(store_dir) if a == "STORE" else a for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:                      # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2
    assert capsys.readouterr().err.strip()


def test_query_prints_a_table_and_machine_formats(store_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["query", SEED_IRI_QUERY, "--store", str(store_dir)]) == 0
    table = capsysbinary.readouterr().out.decode()
    assert "India, UK Strengthening" in table and "(1 row)" in table
    assert main(["query", SEED_IRI_QUERY, "--store", str(store_dir), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert rows[0] == ["a", "h"] and len(rows) == 2
    assert main(["query", SEED_IRI_QUERY, "--store", str(store_dir), "--format", "json"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert data["head"]["vars"] == ["a", "h"] and len(data["results"]["bindings"]) == 1
    assert main(["query", "ASK { ?s a dip:Visit }", "--store", str(store_dir)]) == 0
    assert capsysbinary.readouterr().out.strip() == b"true"


def test_export_writes_a_file(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.nq"
    assert main(["export", "--format", "nq", "-o", str(out), "--store", str(store_dir)]) == 0
    quads = list(ox.parse(out.read_bytes(), ox.RdfFormat.N_QUADS))
    assert len({q.graph_name.value for q in quads}) >= 4          # the article, ontology, reference, shapes, meta


def test_remove_deletes_an_article(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["query", SEED_IRI_QUERY, "--store", str(store_dir), "--format", "tsv"])
    capsys.readouterr()
    main(["query", "SELECT ?a WHERE { ?a a dip:NewsArticle }", "--store", str(store_dir), "--format", "json"])
    iri = json.loads(capsys.readouterr().out)["results"]["bindings"][0]["a"]["value"]
    assert main(["remove", iri, "--store", str(store_dir)]) == 0
    assert main(["remove", iri, "--store", str(store_dir)]) == 1
    main(["query", "ASK { ?s a dip:NewsArticle }", "--store", str(store_dir)])
    assert capsys.readouterr().out.strip().endswith("false")


def test_validate_reports_each_file(tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert main(["validate", str(seed_path), str(tmp_path / "empty.txt")]) == 1
    out = capsys.readouterr().out
    assert f"valid {seed_path}" in out and "empty.txt: empty article" in out


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_validate_with_either_engine_names_the_missing_date(tmp_path: Path, engine: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text("Talks in Paris\n\nFrench President Emmanuel Macron met German Chancellor Olaf Scholz.\n",
                       encoding="utf-8")
    assert main(["validate", "--engine", engine, str(undated)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"invalid {undated}") and "datePublished" in out


# --- issue 9: I/O and input mistakes get one line and exit 2 (item 8), nothing is silent (item 9) -------------

def _one_line(err: str) -> str:
    assert "Traceback" not in err and err.strip().count("\n") == 0, err
    return err.strip()


def test_a_missing_query_file_is_one_line_and_exit_2(store_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", f"@{tmp_path / 'missing.rq'}", "--store", str(store_dir)]) == 2
    assert "missing.rq" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("target", ["/nonexistent-folder/x.nt", "FILE/x.nt"])
def test_export_to_a_path_that_cannot_be_written_is_one_line_and_exit_2(
        store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    (tmp_path / "FILE").write_text("", encoding="utf-8")
    target = target.replace("FILE", str(tmp_path / "FILE"))
    assert main(["export", "--format", "nt", "-o", target, "--store", str(store_dir)]) == 2
    assert target in _one_line(capsys.readouterr().err)


def test_remove_takes_the_iri_as_tsv_prints_it_and_goes_on_after_a_malformed_one(
        store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["query", "SELECT ?a WHERE { ?a a dip:NewsArticle }", "--store", str(store_dir), "--format", "tsv"])
    printed = capsys.readouterr().out.splitlines()[1]
    assert printed.startswith("<") and printed.endswith(">")
    assert main(["remove", "x y", printed, "--store", str(store_dir)]) == 2
    out, err = capsys.readouterr()
    assert f"removed {printed[1:-1]}" in out
    assert "not an IRI: 'x y'" in _one_line(err)


def test_a_bad_query_gets_the_useful_line_only(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT * WHERE {", "--store", str(store_dir)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "line 1, column 17" in err and len(err) < 200


def test_a_folder_without_articles_is_an_error_that_names_what_was_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "story.pdf").write_bytes(b"%PDF-1.4")
    assert main(["ingest", str(folder), "--store", str(tmp_path / "store")]) == 2
    err = capsys.readouterr().err
    assert "skipped 2 file(s)" in err and ".csv, .pdf" in err and "no article files" in err


def test_skipped_files_are_named_beside_the_articles_ingested(tmp_path: Path, seed_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path, folder / "seed.txt")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    assert main(["ingest", str(folder), "--store", str(tmp_path / "store"), "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert "1 added" in out and "skipped 1 file(s)" in err and "photo.jpg" in err


def test_serve_refuses_a_store_that_does_not_exist_unless_told_to_create_it(tmp_path: Path) -> None:
    import subprocess
    import sys
    try:
        done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store", str(tmp_path / "typo"), "--port",
                               "18799"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("kg serve served a store that does not exist")
    assert done.returncode == 2 and "--create" in _one_line(done.stderr)
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_serve_refuses_a_port_outside_1_to_65535(port: str, tmp_path: Path) -> None:
    import subprocess
    import sys
    try:
        done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--create", "--store", str(tmp_path / "s"),
                               "--port", port], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg serve took port {port}")
    assert done.returncode == 2 and "not a TCP port" in done.stderr
