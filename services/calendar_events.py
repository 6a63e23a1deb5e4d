"""Calendar events on tickets (technicians): schedule, update, cancel.

- A title of 1..200 characters, a start and an end with time zone offsets (kept in UTC), the end after
  the start and at most 31 days later, a location of at most 300 characters, notes of at most 2,000;
  control characters other than line breaks and tabs are dropped (iCalendar text cannot carry them).
- Attendees are active technicians of the account (at most 50); none given means the scheduler. Each
  sees the event in their calendar feed (services.calendar_feeds).
- Every change raises the event's ``sequence`` (calendar programs then replace their copy); a cancelled
  event keeps its row and is shown as cancelled in the feeds, and can no longer be changed.
Each writes an activity row (EVENT_SCHEDULED, EVENT_UPDATED, EVENT_CANCELLED) and emits
``ticket.updated`` (calendarEvents), internal: end users never see events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import F

from models.accounts import Technician
from models.calendar import CalendarAttendee, CalendarEvent
from models.clock import utcnow
from models.enums import ActivityKind
from services import activity, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_LENGTH = timedelta(days=31)
MAX_ATTENDEES = 50


@dataclass
class EventFields:
    title: str = UNSET
    starts_at: datetime = UNSET
    ends_at: datetime = UNSET
    location: str = UNSET
    notes: str = UNSET
    attendee_ids: list[int] = UNSET


def _checked(fields: EventFields, current: CalendarEvent | None) -> dict[str, Any]:
    """The columns to write; all problems at once."""
    problems = Problems()
    columns: dict[str, Any] = {}
    if fields.title is not UNSET:
        columns["title"] = validation.text(problems, "title", fields.title, max_length=200)
    if fields.location is not UNSET:
        columns["location"] = validation.text(
            problems, "location", fields.location, max_length=300, required=False
        )
    if fields.notes is not UNSET:
        columns["notes"] = validation.text(problems, "notes", fields.notes, max_length=2000, required=False)
    for name, field in (("starts_at", "startsAt"), ("ends_at", "endsAt")):
        value = getattr(fields, name)
        if value is UNSET:
            continue
        if value.tzinfo is None:
            problems.add(field, "Must carry a time zone offset, e.g. 2026-12-01T09:00:00+01:00.")
        elif validation.moment(problems, field, value) is not None:
            columns[name] = value.astimezone(UTC)
    starts = columns.get("starts_at", current.starts_at if current else None)
    ends = columns.get("ends_at", current.ends_at if current else None)
    if isinstance(starts, datetime) and isinstance(ends, datetime):
        if ends <= starts:
            problems.add("endsAt", "Must be after startsAt.")
        elif ends - starts > MAX_LENGTH:
            problems.add("endsAt", "An event lasts at most 31 days.")
    if fields.attendee_ids is not UNSET and len(set(fields.attendee_ids)) > MAX_ATTENDEES:
        problems.add("attendeeIds", f"At most {MAX_ATTENDEES} attendees.")
    problems.raise_if_any()
    return columns


async def _attendees(viewer: Viewer, event: CalendarEvent, technician_ids: list[int]) -> None:
    wanted = set(technician_ids)
    found = {
        row.id
        for row in await Technician.filter(id__in=wanted, account_id=viewer.account_id, active=True).only(
            "id"
        )
    }
    if found != wanted:
        raise NotFound(
            "attendeeIds", "attendeeIds: no active technician of this account has one of these ids."
        )
    await CalendarAttendee.filter(event_id=event.id).exclude(technician_id__in=wanted).delete()
    have = {row.technician_id for row in await CalendarAttendee.filter(event_id=event.id)}
    await CalendarAttendee.bulk_create(
        [CalendarAttendee(event_id=event.id, technician_id=tid) for tid in sorted(wanted - have)]
    )


async def _logged(
    viewer: Viewer, work: UnitOfWork, event: CalendarEvent, kind: ActivityKind, **values: Any
) -> None:
    await activity.record(viewer, event.ticket_id, kind, field="calendarEvents", **values)
    work.emit(
        Event(
            "ticket.updated",
            viewer.account_id,
            event.ticket_id,
            ids={"calendarEvent": event.id},
            changes=("calendarEvents",),
            internal=True,
        )
    )


def _shown(title: str, starts_at: datetime) -> str:
    return f"{title} ({starts_at:%Y-%m-%d %H:%M} UTC)"


async def schedule(viewer: Viewer, ticket_id: int, fields: EventFields) -> CalendarEvent:
    """Raises PermissionDenied, NotFound (ticketId, attendeeIds), ValidationFailed (title, startsAt,
    endsAt, location, notes, attendeeIds)."""
    require_technician(viewer)
    problems = Problems()
    for name, field in (("title", "title"), ("starts_at", "startsAt"), ("ends_at", "endsAt")):
        if getattr(fields, name) is UNSET:
            problems.add(field, "Required.")
    problems.raise_if_any()
    columns = _checked(fields, None)
    attendees = fields.attendee_ids if fields.attendee_ids not in (UNSET, []) else [viewer.technician_id]
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        event = await CalendarEvent.create(
            account_id=viewer.account_id,
            ticket_id=ticket.id,
            uid=f"event-{uuid.uuid4().hex}@deskql",
            created_by_id=viewer.technician_id,
            **columns,
        )
        await _attendees(viewer, event, [tid for tid in attendees if tid is not None])
        await _logged(
            viewer, work, event, ActivityKind.EVENT_SCHEDULED, new=_shown(event.title, event.starts_at)
        )
    return event


async def _locked(viewer: Viewer, event_id: int) -> CalendarEvent:
    event = (
        await visibility.calendar_events(viewer)
        .select_for_update(of=("calendar_event",))
        .get_or_none(id=event_id)
    )
    if event is None:
        raise NotFound("id")
    if event.cancelled_at is not None:
        raise ValidationFailed.one("id", "The event is cancelled; schedule a new one.")
    return event


async def update(viewer: Viewer, event_id: int, fields: EventFields) -> CalendarEvent:
    """A partial update. Raises PermissionDenied, NotFound (id, attendeeIds), ValidationFailed (id:
    cancelled, title, startsAt, endsAt, location, notes, attendeeIds)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        event = await _locked(viewer, event_id)
        columns = _checked(fields, event)
        changed = {name: value for name, value in columns.items() if getattr(event, name) != value}
        if fields.attendee_ids is not UNSET:
            attendees = fields.attendee_ids or [viewer.technician_id or 0]  # none: the technician alone
            before = {row.technician_id for row in await CalendarAttendee.filter(event_id=event.id)}
            if before != set(attendees):
                await _attendees(viewer, event, attendees)
                changed["attendees"] = True
        if changed:
            columns = {name: value for name, value in changed.items() if name != "attendees"}
            await CalendarEvent.filter(id=event.id).update(
                **columns, sequence=F("sequence") + 1, updated_at=utcnow()
            )
            old = _shown(event.title, event.starts_at)
            new = _shown(str(columns.get("title", event.title)), columns.get("starts_at", event.starts_at))
            await _logged(viewer, work, event, ActivityKind.EVENT_UPDATED, old=old, new=new)
    return await CalendarEvent.get(id=event_id)


async def cancel(viewer: Viewer, event_id: int) -> CalendarEvent:
    """Raises PermissionDenied, NotFound (id), ValidationFailed (id: cancelled already)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        event = await _locked(viewer, event_id)
        await CalendarEvent.filter(id=event.id).update(
            cancelled_at=utcnow(), sequence=F("sequence") + 1, updated_at=utcnow()
        )
        await _logged(
            viewer, work, event, ActivityKind.EVENT_CANCELLED, old=_shown(event.title, event.starts_at)
        )
    return await CalendarEvent.get(id=event_id)
