"""Order statistics of durations and the days of a period: pure, standard library only.

``percentile`` is PostgreSQL's ``percentile_cont``: the value at position ``(n - 1) * fraction`` of the
sorted values, interpolated linearly between its neighbours. Durations are computed in Python on both
databases (business time comes from the SLA engine), so both give the same figures to the last bit.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from services.sla_engine import Calendar, business_intervals

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    """The UTC instants ``[start, end)``."""

    start: datetime
    end: datetime

    @property
    def days(self) -> list[date]:
        """The UTC days the period touches, first to last."""
        first, last = self.start.date(), (self.end - timedelta(microseconds=1)).date()
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


@dataclass(frozen=True)
class DurationStats:
    count: int
    median: float | None
    p90: float | None
    average: float | None
    business_count: int
    """How many of the durations are business time (their ticket's SLA policy has a calendar)."""


def percentile(ordered: Sequence[int], fraction: float) -> float | None:
    """percentile_cont(fraction) of values sorted ascending; None for no values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def stats(durations: Iterable[int], business_count: int = 0) -> DurationStats:
    ordered = sorted(durations)
    average = sum(ordered) / len(ordered) if ordered else None
    return DurationStats(
        count=len(ordered),
        median=percentile(ordered, 0.5),
        p90=percentile(ordered, 0.9),
        average=average,
        business_count=business_count,
    )


class BusinessClock:
    """Business seconds between any two instants of a range of one calendar, each in O(log n): the
    calendar's business intervals over the whole range are read once from the SLA engine and summed up, so
    that ``elapsed(a, b)`` equals ``sla_engine.elapsed_seconds(calendar, a, b)`` (whole seconds, no pauses)
    for the thousands of tickets a metric measures. ``between`` takes seconds since the epoch."""

    def __init__(self, calendar: Calendar | None, first: int, last: int) -> None:
        self.calendar = calendar
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.before: list[int] = [0]
        for opens, closes in business_intervals(calendar, _moment(first), _moment(last + 1)):
            self.starts.append(seconds_of(opens))
            self.ends.append(seconds_of(closes))
            self.before.append(self.before[-1] + self.ends[-1] - self.starts[-1])

    def _until(self, moment: int) -> int:
        index = bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0
        return self.before[index] + min(moment, self.ends[index]) - self.starts[index]

    def between(self, first: int, stop: int) -> int:
        return self._until(stop) - self._until(first) if first < stop else 0

    def elapsed(self, start: datetime, end: datetime) -> int:
        return self.between(seconds_of(start), seconds_of(end))


def seconds_of(moment: datetime) -> int:
    """Whole seconds since the epoch, floored (as the SLA engine counts)."""
    return (moment - EPOCH) // timedelta(seconds=1)


def _moment(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=seconds)
