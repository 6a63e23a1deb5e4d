"""Inputs of the saved-view mutations."""

from __future__ import annotations

import strawberry

from schema.enums import TicketOrder
from schema.inputs import TicketFilter


@strawberry.input(description="A new saved view.")
class CreateViewInput:
    name: str = strawberry.field(description="Shown in the sidebar, 1..100 characters on one line.")
    filter: TicketFilter | None = strawberry.field(
        default=None, description="Which tickets, as `tickets(filter:)` takes it; checked when saved."
    )
    order_by: TicketOrder = strawberry.field(
        default=TicketOrder.NEWEST_FIRST, description="The list's order."
    )
    columns: list[str] = strawberry.field(
        default_factory=list, description="Ticket fields to show (e.g. number, title, status), up to 50."
    )
    shared: bool = strawberry.field(default=False, description="Share with the account (admins); else yours.")
    position: int = strawberry.field(default=0, description="Place in the sidebar (lowest first).")


@strawberry.input(description="Changes to a saved view; fields left out are untouched.")
class UpdateViewInput:
    id: strawberry.ID = strawberry.field(description="The view.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    filter: TicketFilter | None = strawberry.field(
        default=strawberry.UNSET, description="New filter (replaces the whole filter; null: every ticket)."
    )
    order_by: TicketOrder | None = strawberry.field(default=strawberry.UNSET, description="New order.")
    columns: list[str] | None = strawberry.field(default=strawberry.UNSET, description="New columns.")
    position: int | None = strawberry.field(default=strawberry.UNSET, description="New place in the sidebar.")


@strawberry.input(description="A saved view to delete.")
class DeleteViewInput:
    id: strawberry.ID = strawberry.field(description="The view.")
