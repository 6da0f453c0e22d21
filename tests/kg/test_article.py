from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from kg.article import parse_article, read_article
from kg.model import Article, ArticleError

EVAL = Path(__file__).parent / "data" / "eval"


def _spans_match_text(article: Article) -> None:
    for span in [article.headline, article.dateline, article.body, *article.paragraphs]:
        if span is not None:
            assert article.text[span.begin:span.end] == span.text


def test_seed_format_gives_header_fields(seed_path: Path) -> None:
    a = read_article(seed_path)
    assert a.format == "seed"
    assert a.published == date(2022, 4, 23)
    assert a.published_at == datetime(2022, 4, 23, 1, 10)
    assert a.publisher == "UrduPoint.com"
    assert a.author == "Sumaira FH"
    assert a.headline is not None and a.headline.text.startswith("India, UK Strengthening Cooperation")
    assert a.dateline is not None and a.dateline.text == "MOSCOW"
    assert a.source_agency == "Sputnik"
    assert a.paragraphs[0].text.startswith("MOSCOW (UrduPoint News")
    _spans_match_text(a)


def test_offsets_index_the_text_as_read_with_crlf_line_endings(seed_text: str) -> None:
    crlf = seed_text.replace("\n", "\r\n")
    a, b = parse_article(seed_text, "lf.txt"), parse_article(crlf.encode("utf-8"), "crlf.txt")
    assert b.text == crlf                              # nothing normalised away: offsets stay true
    assert (b.published, b.publisher, b.author, b.source_agency) == (
        a.published, a.publisher, a.author, a.source_agency)
    assert b.headline is not None and a.headline is not None and b.headline.text == a.headline.text
    assert len(b.paragraphs) == len(a.paragraphs)
    _spans_match_text(b)


def test_byte_order_mark_is_dropped_and_curly_quotes_kept() -> None:
    raw = "\ufeffTurkey and Greece pledge calm\n\nAegean Daily — 7 December 2023\n\nATHENS — Greek Prime Minister " \
          "Kyriakos Mitsotakis welcomed Turkish President Recep Tayyip Erdoğan, saying “we have a duty to try”."
    a = parse_article(raw.encode("utf-8"), "bom.txt")
    assert not a.text.startswith("\ufeff")
    assert "“we have a duty to try”" in a.text
    assert a.published == date(2023, 12, 7)
    assert a.headline is not None and a.headline.text == "Turkey and Greece pledge calm"
    _spans_match_text(a)


def test_plain_text_with_a_loose_header_finds_outlet_date_and_dateline() -> None:
    a = read_article(EVAL / "dev" / "articles" / "05-australia-png-security-agreement.txt")
    assert a.format == "plain"
    assert a.publisher == "Coral Sea Chronicle"
    assert a.published == date(2023, 12, 7)
    assert a.dateline is not None and a.dateline.text == "CANBERRA"
    _spans_match_text(a)


def test_markdown_title_and_bold_date_line() -> None:
    a = read_article(EVAL / "dev" / "articles" / "23-finland-joins-nato.txt")
    assert a.format == "markdown"
    assert a.headline is not None and a.headline.text == "Finland becomes NATO's 31st member"
    assert a.published == date(2023, 4, 4)
    assert a.publisher == "Nordic Security Review"
    assert any(p.text == "## Flag-raising ceremony" for p in a.paragraphs)


def test_day_first_numeric_header_dates_and_by_lines() -> None:
    a = parse_article("Grain deal signed\nBosphorus Daily · 22.07.2022\nBy Mehmet Arslan\n\nISTANBUL, July 22 "
                      "(Bosphorus Daily) - Russia and Ukraine signed separate agreements on Friday.", "grain.txt")
    assert a.published == date(2022, 7, 22)
    assert a.author == "Mehmet Arslan"
    assert a.publisher == "Bosphorus Daily"


