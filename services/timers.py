"""Technicians' timers on tickets.

Rules:
- A technician has at most one timer per ticket and timers on any number of tickets, but only one runs:
  starting or resuming one pauses the one that runs (a unique constraint on the running technician makes
  this hold under any concurrency: two tabs pressing start at once end with one running timer).
- Start on a ticket without a timer creates a running one; on a paused one resumes it; on a running one
  does nothing. Pause and resume need the timer running and paused respectively.
- Adjust adds or removes whole seconds (the total stays within 0..24 hours); stop turns the time into a
  TimeEntry (source TIMER, ending now) unless it is under a second, and removes the timer; discard
  removes it without an entry. A timer over 24 hours must be adjusted before it is stopped.
- ``open_ticket`` is what the ticket page calls on opening a ticket: it marks the ticket read and, when the
  account's ``autoStartTimer`` is on, starts the timer.
Every change emits ``timer.changed`` to the technician (all their tabs and devices); a stop also adds the
entry with its activity row (services.time_entries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from models.clock import utcnow
from models.enums import TimeEntrySource
from models.tickets import Ticket
from models.timekeeping import TimeEntry, Timer
from services import ticket_reads, ticket_settings, time_entries, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.events import Event
from services.timer_clock import MAX_SECONDS, TimerClock, TimerStateError
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer


@dataclass(frozen=True)
class TimerChange:
    kind: str
    """STARTED, PAUSED, RESUMED, ADJUSTED, STOPPED or DISCARDED."""
    ticket_id: int
    timer: Timer | None
    entry: TimeEntry | None = None


def clock_of(timer: Timer) -> TimerClock:
    return TimerClock(timer.accumulated_ms, timer.running_since)


async def _ticket(viewer: Viewer, ticket_id: int) -> Ticket:
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    return ticket


async def _mine(viewer: Viewer, ticket_id: int) -> Timer:
    timer = (
        await Timer.filter(technician_id=viewer.technician_id, ticket_id=ticket_id)
        .select_for_update()
        .first()
    )
    if timer is None:
        raise NotFound("ticketId", "ticketId: you have no timer on this ticket.")
    return timer


async def _save(timer: Timer, clock: TimerClock) -> None:
    timer.accumulated_ms = clock.accumulated_ms
    timer.running_since = clock.running_since
    timer.running_technician_id = timer.technician_id if clock.running else None
    timer.updated_at = utcnow()
    await timer.save(update_fields=["accumulated_ms", "running_since", "running_technician_id", "updated_at"])


def _emit(work: UnitOfWork, viewer: Viewer, change: TimerChange) -> None:
    ids = {"technician": viewer.technician_id or 0, "ticket": change.ticket_id}
    if change.timer is not None:
        ids["timer"] = change.timer.id
    work.emit(
        Event(
            "timer.changed",
            viewer.account_id,
            change.ticket_id,
            ids=ids,
            changes=(change.kind,),
            internal=True,
        )
    )


async def _pause_running(work: UnitOfWork, viewer: Viewer, except_ticket: int) -> None:
    running = (
        await Timer.filter(running_technician_id=viewer.technician_id)
        .exclude(ticket_id=except_ticket)
        .select_for_update()
        .first()
    )
    if running is not None:
        await _save(running, clock_of(running).paused(utcnow()))
        _emit(work, viewer, TimerChange("PAUSED", running.ticket_id, running))


START_ATTEMPTS = 10


async def start(viewer: Viewer, ticket_id: int) -> TimerChange:
    """Start (or resume) the viewer's timer on the ticket, pausing the one that runs elsewhere.

    Raises PermissionDenied, NotFound (ticketId).
    """
    require_technician(viewer)
    await _ticket(viewer, ticket_id)
    for attempt in range(START_ATTEMPTS):
        try:
            return await _start(viewer, ticket_id)
        except IntegrityError:
            # Another request of this technician started a timer at the same moment and the constraint
            # kept one running; try again against what it committed. Each lost race means another request
            # won, so a burst of tabs settles within as many attempts as there are requests.
            if attempt == START_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _start(viewer: Viewer, ticket_id: int) -> TimerChange:
    async with unit_of_work() as work:
        now = utcnow()
        timer = (
            await Timer.filter(technician_id=viewer.technician_id, ticket_id=ticket_id)
            .select_for_update()
            .first()
        )
        if timer is not None and timer.running_since is not None:
            return TimerChange("STARTED", ticket_id, timer)
        await _pause_running(work, viewer, ticket_id)
        if timer is None:
            timer = await Timer.create(
                account_id=viewer.account_id,
                technician_id=viewer.technician_id,
                ticket_id=ticket_id,
                accumulated_ms=0,
                running_since=now,
                running_technician_id=viewer.technician_id,
            )
            change = TimerChange("STARTED", ticket_id, timer)
        else:
            await _save(timer, clock_of(timer).resumed(now))
            change = TimerChange("RESUMED", ticket_id, timer)
        _emit(work, viewer, change)
        return change


async def pause(viewer: Viewer, ticket_id: int) -> TimerChange:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (ticketId: not running)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        timer = await _mine(viewer, ticket_id)
        try:
            await _save(timer, clock_of(timer).paused(utcnow()))
        except TimerStateError as error:
            raise ValidationFailed.one("ticketId", str(error)) from error
        change = TimerChange("PAUSED", ticket_id, timer)
        _emit(work, viewer, change)
        return change


async def resume(viewer: Viewer, ticket_id: int) -> TimerChange:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (ticketId: running already)."""
    require_technician(viewer)
    try:
        async with unit_of_work() as work:
            timer = await _mine(viewer, ticket_id)
            try:
                clock = clock_of(timer).resumed(utcnow())
            except TimerStateError as error:
                raise ValidationFailed.one("ticketId", str(error)) from error
            await _pause_running(work, viewer, ticket_id)
            await _save(timer, clock)
            change = TimerChange("RESUMED", ticket_id, timer)
            _emit(work, viewer, change)
            return change
    except IntegrityError as error:
        raise ValidationFailed.one(
            "ticketId", "Another of your timers started at the same moment."
        ) from error


