"""Every row of the trigger lexicon finds, alone, an event in a made-up sentence that no other row finds."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.extract import triggers
from kg.model import Findings

Events = Callable[[Findings], list[tuple[str, list[str]]]]

# row id -> the type of the event the row alone finds, the states taking part, and the sentence
SENTENCES: dict[str, tuple[str, str, str]] = {
    "call-by-phone": ("PhoneCall", "KEN TZA",
        "The Kenyan president spoke by telephone with the president of Tanzania on Friday."),
    "call-received": ("PhoneCall", "BEL NLD",
        "The Belgian prime minister took a phone call from the Dutch prime minister late on Friday."),
    "call-made": ("PhoneCall", "AUT CZE",
        "The Austrian chancellor made a call to the Czech prime minister on Friday."),
    "call-noun": ("PhoneCall", "CHL PER",
        "The Chilean president reviewed trade with the Peruvian president in a telephone conversation on Friday."),
    "call-compound": ("PhoneCall", "GHA NGA",
        "The foreign ministers of Ghana and Nigeria had a tele-talk about the border on Friday."),
    "call-with": ("PhoneCall", "EST FIN",
        "The Finnish president discussed energy in a call with the Estonian president on Friday."),
    "call-phoned": ("PhoneCall", "LTU POL",
        "The Polish president phoned the Lithuanian president on Friday."),
    "call-called": ("PhoneCall", "ESP PRT",
        "The Spanish prime minister called the Portuguese prime minister on Friday to discuss water."),
    "summon": ("Protest", "IRN SWE",
        "Sweden summoned the Iranian ambassador on Friday over the verdict."),
    "summon-officials": ("Protest", "CHN JPN",
        "Japan summoned Chinese embassy officials on Friday over the incursion."),
    "summon-passive": ("Protest", "DNK TUR",
        "The Danish ambassador was summoned by the Turkish foreign ministry on Friday."),
    "summon-called-in": ("Protest", "DEU RUS",
        "Germany called the Russian ambassador in on Friday over the cyber attack."),
    "recall": ("Protest", "ISR JOR",
        "Jordan recalled its ambassador from Israel for consultations on Friday."),
    "protest-lodged": ("Protest", "GRC TUR",
        "Greece lodged a protest with Turkey on Friday over the airspace violations."),
    "protest-conveyed": ("Protest", "CHN VNM",
        "Vietnam conveyed its protest to China on Friday over the survey ship."),
    "protest-verb": ("Protest", "DZA MAR",
        "Morocco protested to Algeria on Friday over the border closure."),
    "expel": ("Sanction", "EST RUS",
        "Estonia expelled a Russian diplomat on Friday."),
    "expel-noun": ("Sanction", "BLR LVA",
        "Latvia announced the expulsion of two Belarusian diplomats on Friday."),
    "persona-non-grata": ("Sanction", "MDA RUS",
        "Moldova declared a Russian diplomat persona non grata on Friday."),
    "sanctions-imposed": ("Sanction", "CAN IRN",
        "Canada imposed sanctions on Iran on Friday."),
    "sanctioned": ("Sanction", "AUS MMR",
        "Australia sanctioned Myanmar on Friday over the coup."),
    "designated": ("Sanction", "BLR GBR",
        "Britain designated Belarus on Friday under its sanctions regime."),
    "blacklisted": ("Sanction", "JPN PRK",
        "Japan blacklisted North Korea on Friday."),
    "froze-assets": ("Sanction", "NZL RUS",
        "New Zealand froze the assets of Russia's central bank on Friday."),
    "sanctions-targeted": ("Sanction", "USA VEN",
        "The United States targeted Venezuela with new sanctions on Friday."),
    "relations-cut": ("Sanction", "HND TWN",
        "Honduras severed diplomatic relations with Taiwan on Friday."),
    "visit-visiting": ("Visit", "BRA PRT",
        "The visiting Brazilian president laid a wreath in Lisbon on Friday."),
    "visit-verb": ("Visit", "IDN VNM",
        "The Indonesian president visited Vietnam on Friday."),
    "visit-noun": ("Visit", "KHM THA",
        "The Thai prime minister began a visit to Cambodia on Friday."),
    "visit-arrived": ("Visit", "EGY SAU",
        "The Egyptian president arrived in Saudi Arabia on Friday."),
    "visit-travelled": ("Visit", "AZE TUR",
        "The Turkish president flew to Azerbaijan on Friday."),
    "visit-reached": ("Visit", "PAK QAT",
        "The Pakistani prime minister reached Qatar on Friday."),
    "visit-set-foot": ("Visit", "CHN LAO",
        "The Chinese premier set foot in Laos on Friday."),
    "visit-crossed": ("Visit", "KOR MNG",
        "The South Korean president crossed into Mongolia on Friday."),
    "visit-toured": ("Visit", "CAN IRL",
        "The Irish president toured Canada on Friday."),
    "visit-arrival": ("Visit", "ETH KEN",
        "On his arrival in Kenya on Friday, the Ethiopian prime minister praised the ties."),
    "visit-trip": ("Visit", "ALB ITA",
        "The Italian president's trip to Albania on Friday focused on energy."),
    "visit-received-by": ("Visit", "ARM GEO",
        "The Armenian prime minister was received by the Georgian president in Tbilisi on Friday."),
    "visit-received": ("Visit", "IRN OMN",
        "The Omani sultan received the Iranian president in Muscat on Friday."),
    "meeting-hosted-actor": ("Meeting", "SVK SVN",
        "The Slovak prime minister hosted the Slovenian prime minister on Friday."),
    "meeting-met": ("Meeting", "DEU FRA",
        "The French president met the German chancellor on Friday."),
    "meeting-sat-down": ("Meeting", "PRY URY",
        "The Uruguayan president sat down with the Paraguayan president on Friday."),
    "meeting-talked-with": ("Meeting", "BOL ECU",
        "The Bolivian foreign minister conferred with the Ecuadorian foreign minister on Friday."),
    "meeting-gathered": ("Meeting", "BLZ GTM",
        "The leaders of Guatemala and Belize gathered in Flores on Friday."),
    "meeting-talks": ("Meeting", "SRB XKX",
        "Talks between Serbia and Kosovo resumed in Brussels on Friday."),
    "meeting-noun": ("Meeting", "MWI ZMB",
        "A meeting between the presidents of Zambia and Malawi took place on Friday."),
    "meeting-consultations": ("Meeting", "CUB MEX",
        "Consultations between Cuba and Mexico took place in Havana on Friday."),
    "meeting-audience": ("Meeting", "BHR KWT",
        "The Kuwaiti emir granted an audience to the Bahraini foreign minister on Friday."),
    "meeting-tete-a-tete": ("Meeting", "AGO NAM",
        "The Angolan president had a tete-a-tete with the Namibian president on Friday."),
    "summit": ("Summit", "ARG BRA",
        "The leaders of Argentina and Brazil opened a summit in Brasilia on Friday."),
    "signed": ("AgreementSigning", "RWA UGA",
        "Rwanda and Uganda signed a trade agreement on Friday."),
    "inked": ("AgreementSigning", "BWA ZWE",
        "Botswana and Zimbabwe inked a border accord on Friday."),
    "concluded": ("AgreementSigning", "BOL CHL",
        "Chile and Bolivia concluded a water treaty on Friday."),
    "deposited-instrument": ("AgreementSigning", "ECU PER",
        "Ecuador deposited its instrument of ratification with Peru on Friday."),
    "concluded-passive": ("AgreementSigning", "MRT SEN",
        "A fisheries pact between Senegal and Mauritania was concluded on Friday."),
    "finalized": ("AgreementSigning", "LBY TUN",
        "Tunisia and Libya finalized a transport agreement on Friday."),
    "put-names": ("AgreementSigning", "GHA TGO",
        "The presidents of Ghana and Togo put their signatures on a river pact on Friday."),
    "exchanged": ("AgreementSigning", "IRQ JOR",
        "Jordan and Iraq exchanged memoranda on energy on Friday."),
    "exchanged-passive": ("AgreementSigning", "LAO THA",
        "Documents on trade were exchanged by Laos and Thailand on Friday."),
    "joint-statement": ("JointStatement", "LKA MDV",
        "The leaders of Sri Lanka and the Maldives issued a joint statement on Friday."),
    "declaration-adopted": ("JointStatement", "ARG CHL",
        "The foreign ministers of Chile and Argentina adopted a declaration on Friday."),
    "agreed-to-cooperate": ("CooperationCommitment", "OMN YEM",
        "Oman and Yemen agreed on Friday to strengthen their cooperation."),
}


def test_every_row_has_a_sentence() -> None:
    assert {r.id for r in triggers.load() if r.type != "@stop"} == set(SENTENCES)


@pytest.mark.parametrize("row", sorted(SENTENCES))
def test_the_row_finds_its_event_and_no_other_row_does(row: str, found: Callable[..., Findings],
                                                        asserted: Events) -> None:
    kind, states, sentence = SENTENCES[row]
    event = (kind, states.split())
    assert event in asserted(found(sentence, day="Saturday 4 March 2023"))
    triggers.switch_off(row)
    try:
        assert event not in asserted(found(sentence, day="Saturday 4 March 2023"))
    finally:
        triggers.reset()
