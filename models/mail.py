"""Email: each account's mailbox settings and templates, the outbox of mail to send, the record of mail
received."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import Comment
from models.enums import InboundOutcome, MailKind, OutboundStatus
from models.people import Requester
from models.tickets import Ticket


class Mailbox(Model):
    """The address an account receives new tickets on."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name="mailbox", on_delete=fields.CASCADE
    )
    account_id: int
    address = fields.CharField(max_length=254, unique=True)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "mailbox"


class BlockedSender(Model):
    """An address whose mail is recorded and never posted (set when a ticket is marked as spam)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="blocked_senders", on_delete=fields.CASCADE
    )
    account_id: int
    email = fields.CharField(max_length=254)
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="blocked_senders", null=True, on_delete=fields.SET_NULL
    )
    ticket_id: int | None
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "blocked_sender"
        unique_together = (("account_id", "email"),)


class MailTemplate(Model):
    """An admin's version of one kind of email. Kinds without a row use the built-in text."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="mail_templates", on_delete=fields.CASCADE
    )
    account_id: int
    kind = fields.CharEnumField(MailKind, max_length=30)
    subject = fields.CharField(max_length=250)
    body = fields.TextField()
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "mail_template"
        unique_together = (("account_id", "kind"),)


class OutboundMail(Model):
    """One email to one recipient, written in the transaction of the change it tells of.

    The content is final when the row is written, so that every delivery attempt sends the same mail
    with the same Message-ID. A worker leases a due row (``leased_until``), sends it, and marks it SENT,
    or schedules the next attempt with a growing delay. After the last attempt it is FAILED.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="outbound_mails", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="outbound_mails", null=True, on_delete=fields.CASCADE
    )
    ticket_id: int | None
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="outbound_mails", null=True, on_delete=fields.SET_NULL
    )
    comment_id: int | None
    kind = fields.CharEnumField(MailKind, max_length=30)
    recipient = fields.CharField(max_length=254)
    recipient_name = fields.CharField(max_length=200, default="")
    message_id = fields.CharField(max_length=250, unique=True)
    reply_to = fields.CharField(max_length=254)
    references = fields.TextField(default="")
    subject = fields.CharField(max_length=300)
    text = fields.TextField()
    html = fields.TextField()
    attachment_ids = fields.TextField(default="[]")
    status = fields.CharEnumField(OutboundStatus, max_length=10, default=OutboundStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(default=utcnow)
    leased_until = fields.DatetimeField(null=True)
    lease_owner = fields.CharField(max_length=64, null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(default=utcnow)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbound_mail"
        indexes = (("status", "next_attempt_at"), ("ticket_id", "id"), ("account_id", "status", "id"))


class InboundMail(Model):
    """One email received, kept with its raw bytes (in the file storage) whatever became of it."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="inbound_mails", null=True, on_delete=fields.CASCADE
    )
    account_id: int | None
    message_id = fields.CharField(max_length=250, default="")
    sender = fields.CharField(max_length=254, default="")
    subject = fields.CharField(max_length=300, default="")
    body_sha256 = fields.CharField(max_length=64, default="")
    raw_sha256 = fields.CharField(max_length=64, default="")
    size = fields.IntField(default=0)
    outcome = fields.CharEnumField(InboundOutcome, max_length=20)
    detail = fields.CharField(max_length=500, default="")
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="inbound_mails", null=True, on_delete=fields.SET_NULL
    )
    ticket_id: int | None
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="inbound_mails", null=True, on_delete=fields.SET_NULL
    )
    comment_id: int | None
    author_technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="inbound_mails", null=True, on_delete=fields.SET_NULL
    )
    author_technician_id: int | None
    author_requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="inbound_mails", null=True, on_delete=fields.SET_NULL
    )
    author_requester_id: int | None
    received_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "inbound_mail"
        indexes = (
            ("message_id",),
            ("sender", "received_at"),
            ("account_id", "outcome", "id"),
            ("ticket_id", "id"),
        )
