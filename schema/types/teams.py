"""Teams of technicians."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import teams
from schema import ids
from schema.context import Info
from schema.types.common import Node
from schema.types.people import Technician


@strawberry.type(description="A named group of technicians that tickets can be routed to.")
class Team(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="Display name, unique among the account's teams in use.")
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: it stays on its tickets but cannot be chosen; null while in use."
    )

    @classmethod
    def from_model(cls, row: teams.Team) -> Team:
        return cls(
            id=strawberry.ID(ids.encode("Team", row.id)),
            pk=row.id,
            name=row.name,
            archived_at=row.archived_at,
        )

    @strawberry.field(description="Its technicians by name, inactive ones included (empty for end users).")
    async def members(self, info: Info) -> list[Technician]:
        rows = await info.context.loaders.members_by_team.load(self.pk)
        return [Technician.from_model(row) for row in rows]

    @strawberry.field(
        description="Tickets of this team in an OPEN or PENDING status (technicians only; null for end users)."
    )
    async def open_ticket_count(self, info: Info) -> int | None:
        if not info.context.viewer.is_technician:
            return None
        return await info.context.loaders.open_ticket_count_by_team.load(self.pk)
