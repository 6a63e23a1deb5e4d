"""The conversation of a ticket: comments (public replies and internal notes) and their attachments."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.enums import Channel, CommentKind
from models.people import Requester
from models.tickets import Ticket


class Comment(Model):
    """One entry of the conversation, written by a technician or by the requester."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="comments", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="comments", on_delete=fields.CASCADE
    )
    ticket_id: int
    kind = fields.CharEnumField(CommentKind, max_length=20)
    author_technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    author_technician_id: int | None
    author_requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    author_requester_id: int | None
    body = fields.TextField()
    text = fields.TextField()
    channel = fields.CharEnumField(Channel, max_length=20, default=Channel.WEB)
    is_resolution = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "comment"
        indexes = (("ticket_id", "created_at", "id"), ("ticket_id", "kind", "created_at", "id"))


class Attachment(Model):
    """A file's metadata. The bytes live in the storage, addressed by sha256."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="attachments", on_delete=fields.CASCADE
    )
    account_id: int
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="attachments", null=True, on_delete=fields.CASCADE
    )
    comment_id: int | None
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=200)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "attachment"
        indexes = (("comment_id", "id"),)
