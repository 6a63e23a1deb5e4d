"""Notifications for technicians."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import notifications
from schema import ids
from schema.context import Info
from schema.enums import NotificationKind
from schema.types.common import Node
from schema.types.conversation import Comment
from schema.types.tickets import Ticket


@strawberry.type(
    description="A mention, a note on a ticket you follow, or a mail from your address that was held. "
    "Kept for 7 days."
)
class Notification(Node):
    ticket_pk: strawberry.Private[int]
    comment_pk: strawberry.Private[int | None]
    kind: NotificationKind = strawberry.field(description="Why you are told.")
    created_at: datetime = strawberry.field(description="When it happened.")
    read_at: datetime | None = strawberry.field(description="When you marked it read; null while unread.")

    @classmethod
    def from_model(cls, row: notifications.Notification) -> Notification:
        return cls(
            id=strawberry.ID(ids.encode("Notification", row.id)),
            ticket_pk=row.ticket_id,
            comment_pk=row.comment_id,
            kind=row.kind,
            created_at=row.created_at,
            read_at=row.read_at,
        )

    @strawberry.field(description="The ticket (with its number, title and link).")
    async def ticket(self, info: Info) -> Ticket | None:
        row = await info.context.loaders.ticket_by_id.load(self.ticket_pk)
        return Ticket.from_model(row) if row else None

    @strawberry.field(description="The note or reply it is about.")
    async def comment(self, info: Info) -> Comment | None:
        if self.comment_pk is None:
            return None
        row = await info.context.loaders.comment_by_id.load(self.comment_pk)
        return Comment.from_model(row) if row else None
