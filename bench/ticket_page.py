"""The ticket page over HTTP: deskql (2 uvicorn workers, PostgreSQL, Redis) against a hand-written floor.

``python -m bench.ticket_page`` (or ``make bench``) seeds bench/seed.py's data set (or reuses it), then:

1. counts the SQL statements of the ticket page (tickets with 5, 64 and 5,000 comments) and of the
   conversation page of a 5,000-comment ticket (first page, after 50, 2,500 and 4,900 comments), in
   process, from Tortoise's query log, with the EXPLAIN ANALYZE of each page's comment statement;
2. starts redis-server, ``deskql serve`` with DESKQL_WORKERS=2, bench/baseline.py under uvicorn with 2
   workers and PostGraphile with 2 (bench/postgraphile.py: installed by npm the first time, skipped with a
   message where it cannot be), checks that deskql and the baseline give the same answer (parsed JSON) for
   the ticket page and both pages, and that PostGraphile's page shows the same rows;
3. drives the three with bench/load.py at each concurrency level for a fixed time, in turn and back
   (deskql, baseline, PostGraphile, PostGraphile, baseline, deskql: the machine is shared and noisy, only
   ratios measured in the same run count), and prints requests/s, p50, p99 and CPU per page (server and
   its PostgreSQL backends) of each with the ratios against the targets (bench/levels.py);
4. times those conversation pages one request at a time, all of them in turn;
5. writes bench/results/ticket_page.json and bench/results/ticket_page.png.

Settings: DESKQL_BENCH_SEEDED_URL (database), DESKQL_BENCH_SECONDS (per run, default 5),
DESKQL_BENCH_LEVELS (default 1,8,32,64), DESKQL_BENCH_POSTGRAPHILE=0 (leave PostGraphile out).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import asyncpg

from bench import baseline, baseline_sql, load, postgraphile, report
from bench.levels import LEVELS, SECONDS, WARMUP, levels
from bench.processes import ROOT, servers
from bench.seed import Seeded, seed, seeded_url
from schema.ids import encode

RESULTS = Path(__file__).parent / "results"
TICKET_PAGE = (Path(__file__).parent / "ticket_page.graphql").read_text()
CONVERSATION_PAGE = (Path(__file__).parent / "conversation_page.graphql").read_text()
POSITIONS = {"first": 0, "second": 50, "middle": 2_500, "deep": 4_900}
"""Conversation pages of a 5,000-comment ticket, by how many comments come before them. The target is for
"deep" (after 4,900); the pages between are measured too, because a keyset condition written as
``a > x OR (a = x AND id > y)`` can make PostgreSQL walk the index from the first comment and filter."""
DEEP_ROUNDS = 100


def body(query: str, variables: dict[str, Any]) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


async def cursors(url: str, ticket: int) -> tuple[dict[str, str | None], int]:
    """The cursor of each of POSITIONS (after that many comments, oldest first), and the comment count."""
    connection = await asyncpg.connect(url)
    found: dict[str, str | None] = {}
    try:
        for name, after in POSITIONS.items():
            if not after:
                found[name] = None
                continue
            row = await connection.fetchrow(
                "SELECT created_at, id FROM comment WHERE ticket_id = $1 ORDER BY created_at, id OFFSET $2 LIMIT 1",
                ticket,
                after - 1,
            )
            found[name] = baseline.cursor(row["created_at"], row["id"])
        total = await connection.fetchval("SELECT count(*) FROM comment WHERE ticket_id = $1", ticket)
    finally:
        await connection.close()
    return found, total


def _parsed(message: str) -> tuple[str, list[Any]]:
    """A Tortoise query-log line (``SQL: [parameters]``) as SQL and parameters."""
    sql, _, parameters = message.rpartition(": [")
    return sql, eval("[" + parameters, {"datetime": dt, "__builtins__": {}})  # noqa: S307 - our own log


async def explain(url: str, sql: str, parameters: list[Any]) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *parameters)
    finally:
        await connection.close()
    return [row[0] for row in rows]


async def deskql_statements(
    seeded: Seeded, positions: dict[str, str | None]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Statements per request, in process (the same app and loaders as the servers), and the EXPLAIN
    ANALYZE of the conversation page's comment statement at each position."""
    from app.database import Database
    from tests.api import Api
    from tests.sql import recorded_statements

    database = Database(seeded.url)
    await database.open()
    counts: dict[str, int] = {}
    plans: dict[str, list[str]] = {}
    try:
        api = Api(database)
        await api.data("{ viewer { account { name } } }", token=seeded.token)  # lastUsedAt is fresh
        giant = encode("Ticket", seeded.giant_tickets[0])
        requests = {
            "page_small": (TICKET_PAGE, {"id": encode("Ticket", seeded.small_ticket)}),
            "page_typical": (TICKET_PAGE, {"id": encode("Ticket", seeded.page_ticket)}),
            "page_giant": (TICKET_PAGE, {"id": giant}),
        } | {
            f"conversation_{name}": (CONVERSATION_PAGE, {"id": giant, "after": cursor})
            for name, cursor in positions.items()
        }
        for name, (query, variables) in requests.items():
            with recorded_statements() as statements:
                await api.data(query, variables, token=seeded.token)
            counts[name] = len(statements)
            if name.startswith("conversation"):
                page = next(s for s in statements if 'FROM "comment"' in s and "LIMIT" in s)
                plans[name.removeprefix("conversation_")] = await explain(seeded.url, *_parsed(page))
    finally:
        await database.close()
    return counts, plans


