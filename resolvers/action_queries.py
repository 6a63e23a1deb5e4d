"""Reading what the Actions menu left behind: deleted tickets (admins)."""

from __future__ import annotations

from schema.context import Info
from schema.types.actions import DeletedTicket
from services import ticket_lifecycle, visibility

MAX_LISTED = 200


async def deleted_tickets(info: Info) -> list[DeletedTicket]:
    viewer = info.context.require_admin()
    rows = await visibility.deleted_tickets(viewer).order_by("-deleted_at", "-id").limit(MAX_LISTED)
    return [DeletedTicket.from_model(row, await ticket_lifecycle.restorable_until(row)) for row in rows]
