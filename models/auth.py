"""Bearer tokens. Only a hash of each token is stored."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.people import Requester


class ApiToken(Model):
    """A revocable bearer token owned by a technician or by a requester (never both)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="tokens", on_delete=fields.CASCADE
    )
    account_id: int
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    technician_id: int | None
    requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    requester_id: int | None
    token_hash = fields.CharField(max_length=64, unique=True)
    label = fields.CharField(max_length=100, default="")
    interactive = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(default=utcnow)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
