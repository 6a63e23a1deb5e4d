"""What ``make test`` tells about the databases and services it ran with: one line, not a skip per test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SAMPLE = """
import pytest


@pytest.mark.parametrize("number", range(5))
async def test_reads(db, number):
    assert db.url


@pytest.mark.parametrize("number", range(5))
def test_publishes(redis_url, number):
    assert redis_url
"""


def _pytest(tmp_path: Path, repository_root: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """pytest with this suite's conftest and settings on a sample of its own, with only ``variables`` set.
    The SQLite tests are left out (``-k``): they would only add a migration."""
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DESKQL_")}
    env.update(variables)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            "-c",
            str(repository_root / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-k",
            "not sqlite",
            str(tmp_path / "test_sample.py"),
        ],
        cwd=repository_root,
        env={**env, "PYTHONPATH": str(repository_root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_services_one_line_says_which_databases_ran(tmp_path: Path, repository_root: Path) -> None:
    done = _pytest(tmp_path, repository_root)
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert (
        "databases: sqlite (PostgreSQL: DESKQL_TEST_DATABASE_URL not set); Redis: DESKQL_TEST_REDIS_URL not set"
        in lines
    )
    assert not [line for line in lines if "postgres]" in line]
    skipped = [line for line in lines if line.startswith("SKIPPED")]
    assert len(skipped) == 1
    assert re.fullmatch(r"SKIPPED \[5\] tests/conftest\.py:\d+: DESKQL_TEST_REDIS_URL is not set", skipped[0])
    assert "5 skipped, 5 deselected" in lines[-1]


def test_with_services_required_their_absence_fails(tmp_path: Path, repository_root: Path) -> None:
    done = _pytest(tmp_path, repository_root, DESKQL_REQUIRE_SERVICES="1")
    assert done.returncode == 1, done.stdout
    assert "DESKQL_TEST_DATABASE_URL is not set and DESKQL_REQUIRE_SERVICES=1" in done.stdout
    assert "DESKQL_TEST_REDIS_URL is not set and DESKQL_REQUIRE_SERVICES=1" in done.stdout
    assert "5 deselected, 10 errors" in done.stdout.splitlines()[-1]
