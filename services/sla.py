"""SLA clocks of tickets: which policy applies, when each target is due, pauses and breaches.

Rules (the README repeats them):
- A ticket gets a policy when it is created and again when its requester changes: the requester's
  customer's policy if it has one, else the account's default policy, else none (no SLA).
- Two clocks start when the ticket is created: first response and resolution. Their targets come from
  the policy by the ticket's priority (a priority change applies the new targets to running clocks)
  and are counted in the policy's business calendar, or around the clock without one.
- Both clocks pause while the ticket's status is in the PENDING category, or is a status flagged
  ``pausesSla``, or is RESOLVED or CLOSED; they resume when it leaves such a status.
- The first response is met by the first public reply of a technician. The resolution is met when the
  ticket enters a RESOLVED or CLOSED status; reopening it clears that and the clock resumes (the time
  spent resolved does not count).
- A clock is breached when it is met after its due time, or is still running after it. While a clock is
  paused with time left its due time is unknown (null) and its remaining time stands still.
- A breach is written to the activity log once, by the periodic breach check or when a late first
  response or resolution happens, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import F, Q

from models.clock import NO_DUE_TIME, utcnow
from models.enums import ActivityKind, Priority, StatusCategory
from models.people import Customer, Requester
from models.sla import FIRST_RESPONSE, RESOLUTION, WEEKDAYS, BusinessCalendar, SlaPause, SlaPolicy
from models.tickets import Ticket, TicketStatus
from services import activity, ticket_durations
from services.sla_engine import Calendar, Window, due_at, elapsed_seconds
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

CLOCK_STOPPING = (StatusCategory.PENDING, StatusCategory.RESOLVED, StatusCategory.CLOSED)
Pauses = Sequence[tuple[datetime, datetime | None]]


def minutes_of(clock_time: str) -> int:
    """ "HH:MM" (00:00 to 24:00) as minutes since midnight."""
    hours, minutes = clock_time.split(":")
    return int(hours) * 60 + int(minutes)


def calendar_from(timezone: str, weekly_hours: dict[str, list[list[str]]], holidays: list[str]) -> Calendar:
    """The engine's calendar for stored fields: weekday names to [["HH:MM", "HH:MM"], ...], ISO dates."""
    weekly = tuple(
        tuple(Window(minutes_of(start), minutes_of(end)) for start, end in weekly_hours.get(day, []))
        for day in WEEKDAYS
    )
    return Calendar(timezone, weekly, frozenset(date.fromisoformat(day) for day in holidays))


def calendar_of(row: BusinessCalendar | None) -> Calendar | None:
    return None if row is None else calendar_from(row.timezone, row.weekly_hours, row.holidays)


def target_seconds(policy: SlaPolicy, priority: Priority, clock: str) -> int:
    return int(policy.targets[priority.value][clock]) * 60


def stops_clocks(status: TicketStatus) -> bool:
    return status.category in CLOCK_STOPPING or status.pauses_sla


@dataclass(frozen=True)
class ClockState:
    target_seconds: int
    due_at: datetime | None
    completed_at: datetime | None
    breached: bool
    remaining_seconds: int
    paused: bool


def measure(
    calendar: Calendar | None,
    start: datetime,
    target: int,
    completed_at: datetime | None,
    pauses: Pauses,
    now: datetime,
) -> ClockState:
    """One clock as of ``now``. A met clock is measured as of the moment it was met."""
    if completed_at is not None:
        # The pause that began when it was met (resolved) must not hide its due time.
        pauses = [
            (begin, end if end is not None and end <= completed_at else completed_at)
            for begin, end in pauses
            if begin < completed_at
        ]
    until = completed_at or now
    due = due_at(calendar, start, target, pauses)
    elapsed = elapsed_seconds(calendar, start, until, pauses)
    return ClockState(
        target_seconds=target,
        due_at=due,
        completed_at=completed_at,
        breached=due is not None and until > due,
        remaining_seconds=target - elapsed,
        paused=completed_at is None and any(end is None for _, end in pauses),
    )


