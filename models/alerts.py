"""Alerts raised by monitoring about devices, and the ticket each one is handled in."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account
from models.clock import utcnow
from models.enums import AlertSeverity, AlertStatus
from models.people import Device
from models.tickets import Ticket


class Alert(Model):
    """A monitoring alert. It is related to at most one ticket."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="alerts", on_delete=fields.CASCADE
    )
    account_id: int
    device: fields.ForeignKeyNullableRelation[Device] = fields.ForeignKeyField(
        "deskql.Device", related_name="alerts", null=True, on_delete=fields.SET_NULL
    )
    device_id: int | None
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="alerts", null=True, on_delete=fields.SET_NULL
    )
    ticket_id: int | None
    name = fields.CharField(max_length=300)
    message = fields.TextField(default="")
    severity = fields.CharEnumField(AlertSeverity, max_length=20)
    status = fields.CharEnumField(AlertStatus, max_length=20, default=AlertStatus.OPEN)
    source = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(default=utcnow)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "alert"
        indexes = (("account_id", "status", "created_at"), ("ticket_id", "created_at"))
