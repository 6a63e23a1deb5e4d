"""The activity log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import cast

import strawberry

from fastpath.plain_leaves import PRELOADED
from models import activity
from schema import ids, planned
from schema.context import Info
from schema.enums import ActivityKind, Channel
from schema.types.common import Node, asks_for
from schema.types.conversation import NOT_READ, Author, author, authors, preloaded


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
    read_actor: strawberry.Private[Author | None] = NOT_READ
    rule: strawberry.Private[str | None] = None

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
            rule=row.rule_name,
        )

    @strawberry.field(
        description="The automation rule that made the change, shown as 'by rule <name>' (channel AUTOMATION); "
        "null for people's changes, and always for requesters."
    )
    def rule_name(self, info: Info) -> str | None:
        return self.rule if info.context.viewer.is_technician else None

    @strawberry.field(
        description="Who did it; null for the system and automations.",
        metadata={PRELOADED: "read_actor"},
    )
    def actor(self, info: Info) -> Author | None:
        read = partial(author, info, self.actor_technician_pk, self.actor_requester_pk)
        return cast("Author | None", preloaded(self.read_actor, read))


async def activities(
    info: Info, rows: Sequence[activity.Activity]
) -> Callable[[activity.Activity], Activity]:
    """The converter of a page of the log, with the actors read up front when the query asks for them."""
    if not asks_for(info, ("edges", "node", "actor"), ("nodes", "actor")):
        return Activity.from_model
    planned.prime_authors(info, rows, "actor")
    pairs = [(row.actor_technician_id, row.actor_requester_id) for row in rows]
    actors = {row.id: actor for row, actor in zip(rows, await authors(info, pairs), strict=True)}

    def convert(row: activity.Activity) -> Activity:
        converted = Activity.from_model(row)
        converted.read_actor = actors[row.id]
        return converted

    return convert
