from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg import gazetteer as gz
from kg.article import parse_article, read_article
from kg.extract import extract
from kg.extract.dates import find_dates, parse_date, weekday_on_or_before
from kg.graph import build_article_graph
from kg.iris import Minter
from kg.model import Findings

HEADER = "Diplomatic Courier\n{day}\n\n"


@pytest.fixture(scope="module")
def gaz() -> gz.Gazetteer:
    return gz.load()


@pytest.fixture(scope="module")
def seed(seed_path: Path, gaz: gz.Gazetteer) -> Findings:
    return extract(read_article(seed_path), gaz)


def _article(body: str, day: str = "Saturday 23 April 2022", headline: str = "Leaders meet") -> str:
    return f"{headline}\n" + HEADER.format(day=day) + body


def _findings(body: str, gaz: gz.Gazetteer, **kw: str) -> Findings:
    return extract(parse_article(_article(body, **kw), "test.txt"), gaz)


def test_every_finding_points_at_the_text_it_came_from(seed: Findings) -> None:
    text = seed.article.text
    spans = [s for p in seed.persons for s in p.spans] + [s for c in seed.countries for s in c.spans]
    spans += [e.span for e in seed.events] + [q.text for q in seed.quotes] + [a.span for a in seed.agreements]
    spans += [s for t in seed.topics for s in t.spans]
    spans += [p.office.span for p in seed.persons if p.office is not None and p.office.span is not None]
    assert len(spans) > 40
    for s in spans:
        assert text[s.begin:s.end] == s.text


def test_seed_people_get_their_offices_and_states(seed: Findings) -> None:
    people = {p.name: p for p in seed.persons}
    assert set(people) == {"Narendra Modi", "Boris Johnson"}
    modi, johnson = people["Narendra Modi"], people["Boris Johnson"]
    assert (modi.country, johnson.country) == ("IND", "GBR")
    assert modi.office is not None and (modi.office.title, modi.office.of) == ("Prime Minister", "IND")
    assert johnson.office is not None and (johnson.office.title, johnson.office.of) == ("Prime Minister", "GBR")
    assert modi.wikidata == "Q1058" and modi.in_gazetteer
    # "Modi" alone is resolved to the man named in full.
    assert len(modi.spans) >= 4


def test_seed_events_are_the_visit_talks_signing_and_joint_statement(seed: Findings) -> None:
    kinds = {e.type: e for e in seed.events}
    assert {"Visit", "Meeting", "AgreementSigning", "JointStatement"} <= set(kinds)
    visit = kinds["Visit"]
    roles = {(p.ref, p.role) for p in visit.participants}
    assert ("Boris Johnson", "guest") in roles
    assert any(role == "host" for _, role in roles)
    assert all(e.date == date(2022, 4, 22) for e in seed.events)     # "said Friday" in a Saturday paper
    main = next((e for e in seed.events if e.id == seed.main_event), None)
    assert main is not None and main.type in ("Visit", "Meeting", "AgreementSigning", "JointStatement")


def test_seed_quotes_have_speakers_and_the_joint_statement_none(seed: Findings) -> None:
    assert len(seed.quotes) == 2                            # a scare quote no one is said to have said is left out
    said, joint = sorted(seed.quotes, key=lambda q: q.speaker is None)
    assert said.speaker == "Narendra Modi"
    assert joint.speaker is None
    assert joint.event is not None and next(e for e in seed.events if e.id == joint.event).type == "JointStatement"
    assert "\n" in joint.text.text                          # a quotation that runs across two paragraphs


def test_seed_agreements_and_topics(seed: Findings) -> None:
    kinds = sorted(a.kind for a in seed.agreements)
    assert kinds == ["JointDeclaration", "MemorandumOfUnderstanding"]
    assert all(set(a.parties) == {"IND", "GBR"} for a in seed.agreements)
    assert {"Defence", "Cybersecurity"} <= {t.concept for t in seed.topics}


