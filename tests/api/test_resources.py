from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from kg.namespaces import FOAF, ONTOLOGY_IRI, SCHEMA
from tests.api.conftest import backend_live
from tests.virtuoso import BACKENDS

ADA = "https://w3id.org/dipkg/id/person/ada-tester"
ARTICLE = "https://w3id.org/dipkg/id/article/00000000000000aa"

live = pytest.fixture(scope="module", params=BACKENDS)(backend_live)   # these tests run on both stores


def test_a_thing_answers_303_to_its_page_or_its_data(client: httpx.Client, live: object) -> None:
    html = client.get("/id/person/ada-tester", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.status_code == 303 and html.headers["location"] == f"{live.url}/page/person/ada-tester"  # type: ignore[attr-defined]
    assert "Accept" in html.headers["vary"]
    for media, ext in [("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
                       ("application/rdf+xml", "rdf")]:
        r = client.get("/id/person/ada-tester", headers={"Accept": media})
        assert r.status_code == 303 and r.headers["location"].endswith(f"/data/person/ada-tester.{ext}")
        data = client.get(r.headers["location"])
        assert data.headers["content-type"].startswith(media)
        triples = {q.triple for q in ox.parse(data.content, ox.RdfFormat.from_media_type(media))}
        assert ox.Triple(ox.NamedNode(ADA), ox.NamedNode(str(SCHEMA.name)), ox.Literal("Ada Tester")) in triples


def test_any_host_reaches_the_same_iri(client: httpx.Client) -> None:
    r = client.get("/data/person/ada-tester.nt", headers={"Host": "example.org"})
    assert f"<{ADA}> <{SCHEMA.name}> \"Ada Tester\" ." in r.text
    assert f"<http://example.org/data/person/ada-tester.nt> <{FOAF.primaryTopic}> <{ADA}> ." in r.text


def test_data_without_extension_negotiates_and_names_the_variant(client: httpx.Client) -> None:
    r = client.get("/data/person/ada-tester", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-location"] == "/data/person/ada-tester.jsonld"
    assert client.get("/data/person/ada-tester", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_things_are_404_everywhere(client: httpx.Client) -> None:
    for path in ("/id/person/nobody-at-all", "/page/person/nobody-at-all", "/data/person/nobody-at-all.ttl"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 404, path


def test_the_page_shows_properties_links_evidence_and_elsewhere(client: httpx.Client) -> None:
    page = client.get("/page/person/ada-tester")
    assert page.headers["content-type"].startswith("text/html")
    assert "Ada Tester" in page.text
    assert 'href="http://www.wikidata.org/entity/Q4242"' in page.text
    assert 'href="/id/article/00000000000000aa#event-1"' in page.text      # incoming link, as a local path
    country = client.get("/page/country/TST").text
    assert 'href="https://sws.geonames.org/4244/"' in country and "Testland" in country


def test_an_article_page_describes_its_hash_things(client: httpx.Client) -> None:
    page = client.get("/page/article/00000000000000aa").text
    assert 'id="event-1"' in page and "Ada Tester signed the treaty in Testville" in page
    data = client.get("/data/article/00000000000000aa.nt").text
    assert f"<{ARTICLE}#span-1>" in data


def test_seed_entities_show_the_articles_they_appear_in(client: httpx.Client) -> None:
    page = client.get("/page/country/IND").text
    articles = page[page.index("<h2>Articles</h2>"):]
    assert "India, UK Strengthening Cooperation" in articles.split("</section>")[0]
    person = client.get("/page/person/narendra-modi").text
    assert "Articles it appears in" in person and "<blockquote>" in person


def test_a_person_page_lists_offices_events_and_quotes(client: httpx.Client) -> None:
    page = client.get("/page/person/narendra-modi").text
    offices = page[page.index("<h2>Offices</h2>"):page.index("<h2>Events</h2>")]
    assert "Prime Minister" in offices and 'href="/id/country/IND">India</a>' in offices and "2014-05-26" in offices
    events = page[page.index("<h2>Events</h2>"):page.index("<h2>Quotes</h2>")]
    assert "Visit</a> <span class=\"muted\">(host)</span>" in events and "2022-04-22" in events
    quotes = page[page.index("<h2>Quotes</h2>"):]
    assert "We have also agreed to enhance cooperation in the defense sector." in quotes
    said = quotes.split("<h2>", 2)[1]
    assert said.count("<blockquote>") == 1 and "Our 2030 vision" not in said   # the joint statement has no speaker
    assert "<h2>Quotes</h2>" not in client.get("/page/country/GBR").text


def test_ontology_and_shapes_dereference(client: httpx.Client) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-location"] == "/ontology.html"
    assert 'id="NewsArticle"' in html.text
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    subjects = {q.subject for q in ox.parse(ttl.content, ox.RdfFormat.TURTLE)}
    assert ox.NamedNode(ONTOLOGY_IRI) in subjects
    assert client.get("/ontology.jsonld").headers["content-type"].startswith("application/ld+json")
    assert client.get("/shapes", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/ontology.xyz").status_code == 404


def test_topics_and_graph_iris_dereference(client: httpx.Client) -> None:
    r = client.get("/topics/Defence", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"].endswith("/data/topics/Defence.ttl")
    g = client.get("/graph/testref")
    assert g.status_code == 303 and "/graphs?graph=" in g.headers["location"]


def test_concept_schemes_and_the_dataset_dereference(client: httpx.Client) -> None:
    plover = client.get("/plover/CONSULT", headers={"Accept": "text/html"})
    assert plover.status_code == 303 and plover.headers["location"].endswith("/page/plover/CONSULT")
    assert "consult" in client.get(plover.headers["location"]).text
    scheme = client.get("/topics", headers={"Accept": "text/turtle"})
    assert scheme.status_code == 303 and scheme.headers["location"].endswith("/data/topics.ttl")
    assert client.get(scheme.headers["location"]).status_code == 200
    d = client.get("/dataset")
    assert d.status_code == 303 and d.headers["location"].endswith("/.well-known/void")
