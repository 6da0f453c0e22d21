from __future__ import annotations

from pathlib import Path

import pytest

from kg.iris import Minter
from kg.namespaces import DIP
from kg.pipeline import Built, Worker
from kg.rdf import iri
from kg.summary import as_written, summarize


@pytest.fixture(scope="module")
def worker() -> Worker:
    return Worker(Minter().base)


@pytest.fixture(scope="module")
def built(worker: Worker, seed_path: Path) -> Built:
    return worker.build(str(seed_path))


def _summary(worker: Worker, article: str, triples: list[tuple[str, str, str]]) -> dict[str, object]:
    return summarize(article, triples, worker.reference.for_graph(triples))


def test_the_summary_says_what_the_graph_says(worker: Worker, built: Built) -> None:
    full = _summary(worker, built.article, built.triples)
    assert len(full["quotes"]) == 2                                           # type: ignore[arg-type]
    quote = iri(DIP.Quote)
    without_quotes = [t for t in built.triples if not (t[1].endswith("22-rdf-syntax-ns#type>") and t[2] == quote)]
    assert _summary(worker, built.article, without_quotes)["quotes"] == []
    visit = iri(DIP.Visit)
    meeting = iri(DIP.Meeting)
    as_meeting = [(s, p, meeting if o == visit else o) for s, p, o in built.triples]
    types = [e["type"] for e in _summary(worker, built.article, as_meeting)["events"]]   # type: ignore[index]
    assert "Visit" not in types and types.count("Meeting") == 2


def test_countries_are_the_states_taking_part_not_every_state_named(worker: Worker) -> None:
    text = ("Leaders meet\nDiplomatic Courier\nSaturday 23 April 2022\n\nTOKYO — Japanese Prime Minister Fumio Kishida "
            "held talks with Australian Prime Minister Anthony Albanese in Tokyo on Friday. Albanese will visit South "
            "Korea next week; China and the United States were not discussed.")
    summary = worker.summary("talks.txt", text)
    assert sorted(summary["countries"]) == ["AUS", "JPN"]                      # type: ignore[arg-type]


def test_speakers_are_named_as_the_article_writes_them(worker: Worker) -> None:
    text = ("Zelensky in Warsaw\nDiplomatic Courier\nWednesday 5 April 2023\n\nWARSAW — Ukrainian President Volodymyr "
            "Zelensky met Polish President Andrzej Duda in Warsaw on Wednesday. \"We found a way out,\" Zelensky said.")
    summary = worker.summary("warsaw.txt", text)
    assert "Volodymyr Zelensky" in [p["name"] for p in summary["persons"]]         # type: ignore[index, union-attr]
    assert [q["speaker"] for q in summary["quotes"]] == ["Volodymyr Zelensky"]   # type: ignore[index, union-attr]


def test_organizations_are_international_bodies_with_organs_folded_into_them(worker: Worker) -> None:
    text = ("Sanctions\nDiplomatic Courier\nMonday 18 December 2023\n\nBRUSSELS — The Group of Seven and the EU "
            "imposed sanctions on Russia on Monday, the G7 said. The Iranian Foreign Ministry summoned the British "
            "ambassador on Monday, and the UN Security Council met in New York.")
    orgs = worker.summary("sanctions.txt", text)["organizations"]
    assert "G7" in orgs and "Group of Seven" not in orgs                       # type: ignore[operator]
    assert "United Nations" in orgs and "UN Security Council" not in orgs      # type: ignore[operator]
    assert not any("Ministry" in o for o in orgs)                              # type: ignore[union-attr]


def test_an_article_without_diplomacy_lists_nothing(worker: Worker) -> None:
    text = ("Plant opens\nDiplomatic Courier\nMonday 18 December 2023\n\nBERLIN — Chancellor Olaf Scholz cut the "
            "ribbon at a battery plant on Monday. \"A good day for the region,\" Scholz said.")
    summary = worker.summary("plant.txt", text)
    assert all(summary[k] == [] for k in ("countries", "persons", "organizations", "events", "quotes", "topics"))


def test_names_are_given_as_the_article_writes_them() -> None:
    assert as_written("Yoon Suk Yeol", ["Yoon Suk-yeol", "Yoon"]) == "Yoon Suk-yeol"
    assert as_written("Vladimir Putin", ["Putin"]) == "Vladimir Putin"
    assert as_written("Rosângela da Silva", ['Rosângela "Janja" da Silva']) == "Rosângela da Silva"
