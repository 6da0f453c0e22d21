"""The W3C SPARQL 1.1 Protocol, Service Description and Graph Store Protocol tests against a live server."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.namespaces import SD
from tests.api.conftest import TOKEN, Live, new_store, serve
from tests.api.w3c_runner import W3C, Case, check_body, load, status_ok
from tests.virtuoso import BACKENDS, wiped

PROTOCOL = load(W3C / "protocol" / "manifest.ttl")
GSP = load(W3C / "graph-store-protocol" / "manifest-indirect.ttl")
DATA = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": W3C / "protocol" / f"data{i}.nt" for i in (1, 2, 3)}


def dataset_update() -> str:
    graphs = " ".join(f"GRAPH <{name}> {{ {path.read_text()} }}" for name, path in DATA.items())
    return f"DROP ALL ; INSERT DATA {{ {graphs} }}"


def conformance_store(path: Path) -> Path:
    return new_store(path, dataset_update())


def remote_conformance_store(virtuoso: object) -> str:
    with closing(wiped(virtuoso)) as remote:
        remote.update(dataset_update())
    return virtuoso.store  # type: ignore[attr-defined,no-any-return]


def conformance(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path | str:
    if request.param == "virtuoso":
        return remote_conformance_store(request.getfixturevalue("virtuoso"))
    return conformance_store(tmp_path_factory.mktemp(name) / "store")


# Every case runs against the embedded store and against Virtuoso (tests/virtuoso.py) through `kg serve`.
@pytest.fixture(scope="module", params=BACKENDS)
def with_token(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = serve(conformance(request, tmp_path_factory, "w3c"), api_token=TOKEN)
    yield server
    server.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def without_token(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = serve(conformance(request, tmp_path_factory, "w3c-ro"), api_token=None)
    yield server
    server.stop()


def local_path(path: str, prefix: str, route: str) -> str:
    """The manifest's /sparql/... or /gsp... path on this server's route."""
    rest = path[len(prefix):] if path.startswith(prefix) else path
    return route + (rest[1:] if rest.startswith("/") else rest)


def run(case: Case, live: Live, *, token: bool, prefix: str, route: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"} if token else {}
    locations: dict[str, str] = {}
    if not token and isinstance(live.path, str):   # a remote store the servers with the token write too
        remote_conformance_store(_virtuoso(live))
    with live.client() as c:
        if token:
            reset = c.post("/sparql", content=dataset_update(),
                           headers={"Content-Type": "application/sparql-update", **auth})
            assert reset.status_code == 204
        for step in case.steps:
            path, body = step.path, step.body
            for var, value in locations.items():
                path = path.replace(var, value)
                body = body.replace(var.encode(), value.encode()) if body else body
            writes = (step.is_update or step.method in ("PUT", "DELETE")
                      or (step.method == "POST" and route == "/graphs"))
            r = c.request(step.method, local_path(path, prefix, route), content=body,
                          headers={**step.headers, **(auth if writes else {})})
            if writes and not token:
                # Refused without the token (403: writes are off), or for its own fault first; the rest of
                # the case depends on the write, so it stops here.
                assert 400 <= r.status_code < 500, (case.name, r.status_code, r.text)
                if status_ok(200, step.statuses):
                    assert r.status_code == 403, (case.name, r.status_code, r.text)
                return
            assert status_ok(r.status_code, step.statuses), (case.name, step.method, path, r.status_code, r.text)
            if r.status_code < 300:
                problem = check_body(step, r)
                assert problem is None, (case.name, problem)
            if step.location_var:
                locations[step.location_var] = r.headers["location"]


@pytest.mark.parametrize("case", PROTOCOL, ids=[c.name for c in PROTOCOL])
def test_protocol_with_token(case: Case, with_token: Live) -> None:
    run(case, with_token, token=True, prefix="/sparql/", route="/sparql")


@pytest.mark.parametrize("case", PROTOCOL, ids=[c.name for c in PROTOCOL])
def test_protocol_without_token_refuses_updates(case: Case, without_token: Live) -> None:
    run(case, without_token, token=False, prefix="/sparql/", route="/sparql")


APPLICABLE_GSP = [c for c in GSP if "DirectGraphIdentification" not in c.requires]


@pytest.mark.parametrize("case", APPLICABLE_GSP, ids=[c.name for c in APPLICABLE_GSP])
def test_graph_store_with_token(case: Case, with_token: Live) -> None:
    run(case, with_token, token=True, prefix="/gsp", route="/graphs")


@pytest.mark.parametrize("case", APPLICABLE_GSP, ids=[c.name for c in APPLICABLE_GSP])
def test_graph_store_without_token_refuses_writes(case: Case, without_token: Live) -> None:
    run(case, without_token, token=False, prefix="/gsp", route="/graphs")


def test_update_without_token_is_401_when_a_token_is_configured(with_token: Live) -> None:
    with with_token.client() as c:
        r = c.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 401 and "Bearer" in r.headers["www-authenticate"]
        assert c.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}).json()["boolean"] is True


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml"])
def test_service_description(accept: str, with_token: Live) -> None:
    """has-endpoint-triple, returns-rdf and conforms-to-schema of the service-description manifest."""
    names = {c.name for c in load_sd()}
    assert names == {"has-endpoint-triple", "returns-rdf", "conforms-to-schema"}
    with with_token.client() as c:
        r = c.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = as_rdflib(r.content, ox.RdfFormat.from_media_type(accept))
    endpoint = URIRef(with_token.url + "/sparql")
    services = list(g.subjects(SD.endpoint, endpoint))
    assert len(services) == 1
    service = services[0]
    assert (service, RDF.type, SD.Service) in g
    languages = set(g.objects(service, SD.supportedLanguage))
    assert languages and languages <= {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
    assert SD.UnionDefaultGraph in set(g.objects(service, SD.feature))
    assert all(isinstance(f, URIRef) for f in g.objects(service, SD.resultFormat))
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g
    for named in g.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in g and isinstance(g.value(named, SD.name), URIRef)
    assert all(not isinstance(o, Literal) for p, o in g.predicate_objects(service) if p != URIRef(
        "http://www.w3.org/2000/01/rdf-schema#comment"))


def _virtuoso(live: Live) -> object:
    class Spec:
        store = live.path
    return Spec


def load_sd() -> list[Case]:
    from rdflib.collection import Collection

    from tests.api.w3c_runner import MF
    g = Graph().parse(W3C / "service-description" / "manifest.ttl", format="turtle")
    return [Case(str(t).rsplit("#", 1)[-1], []) for t in Collection(g, next(g.objects(None, MF.entries)))]


def as_rdflib(data: bytes, fmt: ox.RdfFormat | None) -> Graph:
    assert fmt is not None
    triples = [q.triple for q in ox.parse(data, fmt)]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
