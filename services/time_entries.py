"""Time entries: recorded spans of work on a ticket, from a timer or entered by hand.

Manual entries: the duration defaults to the account's ``defaultTimeEntryMinutes``; a start and an end are
optional and must agree with the duration when all three are given (an entry with only a start ends a
duration later, one with only an end began a duration earlier, one with neither ends now). An entry is
1 minute to 24 hours long. Technicians log their own time; admins may log, change and delete anyone's.
Rates are per hour, 0 to 100,000 with at most two decimals. Totals are exact: the amount is the sum of
rate x hours of billable entries, in Decimal, rounded half up to the cent once, at the end.
Each change writes an activity row (TIME_ENTRY_ADDED, _UPDATED, _DELETED) and emits ``time_entry.changed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models.accounts import Technician
from models.clock import utcnow
from models.enums import ActivityKind, TimeEntrySource
from models.timekeeping import TimeEntry
from services import activity, ticket_settings, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, PermissionDenied, Problems
from services.events import Event
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_SECONDS = 24 * 3600
MAX_RATE = Decimal("100000")
CENT = Decimal("0.01")


def shown(seconds: int) -> str:
    """A duration as the activity log shows it: 1 h 05 min 09 s."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    parts.append(f"{minutes:02d} min" if hours else f"{minutes} min")
    if secs:
        parts.append(f"{secs:02d} s")
    return " ".join(parts)


