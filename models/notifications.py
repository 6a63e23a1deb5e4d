"""What technicians are told about: mentions and notes on tickets they follow. Kept 7 days."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import Comment
from models.enums import NotificationKind
from models.tickets import Ticket


class Notification(Model):
    """One notice for one technician. ``expires_at`` is when the purge job removes it."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="notifications", on_delete=fields.CASCADE
    )
    account_id: int
    recipient: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="notifications", on_delete=fields.CASCADE
    )
    recipient_id: int
    kind = fields.CharEnumField(NotificationKind, max_length=40)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="notifications", on_delete=fields.CASCADE
    )
    ticket_id: int
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "deskql.Comment", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    comment_id: int | None
    created_at = fields.DatetimeField(default=utcnow)
    read_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "notification"
        indexes = (("recipient_id", "created_at", "id"), ("expires_at",))
