"""The conversation of a ticket: comments (public replies and internal notes) and their attachments."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import PartialIndex
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
    truncated = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "comment"
        indexes = (
            ("ticket_id", "created_at", "id"),
            ("ticket_id", "kind", "created_at", "id"),
            # a conversation's count read from the index alone (visibility.comments_of_visible_ticket)
            ("ticket_id", "account_id", "kind"),
            PartialIndex(
                fields=("ticket_id", "created_at", "id"),
                name="comment_resolution",
                condition={"is_resolution": True},
            ),
        )


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
    uploaded_by_technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="uploads", null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_technician_id: int | None
    uploaded_by_requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="uploads", null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_requester_id: int | None
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=200)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "attachment"
        indexes = (("comment_id", "id"), ("sha256",))


class CommentMention(Model):
    """A technician @mentioned in an internal note."""

    id = fields.IntField(primary_key=True)
    comment: fields.ForeignKeyRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="mentions", on_delete=fields.CASCADE
    )
    comment_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="mentions", on_delete=fields.CASCADE
    )
    technician_id: int

    class Meta:
        table = "comment_mention"
        unique_together = (("comment_id", "technician_id"),)


class CcRecipient(Model):
    """Someone copied on a ticket's public updates, by email, linked to a known person when there is one.

    Rows with a ``comment`` record who a reply was copied to, rows without one are the ticket's cc list.
    """

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="cc_recipients", on_delete=fields.CASCADE
    )
    ticket_id: int
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="cc", null=True, on_delete=fields.CASCADE
    )
    comment_id: int | None
    email = fields.CharField(max_length=254)
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="cc_on", null=True, on_delete=fields.SET_NULL
    )
    technician_id: int | None
    requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="cc_on", null=True, on_delete=fields.SET_NULL
    )
    requester_id: int | None
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "cc_recipient"
        indexes = (("ticket_id", "comment_id", "email"), ("comment_id", "id"))


class TicketFollower(Model):
    """A technician who follows a ticket: notified of every internal note (mentions make followers)."""

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="followers", on_delete=fields.CASCADE
    )
    ticket_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="following", on_delete=fields.CASCADE
    )
    technician_id: int
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "ticket_follower"
        unique_together = (("ticket_id", "technician_id"),)


class ReplyTemplate(Model):
    """A quick-reply text with placeholders, personal (``owner``) or shared with the account (no owner)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="reply_templates", on_delete=fields.CASCADE
    )
    account_id: int
    owner: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="reply_templates", null=True, on_delete=fields.CASCADE
    )
    owner_id: int | None
    name = fields.CharField(max_length=100)
    body = fields.TextField()
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "reply_template"
        indexes = (("account_id", "owner_id", "name"),)