@dataclass(frozen=True)
class TicketSla:
    policy: SlaPolicy
    first_response: ClockState
    resolution: ClockState


def ticket_sla(
    ticket: Ticket, policy: SlaPolicy, calendar: BusinessCalendar | None, pauses: Pauses, now: datetime
) -> TicketSla:
    business = calendar_of(calendar)
    return TicketSla(
        policy=policy,
        first_response=measure(
            business,
            ticket.created_at,
            target_seconds(policy, ticket.priority, FIRST_RESPONSE),
            ticket.first_responded_at,
            pauses,
            now,
        ),
        resolution=measure(
            business,
            ticket.created_at,
            target_seconds(policy, ticket.priority, RESOLUTION),
            ticket.resolved_at,
            pauses,
            now,
        ),
    )


def breached(now: datetime, *, wanted: bool = True) -> Q:
    """Tickets with a breached clock (met after its due time, or not met and past it), for dashboards;
    with ``wanted=False`` the others. Written out both ways because NULLs make NOT (...) drop rows."""
    clocks = (
        ("first_response_due_at", "first_responded_at"),
        ("resolution_due_at", "resolved_at"),
    )

    def q(**conditions: Any) -> Q:
        return Q(**conditions)

    if wanted:
        return Q(
            *(
                q(**{f"{met}__isnull": True, f"{due}__lt": now}) | q(**{f"{met}__gt": F(due)})
                for due, met in clocks
            ),
            join_type="OR",
        )
    return Q(
        *(
            q(**{f"{due}__isnull": True})
            | q(**{f"{met}__isnull": True, f"{due}__gte": now})
            | q(**{f"{met}__lte": F(due)})
            for due, met in clocks
        ),
        join_type="AND",
    )


async def policy_for(account_id: int, requester_id: int) -> SlaPolicy | None:
    requester = await Requester.get(id=requester_id)
    if requester.customer_id is not None:
        customer = await Customer.get(id=requester.customer_id)
        if customer.sla_policy_id is not None:
            return await SlaPolicy.get(id=customer.sla_policy_id)
    return await SlaPolicy.get_or_none(account_id=account_id, is_default=True)


async def _pauses(ticket_id: int) -> list[tuple[datetime, datetime | None]]:
    rows = await SlaPause.filter(ticket_id=ticket_id).order_by("started_at", "id")
    return [(row.started_at, row.ended_at) for row in rows]


async def refresh(ticket: Ticket, now: datetime | None = None, measure: Sequence[str] = ()) -> None:
    """Recompute the stored due times of a ticket (inside the caller's transaction); the clocks named in
    ``measure`` (their met time was just set or cleared) also get their durations stored, in the same
    statement (services.ticket_durations)."""
    now = now or utcnow()
    policy = await SlaPolicy.get_or_none(id=ticket.sla_policy_id) if ticket.sla_policy_id else None
    calendar = (
        await BusinessCalendar.get_or_none(id=policy.calendar_id) if policy and policy.calendar_id else None
    )
    durations: dict[str, Any] = {}
    for clock in measure:
        durations.update(ticket_durations.measured(ticket, calendar_of(calendar), clock))
    if policy is None:
        await Ticket.filter(id=ticket.id).update(
            first_response_due_at=None, resolution_due_at=None, next_sla_due_at=NO_DUE_TIME, **durations
        )
        return
    state = ticket_sla(ticket, policy, calendar, await _pauses(ticket.id), now)
    running = [
        clock.due_at
        for clock in (state.first_response, state.resolution)
        if clock.completed_at is None and not clock.paused and clock.due_at is not None
    ]
    await Ticket.filter(id=ticket.id).update(
        first_response_due_at=state.first_response.due_at,
        resolution_due_at=state.resolution.due_at,
        next_sla_due_at=min(running, default=NO_DUE_TIME),
        **durations,
    )