def _rate(problems: Problems, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        problems.add("rate", "Must be a decimal amount such as 85.50.")
        return None
    if not rate.is_finite() or rate < 0 or rate > MAX_RATE or rate != rate.quantize(CENT):
        problems.add("rate", f"Must be 0 to {MAX_RATE} with at most two decimals.")
    return rate


def _moment(problems: Problems, field: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        problems.add(field, "Must carry a UTC offset, e.g. 2026-03-01T09:30:00Z.")
        return None
    return None if value is None else validation.moment(problems, field, value)


def _span(
    problems: Problems,
    minutes: int | None,
    started: datetime | None,
    ended: datetime | None,
    default_minutes: int,
) -> tuple[datetime, datetime]:
    """The start and end an entry gets from what was given (see the module's rules)."""
    if minutes is not None and not 1 <= minutes <= MAX_SECONDS // 60:
        problems.add("durationMinutes", "Must be 1 to 1440 minutes (24 hours).")
        minutes = None  # reported; a span of -2**31 minutes would leave the calendar (OverflowError)
    if started is not None and ended is not None:
        if ended <= started:
            problems.add("endedAt", "Must be after startedAt.")
        elif ended - started > timedelta(seconds=MAX_SECONDS):
            problems.add("endedAt", "An entry is at most 24 hours long.")
        elif minutes is not None and timedelta(minutes=minutes) != ended - started:
            problems.add("durationMinutes", "Does not match startedAt..endedAt.")
        return started, ended
    duration = timedelta(minutes=minutes if minutes is not None else default_minutes)
    if started is not None:
        return started, started + duration
    end = ended or utcnow()
    return end - duration, end


async def _technician(viewer: Viewer, technician_id: int | None) -> int:
    if technician_id is None or technician_id == viewer.technician_id:
        assert viewer.technician_id is not None
        return viewer.technician_id
    if not viewer.is_admin:
        raise PermissionDenied("Only admins log time for other technicians.")
    if not await Technician.exists(id=technician_id, account_id=viewer.account_id, active=True):
        raise NotFound("technicianId", "technicianId: no active technician of this account has this id.")
    return technician_id


async def record(
    viewer: Viewer,
    ticket_id: int,
    technician_id: int,
    source: TimeEntrySource,
    *,
    started_at: datetime,
    ended_at: datetime,
    description: str = "",
    billable: bool = True,
    rate: Decimal | None = None,
) -> TimeEntry:
    """Write an entry with its activity row (inside the caller's unit of work)."""
    async with unit_of_work() as work:
        entry = await TimeEntry.create(
            account_id=viewer.account_id,
            ticket_id=ticket_id,
            technician_id=technician_id,
            source=source,
            started_at=started_at,
            ended_at=ended_at,
            duration_seconds=int((ended_at - started_at).total_seconds()),
            description=description,
            billable=billable,
            rate=rate,
        )
        await activity.record(
            viewer,
            ticket_id,
            ActivityKind.TIME_ENTRY_ADDED,
            field="timeEntries",
            new=shown(entry.duration_seconds),
        )
        work.emit(
            Event(
                "time_entry.changed",
                viewer.account_id,
                ticket_id,
                ids={"timeEntry": entry.id},
                changes=("added",),
                internal=True,
            )
        )
    return entry


async def add(
    viewer: Viewer,
    ticket_id: int,
    *,
    duration_minutes: int | None = None,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    description: str = "",
    rate: Decimal | None = None,
    billable: bool = True,
    technician_id: int | None = None,
) -> TimeEntry:
    """A manual entry. Raises PermissionDenied; NotFound (ticketId, technicianId); ValidationFailed
    (durationMinutes, startedAt, endedAt, description, rate)."""
    require_technician(viewer)
    problems = Problems()
    description = validation.text(problems, "description", description, max_length=2000, required=False)
    rate = _rate(problems, rate)
    started = _moment(problems, "startedAt", started_at)
    ended = _moment(problems, "endedAt", ended_at)
    default = (await ticket_settings.settings_of(viewer.account_id)).default_time_entry_minutes
    span = _span(problems, duration_minutes, started, ended, default)
    problems.raise_if_any()
    if not await visibility.tickets(viewer).filter(id=ticket_id).exists():
        raise NotFound("ticketId")
    owner = await _technician(viewer, technician_id)
    return await record(
        viewer,
        ticket_id,
        owner,
        TimeEntrySource.MANUAL,
        started_at=span[0],
        ended_at=span[1],
        description=description,
        billable=billable,
        rate=rate,
    )


async def _editable(viewer: Viewer, entry_id: int) -> TimeEntry:
    require_technician(viewer)
    entry = (
        await visibility.time_entries(viewer).select_for_update(of=("time_entry",)).get_or_none(id=entry_id)
    )
    if entry is None:
        raise NotFound("id")
    if entry.technician_id != viewer.technician_id and not viewer.is_admin:
        raise PermissionDenied("Only admins change other technicians' time.")
    return entry


async def update(
    viewer: Viewer,
    entry_id: int,
    *,
    duration_minutes: int | None = UNSET,
    started_at: datetime | None = UNSET,
    ended_at: datetime | None = UNSET,
    description: str = UNSET,
    rate: Decimal | None = UNSET,
    billable: bool = UNSET,
) -> TimeEntry:
    """Change an entry; fields not given stay. A new start or duration moves the end (the duration is kept
    when only the start moves). Raises PermissionDenied, NotFound (id), ValidationFailed (as add)."""
    async with unit_of_work() as work:
        entry = await _editable(viewer, entry_id)
        problems = Problems()
        changes: dict[str, Any] = {}
        if description is not UNSET:
            changes["description"] = validation.text(
                problems, "description", description, max_length=2000, required=False
            )
        if rate is not UNSET:
            changes["rate"] = _rate(problems, rate)
        if billable is not UNSET:
            changes["billable"] = billable
        if not (duration_minutes is UNSET and started_at is UNSET and ended_at is UNSET):
            started = entry.started_at if started_at is UNSET else _moment(problems, "startedAt", started_at)
            if ended_at is not UNSET:  # an explicit end; a duration given too must agree
                minutes = None if duration_minutes is UNSET else duration_minutes
                span = _span(problems, minutes, started, _moment(problems, "endedAt", ended_at), 0)
            elif duration_minutes is not UNSET:  # a new duration from the (new) start
                span = _span(problems, duration_minutes, started, None, 0)
            else:  # only the start moves: the entry keeps its length to the second
                start_at = started or entry.started_at
                span = (start_at, start_at + timedelta(seconds=entry.duration_seconds))
            changes["started_at"], changes["ended_at"] = span
            changes["duration_seconds"] = int((span[1] - span[0]).total_seconds())
        problems.raise_if_any()
        before = entry.duration_seconds
        await TimeEntry.filter(id=entry.id).update(**changes, updated_at=utcnow())
        fresh = await TimeEntry.get(id=entry.id)
        await activity.record(
            viewer,
            entry.ticket_id,
            ActivityKind.TIME_ENTRY_UPDATED,
            field="timeEntries",
            old=shown(before),
            new=shown(fresh.duration_seconds),
        )
        work.emit(
            Event(
                "time_entry.changed",
                viewer.account_id,
                entry.ticket_id,
                ids={"timeEntry": entry.id},
                changes=("updated",),
                internal=True,
            )
        )
        return fresh


async def delete(viewer: Viewer, entry_id: int) -> None:
    """Raises PermissionDenied, NotFound (id)."""
    async with unit_of_work() as work:
        entry = await _editable(viewer, entry_id)
        await TimeEntry.filter(id=entry.id).delete()
        await activity.record(
            viewer,
            entry.ticket_id,
            ActivityKind.TIME_ENTRY_DELETED,
            field="timeEntries",
            old=shown(entry.duration_seconds),
        )
        work.emit(
            Event(
                "time_entry.changed",
                viewer.account_id,
                entry.ticket_id,
                ids={"timeEntry": entry.id},
                changes=("deleted",),
                internal=True,
            )
        )


@dataclass(frozen=True)
class Totals:
    total_seconds: int
    billable_seconds: int
    non_billable_seconds: int
    amount: Decimal


def totals(entries: Iterable[TimeEntry]) -> Totals:
    total = billable = 0
    amount = Decimal(0)
    for entry in entries:
        total += entry.duration_seconds
        if entry.billable:
            billable += entry.duration_seconds
            if entry.rate is not None:
                amount += Decimal(entry.rate) * entry.duration_seconds / 3600
    return Totals(total, billable, total - billable, amount.quantize(CENT, rounding=ROUND_HALF_UP))