async def adjust(viewer: Viewer, ticket_id: int, seconds: int) -> TimerChange:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (seconds)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        timer = await _mine(viewer, ticket_id)
        try:
            await _save(timer, clock_of(timer).adjusted(seconds, utcnow()))
        except TimerStateError as error:
            raise ValidationFailed.one("seconds", str(error)) from error
        change = TimerChange("ADJUSTED", ticket_id, timer)
        _emit(work, viewer, change)
        return change


async def stop(viewer: Viewer, ticket_id: int, description: str = "", billable: bool = True) -> TimerChange:
    """Record the time as an entry ending now and remove the timer.

    Raises PermissionDenied, NotFound (ticketId), ValidationFailed (ticketId: over 24 hours, description).
    """
    require_technician(viewer)
    problems = Problems()
    description = validation.text(problems, "description", description, max_length=2000, required=False)
    problems.raise_if_any()
    async with unit_of_work() as work:
        timer = await _mine(viewer, ticket_id)
        now = utcnow()
        seconds = clock_of(timer).seconds(now)
        if seconds > MAX_SECONDS:
            raise ValidationFailed.one(
                "ticketId",
                f"The timer shows {seconds // 3600} h; adjust it below 24 hours before stopping it.",
            )
        entry = None
        if seconds >= 1:
            entry = await time_entries.record(
                viewer,
                ticket_id,
                viewer.technician_id or 0,
                TimeEntrySource.TIMER,
                started_at=now - timedelta(seconds=seconds),
                ended_at=now,
                description=description,
                billable=billable,
            )
        await Timer.filter(id=timer.id).delete()
        change = TimerChange("STOPPED", ticket_id, None, entry)
        _emit(work, viewer, change)
        return change


async def discard(viewer: Viewer, ticket_id: int) -> TimerChange:
    """Remove the timer without recording anything. Raises PermissionDenied, NotFound (ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        timer = await _mine(viewer, ticket_id)
        await Timer.filter(id=timer.id).delete()
        change = TimerChange("DISCARDED", ticket_id, None)
        _emit(work, viewer, change)
        return change


async def open_ticket(viewer: Viewer, ticket_id: int) -> tuple[Ticket, TimerChange | None]:
    """The page opened the ticket: mark it read (services.ticket_reads), and start a technician's timer
    when the account wants that. Requesters may open their tickets too (never with a timer).

    Raises PermissionDenied, NotFound (ticketId).
    """
    ticket = await ticket_reads.mark_read(viewer, ticket_id)
    if not viewer.is_technician:
        return ticket, None
    settings = await ticket_settings.settings_of(viewer.account_id)
    change = await start(viewer, ticket_id) if settings.auto_start_timer else None
    return ticket, change
