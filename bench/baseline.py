"""The floor for the ticket page: the same answer as deskql, by hand, with asyncpg and orjson.

``uvicorn bench.baseline:app --workers 2`` with ``DESKQL_BENCH_BASELINE_URL`` naming the seeded database.
``POST /ticket-page`` answers bench/ticket_page.graphql and ``POST /conversation-page`` answers
bench/conversation_page.graphql for a technician's bearer token: the request body is the same GraphQL
request deskql gets (only its ``variables`` are read) and the response is the same ``{"data": ...}``.

What it does is what a careful hand-written endpoint would: the token checked like
services.authentication (SHA-256, revoked, active technician, ``last_used_at`` every 5 minutes), one
statement for the ticket with everything that is one row per ticket joined in, one per list (tags,
contracts, devices, surveys, recent tickets, conversation page with authors, their attachments,
resolution, activity page with actors, time entries, custom fields, SLA pauses), keyset paging with a row
comparison, Python dicts serialised by orjson. The SLA clocks are worked out by deskql's own pure SLA
arithmetic (services/sla.py ``measure`` over services/sla_engine.py): business-hours maths is domain logic
both sides must share to give the same answer, not part of what this floor measures.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.baseline_sql import (
    ACTIVITY,
    ATTACHMENTS,
    COMMENTS,
    CONTRACTS,
    DEVICES,
    FIELDS,
    PAUSES,
    RECENT,
    RESOLUTION,
    SURVEYS_OF,
    TAGS,
    TICKET,
    TICKET_EXISTS,
    TIME,
    VIEWER,
)
from services.sla import calendar_from, measure

DATABASE_URL = os.environ.get("DESKQL_BENCH_BASELINE_URL", "postgres://postgres@127.0.0.1:5432/bench_deskql")
POOL_SIZE = 5
"""As Tortoise's asyncpg pool (minsize 1, maxsize 5) in each deskql worker."""
LAST_USED_RESOLUTION = timedelta(minutes=5)
CENT = Decimal("0.01")
PAGE_SIZE = 50

BEGINNING = (datetime.min.replace(tzinfo=UTC), 0)


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def pk_of(value: Any, type_name: str) -> int:
    try:
        found, _, pk = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode().partition(":")
        number = int(pk)
    except (TypeError, ValueError) as error:
        raise Refused(400, "bad id") from error
    if found != type_name or not 1 <= number < 2**31:
        raise Refused(400, "bad id")
    return number


def cursor(created_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([created_at.isoformat(), pk])).decode()


def after_cursor(value: str | None) -> tuple[datetime, int]:
    if value is None:
        return BEGINNING
    try:
        moment, pk = orjson.loads(base64.urlsafe_b64decode(value))
        return datetime.fromisoformat(moment), int(pk)
    except (ValueError, TypeError) as error:
        raise Refused(400, "bad cursor") from error


