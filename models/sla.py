"""Service-level agreements: business calendars, policies, and the pauses of each ticket's clocks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account
from models.clock import utcnow

if TYPE_CHECKING:
    from models.tickets import Ticket

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""The keys of ``BusinessCalendar.weekly_hours``."""
FIRST_RESPONSE = "firstResponse"
RESOLUTION = "resolution"
"""The keys of each priority's entry in ``SlaPolicy.targets``."""


class BusinessCalendar(Model):
    """Working hours in a time zone. ``weekly_hours`` maps MONDAY..SUNDAY to [["09:00", "17:00"], ...]."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="calendars", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    timezone = fields.CharField(max_length=64)
    weekly_hours: Any = fields.JSONField()
    holidays: Any = fields.JSONField(default=list)

    class Meta:
        table = "business_calendar"
        unique_together = (("account_id", "name"),)


class SlaPolicy(Model):
    """Response and resolution targets per priority, in minutes of the calendar (none: around the clock).

    ``targets`` maps LOW..CRITICAL to {"firstResponse": minutes, "resolution": minutes}.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="sla_policies", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    calendar: fields.ForeignKeyNullableRelation[BusinessCalendar] = fields.ForeignKeyField(
        "deskql.BusinessCalendar", related_name="policies", null=True, on_delete=fields.RESTRICT
    )
    calendar_id: int | None
    targets: Any = fields.JSONField()
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "sla_policy"
        unique_together = (("account_id", "name"),)


class SlaPause(Model):
    """An interval in which a ticket's SLA clocks stood still (open while ``ended_at`` is null)."""

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="sla_pauses", on_delete=fields.CASCADE
    )
    ticket_id: int
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sla_pause"
        indexes = (("ticket_id", "started_at"),)
