"""What the Actions menu adds to a ticket: products and expenses, chats, and deleted tickets (admins)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from models import ticket_actions, tickets
from schema import ids
from schema.context import Info
from schema.enums import ItemKind
from schema.types.common import Node
from schema.types.conversation import Author, Comment, author
from schema.types.people import Technician


@strawberry.type(description="A product or an expense on a ticket (technicians only).")
class TicketItem(Node):
    kind: ItemKind = strawberry.field(description="PRODUCT or EXPENSE.")
    name: str = strawberry.field(description="What it is.")
    quantity: Decimal = strawberry.field(description="How many (up to three decimals).")
    unit_price: Decimal = strawberry.field(description="Price of one (two decimals).")
    amount: Decimal = strawberry.field(description="quantity x unitPrice, rounded half up to the cent.")
    billable: bool = strawberry.field(description="Billed to the customer.")
    date: date = strawberry.field(description="When it was used or spent.")
    notes: str = strawberry.field(description="Free text.")
    created_at: datetime = strawberry.field(description="When it was added.")

    @classmethod
    def from_model(cls, row: ticket_actions.TicketItem) -> TicketItem:
        from services.ticket_items import CENT

        quantity, price = Decimal(row.quantity), Decimal(row.unit_price)
        return cls(
            id=strawberry.ID(ids.encode("TicketItem", row.id)),
            kind=row.kind,
            name=row.name,
            quantity=quantity,
            unit_price=price,
            amount=(quantity * price).quantize(CENT),
            billable=row.billable,
            date=row.date,
            notes=row.notes,
            created_at=row.created_at,
        )


@strawberry.type(description="Sums of a ticket's products and expenses, in Decimal.")
class ItemTotals:
    products: Decimal = strawberry.field(description="All products.")
    expenses: Decimal = strawberry.field(description="All expenses.")
    billable: Decimal = strawberry.field(description="Billable products and expenses.")
    total: Decimal = strawberry.field(description="Everything.")


@strawberry.type(description="One line of a chat.")
class ChatMessage(Node):
    technician_pk: strawberry.Private[int | None]
    requester_pk: strawberry.Private[int | None]
    text: str = strawberry.field(description="Plain text.")
    created_at: datetime = strawberry.field(description="When it was sent.")

    @classmethod
    def from_model(cls, row: ticket_actions.ChatMessage) -> ChatMessage:
        return cls(
            id=strawberry.ID(ids.encode("ChatMessage", row.id)),
            technician_pk=row.author_technician_id,
            requester_pk=row.author_requester_id,
            text=row.text,
            created_at=row.created_at,
        )

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info) -> Author | None:
        return await author(info, self.technician_pk, self.requester_pk)


@strawberry.type(description="A live chat between a technician and the ticket's requester.")
class Chat(Node):
    technician_pk: strawberry.Private[int | None]
    transcript_pk: strawberry.Private[int | None]
    started_at: datetime = strawberry.field(description="When it was started.")
    ended_at: datetime | None = strawberry.field(description="When it ended; null while open.")

    @classmethod
    def from_model(cls, row: ticket_actions.Chat) -> Chat:
        return cls(
            id=strawberry.ID(ids.encode("Chat", row.id)),
            technician_pk=row.technician_id,
            transcript_pk=row.transcript_id,
            started_at=row.started_at,
            ended_at=row.ended_at,
        )

    @strawberry.field(description="The technician who started it.")
    async def technician(self, info: Info) -> Technician | None:
        if self.technician_pk is None:
            return None
        row = await info.context.loaders.technician_shown_by_id.load(self.technician_pk)
        return Technician.from_model(row) if row else None

    @strawberry.field(description="The public reply holding the transcript, once ended.")
    async def transcript(self, info: Info) -> Comment | None:
        if self.transcript_pk is None:
            return None
        row = await info.context.loaders.comment_by_id.load(self.transcript_pk)
        return Comment.from_model(row) if row else None


@strawberry.type(description="A deleted ticket that can still be restored (admins).")
class DeletedTicket:
    id: strawberry.ID = strawberry.field(description="The ticket's ID, for restoreTicket.")
    number: int = strawberry.field(description="Its number.")
    title: str = strawberry.field(description="Its title.")
    deleted_at: datetime = strawberry.field(description="When it was deleted.")
    restorable_until: datetime = strawberry.field(description="After this the purge job removes it.")

    @classmethod
    def from_model(cls, row: tickets.Ticket, restorable_until: datetime) -> DeletedTicket:
        assert row.deleted_at is not None
        return cls(
            id=strawberry.ID(ids.encode("Ticket", row.id)),
            number=row.number,
            title=row.title,
            deleted_at=row.deleted_at,
            restorable_until=restorable_until,
        )
