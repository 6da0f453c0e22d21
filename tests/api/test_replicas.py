"""Read replicas: several servers on one store, behind any load balancer, answer alike.

Two servers on one remote store see each other's writes at once; two servers on copies of one embedded
store (``pyoxigraph.Store.backup``) answer alike for what the copies hold. Requests carry one Host, as they
would through a balancer, since pages name the host they were asked on.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.api.conftest import TOKEN, Live, seeded_remote, seeded_store, serve
from tests.virtuoso import BACKENDS

HOST = {"Host": "kg.example"}
READS = [
    ("/sparql?query=SELECT%20%3Fs%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Chttps%3A%2F%2Fschema.org%2Fname%3E%20%3Fo%20%7D"
     "%20ORDER%20BY%20%3Fs%20%3Fo", "application/sparql-results+json"),
    ("/page/person/ada-tester", "text/html"),
    ("/data/person/narendra-modi.nt", "application/n-triples"),
    ("/.well-known/void", "text/turtle"),
    ("/graphs?graph=https%3A%2F%2Fw3id.org%2Fdipkg%2Fid%2Farticle%2F00000000000000aa", "application/n-triples"),
]


@pytest.fixture(scope="module", params=BACKENDS)
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         seed_path: Path) -> Iterator[tuple[Live, Live]]:
    if request.param == "embedded":
        first = seeded_store(tmp_path_factory.mktemp("primary") / "store", seed_path)
        copy = tmp_path_factory.mktemp("replica") / "store"
        ox.Store.read_only(str(first)).backup(str(copy))
        stores: list[Path | str] = [first, copy]
    else:
        spec = seeded_remote(request.getfixturevalue("virtuoso"), seed_path)
        stores = [spec, spec]
    servers = [serve(s, api_token=TOKEN) for s in stores]
    yield servers[0], servers[1]
    for s in servers:
        s.stop()


def test_two_servers_answer_alike(pair: tuple[Live, Live]) -> None:
    a, b = pair
    with a.client() as ca, b.client() as cb:
        for path, accept in READS:
            ra, rb = (c.get(path, headers={**HOST, "Accept": accept}) for c in (ca, cb))
            assert ra.status_code == rb.status_code == 200, (path, ra.status_code, rb.status_code)
            if accept in ("application/n-triples", "text/turtle"):
                fmt = ox.RdfFormat.N_TRIPLES if accept == "application/n-triples" else ox.RdfFormat.TURTLE
                assert _graph(ra.content, fmt) == _graph(rb.content, fmt), path
            else:
                assert ra.content == rb.content, path
        etags = [c.get("/dumps/dataset.nq.gz", headers=HOST).headers["etag"] for c in (ca, cb)]
        if isinstance(a.path, str):
            assert etags[0] == etags[1]     # one store, one version: a balancer's 304s hold across replicas


def test_a_write_through_one_is_read_through_the_other_on_a_shared_store(pair: tuple[Live, Live]) -> None:
    a, b = pair
    if not isinstance(a.path, str):
        pytest.skip("copies of an embedded store are snapshots: a write goes to one copy")
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
    g = {"graph": "urn:x:replicated"}
    with a.client() as ca, b.client() as cb:
        before = cb.get("/.well-known/void", headers={**HOST, "Accept": "text/turtle"}).text
        assert ca.put("/graphs", params=g, content='<urn:x:s> <urn:x:p> "v" .', headers=auth).status_code == 201
        got = cb.get("/graphs", params=g, headers={"Accept": "application/n-triples"})
        assert got.status_code == 200 and '<urn:x:s> <urn:x:p> "v" .' in got.text
        after = cb.get("/.well-known/void", headers={**HOST, "Accept": "text/turtle"}).text
        assert after != before          # the other server's counts and modification time follow the write
        assert ca.delete("/graphs", params=g, headers=auth).status_code == 204
        assert cb.get("/graphs", params=g).status_code == 404


def _graph(data: bytes, fmt: ox.RdfFormat) -> str:
    from kg.store import graph_digest
    return graph_digest(ox.parse(data, fmt))
