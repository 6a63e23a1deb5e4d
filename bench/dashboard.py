"""Dashboard lists against their hand-written SQL floor, in one run: ``python -m bench.dashboard [--tickets N]``.

Requests a dashboard makes (and, in the same run, ticketCounts and ticketMetrics: bench/dashboard_figures.py), each a first page of 25 with its total count, as a technician of the
seeded account: a text search (newest first), the same search by RELEVANCE, and a filtered first page (open
or pending, high or critical, created in the last 90 days). deskql answers them in process (the application
over httpx's ASGI transport, its own connection pool); the floor runs the same page and count with asyncpg on
a pool of 8 connections, SQL written by hand the way a dedicated endpoint would (no GraphQL, no ORM, no
visibility module). Both are driven by 1 and then 8 concurrent callers in the same process and the same run;
latency is per request (page and count), p50 and p99 over ``ROUNDS`` requests per caller count, deskql's
and the floor's run in alternating blocks (``BLOCKS``). Once a
request's answer is checked, the collector is settled as in a server process (app.main).

``--tickets 200000`` seeds (once; reused afterwards) a data set of that many tickets in a database of its own,
``<seeded database>_<N>`` (bench/seed.py with DESKQL_BENCH_TICKETS); without it the default data set of 10,000
tickets is seeded into ``<seeded database>_dashboard`` so that this benchmark's migrations never touch the
database that other benchmarks reuse. Pending migrations are applied to a reused data set before measuring.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench.seed import _migrate, _with_database, database_name, read_seeded, seeded_url
from schema.ids import decode_as

ROUNDS = {1: 40, 8: 128}
PAGE = 25
WORDS = "printer jam"
"""A broad search: the data set's conversation repeats a small pool of sentences, these match most tickets."""
NARROW = "sharepoint finance"
"""A narrower one: the words of one of the 40 titles."""
LIST = """query($filter: TicketFilter, $order: TicketOrder) {
  tickets(first: 25, filter: $filter, orderBy: $order) { totalCount nodes { id number title } } }"""

VISIBLE = "t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam"
MATCHES = (
    "(t.search_vector @@ plainto_tsquery('english', $2) OR t.id = ANY(ARRAY("
    "SELECT ticket_id FROM comment WHERE search_vector @@ plainto_tsquery('english', $2))))"
)
"""The title and description, or one comment, hold every word: each matching ticket's row is read once, in one
bitmap of the two indexes (the title and description's, the primary key's for the comments' tickets)."""
RANK = "ts_rank(t.search_vector, plainto_tsquery('english', $2))::float8"
FILTERED = (
    "t.status_id IN (SELECT id FROM ticket_status WHERE account_id = $1 AND category = ANY($2::text[]))"
    " AND t.priority = ANY($3::text[]) AND t.created_at >= $4 AND t.created_at < $5"
)


@dataclass(frozen=True)
class Case:
    name: str
    variables: dict[str, Any]
    page_sql: str
    count_sql: str
    arguments: Callable[[int], list[Any]]


def cases(now: datetime) -> list[Case]:
    since, until = now - timedelta(days=90), now + timedelta(days=1)
    order = "ORDER BY t.created_at DESC, t.id DESC LIMIT 26"
    return [
        Case(
            "text search, newest first",
            {"filter": {"text": WORDS}, "order": "NEWEST_FIRST"},
            f"SELECT t.id, t.number, t.title FROM ticket t WHERE {VISIBLE} AND {MATCHES} {order}",  # noqa: S608
            f"SELECT count(*) FROM ticket t WHERE {VISIBLE} AND {MATCHES}",  # noqa: S608
            lambda account: [account, WORDS],
        ),
        Case(
            "narrow search, newest first",
            {"filter": {"text": NARROW}, "order": "NEWEST_FIRST"},
            f"SELECT t.id, t.number, t.title FROM ticket t WHERE {VISIBLE} AND {MATCHES} {order}",  # noqa: S608
            f"SELECT count(*) FROM ticket t WHERE {VISIBLE} AND {MATCHES}",  # noqa: S608
            lambda account: [account, NARROW],
        ),
        Case(
            "text search by relevance",
            {"filter": {"text": WORDS}, "order": "RELEVANCE"},
            f"SELECT t.id, t.number, t.title, {RANK} AS r FROM ticket t WHERE {VISIBLE} AND {MATCHES}"  # noqa: S608
            " ORDER BY r DESC, t.id DESC LIMIT 26",
            f"SELECT count(*) FROM ticket t WHERE {VISIBLE} AND {MATCHES}",  # noqa: S608
            lambda account: [account, WORDS],
        ),
        Case(
            "filtered first page",
            {
                "filter": {
                    "statusCategory": ["OPEN", "PENDING"],
                    "priority": ["HIGH", "CRITICAL"],
                    "createdAt": {"from": since.isoformat(), "to": until.isoformat()},
                },
                "order": "NEWEST_FIRST",
            },
            f"SELECT t.id, t.number, t.title FROM ticket t WHERE {VISIBLE} AND {FILTERED} {order}",  # noqa: S608
            f"SELECT count(*) FROM ticket t WHERE {VISIBLE} AND {FILTERED}",  # noqa: S608
            lambda account: [account, ["OPEN", "PENDING"], ["HIGH", "CRITICAL"], since, until],
        ),
    ]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


