"""Ticket metrics over a period, for dashboards and reports (technicians only: they read SLA clocks, time
entries and money). Each figure is one function and one or two statements, so that a request computes only
what it asks for.

Definitions (docs/dashboards.md repeats them; the period is the UTC instants [start, end)):
- First-response time: from the ticket's creation to its first public reply by a technician
  (``Ticket.first_responded_at``, kept by services.sla), for the tickets first answered in the period.
- Resolution time: from creation to the ticket's latest entry into a RESOLVED or CLOSED status
  (``Ticket.resolved_at``), for the tickets resolved in the period and still resolved. Reopening clears
  the resolution; a ticket resolved again is measured to the new resolution, its reopened time included.
- Both are business time (the SLA engine's seconds of the calendar) where the ticket's SLA policy had a
  business calendar when the clock was met, and wall-clock seconds otherwise; SLA pauses are not
  subtracted. Each is measured once, when the clock is met, and stored (services.ticket_durations).
- SLA compliance per clock, over the tickets with an SLA policy created in the period: met (met by its due
  time, or met with no due time), breached (met after its due time, or not met and past it), in progress
  (not met, not past its due time or due time unknown while paused).
- Created and resolved per UTC day; satisfaction of the surveys answered in the period; time entries
  started in the period; products and expenses dated on a day of the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise import connections
from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from models.clock import utcnow
from models.tickets import Ticket
from services import visibility
from services.errors import ValidationFailed
from services.metric_stats import DurationStats, Period, stats
from services.ticket_counts import day_of
from services.ticket_filters import TicketConditions, matching_tickets
from services.ticket_items import ItemTotals, totals
from services.viewer import Viewer


def period(start: datetime, end: datetime, max_days: int) -> Period:
    """The period [start, end), at most ``max_days`` long; ValidationFailed names the wrong end."""
    for field, moment in (("period.from", start), ("period.to", end)):
        if moment.tzinfo is None:
            raise ValidationFailed.one(field, "Give a time zone offset (Z for UTC).")
    try:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed.one("period", "Give instants between the years 1 and 9999 in UTC.") from None
    if end <= start:
        raise ValidationFailed.one("period.to", "Must be after period.from.")
    if (end - start).total_seconds() > max_days * 86_400:
        raise ValidationFailed.one("period.to", f"A period is at most {max_days} days long.")
    return Period(start, end)


def scope(viewer: Viewer, conditions: TicketConditions) -> QuerySet[Ticket]:
    """The visible tickets a filter keeps."""
    return matching_tickets(viewer, conditions)


def _q(**conditions: Any) -> Q:
    return Q(**conditions)


def _within(field: str, window: Period) -> Q:
    return _q(**{f"{field}__gte": window.start, f"{field}__lt": window.end})


MET = {"first_response": "first_responded_at", "resolution": "resolved_at"}
PERCENTILES = {"median": 0.5, "p90": 0.9}


async def durations(
    viewer: Viewer, conditions: TicketConditions, window: Period, clock: str
) -> DurationStats:
    """First-response (``clock="first_response"``) or resolution times of the tickets met in the period,
    from the durations stored when each was met (services.ticket_durations): one statement. PostgreSQL
    aggregates them (``percentile_cont``); SQLite returns them sorted and services.metric_stats computes
    the same figures."""
    seconds, business = f"{clock}_seconds", f"{clock}_in_business_time"
    met = scope(viewer, conditions).filter(_within(MET[clock], window), **{f"{seconds}__isnull": False})
    if connections.get("default").capabilities.dialect != "postgres":
        rows = await met.order_by(seconds).values_list(seconds, business)
        return stats([int(row[0]) for row in rows], sum(bool(row[1]) for row in rows))
    figures: dict[str, Any] = {
        "count": Count("id"),
        "total": Sum(seconds),
        "business": Count("id", _filter=_q(**{business: True})),
    }
    for name, fraction in PERCENTILES.items():
        figures[name] = RawSQL(f'percentile_cont({fraction}) WITHIN GROUP (ORDER BY "ticket"."{seconds}")')
    row = (await met.annotate(**figures).values(*figures))[0]
    count = int(row["count"])
    return DurationStats(
        count=count,
        median=row["median"],
        p90=row["p90"],
        average=int(row["total"]) / count if count else None,
        business_count=int(row["business"]),
    )


@dataclass(frozen=True)
class ClockCompliance:
    met: int
    breached: int
    in_progress: int


@dataclass(frozen=True)
class SlaCompliance:
    tickets: int
    first_response: ClockCompliance
    resolution: ClockCompliance


def _clock_counts(prefix: str, due: str, met: str, now: datetime) -> dict[str, Count]:
    done = _q(**{f"{met}__isnull": False})
    waiting = _q(**{f"{met}__isnull": True})
    return {
        f"{prefix}_met": Count(
            "id", _filter=done & (_q(**{f"{due}__isnull": True}) | _q(**{f"{met}__lte": F(due)}))
        ),
        f"{prefix}_breached": Count(
            "id", _filter=(done & _q(**{f"{met}__gt": F(due)})) | (waiting & _q(**{f"{due}__lt": now}))
        ),
        f"{prefix}_running": Count(
            "id", _filter=waiting & (_q(**{f"{due}__isnull": True}) | _q(**{f"{due}__gte": now}))
        ),
    }


async def sla_compliance(viewer: Viewer, conditions: TicketConditions, window: Period) -> SlaCompliance:
    now = utcnow()
    counts = {
        "tickets": Count("id"),
        **_clock_counts("fr", "first_response_due_at", "first_responded_at", now),
        **_clock_counts("re", "resolution_due_at", "resolved_at", now),
    }
    query = scope(viewer, conditions).filter(_within("created_at", window), sla_policy_id__isnull=False)
    row = (await query.annotate(**counts).values(*counts))[0]

    def clock(prefix: str) -> ClockCompliance:
        return ClockCompliance(row[f"{prefix}_met"], row[f"{prefix}_breached"], row[f"{prefix}_running"])

    return SlaCompliance(int(row["tickets"]), clock("fr"), clock("re"))


@dataclass(frozen=True)
class DayFlow:
    day: date
    created: int
    resolved: int


async def _per_day(
    viewer: Viewer, conditions: TicketConditions, window: Period, field: str
) -> dict[date, int]:
    rows = await (
        scope(viewer, conditions)
        .filter(_within(field, window))
        .annotate(day=day_of(field), n=Count("id"))
        .group_by("day")
        .values("day", "n")
    )
    return {date.fromisoformat(str(row["day"])): int(row["n"]) for row in rows}


async def created_and_resolved(viewer: Viewer, conditions: TicketConditions, window: Period) -> list[DayFlow]:
    """Every UTC day of the period, with the tickets created and resolved (still resolved) that day."""
    created = await _per_day(viewer, conditions, window, "created_at")
    resolved = await _per_day(viewer, conditions, window, "resolved_at")
    return [DayFlow(day, created.get(day, 0), resolved.get(day, 0)) for day in window.days]


RATINGS = ("support_quality", "technician_knowledge", "overall_helpfulness")


@dataclass(frozen=True)
class Rating:
    average: float | None
    distribution: tuple[int, int, int, int, int]
    """How many surveys gave 1, 2, 3, 4 and 5."""


@dataclass(frozen=True)
class Satisfaction:
    count: int
    ratings: dict[str, Rating]
    """By question: support_quality, technician_knowledge, overall_helpfulness."""


def _on_scope(viewer: Viewer, conditions: TicketConditions) -> Q:
    return Q(ticket_id__in=Subquery(scope(viewer, conditions).values("id")))


async def satisfaction(viewer: Viewer, conditions: TicketConditions, window: Period) -> Satisfaction:
    rows = await (
        visibility.surveys(viewer)
        .filter(_on_scope(viewer, conditions), _within("created_at", window))
        .annotate(n=Count("id"))
        .group_by(*RATINGS)
        .values(*RATINGS, "n")
    )
    total = sum(int(row["n"]) for row in rows)
    ratings = {}
    for question in RATINGS:
        spread = [0] * 5
        for row in rows:
            if 1 <= row[question] <= 5:
                spread[row[question] - 1] += int(row["n"])
        answered = sum(spread)
        points = sum(rating * times for rating, times in enumerate(spread, start=1))
        average = points / answered if answered else None
        ratings[question] = Rating(average, (spread[0], spread[1], spread[2], spread[3], spread[4]))
    return Satisfaction(total, ratings)


@dataclass(frozen=True)
class TrackedTime:
    key: int | None
    """The technician's or the customer's id (None: tickets of requesters without a customer)."""
    billable_seconds: int
    non_billable_seconds: int

    @property
    def total_seconds(self) -> int:
        return self.billable_seconds + self.non_billable_seconds


def _tracked(rows: Iterable[dict[str, Any]], key: str) -> list[TrackedTime]:
    sums: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        sums[row[key]][0 if row["billable"] else 1] += int(row["seconds"] or 0)
    found = [TrackedTime(owner, billable, other) for owner, (billable, other) in sums.items()]
    return sorted(found, key=lambda t: (-t.total_seconds, t.key is None, t.key or 0))


async def time_tracked(
    viewer: Viewer, conditions: TicketConditions, window: Period, by: str
) -> list[TrackedTime]:
    """Seconds of the time entries started in the period, by ``technician_id`` or by customer
    (``ticket__requester__customer_id``), billable and not; most time first."""
    rows = await (
        visibility.time_entries(viewer)
        .filter(_on_scope(viewer, conditions), _within("started_at", window))
        .annotate(seconds=Sum("duration_seconds"))
        .group_by(by, "billable")
        .values(by, "billable", "seconds")
    )
    return _tracked(rows, by)


async def money(viewer: Viewer, conditions: TicketConditions, window: Period) -> ItemTotals:
    """Products and expenses dated on a UTC day of the period, summed as services.ticket_items does."""
    days = window.days
    items = await (
        visibility.ticket_items(viewer)
        .filter(_on_scope(viewer, conditions), date__gte=days[0], date__lte=days[-1])
        .only("id", "kind", "quantity", "unit_price", "billable")
    )
    return totals(items)
