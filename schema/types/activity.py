"""The activity log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import activity
from resolvers.context import Info
from schema import ids
from schema.enums import ActivityKind, Channel
from schema.types.common import Node
from schema.types.conversation import Author, author


@strawberry.type(description="One immutable row of the ticket's audit log: who, what, old -> new, how, when.")
class Activity(Node):
    actor_technician_pk: strawberry.Private[int | None]
    actor_requester_pk: strawberry.Private[int | None]
    kind: ActivityKind = strawberry.field(description="What happened.")
    field: str | None = strawberry.field(description="The ticket field that changed, for changes.")
    old_value: str | None = strawberry.field(description="The value before, as shown to people.")
    new_value: str | None = strawberry.field(description="The value after, as shown to people.")
    channel: Channel = strawberry.field(description="Where the change came from.")
    created_at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_model(cls, row: activity.Activity) -> Activity:
        return cls(
            id=strawberry.ID(ids.encode("Activity", row.id)),
            actor_technician_pk=row.actor_technician_id,
            actor_requester_pk=row.actor_requester_id,
            kind=row.kind,
            field=row.field,
            old_value=row.old_value,
            new_value=row.new_value,
            channel=row.channel,
            created_at=row.created_at,
        )

    @strawberry.field(description="Who did it; null for the system and automations.")
    async def actor(self, info: Info) -> Author | None:
        return await author(info, self.actor_technician_pk, self.actor_requester_pk)
