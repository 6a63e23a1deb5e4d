"""Requesters and what surrounds them: customers with contracts, sites, departments, devices, surveys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account
from models.clock import utcnow
from models.enums import ContractType
from models.sla import SlaPolicy

if TYPE_CHECKING:
    from models.tickets import Ticket


class Customer(Model):
    """An MSP's client organisation."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="customers", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=200)
    sla_policy: fields.ForeignKeyNullableRelation[SlaPolicy] = fields.ForeignKeyField(
        "deskql.SlaPolicy", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    sla_policy_id: int | None
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "customer"
        unique_together = (("account_id", "name"),)


class Contract(Model):
    """A customer's service contract."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="contracts", on_delete=fields.CASCADE
    )
    account_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "deskql.Customer", related_name="contracts", on_delete=fields.CASCADE
    )
    customer_id: int
    name = fields.CharField(max_length=200)
    contract_type = fields.CharEnumField(ContractType, max_length=20)
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)

    class Meta:
        table = "contract"
        indexes = (("customer_id", "starts_on"),)


class Site(Model):
    """A physical location, of the account itself or of one of its customers."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="sites", on_delete=fields.CASCADE
    )
    account_id: int
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "deskql.Customer", related_name="sites", null=True, on_delete=fields.SET_NULL
    )
    customer_id: int | None
    name = fields.CharField(max_length=200)
    address = fields.CharField(max_length=500, default="")

    class Meta:
        table = "site"


class Department(Model):
    """A department of the organisation an IT team serves."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="departments", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=200)

    class Meta:
        table = "department"
        unique_together = (("account_id", "name"),)


class Requester(Model):
    """The end user who opens tickets: for an MSP, a contact at a customer."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="requesters", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254)
    job_title = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=50, default="")
    mobile = fields.CharField(max_length=50, default="")
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "deskql.Customer", related_name="requesters", null=True, on_delete=fields.SET_NULL
    )
    customer_id: int | None
    site: fields.ForeignKeyNullableRelation[Site] = fields.ForeignKeyField(
        "deskql.Site", related_name="requesters", null=True, on_delete=fields.SET_NULL
    )
    site_id: int | None
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "deskql.Department", related_name="requesters", null=True, on_delete=fields.SET_NULL
    )
    department_id: int | None
    password_hash = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "requester"
        unique_together = (("account_id", "email"),)
        indexes = (("customer_id",), ("site_id",), ("department_id",))


class Device(Model):
    """A managed machine running the monitoring agent."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="devices", on_delete=fields.CASCADE
    )
    account_id: int
    requester: fields.ForeignKeyNullableRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="devices", null=True, on_delete=fields.SET_NULL
    )
    requester_id: int | None
    name = fields.CharField(max_length=200)
    hostname = fields.CharField(max_length=253)
    os = fields.CharField(max_length=200)
    online = fields.BooleanField(default=False)
    last_seen_at = fields.DatetimeField(null=True)

    class Meta:
        table = "device"
        unique_together = (("account_id", "hostname"),)
        indexes = (("requester_id", "name"),)


class SatisfactionSurvey(Model):
    """A requester's ratings (1..5) of how a ticket was handled."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="surveys", on_delete=fields.CASCADE
    )
    account_id: int
    requester: fields.ForeignKeyRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="surveys", on_delete=fields.CASCADE
    )
    requester_id: int
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="surveys", null=True, unique=True, on_delete=fields.SET_NULL
    )
    ticket_id: int | None
    support_quality = fields.SmallIntField()
    technician_knowledge = fields.SmallIntField()
    overall_helpfulness = fields.SmallIntField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "satisfaction_survey"
        indexes = (("requester_id", "created_at"),)
