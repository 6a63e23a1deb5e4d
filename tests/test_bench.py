"""The benchmarks' own bookkeeping: which databases they use and which code they say they measured."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench import seed, ticket_page


def test_the_fanout_database_is_named_after_the_seeded_url_on_its_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESKQL_BENCH_SEEDED_URL", "postgres://bench@db.example:6543/nightly")
    assert seed.beside_seeded("fanout") == "postgres://bench@db.example:6543/nightly_fanout"
    monkeypatch.delenv("DESKQL_BENCH_SEEDED_URL")
    assert seed.beside_seeded("fanout") == "postgres://postgres@127.0.0.1:5432/bench_deskql_fanout"


def test_the_measured_code_names_every_changed_file_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    for name in ("app.py", "models.py"):
        (tmp_path / name).write_text("before\n")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "load.py").write_text("before\n")
    git("add", ".")
    git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "first")
    for path in ("app.py", "models.py", "bench/load.py"):
        (tmp_path / path).write_text("after\n")
    (tmp_path / "new.py").write_text("new\n")
    monkeypatch.setattr(ticket_page, "ROOT", tmp_path)
    code = ticket_page.code()
    assert code["changed_outside_bench"] == ["app.py", "models.py", "new.py"]
    assert len(code["commit"]) >= 7
