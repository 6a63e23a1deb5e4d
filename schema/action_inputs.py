"""Inputs of the ticket Actions menu: merge, spam, delete and restore, chat, products and expenses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.enums import ItemKind


@strawberry.input(description="Tickets to merge into another.")
class MergeTicketsInput:
    source_ticket_ids: list[strawberry.ID] = strawberry.field(
        description="The tickets that close as merged (1 to 20)."
    )
    target_ticket_id: strawberry.ID = strawberry.field(description="The ticket that receives everything.")


@strawberry.input(description="A merged ticket to bring back.")
class UnmergeTicketInput:
    source_ticket_id: strawberry.ID = strawberry.field(
        description="The ticket that was merged (within 30 days)."
    )


@strawberry.input(description="A ticket to act on.")
class TicketActionInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")


@strawberry.input(description="A ticket to mark as spam.")
class MarkTicketAsSpamInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    block_sender: bool = strawberry.field(
        default=False, description="Also record and never post later mail from its requester's address."
    )


@strawberry.input(description="A line for an open chat.")
class SendChatMessageInput:
    chat_id: strawberry.ID = strawberry.field(description="The chat.")
    text: str = strawberry.field(description="Plain text, 1 to 4,000 characters.")


@strawberry.input(description="A chat to end.")
class EndChatInput:
    chat_id: strawberry.ID = strawberry.field(description="The chat; its transcript becomes a public reply.")


@strawberry.input(description="A product or expense for a ticket.")
class AddTicketItemInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    kind: ItemKind = strawberry.field(description="PRODUCT or EXPENSE.")
    name: str = strawberry.field(description="What it is, 1 to 200 characters.")
    quantity: Decimal = strawberry.field(description="More than 0, at most three decimals.")
    unit_price: Decimal = strawberry.field(description="0 or more, at most two decimals.")
    billable: bool = strawberry.field(default=True, description="Billed to the customer.")
    date: date | None = strawberry.field(
        default=None, description="When it was used or spent (default today)."
    )
    notes: str = strawberry.field(default="", description="At most 2,000 characters.")


@strawberry.input(description="Changes to a product or expense; fields left out stay.")
class UpdateTicketItemInput:
    id: strawberry.ID = strawberry.field(description="The item.")
    kind: ItemKind | None = strawberry.field(default=strawberry.UNSET, description="PRODUCT or EXPENSE.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="What it is.")
    quantity: Decimal | None = strawberry.field(default=strawberry.UNSET, description="More than 0.")
    unit_price: Decimal | None = strawberry.field(default=strawberry.UNSET, description="0 or more.")
    billable: bool | None = strawberry.field(default=strawberry.UNSET, description="Billed to the customer.")
    date: date | None = strawberry.field(default=strawberry.UNSET, description="When it was used or spent.")
    notes: str | None = strawberry.field(default=strawberry.UNSET, description="Free text.")


@strawberry.input(description="A product or expense to delete.")
class DeleteTicketItemInput:
    id: strawberry.ID = strawberry.field(description="The item.")
