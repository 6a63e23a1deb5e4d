"""Dashboard figures against their hand-written SQL floor, in one run:
``python -m bench.dashboard_figures [--tickets N]``.

Two requests a wall screen makes, as a technician of the seeded account: ``ticketCounts`` by status x
assignee over every ticket, and ``ticketMetrics`` of the last 90 days (every figure). deskql answers in
process (the application over httpx's ASGI transport, its own connection pool); the floor is
bench/dashboard_floor.py on an asyncpg pool of 8 connections: SQL written by hand for PostgreSQL (no GraphQL,
no ORM, no visibility module). Before timing, both answers are compared (parsed JSON, equal). Both are
driven by 1 and then 8 concurrent callers in the same process and run; latency is per request, p50 and p99
over ``ROUNDS`` requests per caller count, and the ratios are printed.

The data set is the one bench/dashboard.py uses: ``<seeded database>_dashboard`` (10,000 tickets), or with
``--tickets N`` ``<seeded database>_<N>``, seeded first when it is missing (bench/seed.py, with
DESKQL_BENCH_TICKETS for a bigger one); pending migrations are applied before measuring.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench import dashboard_floor
from bench.seed import _migrate, _with_database, database_name, read_seeded, seeded_url

ROUNDS = {1: 40, 8: 120}
COUNTS = """query { ticketCounts(groupBy: [STATUS, ASSIGNEE]) {
  total groups { count status { id name } assignee { id name } } } }"""
METRICS = """query($from: DateTime!, $to: DateTime!) { ticketMetrics(period: {from: $from, to: $to}) {
  firstResponseTime { count medianSeconds p90Seconds }
  resolutionTime { count medianSeconds p90Seconds }
  sla { tickets firstResponse { met breached inProgress } resolution { met breached inProgress } }
  createdVsResolved { day created resolved }
  satisfaction { count overallHelpfulness { average distribution } }
  timeByTechnician { technician { id name } billableSeconds nonBillableSeconds }
  timeByCustomer { customer { id name } billableSeconds nonBillableSeconds }
  money { products expenses billable total } } }"""
Floor = Callable[[asyncpg.Connection, int, dict[str, Any]], Awaitable[Any]]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def _drive(call: Callable[[], Awaitable[Any]], callers: int) -> dict[str, float]:
    total = ROUNDS[callers]
    for _ in range(3):
        await call()
    latencies: list[float] = []

    async def caller() -> None:
        for _ in range(total // callers):
            started = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    seconds = time.perf_counter() - started
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": _percentile(latencies, 0.99),
        "rps": len(latencies) / seconds,
    }


def cases(now: datetime) -> list[tuple[str, str, dict[str, Any], Floor]]:
    period = {"from": (now - timedelta(days=90)).isoformat(), "to": now.isoformat()}
    return [
        ("ticketCounts status x assignee", COUNTS, {}, dashboard_floor.ticket_counts),
        ("ticketMetrics of 90 days", METRICS, period, dashboard_floor.ticket_metrics),
    ]


async def measure(url: str, token: str) -> list[dict[str, Any]]:
    from app.database import Database
    from tests.api import Api

    database = Database(url)
    await database.open()
    pool = await asyncpg.create_pool(url, min_size=8, max_size=8)
    rows: list[dict[str, Any]] = []
    try:
        api = Api(database)
        account = await pool.fetchval("SELECT account_id FROM api_token WHERE label = 'bench' LIMIT 1")
        headers = {"Authorization": f"Bearer {token}"}
        async with api.client() as client:
            for name, query, variables, answer in cases(datetime.now(UTC)):
                request = {"query": query, "variables": variables}

                async def ours(request: dict[str, Any] = request) -> Any:
                    body: dict[str, Any] = (
                        await client.post("/graphql", json=request, headers=headers)
                    ).json()
                    if "errors" in body:
                        raise AssertionError(body["errors"])
                    return body["data"]

                async def floor(answer: Floor = answer, variables: dict[str, Any] = variables) -> Any:
                    async with pool.acquire() as connection:
                        return await answer(connection, account, variables)

                mine, theirs = await ours(), await floor()
                if mine != theirs:
                    raise AssertionError(
                        f"{name}: deskql and the floor differ:\n{str(mine)[:2000]}\n{str(theirs)[:2000]}"
                    )
                for callers in (1, 8):
                    rows.append(
                        {
                            "case": name,
                            "callers": callers,
                            "deskql": await _drive(ours, callers),
                            "floor": await _drive(floor, callers),
                        }
                    )
    finally:
        await pool.close()
        await database.close()
    return rows


def table(rows: list[dict[str, Any]], tickets: int) -> str:
    lines = [
        f"dashboard figures, {tickets:,} tickets: deskql in process against hand-written SQL (asyncpg), same run",
        f"{'request':<32} {'conc':>4} | {'deskql p50':>10} {'p99':>8} | {'floor p50':>9} {'p99':>8} | "
        f"{'p50 x':>6} {'p99 x':>6}",
    ]
    for row in rows:
        d, f = row["deskql"], row["floor"]
        lines.append(
            f"{row['case']:<32} {row['callers']:>4} | {d['p50_ms']:>8.1f}ms {d['p99_ms']:>6.1f}ms"
            f" | {f['p50_ms']:>7.1f}ms {f['p99_ms']:>6.1f}ms | {d['p50_ms'] / f['p50_ms']:>5.2f}x"
            f" {d['p99_ms'] / f['p99_ms']:>5.2f}x"
        )
    return "\n".join(lines)


async def seeded(tickets: int | None) -> tuple[str, str, int]:
    """The data set's URL, bench token and ticket count, seeding it first when it is not there."""
    base = seeded_url()
    url = _with_database(base, f"{database_name(base)}_{tickets or 'dashboard'}")
    if await read_seeded(url) is None:
        environment = dict(os.environ)
        if tickets:
            environment["DESKQL_BENCH_TICKETS"] = str(tickets)
        seeding = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.seed", url, env=environment
        )
        if await seeding.wait() != 0:
            raise SystemExit("bench.seed failed")
    _migrate(url)
    found = await read_seeded(url)
    assert found is not None
    return url, found.token, found.counts.get("ticket", tickets or 10_000)


async def main(tickets: int | None = None) -> list[dict[str, Any]]:
    url, token, count = await seeded(tickets)
    rows = await measure(url, token)
    print(table(rows, count))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=None, help="seed and measure a data set of this size")
    asyncio.run(main(parser.parse_args().tickets))
