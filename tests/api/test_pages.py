"""The pages people read, in headless Chromium (Debian's, driven by Playwright): what they say, that their links
stay on this server, that the browser logs no error, and a screenshot of each in test-output/screenshots/."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
BASE = "https://w3id.org/dipkg/"


def chromium() -> str | None:
    """Debian's chromium, installed here if it is missing and this is root with apt-get (as CI is)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(step, env=env, capture_output=True, timeout=1200)
        found = shutil.which("chromium")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is a test dependency")
    executable = chromium()
    if executable is None:
        pytest.skip("no chromium, and it could not be installed here (apt-get install chromium, as root)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Visit:
    """A page loaded in a fresh tab, with what the browser complained about while loading it."""

    def __init__(self, browser: Any, url: str, name: str) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shot = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(self.shot), full_page=True)
        self.height = int(self.page.evaluate("document.body.scrollHeight"))

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def links_elsewhere(self) -> list[str]:
        """Links to an IRI of ours written out in full: they leave this server for the base IRI's host."""
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        return [h for h in hrefs if h.startswith(BASE)]


@pytest.fixture()
def visit(browser: Any, seed_served: str) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: str, name: str) -> Visit:
        v = Visit(browser, seed_served + path, name)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.page.close()
        print(f"screenshot: {v.shot} ({v.height} px)")


def _article_path(seed_served: str) -> str:
    import httpx
    q = "SELECT ?a WHERE { ?a a <https://w3id.org/dipkg/ontology#NewsArticle> }"
    rows = httpx.get(f"{seed_served}/sparql", params={"query": q}).json()["results"]["bindings"]
    return "/page/" + rows[0]["a"]["value"][len(BASE + "id/"):]


def test_the_home_page_leads_to_articles_events_and_names(visit: Any) -> None:
    home = visit("/", "home")
    assert home.page.title() == "diplomacy-kg"
    assert "India, UK Strengthening Cooperation" in home.text("main")
    assert "Visit" in home.text("main") and home.page.locator("input[type=search]").count() == 1
    assert home.page.locator("link[rel=icon]").count() == 1
    home.page.fill("input[type=search]", "modi")
    home.page.click("form.search button")
    home.page.wait_for_load_state("networkidle")
    home.page.click("#found >> text=Narendra Modi")
    home.page.wait_for_load_state("networkidle")
    assert home.page.inner_text("h1") == "Narendra Modi"
    assert home.errors == [] and home.links_elsewhere() == []


def test_the_article_page_says_what_happened_and_marks_the_evidence(visit: Any, seed_served: str) -> None:
    article = visit(_article_path(seed_served), "article")
    assert article.page.inner_text("h1").startswith("India, UK Strengthening Cooperation")
    happened = article.text("section:has(h2:text('What happened'))")
    assert "Visit" in happened and "(host)" in happened and "(guest)" in happened and "2022-04-22" in happened
    assert "Memorandum of understanding" in article.text("main")
    assert article.page.locator("blockquote").count() >= 2
    marks = article.page.locator(".text mark[id]")
    assert marks.count() >= 5
    first = article.page.locator("a[title='where the text says so']").first
    target = first.get_attribute("href")
    assert target.startswith("#span-") and article.page.locator(f".text mark{target}").count() == 1
    assert article.page.locator(".text a.mention").count() >= 5
    assert article.height < 6000
    assert article.errors == [] and article.links_elsewhere() == []


def test_the_country_page_lists_its_office_holders_events_and_pages_its_places(visit: Any) -> None:
    india = visit("/page/country/IND", "country")
    holders = india.text("section:has(h2:text('Office holders'))")
    assert "Narendra Modi" in holders and "2014-05-26" in holders
    assert "Visit" in india.text("section:has(h2:text('Events'))").title()
    assert "India, UK Strengthening Cooperation" in india.text("section:has(h2:text('Articles'))")
    india.page.click("nav.pager >> text=next")
    india.page.wait_for_load_state("networkidle")
    assert "Page 2 of" in india.text("nav.pager")
    assert india.height < 4000
    assert india.errors == [] and india.links_elsewhere() == []


@pytest.mark.parametrize("path,name", [("/page/person/narendra-modi", "person"),
                                       ("/page/membership/narendra-modi--ind-prime-minister--2014-05-26", "term"),
                                       ("/sparql", "query"), ("/dumps/", "downloads"), ("/ontology", "ontology")])
def test_other_pages_load_cleanly(path: str, name: str, visit: Any) -> None:
    page = visit(path, name)
    assert page.errors == [] and page.links_elsewhere() == []
    if name == "term":
        assert page.page.title().startswith("Narendra Modi as Prime Minister of India (2014-05-26")


def test_yasgui_and_swagger_ui_run_under_the_content_security_policy(visit: Any) -> None:
    """Pages allow no inline script (issue 8): the bundled widgets must still work, and a violation would be
    a console error."""
    query = visit("/sparql", "query-run")
    assert "script-src 'self'" in query.page.evaluate("fetch('/sparql', {headers: {Accept: 'text/html'}})"
                                                      ".then(r => r.headers.get('content-security-policy'))")
    query.page.click("a.example >> nth=0")
    query.page.click(".yasqe_queryButton")
    query.page.wait_for_selector(".yasr .dataTable tbody tr, .yasr table tbody tr", timeout=30_000)
    assert query.page.locator(".yasr table tbody tr").count() >= 1
    docs = visit("/docs", "docs")
    docs.page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert docs.page.locator(".swagger-ui .opblock").count() >= 10
    assert query.errors == [] and docs.errors == []
