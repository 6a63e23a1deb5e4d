"""What ticketViewUpdated yields: the view's first page and count, then each ticket entering, leaving or
changing within it."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any

import strawberry

from schema.types.common import Connection
from schema.types.tickets import Ticket


@strawberry.enum(description="What a ticketViewUpdated event is.")
class TicketViewEventKind(StrEnum):
    SNAPSHOT = "SNAPSHOT"
    ENTERED = "ENTERED"
    LEFT = "LEFT"
    CHANGED = "CHANGED"
    RESYNC = "RESYNC"


@strawberry.type(
    description="A live view: its first page (SNAPSHOT, RESYNC) or one ticket's move, with the count."
)
class TicketViewEvent:
    kind: TicketViewEventKind = strawberry.field(
        description="SNAPSHOT first; ENTERED, LEFT or CHANGED for one ticket; RESYNC after a broadcast "
        "outage: the page and count read again (events may have been missed)."
    )
    count: int = strawberry.field(description="How many tickets the view holds after this event.")
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="For ENTERED, LEFT and CHANGED: the ticket."
    )
    ticket: Ticket | None = strawberry.field(
        default=None,
        description="For ENTERED and CHANGED: the ticket now; for LEFT too while you may still see it "
        "(null once it is deleted or out of your reach).",
    )
    changes: list[str] = strawberry.field(
        default_factory=list,
        description="For CHANGED and ENTERED: the ticket's fields that changed (`conversation` for a new or "
        "edited comment); empty when unknown.",
    )
    tickets: Connection[Ticket] | None = strawberry.field(
        default=None,
        description="For SNAPSHOT and RESYNC: the view's first page, in its order; page on with "
        "`tickets(viewId:, after:)` or `tickets(filter:, after:)`.",
    )
    shared_results: strawberry.Private[dict[Any, Any]] = dataclasses.field(default_factory=dict)
    """Results of this event for the subscribers who share it (api.execution, fastpath.shared_reads)."""
