"""Calendar events scheduled on tickets, their technician attendees, and each technician's feed."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.tickets import Ticket


class CalendarEvent(Model):
    """An appointment about a ticket (an on-site visit, a call). ``uid`` and ``sequence`` identify it
    and its revisions in calendar programs (RFC 5545), a cancelled event keeps its row."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="calendar_events", on_delete=fields.CASCADE
    )
    account_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="calendar_events", on_delete=fields.CASCADE
    )
    ticket_id: int
    uid = fields.CharField(max_length=100, unique=True)
    title = fields.CharField(max_length=200)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    location = fields.CharField(max_length=300, default="")
    notes = fields.TextField(default="")
    sequence = fields.IntField(default=0)
    created_by: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="created_events", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "calendar_event"
        indexes = (("ticket_id", "starts_at"),)


class CalendarAttendee(Model):
    """A technician invited to an event: it appears in their calendar feed."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[CalendarEvent] = fields.ForeignKeyField(
        "deskql.CalendarEvent", related_name="attendees", on_delete=fields.CASCADE
    )
    event_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="calendar_attendances", on_delete=fields.CASCADE
    )
    technician_id: int

    class Meta:
        table = "calendar_attendee"
        unique_together = (("event_id", "technician_id"),)
        indexes = (("technician_id", "event_id"),)


class CalendarFeed(Model):
    """A technician's secret feed address. Only the SHA-256 of its token is kept, and one per technician."""

    id = fields.IntField(primary_key=True)
    technician: fields.OneToOneRelation[Technician] = fields.OneToOneField(
        "deskql.Technician", related_name="calendar_feed", on_delete=fields.CASCADE
    )
    technician_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "calendar_feed"