async def assign_policy(ticket: Ticket, now: datetime | None = None) -> None:
    """Choose the ticket's policy from its requester (creation, requester change) and recompute."""
    policy = await policy_for(ticket.account_id, ticket.requester_id)
    ticket.sla_policy_id = policy.id if policy else None
    await Ticket.filter(id=ticket.id).update(sla_policy_id=ticket.sla_policy_id)
    await refresh(ticket, now)


async def status_changed(
    viewer: Viewer, ticket: Ticket, old: TicketStatus, new: TicketStatus, now: datetime
) -> None:
    """Pause, resume, meet or reopen the clocks for a status change (inside the caller's transaction)."""
    if stops_clocks(new) and not stops_clocks(old):
        await SlaPause.create(ticket_id=ticket.id, started_at=now)
    elif stops_clocks(old) and not stops_clocks(new):
        await SlaPause.filter(ticket_id=ticket.id, ended_at__isnull=True).update(ended_at=now)
    resolved = new.category in (StatusCategory.RESOLVED, StatusCategory.CLOSED)
    was = ticket.resolved_at
    if resolved and ticket.resolved_at is None:
        ticket.resolved_at = now
    elif not resolved:
        ticket.resolved_at = None
    await Ticket.filter(id=ticket.id).update(resolved_at=ticket.resolved_at)
    await refresh(ticket, now, measure=(RESOLUTION,) if ticket.resolved_at != was else ())
    if ticket.resolved_at is not None:
        await _log_late(viewer, ticket, RESOLUTION)


async def first_response_given(viewer: Viewer, ticket: Ticket, at: datetime) -> None:
    """A technician's first public reply meets the first-response target (later ones change nothing)."""
    if ticket.first_responded_at is not None:
        return
    ticket.first_responded_at = at
    await Ticket.filter(id=ticket.id).update(first_responded_at=at)
    await refresh(ticket, at, measure=(FIRST_RESPONSE,))
    await _log_late(viewer, ticket, FIRST_RESPONSE)


async def _log_late(viewer: Viewer, ticket: Ticket, clock: str) -> None:
    fresh = await Ticket.get(id=ticket.id)
    due, met = (
        (fresh.first_response_due_at, fresh.first_responded_at)
        if clock == FIRST_RESPONSE
        else (fresh.resolution_due_at, fresh.resolved_at)
    )
    if due is not None and met is not None and met > due:
        await _log_breach(Viewer.system(viewer.account_id), fresh, clock, due)


async def _log_breach(viewer: Viewer, ticket: Ticket, clock: str, due: datetime) -> bool:
    """Write the breach to the activity log unless it already is there (safe for concurrent checkers)."""
    flag = "first_response_breach_logged" if clock == FIRST_RESPONSE else "resolution_breach_logged"
    claimed = await Ticket.filter(id=ticket.id, **{flag: False}).update(**{flag: True})
    if claimed:
        await activity.record(viewer, ticket.id, ActivityKind.SLA_BREACHED, field=clock, new=due.isoformat())
    return bool(claimed)


async def record_breaches(now: datetime | None = None) -> int:
    """The periodic check: log every clock that is running past its due time. Returns how many it logged."""
    now = now or utcnow()
    logged = 0
    for clock, due_field, met_field, flag in (
        (FIRST_RESPONSE, "first_response_due_at", "first_responded_at", "first_response_breach_logged"),
        (RESOLUTION, "resolution_due_at", "resolved_at", "resolution_breach_logged"),
    ):
        overdue = await Ticket.filter(
            **{f"{due_field}__lt": now, f"{met_field}__isnull": True, flag: False}
        ).only("id", "account_id", due_field)
        for ticket in overdue:
            async with unit_of_work():
                if await _log_breach(
                    Viewer.system(ticket.account_id), ticket, clock, getattr(ticket, due_field)
                ):
                    logged += 1
    return logged
