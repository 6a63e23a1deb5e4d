"""Order statistics of durations and the days of a period: pure, standard library only.

``percentile`` is PostgreSQL's ``percentile_cont``: the value at position ``(n - 1) * fraction`` of the
sorted values, interpolated linearly between its neighbours. Durations are computed in Python on both
databases (business time comes from the SLA engine), so both give the same figures to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


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
