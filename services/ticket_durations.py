"""How long a ticket took to its first response and to its resolution, measured once and kept on the ticket
(``first_response_seconds``, ``resolution_seconds``), so that ticketMetrics reads a period's durations with
one aggregate statement instead of measuring every ticket of the period at each request.

What a stored duration is: the time from the ticket's creation to the moment its clock was met
(``first_responded_at``, ``resolved_at``), both instants floored to the second, counted in the business
calendar of the ticket's SLA policy as the policy and its calendar are at that moment (working hours and
holidays in its time zone, as services.sla_engine counts them), around the clock without one; SLA pauses are
not subtracted. ``*_in_business_time`` says which. It is written by services.sla in the statement that
stores the met time, and only then:

- A policy, calendar or requester changed afterwards leaves it as measured (it is a measurement, as the
  activity log is); a later first reply changes nothing, as it does not change ``first_responded_at``.
- Reopening clears the resolution and its duration; resolving again measures again, to the new resolution.
- A resolved ticket moved to another resolved or closed status keeps both.

Rows written in bulk (the migration that added the columns, demo data) are measured by
services.duration_backfill with
the policy each ticket has when it runs: what ticketMetrics computed for them until then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.sla import FIRST_RESPONSE, RESOLUTION
from models.tickets import Ticket
from services.sla_engine import Calendar, elapsed_seconds

CLOCKS = {FIRST_RESPONSE: ("first_responded_at", "first_response"), RESOLUTION: ("resolved_at", "resolution")}
"""Per SLA clock: the column of its met time, and the prefix of its duration's columns."""


def duration(calendar: Calendar | None, created_at: datetime, met_at: datetime | None) -> int | None:
    """The stored duration of a clock met at ``met_at`` (None: not met)."""
    return None if met_at is None else elapsed_seconds(calendar, created_at, met_at)


def measured(ticket: Ticket, calendar: Calendar | None, clock: str) -> dict[str, Any]:
    """The duration columns of one clock as of the ticket's met time (null when not met), also set on
    ``ticket``: for the caller's UPDATE of that ticket."""
    met_field, prefix = CLOCKS[clock]
    met = getattr(ticket, met_field)
    columns = {
        f"{prefix}_seconds": duration(calendar, ticket.created_at, met),
        f"{prefix}_in_business_time": met is not None and calendar is not None,
    }
    for name, value in columns.items():
        setattr(ticket, name, value)
    return columns
