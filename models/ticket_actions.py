"""What the Actions menu of a ticket adds: merges (with what they moved), products and expenses, chats."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import Comment
from models.enums import ItemKind
from models.people import Requester
from models.tickets import Ticket


class TicketMerge(Model):
    """A source ticket merged into a target. ``moved`` (JSON) lists every row the merge moved, deleted or
    added, so that an unmerge restores the source exactly."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="merges", on_delete=fields.CASCADE
    )
    account_id: int
    source: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="merges_out", on_delete=fields.CASCADE
    )
    source_id: int
    target: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="merges_in", on_delete=fields.CASCADE
    )
    target_id: int
    merged_by: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="merges", null=True, on_delete=fields.SET_NULL
    )
    merged_by_id: int | None
    moved = fields.TextField()
    merged_at = fields.DatetimeField(default=utcnow)
    undone_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ticket_merge"
        indexes = (("source_id", "merged_at"), ("target_id", "merged_at"))


class TicketItem(Model):
    """A product or an expense on a ticket, with exact decimal quantity and price."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="ticket_items", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="items", on_delete=fields.CASCADE
    )
    ticket_id: int
    kind = fields.CharEnumField(ItemKind, max_length=10)
    name = fields.CharField(max_length=200)
    quantity = fields.DecimalField(max_digits=12, decimal_places=3)
    unit_price = fields.DecimalField(max_digits=12, decimal_places=2)
    billable = fields.BooleanField(default=True)
    date = fields.DateField()
    notes = fields.TextField(default="")
    created_by: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="ticket_items", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "ticket_item"
        indexes = (("ticket_id", "date", "id"),)


class Chat(Model):
    """A live chat between a technician and the requester of a ticket, until it is ended."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="chats", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="chats", on_delete=fields.CASCADE
    )
    ticket_id: int
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="chats", null=True, on_delete=fields.SET_NULL
    )
    technician_id: int | None
    started_at = fields.DatetimeField(default=utcnow)
    ended_at = fields.DatetimeField(null=True)
    transcript: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="chats", null=True, on_delete=fields.SET_NULL
    )
    transcript_id: int | None

    class Meta:
        table = "chat"
        indexes = (("ticket_id", "ended_at"),)


class ChatMessage(Model):
    """One line of a chat."""

    id = fields.IntField(primary_key=True)
    chat: fields.ForeignKeyRelation[Chat] = fields.ForeignKeyField(
        "deskql.Chat", related_name="messages", on_delete=fields.CASCADE
    )
    chat_id: int
    author_technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="chat_messages", null=True, on_delete=fields.SET_NULL
    )
    author_technician_id: int | None
    author_requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="chat_messages", null=True, on_delete=fields.SET_NULL
    )
    author_requester_id: int | None
    text = fields.TextField()
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "chat_message"
        indexes = (("chat_id", "id"),)