def test_a_titled_person_missing_from_the_office_table_is_extracted_with_that_office(gaz: gz.Gazetteer) -> None:
    f = _findings("NAIROBI — Kenyan Defence Minister Jane Wambui Njoroge met Ugandan Deputy Foreign Minister "
                  "Okello Obura on Thursday to discuss border security.", gaz)
    people = {p.name: p for p in f.persons}
    jane = people["Jane Wambui Njoroge"]
    assert not jane.in_gazetteer
    assert jane.country == "KEN" and jane.office is not None and jane.office.title == "Defence Minister"
    okello = people["Okello Obura"]
    assert okello.country == "UGA" and okello.office is not None and okello.office.label == "Deputy Foreign Minister"
    meeting = next(e for e in f.events if e.type == "Meeting")
    assert meeting.date == date(2022, 4, 21)


def test_quotes_attributed_by_pronoun_and_by_an_institution(gaz: gz.Gazetteer) -> None:
    f = _findings("PARIS — French President Emmanuel Macron received German Chancellor Olaf Scholz in Paris on Friday "
                  "for talks on energy.\n\nScholz called the talks useful. \"We agreed on the next steps for the "
                  "grid,\" he said.\n\n\"The two leaders discussed energy security at length,\" the Elysee said in a "
                  "statement.", gaz)
    said = {q.text.text[:20]: q.speaker for q in f.quotes}
    assert said["We agreed on the nex"] == "Olaf Scholz"
    assert said["The two leaders disc"] is None


def test_he_is_the_last_subject_not_a_name_after_with_or_inside_quotes(gaz: gz.Gazetteer) -> None:
    f = _findings("MUSCAT — British Foreign Secretary James Cleverly arrived on Saturday and held talks with the "
                  "Sultan, Haitham bin Tariq. \"I am grateful to Haitham bin Tariq for his welcome,\" Cleverly said."
                  "\n\nHe said that the plan needed both sides, and asked the envoys to \"stay at the table\". \"Oman "
                  "has a real role,\" he said.", gaz, day="Saturday 4 March 2023")
    said = {q.text.text[:12]: q.speaker for q in f.quotes}
    assert said == {"I am gratefu": "James Cleverly", "stay at the ": "James Cleverly",
                    "Oman has a r": "James Cleverly"}


def test_future_and_background_events_are_not_news(gaz: gz.Gazetteer) -> None:
    f = _findings("TOKYO — Japanese Prime Minister Fumio Kishida held talks with Australian Prime Minister Anthony "
                  "Albanese in Tokyo on Friday.\n\nKishida visited Canberra in 2019, and the two leaders last met in "
                  "Hiroshima two years ago. Albanese will visit Seoul next week.", gaz)
    assert [(e.type, sorted({p.ref for p in e.participants})) for e in f.events] == \
        [("Meeting", ["Anthony Albanese", "Fumio Kishida"])]


def test_capitals_name_their_governments_but_not_places_of_events(gaz: gz.Gazetteer) -> None:
    f = _findings("LISBON — Madrid and Rome agreed on Friday to deepen energy ties after talks in Rome.", gaz)
    countries = {c.iso3 for c in f.countries}
    assert {"ESP", "ITA"} <= countries
    assert any(p.name == "Rome" for p in f.places)


def test_the_same_person_and_country_get_the_same_iri_in_every_article(gaz: gz.Gazetteer) -> None:
    m = Minter()
    one = _findings("ANKARA — Recep Tayyip Erdoğan, the Turkish president, phoned the Russian president on Friday.",
                    gaz)
    two = _findings("DOHA — Erdogan met Qatar's Emir on Tuesday. Turkish President Recep Tayyip Erdogan called it a "
                    "historic day.", gaz, day="Wednesday 3 May 2023")
    g1 = {t for t in build_article_graph(one, m, gaz)}
    g2 = {t for t in build_article_graph(two, m, gaz)}
    erdogan = f"<{m.person('Recep Tayyip Erdoğan')}>"
    turkey = f"<{m.country('TUR')}>"
    for g in (g1, g2):
        assert any(s == erdogan for s, _, _ in g)
        assert any(o == turkey for _, _, o in g)
    assert f"<{m.article(one.article.text)}>" != f"<{m.article(two.article.text)}>"


