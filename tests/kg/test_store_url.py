"""A remote store's URL (KG_STORE, --store): malformed or hostile ones are refused with a clear message."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kg.sparqlhttp import Endpoints

BAD = [
    ("ftp://example.org/sparql", "absolute http(s) URL"),
    ("http:///sparql", "absolute http(s) URL"),
    ("http://user:secret@example.org/sparql", "KG_STORE_USER"),
    ("http://example.org/sparql#update=file:///etc/passwd", "absolute http(s) URL"),
    ("http://example.org/sparql#service=x", "unknown store parameter"),
    ("http://example.org/sparql#dialect=oracle", "virtuoso or standard"),
    ("http://example.org/sparql#batch=many", "must be numbers"),
    ("http://example.org/sparql#timeout=nan", "positive number of seconds"),
    ("http://example.org/sparql#timeout=-1", "positive number of seconds"),
    ("http://example.org/sparql#timeout=" + "9" * 400, "positive number of seconds"),
]


@pytest.mark.parametrize(("spec", "why"), BAD)
def test_a_malformed_store_url_is_refused_saying_why(spec: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)):
        Endpoints.parse(spec, env={})


def test_credentials_come_from_the_environment_only() -> None:
    e = Endpoints.parse("http://example.org/sparql#update=/sparql-auth", env={"KG_STORE_USER": "u",
                                                                           "KG_STORE_PASSWORD": "s3cret-pw"})
    assert (e.user, e.password, e.update) == ("u", "s3cret-pw", "http://example.org/sparql-auth")
    assert "s3cret-pw" not in repr(e)
    assert e.without_write_credentials().password is None


def test_the_cli_says_plainly_when_the_store_cannot_be_reached(tmp_path: Path) -> None:
    with socket.socket() as s:              # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kg = Path(sys.executable).with_name("kg")
    r = subprocess.run([str(kg), "query", "--store", f"http://127.0.0.1:{port}/sparql", "ASK {}"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and f"127.0.0.1:{port}" in r.stderr
