"""What subscriptions yield: ticket events and the presence roster."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import StrEnum
from typing import Any

import strawberry

from schema.types.activity import Activity
from schema.types.conversation import Comment
from schema.types.people import Technician
from schema.types.tickets import Ticket
from schema.types.time import TimeEntry


@strawberry.enum(description="What a ticketUpdated event is.")
class TicketEventKind(StrEnum):
    SNAPSHOT = "SNAPSHOT"
    TICKET_UPDATED = "TICKET_UPDATED"
    COMMENT_ADDED = "COMMENT_ADDED"
    COMMENT_UPDATED = "COMMENT_UPDATED"
    ACTIVITY_ADDED = "ACTIVITY_ADDED"
    TIME_ENTRY_ADDED = "TIME_ENTRY_ADDED"
    TIME_ENTRY_UPDATED = "TIME_ENTRY_UPDATED"
    TIME_ENTRY_DELETED = "TIME_ENTRY_DELETED"
    RESYNC = "RESYNC"


@strawberry.type(
    description="A committed change of a ticket, with the changed entity, as the viewer may see it."
)
class TicketEvent:
    kind: TicketEventKind = strawberry.field(
        description="SNAPSHOT first; RESYNC after a broadcast outage means: refetch, events may be missing."
    )
    ticket: Ticket = strawberry.field(description="The ticket as it is now.")
    changes: list[str] = strawberry.field(description="For TICKET_UPDATED: the fields that changed.")
    comment: Comment | None = strawberry.field(
        default=None, description="For COMMENT_ADDED and COMMENT_UPDATED."
    )
    activity: Activity | None = strawberry.field(default=None, description="For ACTIVITY_ADDED.")
    time_entry: TimeEntry | None = strawberry.field(
        default=None, description="For TIME_ENTRY_ADDED and TIME_ENTRY_UPDATED (technicians only)."
    )
    shared_results: strawberry.Private[dict[Any, Any]] = dataclasses.field(default_factory=dict)
    """Results of this event for the subscribers who share it (api.execution, fastpath.shared_reads)."""

    def release(self) -> None:
        """Lets go of the entities once this event was sent: graphql-core keeps the last event of a
        subscription until the next one arrives, and an idle subscription should hold no rows. Only for an
        event of one subscriber (a shared event is kept once per audience, not per subscriber)."""
        for name in ("ticket", "comment", "activity", "time_entry"):
            setattr(self, name, None)


@strawberry.enum(description="What a collaborator is doing on the ticket.")
class PresenceState(StrEnum):
    VIEWING = "VIEWING"
    TYPING_REPLY = "TYPING_REPLY"
    TYPING_NOTE = "TYPING_NOTE"
    IDLE = "IDLE"


@strawberry.type(
    description="A technician on the ticket now (all their tabs together, with the strongest state)."
)
class Collaborator:
    technician: Technician = strawberry.field(description="Who.")
    state: PresenceState = strawberry.field(description="Typing beats viewing beats idle across their tabs.")
    since: datetime = strawberry.field(description="When that state began.")
    is_viewer: bool = strawberry.field(description="This is you.")


@strawberry.type(description="Everyone on the ticket: you first, then by arrival.")
class TicketPresence:
    collaborators: list[Collaborator] = strawberry.field(description="The avatars, in order.")
    total_count: int = strawberry.field(description="How many (the page shows five and a drop-down).")
    session_id: str = strawberry.field(description="This subscription's id, for setPresenceState.")
