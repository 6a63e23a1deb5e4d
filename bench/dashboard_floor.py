"""The floor for ticketCounts and ticketMetrics: the same answers as deskql, by hand, with asyncpg.

Served by bench/baseline.py (``/ticket-counts``, ``/ticket-metrics``). The SQL is what a person would write
for PostgreSQL: one GROUP BY for the counts; for the metrics one statement per figure, with FILTER
aggregates. The durations are those stored on each ticket when its clock was met (business time where its
SLA policy had a calendar: services/ticket_durations.py), aggregated with ``percentile_cont``; deskql gives
the same figures to the last bit and the bench checks that they are.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg

CENT = Decimal("0.01")
COUNTS = """
SELECT t.status_id, s.name AS status_name, t.assignee_id, a.name AS assignee_name, count(*) AS n
FROM ticket t JOIN ticket_status s ON s.id = t.status_id LEFT JOIN technician a ON a.id = t.assignee_id
WHERE t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam
GROUP BY t.status_id, s.name, t.assignee_id, a.name
"""
DURATIONS = {
    column: f"""
SELECT count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.{seconds}) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY t.{seconds}) AS p90
FROM ticket t
WHERE t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND t.{column} >= $2 AND t.{column} < $3
"""  # noqa: S608 - two fixed column names
    for column, seconds in (
        ("first_responded_at", "first_response_seconds"),
        ("resolved_at", "resolution_seconds"),
    )
}
SLA = """
SELECT count(*) AS tickets,
  count(*) FILTER (WHERE t.first_responded_at IS NOT NULL
    AND (t.first_response_due_at IS NULL OR t.first_responded_at <= t.first_response_due_at)) AS fr_met,
  count(*) FILTER (WHERE t.first_responded_at > t.first_response_due_at
    OR (t.first_responded_at IS NULL AND t.first_response_due_at < $4)) AS fr_breached,
  count(*) FILTER (WHERE t.first_responded_at IS NULL
    AND (t.first_response_due_at IS NULL OR t.first_response_due_at >= $4)) AS fr_running,
  count(*) FILTER (WHERE t.resolved_at IS NOT NULL
    AND (t.resolution_due_at IS NULL OR t.resolved_at <= t.resolution_due_at)) AS re_met,
  count(*) FILTER (WHERE t.resolved_at > t.resolution_due_at
    OR (t.resolved_at IS NULL AND t.resolution_due_at < $4)) AS re_breached,
  count(*) FILTER (WHERE t.resolved_at IS NULL
    AND (t.resolution_due_at IS NULL OR t.resolution_due_at >= $4)) AS re_running
FROM ticket t
WHERE t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND t.sla_policy_id IS NOT NULL AND t.created_at >= $2 AND t.created_at < $3
"""
PER_DAY = {
    column: f"""
