from __future__ import annotations

import json
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
