"""Who is asking."""

from __future__ import annotations

import strawberry

from schema import ticket_fields
from schema.context import Info
from schema.types.people import Account, Requester, Technician
from schema.types.time import Timer


@strawberry.type(description="The authenticated caller: a technician or a requester of one account.")
class Viewer:
    account_pk: strawberry.Private[int]
    technician_pk: strawberry.Private[int | None]
    requester_pk: strawberry.Private[int | None]

    @strawberry.field(description="The account (tenant) the viewer belongs to.")
    async def account(self, info: Info) -> Account:
        row = await info.context.loaders.account_by_id.load(self.account_pk)
        assert row is not None
        return Account.from_model(row)

    @strawberry.field(description="The viewer as a technician; null for end users.")
    async def technician(self, info: Info) -> Technician | None:
        if self.technician_pk is None:
            return None
        row = await info.context.loaders.technician_by_id.load(self.technician_pk)
        return Technician.from_model(row) if row else None

    @strawberry.field(description="The viewer as a requester (end user); null for technicians.")
    async def requester(self, info: Info) -> Requester | None:
        if self.requester_pk is None:
            return None
        row = await info.context.loaders.requester_by_id.load(self.requester_pk)
        return Requester.from_model(row) if row else None

    @strawberry.field(
        description="Your timers, running one first (the timer bar of every page; technicians)."
    )
    async def timers(self, info: Info) -> list[Timer]:
        rows = await ticket_fields.visibility_timers(info)
        return [ticket_fields.timer_of(row) for row in rows]