SELECT to_char(t.{column} AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n FROM ticket t
WHERE t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND t.{column} >= $2 AND t.{column} < $3
GROUP BY 1
"""  # noqa: S608 - two fixed column names
    for column in ("created_at", "resolved_at")
}
SURVEYS = """
SELECT v.overall_helpfulness AS rating, count(*) AS n
FROM satisfaction_survey v JOIN ticket t ON t.id = v.ticket_id
WHERE v.account_id = $1 AND t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND v.created_at >= $2 AND v.created_at < $3 GROUP BY 1
"""
TIME_BY_TECHNICIAN = """
SELECT e.technician_id AS key, a.name, e.billable, sum(e.duration_seconds) AS seconds
FROM time_entry e JOIN ticket t ON t.id = e.ticket_id JOIN technician a ON a.id = e.technician_id
WHERE e.account_id = $1 AND t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND e.started_at >= $2 AND e.started_at < $3 GROUP BY 1, 2, 3
"""
TIME_BY_CUSTOMER = """
SELECT r.customer_id AS key, c.name, e.billable, sum(e.duration_seconds) AS seconds
FROM time_entry e JOIN ticket t ON t.id = e.ticket_id JOIN requester r ON r.id = t.requester_id
LEFT JOIN customer c ON c.id = r.customer_id
WHERE e.account_id = $1 AND t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND e.started_at >= $2 AND e.started_at < $3 GROUP BY 1, 2, 3
"""
MONEY = """
SELECT coalesce(sum(i.quantity * i.unit_price) FILTER (WHERE i.kind = 'PRODUCT'), 0) AS products,
       coalesce(sum(i.quantity * i.unit_price) FILTER (WHERE i.kind = 'EXPENSE'), 0) AS expenses,
       coalesce(sum(i.quantity * i.unit_price) FILTER (WHERE i.billable), 0) AS billable
FROM ticket_item i JOIN ticket t ON t.id = i.ticket_id
WHERE i.account_id = $1 AND t.account_id = $1 AND t.deleted_at IS NULL AND NOT t.is_spam AND i.date >= $2 AND i.date <= $3
"""


def global_id(type_name: str, pk: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def _key(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


async def ticket_counts(connection: asyncpg.Connection, account: int, variables: dict[str, Any]) -> Any:
    """ticketCounts(groupBy: [STATUS, ASSIGNEE]) { total groups { count status { id name } assignee { id name } } }"""
    rows = await connection.fetch(COUNTS, account)
    rows = sorted(rows, key=lambda r: (-r["n"], _key(r["status_id"]), _key(r["assignee_id"])))
    groups = [
        {
            "count": row["n"],
            "status": {"id": global_id("TicketStatus", row["status_id"]), "name": row["status_name"]},
            "assignee": (
                {"id": global_id("Technician", row["assignee_id"]), "name": row["assignee_name"]}
                if row["assignee_id"] is not None
                else None
            ),
        }
        for row in rows
    ]
    return {"ticketCounts": {"total": sum(row["n"] for row in rows), "groups": groups}}


async def _durations(
    connection: asyncpg.Connection, column: str, account: int, start: datetime, end: datetime
) -> dict[str, Any]:
    row = await connection.fetchrow(DURATIONS[column], account, start, end)
    return {"count": row["n"], "medianSeconds": row["median"], "p90Seconds": row["p90"]}


def _tracked(rows: list[asyncpg.Record], type_name: str, field: str) -> list[Any]:
    sums: dict[Any, list[Any]] = {}
    for row in rows:
        entry = sums.setdefault(row["key"], [row["name"], 0, 0])
        entry[1 if row["billable"] else 2] += int(row["seconds"])
    ordered = sorted(
        sums.items(), key=lambda item: (-(item[1][1] + item[1][2]), item[0] is None, item[0] or 0)
    )
    return [
        {
            field: {"id": global_id(type_name, key), "name": name} if key is not None else None,
            "billableSeconds": billable,
            "nonBillableSeconds": other,
        }
        for key, (name, billable, other) in ordered
    ]


def _cents(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


async def ticket_metrics(connection: asyncpg.Connection, account: int, variables: dict[str, Any]) -> Any:
    """The figures of bench/dashboards.py's METRICS query for the period of its variables."""
    start = datetime.fromisoformat(variables["from"]).astimezone(UTC)
    end = datetime.fromisoformat(variables["to"]).astimezone(UTC)
    first = await _durations(connection, "first_responded_at", account, start, end)
    resolution = await _durations(connection, "resolved_at", account, start, end)
    sla = await connection.fetchrow(SLA, account, start, end, datetime.now(UTC))
    per_day = {}
    for column in ("created_at", "resolved_at"):
        statement = PER_DAY[column]
        per_day[column] = {
            row["day"]: row["n"] for row in await connection.fetch(statement, account, start, end)
        }
    first_day, last_day = start.date(), (end - timedelta(microseconds=1)).date()
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    spread = [0] * 5
    for row in await connection.fetch(SURVEYS, account, start, end):
        spread[row["rating"] - 1] += row["n"]
    answered = sum(spread)
    money = await connection.fetchrow(MONEY, account, first_day, last_day)

    def clock(prefix: str) -> dict[str, int]:
        return {
            "met": sla[f"{prefix}_met"],
            "breached": sla[f"{prefix}_breached"],
            "inProgress": sla[f"{prefix}_running"],
        }

    return {
        "ticketMetrics": {
            "firstResponseTime": first,
            "resolutionTime": resolution,
            "sla": {"tickets": sla["tickets"], "firstResponse": clock("fr"), "resolution": clock("re")},
            "createdVsResolved": [
                {
                    "day": day.isoformat(),
                    "created": per_day["created_at"].get(day.isoformat(), 0),
                    "resolved": per_day["resolved_at"].get(day.isoformat(), 0),
                }
                for day in days
            ],
            "satisfaction": {
                "count": answered,
                "overallHelpfulness": {
                    "average": sum(r * n for r, n in enumerate(spread, 1)) / answered if answered else None,
                    "distribution": spread,
                },
            },
            "timeByTechnician": _tracked(
                await connection.fetch(TIME_BY_TECHNICIAN, account, start, end), "Technician", "technician"
            ),
            "timeByCustomer": _tracked(
                await connection.fetch(TIME_BY_CUSTOMER, account, start, end), "Customer", "customer"
            ),
            "money": {
                "products": _cents(money["products"]),
                "expenses": _cents(money["expenses"]),
                "billable": _cents(money["billable"]),
                "total": _cents(money["products"] + money["expenses"]),
            },
        }
    }
