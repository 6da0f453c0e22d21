"""The cleaning stage: each class of page furniture is cut, captions are kept apart, the header is read.

Every page here is made up for the class of furniture or header it checks.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from kg.article import parse_article
from kg.clean import Page, clean, patterns

LEAD = ("MONTEVIDEO — Uruguay's foreign minister received her Paraguayan counterpart on Tuesday, and the two signed "
        "an agreement on river navigation at the Palacio Santos.")
SECOND = "The ministers also agreed to meet again in Asunción before the end of the year, officials said."
HEADLINE = "Uruguay and Paraguay sign river navigation accord"


def _page(top: str = "", bottom: str = "") -> str:
    return f"{top}\n\n{HEADLINE}\n\n{LEAD}\n\n{SECOND}\n\n{bottom}\n".lstrip("\n")


def _clean(text: str) -> Page:
    return clean(text, 0)


def _story_only(page: Page) -> None:
    assert [p.text for p in page.paragraphs] == [LEAD, SECOND]
    assert page.headline is not None and page.headline.text == HEADLINE


def _cut_classes(page: Page) -> set[str]:
    return {cls for cls, _span in page.cut}


def test_every_furniture_row_is_well_formed() -> None:
    rows = patterns()
    assert len(rows) >= 30
    for row in rows:
        assert row.action in ("line", "list", "end", "caption"), row
        assert row.cls and row.note, row


@pytest.mark.parametrize("menu", [
    "Home | World | Politics | Business | Sport",
    "NEWS  POLITICS  ECONOMY  CULTURE  SPORT",
    "Inicio · Mundo · Política · Deportes",
    "Home > World > Americas > Diplomacy",
    "Menu",
    "Search …",
])
def test_navigation_menus_are_cut(menu: str) -> None:
    page = _clean(_page(top=f"Rio Plata Courier\n{menu}"))
    _story_only(page)
    assert any(menu.strip() == span.text for _cls, span in page.cut)


def test_cookie_and_consent_notices_are_cut() -> None:
    top = ("We care about your privacy\nWe and our 212 partners store and access information on your device to "
           "personalise ads.\n[Accept all] [Reject]\n\nThis website uses cookies to improve your experience. "
           "By continuing to browse you agree to our cookie policy.")
    page = _clean(_page(top=top))
    _story_only(page)
    assert "cookie" in _cut_classes(page)


@pytest.mark.parametrize("widget", ["A-  A  A+   + ↺ − 18 px", "Print | Email | Share", "Reading time: 4 min",
                                    "5 min read"])
def test_text_size_and_tool_widgets_are_cut(widget: str) -> None:
    page = _clean(_page(top=widget))
    _story_only(page)
    assert "widget" in _cut_classes(page)


def test_share_prompts_are_cut() -> None:
    bottom = "Share this story: Facebook | X | WhatsApp | Email\nClick to share on LinkedIn (Opens in new window)"
    page = _clean(_page(bottom=bottom))
    _story_only(page)
    assert _cut_classes(page) == {"share"}


@pytest.mark.parametrize("heading, items", [
    ("RELATED", "• Brazil and Argentina sign gas pipeline deal\n• Lula meets Milei at Mercosur summit"),
    ("Also read:", "- Chile recalls its ambassador from Caracas\n- Bolivia's president visits Beijing"),
    ("More from South America", "Peru's Congress votes to impeach president\nColombia hosts peace talks"),
])
def test_lists_of_other_stories_are_cut_with_their_items(heading: str, items: str) -> None:
    page = _clean(_page(bottom=f"{heading}\n{items}"))
    _story_only(page)
    cut = " ".join(span.text for _cls, span in page.cut)
    assert "Milei" not in " ".join(p.text for p in page.paragraphs)
    assert all(line.lstrip("•- ") in cut for line in items.splitlines())


def test_a_list_heading_standing_alone_takes_the_list_after_it() -> None:
    page = _clean(_page(bottom="Most read\n\n1. Ecuador declares state of emergency\n2. Venezuela frees prisoners"))
    _story_only(page)
    assert {cls for cls, _ in page.cut} == {"related"}


def test_a_comment_section_ends_the_story() -> None:
    bottom = ("Comments (14)\n\nGustavo R.: The minister met nobody, this is propaganda.\n\n"
              "Leave a Reply Cancel reply\nYour email address will not be published.\nName *\nPost Comment")
    page = _clean(_page(bottom=bottom))
    _story_only(page)
    assert "propaganda" in " ".join(span.text for _cls, span in page.cut)


def test_newsletter_prompts_are_cut() -> None:
    page = _clean(_page(bottom="Sign up for our daily diplomacy newsletter\nEnter your email address"))
    _story_only(page)
    assert _cut_classes(page) == {"newsletter"}


def test_footer_lines_are_cut_and_the_copyright_names_the_holder() -> None:
    bottom = ("© 2024 Rio Plata Courier. All rights reserved. | Privacy | Terms\n"
              "About us | Contact | Advertise | Privacy policy\nProudly powered by WordPress")
    page = _clean(_page(bottom=bottom))
    _story_only(page)
    assert page.holders == ["Rio Plata Courier"]
    assert {"copyright", "footer"} <= _cut_classes(page)


def test_an_end_mark_ends_a_press_release() -> None:
    page = _clean(_page(bottom="###\n\nFor media enquiries contact the press office.\n\nFollow us on X"))
    _story_only(page)


def test_tags_and_editors_notes_are_cut() -> None:
    page = _clean(_page(top="Editor's note: this report was updated to correct a name.",
                        bottom="Tags: Uruguay, Paraguay, rivers"))
    _story_only(page)
    assert {"tags", "note"} <= _cut_classes(page)


@pytest.mark.parametrize("caption", [
    "The two ministers shake hands at the Palacio Santos on Tuesday. Photo: Ana Silva/Rio Plata Courier",
    "The two ministers after the signing in Montevideo. (Photo: Ana Silva / Rio Plata Courier)",
    "Foreign Minister Omar Paganini (L) greets his Paraguayan counterpart in Montevideo, Tuesday. Reuters",
    "The delegations, from left, pose for photos before the talks in Montevideo on Tuesday. Courier Archive",
])
def test_photo_captions_are_kept_apart_from_the_story(caption: str) -> None:
    page = _clean(_page(top=caption))
    _story_only(page)
    assert [c.text for c in page.captions] == [caption]


def test_a_photo_credit_confirms_the_masthead_spelling() -> None:
    text = _page(top="RIO PLATA COURIER\n\nThe two ministers after the signing. Photo: Ana Silva/Rio Plata Courier")
    a = parse_article(text, "credit.txt")
    assert a.publisher == "Rio Plata Courier"


def test_a_byline_gives_the_author_and_date_never_the_publisher() -> None:
    text = _page(top="By:Staff writer\nMonday, 3 June 2024")
    a = parse_article(text, "staff.txt")
    assert a.publisher is None
    assert a.published == date(2024, 6, 3)
    a = parse_article(_page(top="Posted by Marta Ibarra on June 4, 2024"), "posted.txt")
    assert (a.author, a.published, a.publisher) == ("Marta Ibarra", date(2024, 6, 4), None)


def test_widgets_section_labels_and_date_banners_are_never_the_publisher() -> None:
    text = "+ ↺ − 16 px\nMenu\nDIPLOMACY\nThursday, 6 June 2024\n\n" + _page()
    a = parse_article(text, "labels.txt")
    assert a.publisher is None
    assert a.published == date(2024, 6, 6)


def test_a_masthead_is_an_outlet_line_that_a_menu_follows() -> None:
    text = _page(top="PAMPA MERIDIAN\nHome | Politics | World | Sport")
    assert parse_article(text, "masthead.txt").publisher == "Pampa Meridian"
    text = _page(top="BRIEFING NOTES\nSTATEMENTS\n")       # nothing says it is an outlet
    assert parse_article(text, "labels.txt").publisher is None


def test_a_byline_date_under_the_headline_wins_over_a_banner_above_it() -> None:
    text = (f"Saturday, 8 June 2024 | 21°C Montevideo\nPampa Meridian\nHome | World\n\n{HEADLINE}\n"
            f"By Marta Ibarra | 4 June 2024, 18:30\n\n{LEAD}\n\n{SECOND}\n")
    a = parse_article(text, "banner.txt")
    assert a.published == date(2024, 6, 4) and a.published_at is not None and a.published_at.hour == 18
    assert a.author == "Marta Ibarra"


def test_the_body_date_behind_menus_and_notices_is_found() -> None:
    junk = "\n".join(f"Section {n} | Archive | Video | Podcasts" for n in range(8))
    text = (f"Skip to main content\n{junk}\nWe use cookies to improve this site.\n\n{HEADLINE}\n\n"
            f"From: Ministry of Foreign Affairs\nPublished 4 June 2024\n\n{LEAD}\n\n{SECOND}\n")
    a = parse_article(text, "behind.txt")
    assert a.published == date(2024, 6, 4)
    assert a.headline is not None and a.headline.text == HEADLINE


def test_a_headline_is_never_an_image_path() -> None:
    text = "/media/2024/06/uruguay-paraguay-signing-ceremony.jpg\n\n![signing](/media/signing.jpg)\n\n" + _page()
    a = parse_article(text, "image.txt")
    assert a.headline is not None and a.headline.text == HEADLINE


def test_a_lead_is_not_swallowed_as_the_headline() -> None:
    text = f"Pampa Herald\n4 June 2024\n\n{LEAD}\n\n{SECOND}\n"
    a = parse_article(text, "nohead.txt")
    assert a.headline is None and a.publisher == "Pampa Herald"
    assert [p.text for p in a.paragraphs] == [LEAD, SECOND]


def test_a_date_banner_run_into_the_headline_is_split_off() -> None:
    text = f"Tuesday, 4 June 2024 {HEADLINE}\n\n{LEAD}\n\n{SECOND}\n"
    a = parse_article(text, "runon.txt")
    assert a.headline is not None and a.headline.text == HEADLINE
    assert a.published == date(2024, 6, 4)


@pytest.mark.parametrize("banner, day", [
    ("Publié le 4 juin 2024 à 18h30", date(2024, 6, 4)),
    ("Publicado em 04/06/2024 às 18h30", date(2024, 6, 4)),
    ("Publicado el 4 de junio de 2024", date(2024, 6, 4)),
    ("Veröffentlicht am 4. Juni 2024, 18:30 Uhr", date(2024, 6, 4)),
    ("Posted : 2024-06-04 18:30   Updated : 2024-06-05 09:00", date(2024, 6, 4)),
    ("JUNE 04, 2024", date(2024, 6, 4)),
])
def test_date_banners_in_several_languages_and_shapes(banner: str, day: date) -> None:
    a = parse_article(f"{HEADLINE}\n{banner}\n\n{LEAD}\n\n{SECOND}\n", "banner.txt")
    assert a.published == day


def test_a_yearless_dateline_takes_its_year_from_a_full_date_of_the_same_day_on_the_page() -> None:
    text = (f"{HEADLINE}\n\nFoto: los cancilleres en Montevideo, el martes 4 de junio de 2024. "
            f"Agencia Sur/Ana Silva\n\nMontevideo, Jun 4 (Agencia Sur).- Uruguay's foreign minister received her "
            f"Paraguayan counterpart on "
            f"Tuesday.\n\n{SECOND}\n")
    a = parse_article(text, "yearless.txt")
    assert a.published == date(2024, 6, 4)
    assert a.dateline is not None and a.dateline.text == "Montevideo"
    assert a.source_agency == "Agencia Sur" and a.publisher == "Agencia Sur"
    assert len(a.captions) == 1 and "Foto:" in a.captions[0].text


@pytest.mark.parametrize("opening, place", [
    ("ASUNCIÓN: Paraguay's foreign minister flew to Montevideo on Tuesday for talks.", "ASUNCIÓN"),
    ("SALTO, Uruguay — Paraguay's foreign minister flew to Montevideo on Tuesday for talks.", "SALTO"),
    ("CIUDAD DEL ESTE, Paraguay, June 4 (Rio Wire) - The foreign minister flew to Montevideo on Tuesday.",
     "CIUDAD DEL ESTE"),
])
def test_dateline_shapes(opening: str, place: str) -> None:
    a = parse_article(f"{HEADLINE}\n\n{opening}\n\n{SECOND}\n", "dateline.txt")
    assert a.dateline is not None and a.dateline.text == place
    assert a.lead_begin is not None and a.text[a.lead_begin:].startswith(("Paraguay", "The"))


def test_every_span_indexes_the_text_with_crlf_line_endings() -> None:
    text = _page(top="PAMPA MERIDIAN\nHome | World\nThe ministers. Photo: Ana Silva/Pampa Meridian",
                 bottom="RELATED\n• Other story here\n© 2024 Pampa Meridian").replace("\n", "\r\n")
    a = parse_article(text.encode("utf-8"), "crlf.txt")
    assert a.text == text
    for span in [a.headline, a.body, *a.paragraphs, *a.captions]:
        assert span is not None and a.text[span.begin:span.end] == span.text
    assert [p.text for p in a.paragraphs] == [LEAD, SECOND]
    assert not any("\r" in p.text or re.search(r"Photo:|RELATED", p.text) for p in a.paragraphs)