def test_each_document_signed_as_new_is_an_agreement_of_its_own(gaz: gz.Gazetteer) -> None:
    f = _findings("VILNIUS — Lithuanian President Gitanas Nauseda and Latvian President Edgars Rinkevics held talks "
                  "on Wednesday. Their ministers signed a memorandum on railway links, and the two governments "
                  "signed an agreement on border policing.", gaz, day="Thursday 7 December 2023")
    assert sorted((a.kind, a.topic) for a in f.agreements) == [
        ("Agreement", "border policing"), ("MemorandumOfUnderstanding", "railway links")]
    again = _findings("VILNIUS — Lithuania and Latvia signed an agreement on energy on Wednesday. The agreement covers "
                      "power grids.", gaz, day="Thursday 7 December 2023")
    assert len(again.agreements) == 1        # a later mention of the same document is not a new one


def test_a_signed_named_declaration_is_a_signing_of_a_joint_declaration(gaz: gz.Gazetteer) -> None:
    f = _findings("ASTANA — The presidents of China and Kazakhstan signed the Astana Declaration on Friday.", gaz)
    assert [(a.kind, a.title, sorted(a.parties)) for a in f.agreements] == [
        ("JointDeclaration", "Astana Declaration", ["CHN", "KAZ"])]
    assert [e.type for e in f.events if e.factuality == "asserted"] == ["AgreementSigning"]


def test_a_list_under_what_the_treaty_covers_gives_its_topics(gaz: gz.Gazetteer) -> None:
    body = ("MADRID — Spanish Prime Minister Pedro Sanchez and Portuguese Prime Minister Antonio Costa signed a treaty "
            "in Madrid on Friday.\n\n## What the treaty covers\n\n- security and defence;\n- migration;\n\n"
            "## Reactions\n\n- Opposition leaders spoke of health care.\n")
    topics = {t.concept for t in _findings(body, gaz).topics}
    assert {"Defence", "Security", "Migration"} <= topics and "Health" not in topics


def test_an_article_with_no_diplomacy_has_no_events_or_topics(gaz: gz.Gazetteer) -> None:
    f = _findings("DUNDEE — Rescue teams worked through the night after the loch overflowed. Rescuers said three "
                  "residents were taken to hospital.", gaz, headline="Floods in Dundee")
    assert f.events == [] and f.topics == [] and f.agreements == []


@pytest.mark.parametrize("published, weekday, expected", [
    (date(2022, 4, 23), "Friday", date(2022, 4, 22)),      # a Saturday paper: the day before
    (date(2022, 4, 22), "Friday", date(2022, 4, 22)),      # a Friday paper: that day
    (date(2022, 4, 25), "Friday", date(2022, 4, 22)),      # a Monday paper: last Friday
])
def test_weekdays_resolve_to_the_last_such_day_on_or_before_publication(published: date, weekday: str,
                                                                       expected: date) -> None:
    assert weekday_on_or_before(published, weekday) == expected


@pytest.mark.parametrize("text, expected", [
    ("23rd April, 2022", date(2022, 4, 23)), ("May 31, 2022", date(2022, 5, 31)), ("2022-04-23", date(2022, 4, 23)),
    ("4 April 2023", date(2023, 4, 4)), ("Nov. 1, 2022", date(2022, 11, 1)), ("31 February 2022", None),
])
def test_explicit_dates_in_news_spellings(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_dates_without_a_year_take_the_year_before_publication_when_needed() -> None:
    found = find_dates("talks on December 28 and on January 3", 0, 37, date(2023, 1, 5))
    assert [d.value for d in found] == [date(2022, 12, 28), date(2023, 1, 3)]
    month = find_dates("signed in July 2019", 0, 19, None)[0]
    assert (month.value, month.precision) == (date(2019, 7, 1), "month")