def test_an_outlet_before_the_date_is_the_publisher_not_the_dateline() -> None:
    a = parse_article("Storm Babet floods Brechin\nAngus & Mearns Gazette, 20 October 2023\n\nRescue teams worked "
                      "through the night in Brechin.", "storm.txt")
    assert a.publisher == "Angus & Mearns Gazette"
    assert a.dateline is None


def test_html_page_reads_metadata_and_paragraphs_not_navigation() -> None:
    html = """<!DOCTYPE html><html lang="en"><head><title>Pact | Horn Times</title>
    <meta property="article:published_time" content="2023-06-14T09:30:00Z">
    <meta property="og:site_name" content="Horn Times"><meta name="author" content="Amina Yusuf">
    <script>var tracking = "Kenya";</script></head><body><nav>Home | World</nav>
    <article><h1>Kenya and Ethiopia sign security pact</h1>
    <p>NAIROBI &mdash; Kenyan President William Ruto signed a pact on Tuesday.</p>
    <blockquote>&ldquo;A new chapter,&rdquo; Ruto said.</blockquote></article>
    <footer>(c) Horn Times</footer></body></html>"""
    a = parse_article(html.encode("utf-8"), "pact.html")
    assert a.format == "html"
    assert a.headline is not None and a.headline.text == "Kenya and Ethiopia sign security pact"
    assert (a.published, a.published_at) == (date(2023, 6, 14), datetime(2023, 6, 14, 9, 30))
    assert (a.publisher, a.author, a.language) == ("Horn Times", "Amina Yusuf", "en")
    assert [p.text for p in a.paragraphs] == ["NAIROBI — Kenyan President William Ruto signed a pact on Tuesday.",
                                              "“A new chapter,” Ruto said."]
    assert "tracking" not in a.text and "Home | World" not in a.text
    _spans_match_text(a)


def test_json_news_article_reads_schema_org_fields() -> None:
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Sisi hosts King Abdullah",
           "datePublished": "2024-01-10T12:00:00+02:00", "publisher": {"@type": "Organization", "name": "Nile Wire"},
           "author": [{"name": "Omar Said"}], "inLanguage": "en-GB",
           "articleBody": "CAIRO, Jan 10 (Nile Wire) - Egyptian President Abdel Fattah al-Sisi received Jordan's King "
                          "Abdullah II on Wednesday.\n\nThey discussed Gaza."}
    a = parse_article(json.dumps(doc), "sisi.json")
    assert a.format == "json"
    assert (a.published, a.publisher, a.author, a.language) == (date(2024, 1, 10), "Nile Wire", "Omar Said", "en")
    assert a.headline is not None and a.headline.text == "Sisi hosts King Abdullah"
    assert len(a.paragraphs) == 2 and a.dateline is not None and a.dateline.text == "CAIRO"
    _spans_match_text(a)


