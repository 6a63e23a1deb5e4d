"""The tenant and its staff."""

from tortoise import fields
from tortoise.models import Model

from models.clock import utcnow
from models.enums import Role


class Account(Model):
    """A tenant: one IT department or one MSP. Every other row belongs to exactly one account."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    ticket_number_seq = fields.IntField(default=0)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "account"


class Technician(Model):
    """A staff user who works tickets. Emails are unique across accounts, so that login needs only one."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="technicians", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, unique=True)
    avatar_url = fields.CharField(max_length=500, null=True)
    role = fields.CharEnumField(Role, max_length=20, default=Role.TECHNICIAN)
    active = fields.BooleanField(default=True)
    password_hash = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "technician"
        indexes = (("account_id", "active"),)
