"""The ticket's context panels: related alerts and calendar events (technicians only)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import alerts, calendar
from schema import ids
from schema.context import Info
from schema.enums import AlertSeverity, AlertStatus
from schema.types.common import Node
from schema.types.people import Device, Technician


@strawberry.type(description="An alert raised by monitoring, related to at most one ticket.")
class Alert(Node):
    device_pk: strawberry.Private[int | None]
    ticket_pk: strawberry.Private[int | None]
    name: str = strawberry.field(description="What was detected, e.g. 'Disk C: 95% full'.")
    message: str = strawberry.field(description="Details from the monitoring tool, may be empty.")
    severity: AlertSeverity = strawberry.field(description="INFORMATION, WARNING or CRITICAL.")
    status: AlertStatus = strawberry.field(description="OPEN or RESOLVED.")
    source: str = strawberry.field(description="The monitoring tool, may be empty.")
    created_at: datetime = strawberry.field(description="When it was raised.")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")

    @classmethod
    def from_model(cls, row: alerts.Alert) -> Alert:
        return cls(
            id=strawberry.ID(ids.encode("Alert", row.id)),
            device_pk=row.device_id,
            ticket_pk=row.ticket_id,
            name=row.name,
            message=row.message,
            severity=row.severity,
            status=row.status,
            source=row.source,
            created_at=row.created_at,
            resolved_at=row.resolved_at,
        )

    @strawberry.field(description="The device it is about.")
    async def device(self, info: Info) -> Device | None:
        if self.device_pk is None:
            return None
        row = await info.context.loaders.device_by_id.load(self.device_pk)
        return Device.from_model(row) if row else None

    @strawberry.field(description="The ID of the ticket it is handled in, if any.")
    def ticket_id(self) -> strawberry.ID | None:
        return None if self.ticket_pk is None else strawberry.ID(ids.encode("Ticket", self.ticket_pk))


@strawberry.type(description="An appointment about a ticket; attendees see it in their calendar feed.")
class CalendarEvent(Node):
    pk: strawberry.Private[int]
    ticket_pk: strawberry.Private[int]
    created_by_pk: strawberry.Private[int | None]
    title: str = strawberry.field(description="What it is.")
    starts_at: datetime = strawberry.field(description="Start, in UTC.")
    ends_at: datetime = strawberry.field(description="End, in UTC; after the start.")
    location: str = strawberry.field(description="Where, may be empty.")
    notes: str = strawberry.field(description="Plain text, may be empty.")
    sequence: int = strawberry.field(description="Revision, raised by every change (RFC 5545 SEQUENCE).")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    created_at: datetime = strawberry.field(description="When it was scheduled.")

    @classmethod
    def from_model(cls, row: calendar.CalendarEvent) -> CalendarEvent:
        return cls(
            id=strawberry.ID(ids.encode("CalendarEvent", row.id)),
            pk=row.id,
            ticket_pk=row.ticket_id,
            created_by_pk=row.created_by_id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            location=row.location,
            notes=row.notes,
            sequence=row.sequence,
            cancelled_at=row.cancelled_at,
            created_at=row.created_at,
        )

    @strawberry.field(description="The technicians invited.")
    async def attendees(self, info: Info) -> list[Technician]:
        loaders = info.context.loaders
        rows = await loaders.attendees_by_event.load(self.pk)
        found = await loaders.technician_by_id.load_many([row.technician_id for row in rows])
        return [Technician.from_model(row) for row in found if row is not None]

    @strawberry.field(description="Who scheduled it.")
    async def created_by(self, info: Info) -> Technician | None:
        if self.created_by_pk is None:
            return None
        row = await info.context.loaders.technician_by_id.load(self.created_by_pk)
        return Technician.from_model(row) if row else None

    @strawberry.field(description="The ID of its ticket.")
    def ticket_id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("Ticket", self.ticket_pk))


@strawberry.type(
    description="Your calendar feed: subscribe to it in Google Calendar, Outlook or Apple Calendar."
)
class CalendarFeed:
    created_at: datetime = strawberry.field(description="When this address was made.")
    url: str | None = strawberry.field(
        description="The secret https address of the .ics feed; shown only when it is made."
    )
    webcal_url: str | None = strawberry.field(
        description="The same address as webcal://, which opens the subscribe dialog; shown only when made."
    )
