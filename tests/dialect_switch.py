"""One process that reads kept rows from PostgreSQL, closes it, then reads them from SQLite, as ``make bench``
does: ``python -m tests.dialect_switch POSTGRES_URL SQLITE_URL``.

A test runs it in a process of its own, since the test session holds one Tortoise context for its whole
life. For each database in turn it prints one JSON line: the reads whose kept rows differ from the rows
Tortoise builds, with the fields that differ and their types.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from app.database import Database, migrate
from fastpath.statements import rows_where_in
from services import visibility
from tests.factories import add_comment, as_viewer, fill_requester_panel, make_world


def _differences(kept: list[Model], built: list[Model]) -> dict[str, str]:
    found: dict[str, str] = {}
    for kept_row, built_row in zip(kept, built, strict=True):
        for name, value in vars(built_row).items():
            if vars(kept_row).get(name) != value:
                found[name] = f"{type(vars(kept_row).get(name)).__name__} != {type(value).__name__}"
    return found


async def _read(url: str) -> dict[str, Any]:
    await migrate(url)
    database = Database(url)
    await database.open()
    try:
        world = await make_world()
        await fill_requester_panel(world)
        ticket = await world.ticket()
        await add_comment(ticket, world.requester)
        viewer = as_viewer(world.technician)
        reads: dict[str, Callable[[], QuerySet[Any]]] = {
            "contracts (date)": lambda: visibility.contracts(viewer),
            "comments (datetime)": lambda: visibility.comments(viewer),
        }
        differences: dict[str, Any] = {}
        for name, query in reads.items():
            built = await query().filter(account_id=world.account.id).order_by("id")
            for _ in range(2):  # built, then from its kept statement
                kept = await rows_where_in(query, "account_id", [world.account.id], ("id",))
            if not built or len(kept) != len(built) or _differences(kept, built):
                differences[name] = _differences(kept, built) if len(kept) == len(built) else "row count"
        return differences
    finally:
        await database.close()


async def main(urls: list[str]) -> None:
    for url in urls:
        print(json.dumps({"url": url.split("://", 1)[0], "differences": await _read(url)}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
