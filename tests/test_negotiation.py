from __future__ import annotations

import pytest

from api.negotiation import NotAcceptable, negotiate

RDF = ["text/turtle", "application/n-triples", "application/ld+json"]


def test_missing_accept_gets_the_servers_first_choice() -> None:
    assert negotiate(None, RDF) == "text/turtle"


def test_q_values_pick_the_preferred_type() -> None:
    assert negotiate("text/turtle;q=0.5, application/ld+json", RDF) == "application/ld+json"


def test_specific_range_overrides_wildcard_q() -> None:
    assert negotiate("*/*;q=0.1, application/n-triples", RDF) == "application/n-triples"


def test_type_wildcard_matches_within_the_type() -> None:
    assert negotiate("application/*", RDF) == "application/n-triples"


def test_q_zero_excludes_a_type() -> None:
    assert negotiate("text/turtle;q=0, */*", RDF) == "application/n-triples"


def test_nothing_acceptable_raises_with_the_offer() -> None:
    with pytest.raises(NotAcceptable) as err:
        negotiate("image/png", RDF)
    assert err.value.offered == RDF
    assert "text/turtle" in str(err.value)