async def baseline_statements(
    seeded: Seeded, positions: dict[str, str | None]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    connection = await asyncpg.connect(seeded.url)
    sent: list[str] = []
    connection.add_query_logger(lambda record: sent.append(record.query))
    request = SimpleNamespace(headers={"authorization": f"Bearer {seeded.token}"})
    counts: dict[str, int] = {}
    try:
        giant = encode("Ticket", seeded.giant_tickets[0])
        for name, answer, variables in (
            ("page", baseline.ticket_page, {"id": encode("Ticket", seeded.page_ticket)}),
            ("conversation", baseline.conversation_page, {"id": giant, "after": positions["deep"]}),
        ):
            sent.clear()
            account = await baseline.viewer_account(connection, request)  # type: ignore[arg-type]
            await answer(connection, account, variables)
            counts[name] = len(sent)
        plans = {}
        for name, cursor in positions.items():
            moment, pk = baseline.after_cursor(cursor)
            rows = await connection.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS) {baseline_sql.COMMENTS}",
                seeded.giant_tickets[0],
                1,
                moment,
                pk,
                baseline.PAGE_SIZE + 1,
            )
            plans[name] = [row[0] for row in rows]
    finally:
        await connection.close()
    return counts, plans


async def same_answers(pairs: list[tuple[load.Target, load.Target]]) -> None:
    """Each pair answers the same JSON (parsed); stops the benchmark otherwise."""
    for ours, floor in pairs:
        answers = []
        for target in (ours, floor):
            reader, writer = await asyncio.open_connection(target.host, target.port)
            try:
                answers.append(json.loads(await load.send(target, reader, writer)))
            finally:
                writer.close()
        if answers[0] != answers[1]:
            RESULTS.mkdir(exist_ok=True)
            for name, answer in zip(("deskql", "baseline"), answers, strict=True):
                (RESULTS / f"mismatch-{ours.name}-{name}.json").write_text(json.dumps(answer, indent=1))
            raise SystemExit(f"{ours.name}: deskql and the baseline differ (see bench/results/mismatch-*)")
    print(f"same answers: {', '.join(ours.name for ours, _ in pairs)} (parsed JSON identical)")


async def deep_pages(targets: dict[str, dict[str, load.Target]], total: int) -> dict[str, Any]:
    """Median latency of each page, one request at a time, the pages of one system in a shuffled order each
    round, the systems in alternating blocks; ratios to the first page."""
    found: dict[str, list[float]] = {}
    for block in range(5):
        for system in ("deskql", "baseline") if block % 2 else ("baseline", "deskql"):
            rounds = DEEP_ROUNDS // 4 if block else 5  # the first block warms up and is not counted
            measured = await load.alternating(list(targets[system].values()), rounds, seed=block)
            for name, latencies in measured.items():
                if block:
                    found.setdefault(name, []).extend(latencies)
    deep: dict[str, Any] = {"positions": POSITIONS, "total": total, "rounds": DEEP_ROUNDS}
    for system, by_name in targets.items():
        medians = {name: statistics.median(found[target.name]) * 1000 for name, target in by_name.items()}
        deep[system] = {
            name: {"p50_ms": round(median, 2), "ratio": round(median / medians["first"], 2)}
            for name, median in medians.items()
        }
    return deep


