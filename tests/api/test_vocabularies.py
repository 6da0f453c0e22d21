"""The server's own documents (VoID and DCAT, the service description, the dumps' DCAT listing, a thing's
description) use only terms their vocabularies define (tests/data/vocabularies/)."""
from __future__ import annotations

from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef

from kg.namespaces import RDF

DOCUMENTS = ["/.well-known/void", "/sparql", "/dumps/", "/data/country/IND", "/data/person/narendra-modi"]


def _used(g: Graph) -> set[str]:
    return {str(p) for p in g.predicates()} | {str(o) for o in g.objects(None, RDF.type) if isinstance(o, URIRef)}


@pytest.mark.parametrize("path", DOCUMENTS)
def test_every_term_of_a_served_document_is_in_its_vocabulary(path: str, seed_client: httpx.Client,
                                                              vocabularies: Any) -> None:
    r = seed_client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    used = _used(Graph().parse(data=r.text, format="turtle"))
    assert len(used) >= 3
    assert vocabularies.undefined(used) == []
