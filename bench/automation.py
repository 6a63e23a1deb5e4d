"""What automation rules add to a change: 1,000 ticket changes on an account without enabled rules and 1,000
on one with 200 enabled rules that the change triggers and whose conditions are evaluated (none matches,
so what is measured is the engine: reading the rules, evaluating them), interleaved in one run.

    python -m bench.automation                   # SQLite in a temporary folder
    DESKQL_BENCH_AUTOMATION_URL=postgres://postgres@127.0.0.1:5432/bench_automation python -m bench.automation

A change is ``ticket_update.update`` (a priority change) with every consumer installed, as the API runs it;
the figure is the median (p50) and p90 per change.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from app.database import Database, migrate
from app.main import install_consumers
from models.automation import AutomationRule
from models.enums import Channel, Priority, Role, RuleTrigger
from services import accounts, people, ticket_update, tickets
from services.automation import rules
from services.automation.definitions import Definition
from services.viewer import Viewer

CHANGES = int(os.environ.get("DESKQL_BENCH_CHANGES", "1000"))
RULES = 200
PRIORITIES = (Priority.LOW, Priority.HIGH)


async def _changes(accounts: list[tuple[Viewer, list[int]]]) -> list[list[float]]:
    """CHANGES changes per account, interleaved (one on each account in turn), so that whatever else the
    machine does slows both series alike."""
    timings: list[list[float]] = [[] for _ in accounts]
    for i in range(CHANGES):
        for series, (viewer, ticket_ids) in zip(timings, accounts, strict=True):
            change = ticket_update.TicketChanges(priority=PRIORITIES[(i // len(ticket_ids)) % 2])
            started = time.perf_counter()
            await ticket_update.update(viewer, ticket_ids[i % len(ticket_ids)], change)
            series.append((time.perf_counter() - started) * 1000)
    return timings


def _rule(i: int) -> Definition:
    conditions = [
        {"field": "TITLE", "operator": "CONTAINS", "value": f"never-{i}"},
        {"field": "TAGS", "operator": "CONTAINS", "value": f"tag-{i}"},
        {"field": "PRIORITY", "operator": "IS", "value": "CRITICAL"},
    ]
    return Definition(
        RuleTrigger.TICKET_UPDATED,
        {"changedFields": ["priority"]} if i % 2 else {},
        {"all": [conditions[i % 3]], "any": [conditions[(i + 1) % 3]]},
        [{"kind": "ADD_TAGS", "tags": [f"rule-{i}"]}],
    )


def _line(name: str, timings: list[float]) -> str:
    p50 = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1]
    return f"  {name:<28} p50 {p50:6.2f} ms   p90 {p90:6.2f} ms"


async def _account(name: str) -> tuple[Viewer, list[int]]:
    account, admin = await accounts.create(name, f"admin{time.time_ns()}@bench.test", "Ada Admin")
    as_admin = Viewer(account_id=account.id, technician_id=admin.id, role=Role.ADMIN, channel=Channel.API)
    requester = await people.create_requester(as_admin, name="Rita", email=f"rita{time.time_ns()}@bench.test")
    ticket_ids = [
        (await tickets.create(as_admin, title=f"Printer {n} jams", requester_id=requester.id)).id
        for n in range(20)
    ]
    await AutomationRule.filter(account_id=account.id).update(enabled=False)
    return as_admin, ticket_ids


async def run(url: str) -> tuple[list[float], list[float]]:
    """(without rules, with rules): an account without enabled rules and one with RULES, changed in turn."""
    await migrate(url)
    database = Database(url)
    await database.open()
    try:
        install_consumers()
        plain, ruled = await _account("Plain IT"), await _account("Ruled IT")
        for i in range(RULES):
            await rules.create(ruled[0], name=f"Rule {i}", definition=_rule(i))
        await _changes([plain, ruled])  # warm up: caches, statements
        without, with_rules = await _changes([plain, ruled])
    finally:
        await database.close()
    return without, with_rules


async def main() -> None:
    url = os.environ.get("DESKQL_BENCH_AUTOMATION_URL")
    with tempfile.TemporaryDirectory() as folder:
        without, with_rules = await run(url or f"sqlite://{Path(folder)}/bench.sqlite3")
    where = "PostgreSQL" if url else "SQLite"
    print(
        f"ticket changes ({where}, {CHANGES} priority changes per account, in process, every consumer installed):"
    )
    print(_line("without rules", without))
    print(_line(f"with {RULES} enabled rules", with_rules))
    added = statistics.median(with_rules) / statistics.median(without) - 1
    print(f"  rule evaluation adds {added:+.0%} to the p50 (target: under +20%)")


if __name__ == "__main__":
    asyncio.run(main())
