"""Dashboard figures against their hand-written SQL floor: part of ``python -m bench.dashboard [--tickets N]``
(the same run, data set and driver as the dashboard lists), or alone with
``python -m bench.dashboard_figures [--tickets N]``.

Two requests a wall screen makes, as a technician of the seeded account: ``ticketCounts`` by status x
assignee over every ticket, and ``ticketMetrics`` of the last 90 days (every figure). deskql answers in
process (the application over httpx's ASGI transport, its own connection pool); the floor is
bench/dashboard_floor.py on an asyncpg pool of 8 connections: SQL written by hand for PostgreSQL (no GraphQL,
no ORM, no visibility module). Before timing, both answers are compared (parsed JSON, equal). Both are
driven by 1 and then 8 concurrent callers in the same process and run; latency is per request, p50 and p99
over bench/dashboard.py's ``ROUNDS`` requests per caller count, and the ratios are printed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench import dashboard_floor
from bench.dashboard import compare, seeded

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


def cases(now: datetime) -> list[tuple[str, str, dict[str, Any], Floor]]:
    period = {"from": (now - timedelta(days=90)).isoformat(), "to": now.isoformat()}
    return [
        ("ticketCounts status x assignee", COUNTS, {}, dashboard_floor.ticket_counts),
        ("ticketMetrics of 90 days", METRICS, period, dashboard_floor.ticket_metrics),
    ]


async def measure(url: str, token: str, only: str = "") -> list[dict[str, Any]]:
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
                if only and not any(word in name for word in only.split(",")):
                    continue
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
                            **await compare(ours, floor, callers),
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


async def main(tickets: int | None = None) -> list[dict[str, Any]]:
    url, token, count = await seeded(tickets)
    rows = await measure(url, token)
    print(table(rows, count))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=None, help="seed and measure a data set of this size")
    asyncio.run(main(parser.parse_args().tickets))
