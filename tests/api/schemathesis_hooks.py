"""Hooks for the schemathesis run of tests/api/test_schemathesis.py (SCHEMATHESIS_HOOKS): a serializer for the
NDJSON body of POST /articles/batch, which schemathesis does not know."""
from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx: Any, value: Any) -> bytes:
    items = value if isinstance(value, list) else [value]
    return b"".join(json.dumps(item).encode("utf-8") + b"\n" for item in items)