BLOCKS = 4
"""Each caller count's requests are run in this many blocks, deskql's and the floor's alternating (ABBA...), so
that a change of load on a shared machine falls on both alike."""


async def _block(
    call: Callable[[], Awaitable[Any]], callers: int, requests: int, latencies: list[float]
) -> float:
    """``requests`` calls spread over ``callers`` concurrent callers; their latencies appended, seconds returned."""

    async def caller() -> None:
        for _ in range(requests // callers):
            started = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return time.perf_counter() - started


async def compare(
    ours: Callable[[], Awaitable[Any]], floor: Callable[[], Awaitable[Any]], callers: int
) -> dict[str, dict[str, float]]:
    """deskql's and the floor's p50, p99 and requests per second at ``callers``, measured in alternating blocks."""
    calls = {"deskql": ours, "floor": floor}
    for call in calls.values():
        for _ in range(5):
            await call()
    latencies: dict[str, list[float]] = {name: [] for name in calls}
    seconds = dict.fromkeys(calls, 0.0)
    for block in range(BLOCKS):
        order = list(calls) if block % 2 == 0 else list(reversed(calls))
        for name in order:
            seconds[name] += await _block(calls[name], callers, ROUNDS[callers] // BLOCKS, latencies[name])
    return {
        name: {
            "p50_ms": statistics.median(found),
            "p99_ms": _percentile(found, 0.99),
            "rps": len(found) / seconds[name],
        }
        for name, found in latencies.items()
    }


async def measure(url: str, token: str, only: str = "") -> list[dict[str, Any]]:
    from app.database import Database
    from app.main import settle_garbage_collection
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
            for case in cases(datetime.now(UTC)):
                if only and not any(word in case.name for word in only.split(",")):
                    continue
                arguments = case.arguments(account)
                request = {"query": LIST, "variables": case.variables}

                async def ours(request: dict[str, Any] = request) -> dict[str, Any]:
                    body: dict[str, Any] = (
                        await client.post("/graphql", json=request, headers=headers)
                    ).json()
                    if "errors" in body:
                        raise AssertionError(body["errors"])
                    return body["data"]["tickets"]  # type: ignore[no-any-return]

                async def floor(case: Case = case, arguments: list[Any] = arguments) -> tuple[list[int], int]:
                    async with pool.acquire() as connection:
                        page = await connection.fetch(case.page_sql, *arguments)
                        count = await connection.fetchval(case.count_sql, *arguments)
                    return [row["id"] for row in page[:PAGE]], count

                answer, (ids, count) = await ours(), await floor()
                got = [decode_as(node["id"], "Ticket") for node in answer["nodes"]]
                if got != ids or answer["totalCount"] != count:
                    raise AssertionError(
                        f"{case.name}: deskql {got} {answer['totalCount']}, floor {ids} {count}"
                    )
                settle_garbage_collection()  # warmed up: settle the collector as a server process does
                for callers in (1, 8):
                    rows.append(
                        {
                            "case": case.name,
                            "callers": callers,
                            "matches": count,
                            **await compare(ours, floor, callers),
                        }
                    )
    finally:
        await pool.close()
        await database.close()
    return rows


def table(rows: list[dict[str, Any]], tickets: int) -> str:
    lines = [
        f"dashboard lists, {tickets:,} tickets: deskql in process against hand-written SQL (asyncpg), same run",
        f"{'request':<28} {'conc':>4} {'matches':>8} | {'deskql p50':>10} {'p99':>7} | {'floor p50':>9} "
        f"{'p99':>7} | {'p50 x':>6} {'p99 x':>6}",
    ]
    for row in rows:
        d, f = row["deskql"], row["floor"]
        lines.append(
            f"{row['case']:<28} {row['callers']:>4} {row['matches']:>8,} | {d['p50_ms']:>8.1f}ms {d['p99_ms']:>5.1f}ms"
            f" | {f['p50_ms']:>7.1f}ms {f['p99_ms']:>5.1f}ms | {d['p50_ms'] / f['p50_ms']:>5.2f}x"
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


async def main(tickets: int | None = None, only: str = "") -> list[dict[str, Any]]:
    from bench import dashboard_figures

    url, token, count = await seeded(tickets)
    rows = await measure(url, token, only)
    figures = await dashboard_figures.measure(url, token, only)
    print(table(rows, count))
    print(dashboard_figures.table(figures, count))
    return rows + figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=None, help="seed and measure a data set of this size")
    parser.add_argument("--only", default="", help="comma-separated words: only the requests named with them")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.tickets, arguments.only))
