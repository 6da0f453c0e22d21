from __future__ import annotations

import base64
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from kg.cli import main
from kg.namespaces import PROV
from tests.api.conftest import TOKEN, Live, new_store, serve
from tests.virtuoso import BACKENDS, wiped


@pytest.fixture(scope="module", params=BACKENDS)
def empty(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of an empty store: embedded, or the session's Virtuoso emptied."""
    if request.param == "embedded":
        path: Path | str = new_store(tmp_path_factory.mktemp("articles") / "store")
    else:
        virtuoso = request.getfixturevalue("virtuoso")
        wiped(virtuoso).close()
        path = virtuoso.store
    server = serve(path, api_token=TOKEN)
    yield server
    server.stop()


def test_posting_an_article_stores_it_and_answers_its_iri(empty: Live, seed_path: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    with empty.client() as c:
        r = c.post("/articles", content=seed_path.read_bytes(), headers=auth)
        assert r.status_code == 201
        iri = r.text
        assert r.headers["location"] == iri and iri.startswith(f"{empty.minter.base}id/article/")
        ask = c.get("/sparql", params={"query": f"ASK {{ GRAPH <{iri}> {{ <{iri}> ?p ?o }} }}"})
        assert ask.json()["boolean"] is True
        again = c.post("/articles", content=seed_path.read_bytes(), headers=auth)
        assert again.status_code == 200 and again.text == iri
        assert c.get("/ontology", headers={"Accept": "text/turtle"}).status_code == 200   # shared graphs put in place


def test_an_invalid_article_gets_422_with_the_shacl_report(empty: Live) -> None:
    with empty.client() as c:
        r = c.post("/articles", content=b"hello", headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "text/plain"})
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/turtle")
        report = Graph().parse(data=r.text, format="turtle")
        assert (None, SH.conforms, Literal(False)) in report
        refused = empty.minter.article("hello")
        assert c.get("/sparql", params={"query": f"ASK {{ <{refused}> ?p ?o }}"}).json()["boolean"] is False


def test_posting_needs_the_token_and_a_text_type(empty: Live) -> None:
    with empty.client() as c:
        assert c.post("/articles", content=b"hello", headers={"Content-Type": "text/plain"}).status_code == 401
        assert c.post("/articles", content=b"hello", headers={"Authorization": f"Bearer {TOKEN}",
                                                             "Content-Type": "image/png"}).status_code == 415
        assert c.post("/articles", content=b"", headers={"Authorization": f"Bearer {TOKEN}",
                                                        "Content-Type": "text/plain"}).status_code == 400


# --- issue 9 item 6: ingest into a served store -----------------------------------------------------------

GOOD = ("date 2023-05-02 Lakeside Courier\n\nKenya and Ghana agree on visa waiver\n\nNAIROBI (Lakeside Courier) - "
        "Kenyan President William Ruto and Ghanaian President Nana Akufo-Addo met in Nairobi on {day}.\n")
UNDATED = "Talks\n\nRussian President Vladimir Putin spoke by telephone with Turkish President Recep Tayyip Erdogan.\n"


def _ndjson(*docs: dict[str, str]) -> bytes:
    return b"".join(json.dumps(d).encode() + b"\n" for d in docs)


def test_a_batch_of_ndjson_is_stored_and_each_article_accounted_for(empty: Live) -> None:
    body = _ndjson({"name": "a.txt", "text": GOOD.format(day="Monday")},
                   {"name": "b.txt", "base64": base64.b64encode(GOOD.format(day="Tuesday").encode()).decode()},
                   {"name": "c.txt", "text": UNDATED}) + b"not json\n" + _ndjson({"name": "d.txt"})
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    with empty.client() as c:
        r = c.post("/articles/batch", content=body, headers=headers)
        assert r.status_code == 200, r.text
        doc = r.json()
        assert [a["status"] for a in doc["articles"]] == ["added", "replaced", "rejected", "unreadable", "unreadable"]
        assert doc["added"] == 1 and doc["replaced"] == 1 and doc["rejected"] == 1 and doc["unreadable"] == 2
        assert doc["articles"][0]["iri"] == doc["articles"][1]["iri"]     # one article, edited: the later wins
        assert "sh:ValidationReport" in doc["articles"][2]["report"]
        assert doc["articles"][3]["message"].startswith("line 4: not a JSON object")
        iri = doc["articles"][1]["iri"]
        ask = f"ASK {{ GRAPH <{iri}> {{ <{iri}> <{PROV.wasRevisionOf}> ?v }} }}"
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True
        assert c.post("/articles/batch", content=body, headers={**headers, "Authorization": "Bearer no"}
                      ).status_code == 401


def test_a_tar_archive_is_a_batch_and_its_other_files_are_named(empty: Live) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in (("desk/x.txt", GOOD.format(day="Friday").encode()), ("desk/photo.jpg", b"\xff\xd8"),
                           ("desk/.DS_Store", b"\0")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with empty.client() as c:
        r = c.post("/articles/batch", content=buf.getvalue(),
                   headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-tar"})
        assert r.status_code == 200, r.text
        assert [(a["name"], a["status"]) for a in r.json()["articles"]] in (
            [("desk/x.txt", "added")], [("desk/x.txt", "replaced")], [("desk/x.txt", "unchanged")])
        assert sorted(r.json()["skipped"]) == ["desk/.DS_Store", "desk/photo.jpg"]


def test_the_cli_says_the_store_is_served_and_sends_articles_to_the_server(
        empty: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, day in enumerate(("Monday", "Wednesday", "Thursday")):
        (folder / f"{n}.txt").write_text(GOOD.format(day=day).replace("visa", f"visa {n}"), encoding="utf-8")
    (folder / "undated.txt").write_text(UNDATED, encoding="utf-8")
    if isinstance(empty.path, str):      # a remote store takes writes from the CLI and servers alike
        assert main(["ingest", str(folder / "0.txt"), "--store", empty.path, "--rejected", str(tmp_path)]) == 0
        assert "1 added" in capsys.readouterr().out
        (folder / "0.txt").unlink()
    else:
        assert main(["ingest", str(folder), "--store", str(empty.path)]) == 2
        err = capsys.readouterr().err
        assert "is being served" in err and f"kg ingest --server {empty.url}" in err and "KG_API_TOKEN" in err
    monkeypatch.setenv("KG_API_TOKEN", TOKEN)
    code = main(["ingest", str(folder), "--server", empty.url, "--batch", "2", "--rejected", str(tmp_path / "rej")])
    out, err = capsys.readouterr()
    added = 2 if isinstance(empty.path, str) else 3
    assert code == 1 and f"{added + 1} articles: {added} added, 0 replaced, 0 unchanged, 1 rejected, 0 unreadable" \
        in out
    assert f"rejected {folder / 'undated.txt'}" in err and len(list((tmp_path / "rej").rglob("*.report.ttl"))) == 1
    monkeypatch.setenv("KG_API_TOKEN", "wrong")
    assert main(["ingest", str(folder), "--server", empty.url]) == 2
    assert "refused the token" in capsys.readouterr().err


def test_an_extraction_past_its_deadline_is_stopped_and_the_server_goes_on(tmp_path: Path) -> None:
    server = serve(new_store(tmp_path / "store"), api_token=TOKEN, article_timeout=0.5)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    try:
        with server.client() as c:
            long = (GOOD.format(day="Monday") + "\n") * 8000                  # 1.6 MB: far beyond half a second
            slow = c.post("/articles", content=long.encode(), headers=auth)
            assert slow.status_code == 503 and "took too long" in slow.text
            assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
            short = c.post("/articles", content=GOOD.format(day="Monday").encode(), headers=auth)
            assert short.status_code == 201
    finally:
        server.stop()
