"""schemathesis over the server's own OpenAPI description: every operation fuzzed, with and without the
write token; no answer may be a server error or say something the description does not (issue 8)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import TOKEN, Live, seeded_store, serve

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Live]:
    server = serve(seeded_store(tmp_path_factory.mktemp("fuzzed") / "store", seed_path), api_token=TOKEN,
                   query_timeout=5.0)
    yield server
    server.stop()


@pytest.mark.parametrize("token", [False, True], ids=["anonymous", "with-token"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(fuzzed: Live, token: bool) -> None:
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert cli is not None, "schemathesis is a test dependency (pyproject.toml)"
    args = [cli, "run", f"{fuzzed.url}/openapi.json", "--checks", CHECKS, "--max-examples", "15", "--seed", "1",
            "--phases", "examples,coverage,fuzzing", "--workers", "1"]
    if token:
        args += ["-H", f"Authorization: Bearer {TOKEN}"]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-6000:]
    assert " passed" in done.stdout and "failure" not in done.stdout.split("SUMMARY")[-1]
