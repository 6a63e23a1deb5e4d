"""Time tracking: technicians' timers on tickets and the time entries they become."""

from __future__ import annotations

from decimal import Decimal

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.enums import TimeEntrySource
from models.tickets import Ticket


class Timer(Model):
    """A technician's clock on a ticket: paused, or running since ``running_since``.

    Time is kept in milliseconds so that pauses and resumes lose nothing. ``running_technician_id`` is the
    technician while running and NULL while paused: its unique constraint lets one timer per technician
    run at a time, whatever the concurrency (NULLs never collide).
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="timers", on_delete=fields.CASCADE
    )
    account_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="timers", on_delete=fields.CASCADE
    )
    technician_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="timers", on_delete=fields.CASCADE
    )
    ticket_id: int
    running_since = fields.DatetimeField(null=True)
    running_technician_id = fields.IntField(null=True, unique=True)
    accumulated_ms = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "timer"
        unique_together = (("technician_id", "ticket_id"),)


class TimeEntry(Model):
    """A recorded span of work on a ticket, from a timer or entered by hand."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="time_entries", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="time_entries", on_delete=fields.CASCADE
    )
    ticket_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="time_entries", on_delete=fields.RESTRICT
    )
    technician_id: int
    source = fields.CharEnumField(TimeEntrySource, max_length=10)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField()
    duration_seconds = fields.IntField()
    description = fields.TextField(default="")
    billable = fields.BooleanField(default=True)
    rate: Decimal | None = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "time_entry"
        indexes = (("ticket_id", "started_at", "id"), ("technician_id", "started_at"))
