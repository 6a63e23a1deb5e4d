"""Saved views: a named ticket list with its filter, order and columns, and a live count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from models import views
from schema import ids
from schema.context import Info
from schema.enums import TicketOrder
from schema.loaders.views import TicketCount
from schema.types.common import Node
from schema.view_filters import view_conditions
from services import ticket_filters


@strawberry.type(description="A saved ticket list: a filter, an order and columns; personal or shared.")
class View(Node):
    name: str = strawberry.field(description="Shown in the sidebar.")
    shared: bool = strawberry.field(description="Shared with the account (admins change it); else yours.")
    filter: JSON = strawberry.field(
        description="The view's TicketFilter as JSON, as `tickets(filter:)` takes it (defaults left out)."
    )
    order_by: TicketOrder = strawberry.field(description="The order `tickets(viewId:)` lists it in.")
    columns: list[str] = strawberry.field(
        description="The Ticket fields a list of this view shows, in order."
    )
    position: int = strawberry.field(description="Place in the sidebar (lowest first, then by name).")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @strawberry.field(
        description="How many tickets the view lists now. The counts of every view in one answer are read "
        "in one statement; `ticketViewUpdated` keeps one live."
    )
    async def count(self, info: Info) -> int:
        order = self.order_by
        conditions = view_conditions(info, self.filter, sorts_by_sla=order is TicketOrder.SLA_DUE)
        query = ticket_filters.matching_tickets(info.context.viewer, conditions)
        return await info.context.loaders.ticket_counts.load(TicketCount(query))

    @classmethod
    def from_model(cls, row: views.View) -> View:
        stored: Any = row.conditions
        return cls(
            id=strawberry.ID(ids.encode("View", row.id)),
            name=row.name,
            shared=row.owner_id is None,
            filter=stored,
            order_by=TicketOrder(row.order),
            columns=list(row.columns),
            position=row.position,
            updated_at=row.updated_at,
        )
