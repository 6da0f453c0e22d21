"""Agreements, topics and quotes of the reported occasion."""
from __future__ import annotations

from collections.abc import Callable

from kg.model import Findings


def test_documents_of_different_kinds_signed_together_are_not_collapsed(found: Callable[..., Findings]) -> None:
    f = found("ACCRA — Ghana and Togo signed an agreement on crime prevention and three memorandums of understanding "
              "on Friday.", day="Saturday 4 March 2023")
    assert sorted(a.kind for a in f.agreements) == ["Agreement", "MemorandumOfUnderstanding"]


def test_a_document_introduced_as_one_more_is_the_signings(found: Callable[..., Findings]) -> None:
    f = found("SUVA — Fiji and New Zealand signed a defence cooperation agreement on Friday. A second text, a "
              "fisheries accord, lets the two navies patrol together.", day="Saturday 4 March 2023")
    assert len(f.agreements) == 2 and all(set(a.parties) == {"FJI", "NZL"} for a in f.agreements)


def test_a_named_declaration_is_one_agreement(found: Callable[..., Findings]) -> None:
    f = found("NAIROBI — Kenya and Uganda signed the Nairobi Declaration on Friday. The declaration commits both to "
              "open borders.", day="Saturday 4 March 2023")
    assert [(a.kind, a.title) for a in f.agreements] == [("JointDeclaration", "Nairobi Declaration")]


def test_a_company_deal_with_a_government_is_no_diplomatic_signing(found: Callable[..., Findings]) -> None:
    f = found("MEXICO CITY — A German carmaker signed a deal with the Mexican government on Friday to build a plant "
              "in Puebla.", day="Saturday 4 March 2023")
    assert not [e for e in f.events if e.type == "AgreementSigning"] and f.agreements == []


def test_the_health_of_relations_is_no_health_topic(found: Callable[..., Findings]) -> None:
    f = found("LIMA — Peru's president met Bolivia's president in Lima on Friday to discuss trade and the health of "
              "bilateral relations. They signed an agreement on trade.", day="Saturday 4 March 2023")
    topics = {t.concept for t in f.topics}
    assert "Trade" in topics and "Health" not in topics


def test_what_the_talks_covered_gives_the_topics(found: Callable[..., Findings]) -> None:
    f = found("HANOI — Vietnam's prime minister held talks with the Thai prime minister in Hanoi on Friday. Their "
              "discussions focused on food security, tourism and maritime security.", day="Saturday 4 March 2023")
    assert {"Agriculture", "Culture", "Maritime"} <= {t.concept for t in f.topics}


def test_a_quote_by_title_only_and_an_institutional_quote(found: Callable[..., Findings]) -> None:
    f = found("QUITO — Ecuadorian President Daniel Noboa received Colombian President Gustavo Petro in Quito on "
              "Friday. \"We share one border and one future,\" the Colombian president said. The ministry described "
              "the visit as \"a turning point\".", day="Saturday 4 March 2023")
    said = {q.text.text[:12]: q.speaker for q in f.quotes}
    assert said == {"We share one": "Gustavo Petro", "a turning po": None}


def test_photo_captions_give_people_but_never_events(doc: Callable[..., object]) -> None:
    body = ("Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan sign an agreement in "
            "Dodoma. Photo: Staff\n\nDODOMA — The two presidents discussed trade on Monday.")
    d = doc(body, captions=("Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan sign an "
                            "agreement in Dodoma. Photo: Staff",), day="Tuesday 5 April 2022")
    assert {"William Ruto", "Samia Suluhu Hassan"} <= set(d.mentions.persons)   # type: ignore[attr-defined]
    assert not any(e.type == "AgreementSigning" for e in d.events.values())  # type: ignore[attr-defined]


def test_a_quote_in_single_marks(found: Callable[..., Findings]) -> None:
    f = found("ACCRA — Ghana's President Nana Akufo-Addo met Togo's president on Friday. 'We are brothers,' "
              "Akufo-Addo said.")
    assert [(q.speaker, q.text.text) for q in f.quotes] == [("Nana Akufo-Addo", "We are brothers")]