def code() -> dict[str, Any]:
    """Which deskql was measured: the commit, and the files changed since (the tree may be in flux)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout

    # Each line of the porcelain output is "XY path": the status columns may be blank, so no stripping.
    changed = [
        line[3:] for line in git("status", "--porcelain").splitlines() if not line[3:].startswith("bench/")
    ]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "changed_outside_bench": changed}


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


async def postgraphile_facts(deskql: load.Target, theirs: load.Target) -> None:
    """PostGraphile's page shows the same rows as deskql's (bench/postgraphile.py ``facts``)."""
    answers = []
    for target in (deskql, theirs):
        reader, writer = await asyncio.open_connection(target.host, target.port)
        try:
            answers.append(json.loads(await load.send(target, reader, writer))["data"])
        finally:
            writer.close()
    differ = postgraphile.same_facts(*answers)
    if differ:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "mismatch-postgraphile.json").write_text(json.dumps(answers[1], indent=1))
        raise SystemExit(f"PostGraphile's ticket page differs from deskql's in {', '.join(differ)}")
    print("same rows: deskql's and PostGraphile's ticket page (what both schemas answer alike)")


async def main() -> dict[str, Any]:
    seeded = await seed(seeded_url())
    positions, total = await cursors(seeded.url, seeded.giant_tickets[0])
    ours, plans = await deskql_statements(seeded, positions)
    floor_counts, floor_plans = await baseline_statements(seeded, positions)
    statements = {"deskql": ours, "baseline": floor_counts}
    page = body(TICKET_PAGE, {"id": encode("Ticket", seeded.page_ticket)})
    giant = encode("Ticket", seeded.giant_tickets[0])
    conversation = {name: body(CONVERSATION_PAGE, {"id": giant, "after": c}) for name, c in positions.items()}
    node = postgraphile.install()
    drift = None
    if node is not None:
        await postgraphile.prepare(seeded.url)
        drift = postgraphile.schema_drift(node, seeded.url)
    with (
        tempfile.TemporaryDirectory() as folder,
        servers(seeded.url, Path(folder), node) as running,
    ):
        (ours_port, ours_pid), (floor_port, floor_pid) = running["deskql"], running["baseline"]
        token = seeded.token
        deskql = load.Target("deskql", ours_port, "/graphql", page, token)
        floor = load.Target("baseline", floor_port, "/ticket-page", page, token)
        conversations = {
            system: {
                name: load.Target(f"{system}-{name}", port, path, request, token)
                for name, request in conversation.items()
            }
            for system, port, path in (
                ("deskql", ours_port, "/graphql"),
                ("baseline", floor_port, "/conversation-page"),
            )
        }
        pairs = [(conversations["deskql"][name], conversations["baseline"][name]) for name in POSITIONS]
        await same_answers([(deskql, floor), *pairs])
        targets, roots = [deskql, floor], {"deskql": ours_pid, "baseline": floor_pid}
        if "postgraphile" in running:
            theirs_port, roots["postgraphile"] = running["postgraphile"]
            theirs = load.Target(
                "postgraphile", theirs_port, "/graphql", postgraphile.request_body(seeded.page_ticket), token
            )
            await postgraphile_facts(deskql, theirs)
            print(await postgraphile.as_requester(seeded.url, theirs_port))
            targets.append(theirs)
        rows, runs = await levels(targets, roots, seeded.url)
        deep = await deep_pages(conversations, total)
    print(report.levels_table(rows))
    print(report.deep_table(deep))
    print(report.statements_table(statements))
    if drift:
        print(drift)
    when = dt.datetime.now(dt.UTC)
    results = {
        "date": when.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "code": code(),
        "settings": {"seconds_per_run": SECONDS, "warmup_seconds": WARMUP, "levels": LEVELS, "workers": 2},
        "targets": {
            "p50_ratio_max": report.P50_TARGET,
            "rps_ratio_min": report.RPS_TARGET,
            "postgraphile_rps_ratio_min": report.POSTGRAPHILE_RPS_TARGET,
        },
        "dataset": seeded.counts,
        "levels": rows,
        "runs": runs,
        "deep_page": deep | {"target_ratio_max": report.DEEP_TARGET},
        "statements": statements,
        "plans": {"deskql": plans, "baseline": floor_plans},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ticket_page.json").write_text(json.dumps(results, indent=2, default=str))
    servers_shown = ", ".join(report.NAMES[name] for name in report.systems(rows))
    title = f"{results['date']}, {machine()['cpus']} CPUs, {servers_shown} with 2 workers each"
    report.chart(rows, RESULTS / "ticket_page.png", title)
    print(f"wrote {RESULTS / 'ticket_page.json'} and {RESULTS / 'ticket_page.png'}")
    return results


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
