"""Reading the context panels' pickers: devices, alerts, and your calendar feed (technicians)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from tortoise.expressions import Q

from schema.context import Info
from schema.enums import AlertStatus
from schema.types.context import Alert, CalendarFeed
from schema.types.people import Device
from services import calendar_feeds, visibility
from services.validation import printable

MAX_LISTED = 100


def _first(first: int) -> int:
    return max(0, min(first, MAX_LISTED))


async def devices(
    info: Info,
    search: Annotated[str | None, strawberry.argument(description="Part of the name or host name.")] = None,
    unassigned: Annotated[bool, strawberry.argument(description="Only devices of no requester.")] = False,
    first: Annotated[int, strawberry.argument(description="At most this many (100).")] = 20,
) -> list[Device]:
    query = visibility.devices(info.context.require_technician())
    if search := printable(search or "").strip():
        query = query.filter(Q(name__icontains=search) | Q(hostname__icontains=search))
    if unassigned:
        query = query.filter(requester_id__isnull=True)
    return [Device.from_model(row) for row in await query.order_by("name", "id").limit(_first(first))]


async def alerts(
    info: Info,
    status: Annotated[
        AlertStatus | None, strawberry.argument(description="Only alerts in this status.")
    ] = None,
    unlinked: Annotated[bool, strawberry.argument(description="Only alerts related to no ticket.")] = False,
    first: Annotated[int, strawberry.argument(description="At most this many (100).")] = 20,
) -> list[Alert]:
    query = visibility.alerts(info.context.require_technician())
    if status is not None:
        query = query.filter(status=status)
    if unlinked:
        query = query.filter(ticket_id__isnull=True)
    rows = await query.order_by("-created_at", "-id").limit(_first(first))
    return [Alert.from_model(row) for row in rows]


async def calendar_feed(info: Info) -> CalendarFeed | None:
    feed = await calendar_feeds.feed_of(info.context.require_technician())
    return None if feed is None else CalendarFeed(created_at=feed.created_at, url=None, webcal_url=None)
