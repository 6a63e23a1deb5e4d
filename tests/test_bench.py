"""The benchmarks' own bookkeeping: which databases they use, which code they say they measured, and how
PostGraphile is wired in as the ticket page's third server (without Node: never the benchmark itself)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench import levels, postgraphile, processes, report, seed, ticket_page


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


def test_the_postgraphile_ticket_page_is_valid_against_the_schema_postgraphile_builds() -> None:
    from graphql import build_schema, parse, validate

    schema = build_schema(postgraphile.SCHEMA.read_text())
    document = parse(postgraphile.PAGE)
    assert validate(schema, document) == []
    assert json.loads(postgraphile.request_body(42))["variables"] == {"rowId": 42}


def test_without_npm_postgraphile_is_skipped_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(postgraphile, "INSTALLED", tmp_path / "not-installed")
    monkeypatch.setattr(postgraphile.shutil, "which", lambda name: None)
    assert postgraphile.install() is None
    assert capsys.readouterr().out == (
        "PostGraphile: skipped, npm is not installed; the ticket page is measured for deskql and the "
        "baseline only\n"
    )
    monkeypatch.setenv("DESKQL_BENCH_POSTGRAPHILE", "0")
    assert postgraphile.install() is None
    assert "skipped, DESKQL_BENCH_POSTGRAPHILE=0" in capsys.readouterr().out


def test_each_level_takes_the_servers_in_turn_and_back() -> None:
    assert levels.turns(["deskql", "baseline", "postgraphile"]) == [
        "deskql",
        "baseline",
        "postgraphile",
        "postgraphile",
        "baseline",
        "deskql",
    ]
    assert levels.turns(["deskql", "baseline"]) == ["deskql", "baseline", "baseline", "deskql"]


def test_the_ports_of_a_process_connections_are_found_for_pg_stat_activity() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        try:
            assert client.getsockname()[1] in processes.local_ports([os.getpid()])
        finally:
            client.close()


def _summary(rps: float, p50: float) -> dict[str, float]:
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p50 * 3,
        "mean_ms": p50,
        "server_cpu_ms_per_request": 10.0,
        "db_cpu_ms_per_request": 2.5,
        "cpu_ms_per_request": 12.5,
    }


def test_the_table_shows_postgraphile_and_deskqls_ratios_against_it() -> None:
    row: dict[str, Any] = {
        "concurrency": 8,
        "deskql": _summary(100.0, 40.0),
        "baseline": _summary(500.0, 10.0),
        "postgraphile": _summary(250.0, 20.0),
    }
    row |= levels.ratios(row)
    assert (row["p50_ratio"], row["rps_ratio"]) == (4.0, 0.2)
    assert (row["postgraphile_rps_ratio"], row["postgraphile_p50_ratio"]) == (0.4, 2.0)
    assert row["postgraphile_rps_met"] is False
    table = report.levels_table([row])
    rows = [line.split() for line in table.splitlines()]
    assert ["PostGraphile", "250.0", "20.0", "60.0", "10.0", "+", "2.5", "=", "12.5"] in rows
    assert "deskql/PostGraphile: throughput 0.40 (>= 1 MISSED), p50 2.00x" in table
    two = {name: value for name, value in row.items() if not name.startswith("postgraphile")}
    assert "PostGraphile" not in report.levels_table([two])