async def viewer_account(connection: asyncpg.Connection, request: Request) -> int:
    """The account of the technician whose bearer token came with the request."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("dq_"):
        raise Refused(401, "no token")
    row = await connection.fetchrow(VIEWER, hashlib.sha256(token.encode()).hexdigest())
    if row is None or row["revoked_at"] is not None or row["technician_id"] is None or not row["active"]:
        raise Refused(401, "bad token")
    now = datetime.now(UTC)
    if row["last_used_at"] is None or now - row["last_used_at"] > LAST_USED_RESOLUTION:
        await connection.execute("UPDATE api_token SET last_used_at = $1 WHERE id = $2", now, row["id"])
    account: int = row["account_id"]
    return account


def _person(pk: int | None, technician: str | None, requester_pk: int | None, requester: str | None) -> Any:
    if pk is not None:
        return {"name": technician} if technician is not None else None
    if requester_pk is not None and requester is not None:
        return {"name": requester}
    return None


async def conversation(
    connection: asyncpg.Connection, ticket: int, account: int, total: int, after: str | None
) -> dict[str, Any]:
    moment, pk = after_cursor(after)
    rows = await connection.fetch(COMMENTS, ticket, account, moment, pk, PAGE_SIZE + 1)
    page = rows[:PAGE_SIZE]
    files: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in page}
    for file in await connection.fetch(ATTACHMENTS, list(files), account):
        files[file["comment_id"]].append(
            {"filename": file["filename"], "contentType": file["content_type"], "size": file["size"]}
        )
    edges = [
        {
            "cursor": cursor(row["created_at"], row["id"]),
            "node": {
                "id": global_id("Comment", row["id"]),
                "kind": row["kind"],
                "body": row["body"],
                "text": row["text"],
                "channel": row["channel"],
                "isResolution": row["is_resolution"],
                "createdAt": row["created_at"],
                "author": _person(
                    row["author_technician_id"],
                    row["technician_name"],
                    row["author_requester_id"],
                    row["requester_name"],
                ),
                "attachments": files[row["id"]],
            },
        }
        for row in page
    ]
    return {
        "totalCount": total,
        "pageInfo": {
            "hasNextPage": len(rows) > PAGE_SIZE,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
        "edges": edges,
    }


def _clock(state: Any) -> dict[str, Any]:
    return {
        "targetMinutes": state.target_seconds // 60,
        "dueAt": state.due_at,
        "completedAt": state.completed_at,
        "breached": state.breached,
        "remainingSeconds": state.remaining_seconds,
        "paused": state.paused,
    }


async def sla(connection: asyncpg.Connection, ticket: asyncpg.Record) -> dict[str, Any] | None:
    if ticket["policy_name"] is None:
        return None
    targets = orjson.loads(ticket["targets"])[ticket["priority"]]
    calendar = (
        calendar_from(
            ticket["timezone"], orjson.loads(ticket["weekly_hours"]), orjson.loads(ticket["holidays"])
        )
        if ticket["timezone"] is not None
        else None
    )
    pauses = [(row["started_at"], row["ended_at"]) for row in await connection.fetch(PAUSES, ticket["id"])]
    now = datetime.now(UTC)
    clocks = [
        measure(calendar, ticket["created_at"], int(targets[name]) * 60, met, pauses, now)
        for name, met in (
            ("firstResponse", ticket["first_responded_at"]),
            ("resolution", ticket["resolved_at"]),
        )
    ]
    return {
        "policy": {"name": ticket["policy_name"]},
        "firstResponse": _clock(clocks[0]),
        "resolution": _clock(clocks[1]),
    }


def _display(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


async def custom_fields(connection: asyncpg.Connection, ticket: asyncpg.Record, account: int) -> list[Any]:
    if ticket["form_template_id"] is None:
        return []
    found = []
    for row in await connection.fetch(FIELDS, ticket["id"], ticket["form_template_id"], account):
        value = orjson.loads(row["value"]) if row["value"] is not None else None
        found.append(
            {
                "field": {
                    "id": global_id("CustomField", row["id"]),
                    "name": row["name"],
                    "type": row["field_type"],
                },
                "value": value,
                "displayValue": _display(value),
            }
        )
    return found


async def time_totals(connection: asyncpg.Connection, ticket: int, account: int) -> dict[str, Any]:
    total = billable = 0
    amount = Decimal(0)
    for row in await connection.fetch(TIME, ticket, account):
        total += row["duration_seconds"]
        if row["billable"]:
            billable += row["duration_seconds"]
            if row["rate"] is not None:
                amount += row["rate"] * row["duration_seconds"] / 3600
    return {
        "totalSeconds": total,
        "billableSeconds": billable,
        "nonBillableSeconds": total - billable,
        "amount": str(amount.quantize(CENT, rounding=ROUND_HALF_UP)),
    }


async def requester(connection: asyncpg.Connection, ticket: asyncpg.Record, account: int) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    contracts = (
        [
            {
                "name": row["name"],
                "type": row["contract_type"],
                "active": row["starts_on"] <= today and (row["ends_on"] is None or today <= row["ends_on"]),
            }
            for row in await connection.fetch(CONTRACTS, ticket["customer_id"], account)
        ]
        if ticket["customer_id"] is not None
        else []
    )
    devices = [
        {"name": row["name"], "os": row["os"], "online": row["online"], "lastSeenAt": row["last_seen_at"]}
        for row in await connection.fetch(DEVICES, ticket["requester_id"], account)
    ]
    count, ratings = orjson.loads(ticket["satisfaction"])
    surveys = [
        {"supportQuality": row["support_quality"], "comment": row["comment"]}
        for row in await connection.fetch(SURVEYS_OF, ticket["requester_id"], account)
    ]
    recent = [
        {"number": row["number"], "title": row["title"], "status": {"name": row["name"]}}
        for row in await connection.fetch(RECENT, ticket["requester_id"], account)
    ]
    return {
        "id": global_id("Requester", ticket["requester_id"]),
        "name": ticket["requester_name"],
        "jobTitle": ticket["job_title"],
        "email": ticket["email"],
        "phone": ticket["phone"],
        "mobile": ticket["mobile"],
        "site": {"name": ticket["site_name"]} if ticket["site_name"] is not None else None,
        "department": {"name": ticket["department_name"]} if ticket["department_name"] is not None else None,
        "customer": {"name": ticket["customer_name"]} if ticket["customer_name"] is not None else None,
        "contracts": contracts,
        "devices": devices,
        "satisfaction": {
            "average": round(ratings / (3 * count), 2) if count else None,
            "count": count,
            "surveys": surveys,
        },
        "recentTickets": recent,
    }


async def ticket_page(connection: asyncpg.Connection, account: int, variables: dict[str, Any]) -> Any:
    ticket = await connection.fetchrow(TICKET, pk_of(variables.get("id"), "Ticket"), account)
    if ticket is None:
        return {"ticket": None}
    pk = ticket["id"]
    tags = [
        {"name": row["name"], "source": row["source"]} for row in await connection.fetch(TAGS, pk, account)
    ]
    assignee = (
        {
            "id": global_id("Technician", ticket["assignee_id"]),
            "name": ticket["assignee_name"],
            "avatarUrl": ticket["assignee_avatar"],
            "openTicketCount": ticket["open_tickets"],
        }
        if ticket["assignee_name"] is not None
        else None
    )
    page = await conversation(connection, pk, account, ticket["comment_count"], None)
    activity = [
        {
            "node": {
                "kind": row["kind"],
                "field": row["field"],
                "oldValue": row["old_value"],
                "newValue": row["new_value"],
                "channel": row["channel"],
                "createdAt": row["created_at"],
                "actor": _person(
                    row["actor_technician_id"],
                    row["technician_name"],
                    row["actor_requester_id"],
                    row["requester_name"],
                ),
            }
        }
        for row in await connection.fetch(ACTIVITY, pk, account)
    ]
    resolution = [
        {"id": global_id("Comment", row["id"]), "text": row["text"]}
        for row in await connection.fetch(RESOLUTION, pk, account)
    ]
    return {
        "ticket": {
            "id": global_id("Ticket", pk),
            "number": ticket["number"],
            "title": ticket["title"],
            "description": ticket["description"],
            "type": ticket["ticket_type"],
            "priority": ticket["priority"],
            "impact": ticket["impact"],
            "activityStatus": ticket["activity_status"],
            "channel": ticket["channel"],
            "createdAt": ticket["created_at"],
            "updatedAt": ticket["updated_at"],
            "version": ticket["version"],
            "status": {
                "id": global_id("TicketStatus", ticket["status_id"]),
                "name": ticket["status_name"],
                "category": ticket["status_category"],
            },
            "assignee": assignee,
            "tags": tags,
            "requester": await requester(connection, ticket, account),
            "sla": await sla(connection, ticket),
            "timeTotals": await time_totals(connection, pk, account),
            "formTemplate": {"name": ticket["template_name"]}
            if ticket["template_name"] is not None
            else None,
            "customFields": await custom_fields(connection, ticket, account),
            "conversation": page,
            "resolution": resolution,
            "activity": {"edges": activity},
        }
    }


async def conversation_page(connection: asyncpg.Connection, account: int, variables: dict[str, Any]) -> Any:
    pk = pk_of(variables.get("id"), "Ticket")
    total = await connection.fetchval(TICKET_EXISTS, pk, account)
    if total is None:
        return {"ticket": None}
    return {
        "ticket": {"conversation": await conversation(connection, pk, account, total, variables.get("after"))}
    }


def endpoint(answer: Any) -> Any:
    async def respond(request: Request) -> Response:
        variables = orjson.loads(await request.body()).get("variables") or {}
        pool: asyncpg.Pool = request.app.state.pool
        try:
            async with pool.acquire() as connection:
                account = await viewer_account(connection, request)
                data = await answer(connection, account, variables)
        except Refused as refused:
            return Response(
                orjson.dumps({"error": refused.message}), refused.status, media_type="application/json"
            )
        return Response(orjson.dumps({"data": data}), media_type="application/json")

    return respond


async def ready(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection:
        await connection.fetchval("SELECT 1")
    return Response(b'{"status":"ready"}', media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=POOL_SIZE)
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/ticket-page", endpoint(ticket_page), methods=["POST"]),
        Route("/conversation-page", endpoint(conversation_page), methods=["POST"]),
        Route("/readyz", ready),
    ],
    lifespan=lifespan,
)
