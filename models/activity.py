"""The ticket's audit log: immutable rows, one per change."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.enums import ActivityKind, Channel
from models.people import Requester
from models.tickets import Ticket


class Activity(Model):
    """Who did what to a ticket, old -> new, through which channel, when. Never updated."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="activity", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="activity", on_delete=fields.CASCADE
    )
    ticket_id: int
    kind = fields.CharEnumField(ActivityKind, max_length=40)
    actor_technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="activity", null=True, on_delete=fields.SET_NULL
    )
    actor_technician_id: int | None
    actor_requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="activity", null=True, on_delete=fields.SET_NULL
    )
    actor_requester_id: int | None
    field = fields.CharField(max_length=60, null=True)
    old_value = fields.TextField(null=True)
    new_value = fields.TextField(null=True)
    comment_id = fields.IntField(null=True)
    channel = fields.CharEnumField(Channel, max_length=20)
    rule_id = fields.IntField(null=True)
    """The automation rule that made the change (channel AUTOMATION); kept when the rule is deleted."""
    rule_name = fields.CharField(max_length=120, null=True)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "activity"
        indexes = (("ticket_id", "created_at", "id"), ("ticket_id", "kind", "created_at", "id"))