@pytest.mark.parametrize("data, expected", [
    (b"", "empty article"),
    (b"   \n\t\n", "empty article"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary input"),
    (b"caf\xe9 in Paris, the ministers met", "not valid UTF-8"),
    (b'{"headline": "No body here"}', "JSON without an article body"),
    (b"<html><body><nav>menu</nav></body></html>", "HTML page without text paragraphs"),
])
def test_unreadable_input_is_rejected_with_the_file_and_the_reason(data: bytes, expected: str) -> None:
    name = "incoming/broken.html" if data.startswith(b"<html") else "incoming/broken.json" if data.startswith(b"{") \
        else "incoming/broken.txt"
    with pytest.raises(ArticleError) as err:
        parse_article(data, name)
    assert name in str(err.value)
    assert expected in str(err.value)


def test_a_missing_file_is_an_article_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot read"):
        read_article(tmp_path / "nowhere.txt")


def test_a_seed_line_run_into_a_caption_keeps_the_date_and_takes_no_publisher_from_the_caption() -> None:
    text = ("date 2024-06-04 The two ministers sign the accord in Montevideo. (Photo: Ana Silva / Pampa Herald)\n\n"
            "PAMPA HERALD | Politics | Region\n\nUruguay and Paraguay sign river accord\n\n"
            "MONTEVIDEO — The foreign ministers of Uruguay and Paraguay signed an accord on river navigation on "
            "Tuesday.\n")
    a = parse_article(text, "runon.txt")
    assert a.format == "seed" and a.published == date(2024, 6, 4)
    assert a.publisher == "Pampa Herald"
    assert a.headline is not None and a.headline.text == "Uruguay and Paraguay sign river accord"
    assert [c.text for c in a.captions] == [text[16:text.index("\n")]]
    assert all("Photo" not in p.text for p in a.paragraphs)


@pytest.mark.parametrize("first", ["date 2022-13-45 Nowhere", "date 2023-02-30 Pampa Herald"])
def test_an_impossible_header_date_is_an_article_error_naming_file_and_date(first: str) -> None:
    with pytest.raises(ArticleError) as err:
        parse_article(f"{first}\n\nTalks in Rome\n\nThe ministers met in Rome on Monday to talk.\n", "in/bad.txt")
    assert "in/bad.txt" in str(err.value) and first.split()[1] in str(err.value)


def test_front_matter_header_gives_date_outlet_author_url_and_title() -> None:
    text = ("---\ntitle: Ministers meet in Rome\ndate: 2024-06-04\nsource: Tiber Review\nauthor: Lia Conti\n"
            "url: https://tiber.example/2024/06/04/ministers\n---\n\n# Ministers meet in Rome\n\n"
            "The foreign ministers of Italy and Malta met in Rome on Tuesday to discuss migration.\n")
    a = parse_article(text, "front.md")
    assert (a.published, a.publisher, a.author) == (date(2024, 6, 4), "Tiber Review", "Lia Conti")
    assert a.url == "https://tiber.example/2024/06/04/ministers"
    assert a.headline is not None and a.headline.text == "Ministers meet in Rome"
    assert [p.text[:17] for p in a.paragraphs] == ["The foreign minis"]


def test_a_url_header_line_in_text_is_the_article_url_and_not_story() -> None:
    text = ("Ministers meet in Rome\nurl https://tiber.example/a/123\n\nROME — The foreign ministers of Italy and "
            "Malta met in Rome on Tuesday to discuss migration.\n")
    a = parse_article(text, "url.txt")
    assert a.url == "https://tiber.example/a/123"
    assert all("tiber.example" not in p.text for p in a.paragraphs)
    b = parse_article(text.replace("url https://tiber.example/a/123\n", ""), "nourl.txt")
    assert b.url is None


_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Accord signed | Tiber Review</title>{head}</head>
<body><main><article><h1>Italy and Malta sign migration accord</h1>
<figure><img src="/img/a.jpg" alt=""><figcaption>The ministers in Rome on Tuesday.</figcaption></figure>
<p>ROME &mdash; The foreign ministers of Italy and Malta signed an accord on migration in Rome on Tuesday, the
first such agreement between the two governments in a decade.</p>
<p>The accord sets up joint patrols and a shared reception centre, officials of both ministries said.</p>
</article></main></body></html>"""


@pytest.mark.parametrize("head, url", [
    ('<link rel="canonical" href="https://tiber.example/a/1"><meta property="og:url" content="https://x.example/b">',
     "https://tiber.example/a/1"),
    ('<meta property="og:url" content="https://tiber.example/a/2">', "https://tiber.example/a/2"),
    ('<link rel="canonical" href="/a/3">', None),
    ("", None),
])
def test_html_url_comes_from_the_canonical_link_or_og_url(head: str, url: str | None) -> None:
    a = parse_article(_PAGE.format(head=head), "page.html")
    assert a.url == url


def test_html_captions_are_kept_apart_from_the_story_paragraphs() -> None:
    a = parse_article(_PAGE.format(head=""), "page.html")
    assert [c.text for c in a.captions] == ["The ministers in Rome on Tuesday."]
    assert [p.text[:8] for p in a.paragraphs] == ["ROME — T", "The acco"]
    for span in [a.headline, *a.paragraphs, *a.captions]:
        assert span is not None and a.text[span.begin:span.end] == span.text


def test_valid_html5_with_unclosed_paragraphs_and_headline_is_read() -> None:
    html = ("<!doctype html><html><head><title>Talks</title></head><body><h1>Norway and Sweden agree Arctic talks"
            "<p>OSLO — The foreign ministers of Norway and Sweden met in Oslo on Monday to discuss Arctic security."
            "<p>They agreed to meet again in Stockholm in June.")
    a = parse_article(html, "unclosed.html")
    assert a.headline is not None and a.headline.text == "Norway and Sweden agree Arctic talks"
    assert [p.text for p in a.paragraphs] == [
        "OSLO — The foreign ministers of Norway and Sweden met in Oslo on Monday to discuss Arctic security.",
        "They agreed to meet again in Stockholm in June."]


@pytest.mark.parametrize("doc, url", [
    ({"url": "https://nile.example/x"}, "https://nile.example/x"),
    ({"mainEntityOfPage": {"@id": "https://nile.example/y"}}, "https://nile.example/y"),
    ({"mainEntityOfPage": "https://nile.example/z"}, "https://nile.example/z"),
    ({"url": "not a url"}, None),
])
def test_json_url_comes_from_url_or_main_entity_of_page(doc: dict[str, object], url: str | None) -> None:
    body = {"headline": "Sisi hosts King Abdullah", "articleBody": "CAIRO - Egypt's president received Jordan's king "
            "on Wednesday for talks on Gaza."}
    assert parse_article(json.dumps(body | doc), "doc.json").url == url


def test_a_file_over_the_size_limit_is_rejected_before_it_is_read(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_ARTICLE", "1000")
    big = tmp_path / "big.txt"
    big.write_text("Talks\n\n" + "The ministers met on Monday. " * 100, encoding="utf-8")
    with pytest.raises(ArticleError, match=r"big\.txt: too large .*KG_MAX_ARTICLE"):
        read_article(big)
    with pytest.raises(ArticleError, match="too large"):
        parse_article(big.read_bytes(), "big.txt")


@pytest.mark.parametrize("name, data, expected", [
    ("deep.json", "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("deep.json", '{"articleBody": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001, "nested too deeply"),
    ("scripts.html", "<html><body><script>" + "var a = 1;" * 1000 + "</script></body></html>", "without text"),
    ("menu.txt", "Home | News | World\n" * 5000, "no article body"),
    ("surrogates.txt", "Talks\n\n" + "\ud800" * 200, "binary input"),
])
def test_hostile_input_ends_in_a_clear_article_error(name: str, data: str, expected: str) -> None:
    with pytest.raises(ArticleError) as err:
        parse_article(data, name)
    assert name in str(err.value) and expected in str(err.value)


def test_random_input_never_escapes_as_anything_but_an_article_error() -> None:
    rng = random.Random(20240604)
    pieces = ["date 2024-06-04 ", "<p>", "</p>", "<h1>", "{", "}", '"articleBody":', "\n\n", "Photo: ", "By ",
              "© ", "RELATED\n", "• ", "Home | World\n", "ROME — ", "The ministers met on Monday. ", "\r\n",
              "4 June 2024", "url https://a.example/x\n", "<figcaption>", "###\n", "\u00e9", "\u202e"]
    for _ in range(300):
        data = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        name = rng.choice(["r.txt", "r.html", "r.json", "r.md"])
        try:
            a = parse_article(data, name)
        except ArticleError as exc:
            assert name in str(exc)
            continue
        for span in [a.headline, a.dateline, a.body, *a.paragraphs, *a.captions]:
            assert span is None or a.text[span.begin:span.end] == span.text
