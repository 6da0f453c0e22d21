"""One identity per person per article."""
from __future__ import annotations

from collections.abc import Callable

from kg import gazetteer as gz
from kg.extract import findings
from kg.extract.doc import Doc
from kg.graph import build_article_graph
from kg.identity import article_key
from kg.iris import Minter
from kg.model import Findings


def _people(f: Findings) -> dict[str, Findings]:
    return {p.key: p for p in f.persons}  # type: ignore[misc]


def test_a_given_name_alone_never_mints_a_global_person(found: Callable[..., Findings], gaz: gz.Gazetteer) -> None:
    f = found("AMMAN — Crown Prince Hussein welcomed the delegation on Friday. Mohammed said the talks went well.")
    people = _people(f)
    assert "Mohammed" not in people                        # a name no one introduced: no one
    local = [p for p in f.persons if p.local]
    assert all(" " not in p.name for p in local)
    minter = Minter()
    triples = build_article_graph(f, minter, gaz)
    article = f"<{minter.article(article_key(f.article))}>"[:-1]
    for p in local:
        assert not any(s.startswith(f"<{minter.person(p.key)}") for s, _, _ in triples)
        assert any(s.startswith(article + "#person-") for s, _, _ in triples)


def test_later_short_forms_and_pronouns_are_the_person_named_in_full(found: Callable[..., Findings]) -> None:
    f = found("SEOUL — President Yoon Suk Yeol of South Korea received Prime Minister Anthony Albanese of Australia "
              "on Friday. Albanese praised the talks. \"We agreed a lot,\" he said. Yoon thanked his guest.")
    assert {p.key for p in f.persons} == {"Yoon Suk Yeol", "Anthony Albanese"}
    assert [q.speaker for q in f.quotes] == ["Anthony Albanese"]


def test_a_misspelt_name_joins_the_office_holder_of_the_same_state(found: Callable[..., Findings]) -> None:
    f = found("DOHA — Qatar's Emir, Sheikh Tammim bin Hamad Al Thani, received Ghana's president in Doha on Friday.",
              day="Saturday 4 March 2023")
    assert "Tamim bin Hamad Al Thani" in _people(f)
    assert not any("Tammim" in p.key for p in f.persons)


def test_a_misspelt_surname_resolves_to_the_person_named_in_full(found: Callable[..., Findings]) -> None:
    f = found("ABUJA — Kenyan Foreign Minister Musalia Mudavadi met his Nigerian counterpart, Yusuf Tuggar, "
              "on Friday. Tugar said the two countries would deepen trade.", day="Saturday 4 January 2025")
    people = _people(f)
    assert set(people) == {"Musalia Mudavadi", "Yusuf Tuggar"}
    counterpart = people["Yusuf Tuggar"]
    assert counterpart.country == "NGA"                                      # type: ignore[attr-defined]
    assert counterpart.office is not None and counterpart.office.title == "Foreign Minister"  # type: ignore[attr-defined]


def test_an_office_named_for_its_holder_is_that_person(found: Callable[..., Findings]) -> None:
    f = found("LA PAZ — Bolivian President Luis Arce received Uruguayan President Luis Lacalle Pou on Friday. "
              "\"We share a continent,\" the Uruguayan president said. The Bolivian leader thanked him.",
              day="Saturday 4 March 2023")
    assert [q.speaker for q in f.quotes] == ["Luis Lacalle Pou"]


def test_a_royal_style_does_not_give_a_person_another_states_office(found: Callable[..., Findings]) -> None:
    f = found("MANAMA — HM King Hamad received the visiting Saudi foreign minister in Manama on Friday, Bahrain's "
              "news agency said.", day="Saturday 4 March 2023")
    king = _people(f)["Hamad bin Isa Al Khalifa"]          # the office holder the title and the date point to
    assert king.office is not None and (king.office.title, king.office.of) == ("King", "BHR")  # type: ignore[attr-defined]
    assert king.country == "BHR"                                                            # type: ignore[attr-defined]


def test_the_same_occasion_reported_twice_is_one_event(found: Callable[..., Findings]) -> None:
    f = found("ASUNCION — The presidents of Paraguay and Uruguay held a summit in Asuncion on Friday. The summit, "
              "their first since 2021, ended with a joint press conference. The two leaders met again after lunch.",
              day="Saturday 4 March 2023")
    meetings = [e for e in f.events if e.type in ("Meeting", "Summit") and e.factuality == "asserted"]
    assert len(meetings) == 1


def test_a_state_after_the_name_is_the_persons(found: Callable[..., Findings]) -> None:
    f = found("ACCRA — President Faure Gnassingbe of Togo met Ghana's president on Friday.")
    assert _people(f)["Faure Gnassingbe"].country == "TGO"


def test_a_former_office_is_no_office_held(found: Callable[..., Findings]) -> None:
    for body in ("ACCRA — Former Togolese president Kofi Mensah met Ghana's president on Friday.",
                 "ACCRA — Kofi Mensah, a former president of Togo, met Ghana's president on Friday."):
        office = _people(found(body))["Kofi Mensah"].office
        assert office is not None and office.former


def test_an_official_of_no_stated_state_in_the_lead_is_of_the_datelines_state(found: Callable[..., Findings]) -> None:
    f = found("NAIROBI — Acting Foreign Minister Otieno Wekesa and his Ugandan counterpart Grace Atim held talks on "
              "Monday about the border.")
    people = {p.key: p.country for p in f.persons}
    assert people["Otieno Wekesa"] == "KEN"
    later = found("NAIROBI — The talks went on.\n\nActing Foreign Minister Otieno Wekesa spoke to the press on Monday.")
    assert {p.key: p.country for p in later.persons}.get("Otieno Wekesa") is None   # the dateline heads the lead only


def test_a_photo_caption_is_never_what_a_pronoun_stands_for(doc: Callable[..., Doc]) -> None:
    caption = "Prime Minister Jonas Berg and President Amara Diallo at the palace on Monday."
    d = doc(f"{caption}\n\nPresident Amara Diallo of Guinea received Prime Minister Jonas Berg of Sweden on Monday.\n\n"
            "Berg thanked his host. Diallo closed the meeting. \"That will do,\" he said.", captions=(caption,))
    f = findings(d, 0.5)
    assert [q.speaker for q in f.quotes] == ["Amara Diallo"]
