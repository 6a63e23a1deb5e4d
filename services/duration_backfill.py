"""Stored durations for tickets written in bulk (the migration that added the columns, demo data): every met
clock without its duration is measured as services.ticket_durations defines, with the SLA policy each ticket
has when this runs, which is what ticketMetrics computed for those tickets until then."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from services.metric_stats import BusinessClock
from services.sla import calendar_from

Measured = tuple[int, int | None, bool, int | None, bool]


def _epoch(column: str, sqlite: bool) -> str:
    if sqlite:
        return f"CAST(strftime('%s', t.{column}) AS INTEGER)"
    return f"floor(extract(epoch from t.{column}))::bigint"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


UNMEASURED = (
    "(t.first_responded_at IS NOT NULL AND t.first_response_seconds IS NULL)"
    " OR (t.resolved_at IS NOT NULL AND t.resolution_seconds IS NULL)"
)
POSTGRES_WRITE = """
UPDATE ticket AS t SET
  first_response_seconds = coalesce(t.first_response_seconds, d.fr),
  first_response_in_business_time = CASE WHEN t.first_response_seconds IS NULL THEN d.frb
    ELSE t.first_response_in_business_time END,
  resolution_seconds = coalesce(t.resolution_seconds, d.re),
  resolution_in_business_time = CASE WHEN t.resolution_seconds IS NULL THEN d.reb
    ELSE t.resolution_in_business_time END
FROM unnest($1::int[], $2::bigint[], $3::bool[], $4::bigint[], $5::bool[]) AS d(id, fr, frb, re, reb)
WHERE t.id = d.id
"""
SQLITE_WRITE = """
UPDATE ticket SET
  first_response_in_business_time = CASE WHEN first_response_seconds IS NULL THEN ?
    ELSE first_response_in_business_time END,
  first_response_seconds = coalesce(first_response_seconds, ?),
  resolution_in_business_time = CASE WHEN resolution_seconds IS NULL THEN ? ELSE resolution_in_business_time END,
  resolution_seconds = coalesce(resolution_seconds, ?)
WHERE id = ?
"""
BATCH = 10_000


async def backfill(client: BaseDBAsyncClient) -> int:
    """Measure every met clock whose duration is not stored, in plain SQL (so that the migration adding the
    columns runs it whatever the models say later); returns how many tickets it wrote."""
    sqlite = client.capabilities.dialect == "sqlite"
    _, rows = await client.execute_query(
        f"SELECT t.id, {_epoch('created_at', sqlite)} AS created, {_epoch('first_responded_at', sqlite)} AS fr,"  # noqa: S608
        f" {_epoch('resolved_at', sqlite)} AS re, t.first_response_seconds IS NULL AS fr_missing,"
        " t.resolution_seconds IS NULL AS re_missing, c.id AS calendar_id, c.timezone, c.weekly_hours,"
        " c.holidays FROM ticket t LEFT JOIN sla_policy p ON p.id = t.sla_policy_id"
        f" LEFT JOIN business_calendar c ON c.id = p.calendar_id WHERE {UNMEASURED}"
    )
    if not rows:
        return 0
    first = min(int(row["created"]) for row in rows)
    last = max(max(int(row["fr"] or 0), int(row["re"] or 0)) for row in rows)
    clocks: dict[Any, BusinessClock] = {None: BusinessClock(None, first, last)}
    values: list[Measured] = []
    for row in rows:
        clock = clocks.get(row["calendar_id"])
        if clock is None:
            calendar = calendar_from(row["timezone"], _json(row["weekly_hours"]), _json(row["holidays"]))
            clock = clocks[row["calendar_id"]] = BusinessClock(calendar, first, last)
        business = clock.calendar is not None
        durations = [
            (clock.between(int(row["created"]), int(met)), business)
            if met is not None and missing
            else (None, False)
            for met, missing in ((row["fr"], row["fr_missing"]), (row["re"], row["re_missing"]))
        ]
        (fr, frb), (re, reb) = durations
        values.append((int(row["id"]), fr, frb, re, reb))
    for start in range(0, len(values), BATCH):
        await _write(client, values[start : start + BATCH], sqlite)
    return len(values)


async def _write(client: BaseDBAsyncClient, values: Sequence[Measured], sqlite: bool) -> None:
    if sqlite:
        await client.execute_many(
            SQLITE_WRITE, [[frb, fr, reb, re, ticket] for ticket, fr, frb, re, reb in values]
        )
        return
    await client.execute_query(POSTGRES_WRITE, [list(column) for column in zip(*values, strict=True)])
