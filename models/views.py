"""Saved views: named ticket filters with an order and columns, personal or shared with the account."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow


class View(Model):
    """A saved ticket list: personal (``owner``) or shared with the account (no owner).

    ``conditions`` holds the list's ticket filter as the API takes it (the ``TicketFilter`` input in JSON, field
    names in camelCase), so a condition the filter gains later works in views without a migration.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="views", on_delete=fields.CASCADE
    )
    account_id: int
    owner: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="views", null=True, on_delete=fields.CASCADE
    )
    owner_id: int | None
    name = fields.CharField(max_length=100)
    conditions: Any = fields.JSONField(default=dict)
    order = fields.CharField(max_length=40)
    columns: Any = fields.JSONField(default=list)
    position = fields.IntField(default=0)
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "view"
        indexes = (("account_id", "owner_id", "position"),)
