"""SLA business-time maths: exact, pure, standard library only.

Rules (this docstring is the documentation of SLA maths):

* All datetimes in and out are timezone-aware (naive ones raise ValueError); results are UTC.
  The engine counts whole seconds: inputs with microseconds are floored to the second.
* A ``Calendar`` has an IANA time zone, seven lists of wall-clock windows (Monday = 0), each window
  ``[start_minute, end_minute)`` in minutes since local midnight, and a set of local holiday dates.
  ``calendar=None`` means around the clock: every instant is business time.
* A UTC instant ``u`` is business time iff, with ``local = u.astimezone(ZoneInfo(calendar.timezone))``,
  ``local.date()`` is not a holiday and some window of ``weekly[local.weekday()]`` holds
  ``start_minute*60 <= local.hour*3600 + local.minute*60 + local.second < end_minute*60``.
  This is wall-clock semantics: on a DST fall-back day a repeated local hour inside a window counts
  twice (both passes are business time); on a spring-forward day the skipped local hour has no
  instants, so it counts zero. 30-minute DST shifts and odd offsets need no special case.
* Pauses are UTC intervals ``[start, end)``; ``end=None`` means paused until further notice. They may
  overlap and may begin before the clock starts; one with ``end <= start`` is empty.
* ``elapsed_seconds`` is the business time in ``[start, now)`` outside every pause (0 if now <= start).
* ``due_at`` is the earliest ``t >= start`` whose elapsed time equals the target (``start`` for a
  target of 0). It is None when the target would only be reached after an open pause began (the due
  time is unknown until the clock resumes), or not by ``start + horizon``.

Method: the UTC range is cut into one-day chunks; the UTC offset is sampled at both ends of a chunk
and, where it differs, the transition second is found by bisection, giving segments of constant
offset ``o``. In such a segment local wall time is ``u + o``, so each local window maps to UTC by
subtracting ``o``. Sampling per day is exact as long as no zone changes its offset and back within a
day: in tzdata the closest offset changes since 1900 are about four days apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Calendar", "Window", "business_intervals", "due_at", "elapsed_seconds", "validate"]

DAY = 86_400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
FOREVER = 1 << 62  # end of an open pause, in seconds since the epoch
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Window:
    start_minute: int  # minutes since local midnight, 0 <= start_minute < end_minute <= 1440
    end_minute: int


@dataclass(frozen=True)
class Calendar:
    timezone: str  # IANA name, e.g. "Europe/Rome"
    weekly: tuple[tuple[Window, ...], ...]  # exactly 7 entries, Monday = 0; sorted, non-overlapping
    holidays: frozenset[date] = frozenset()  # local dates without business time


Pauses = Sequence[tuple[datetime, datetime | None]]


def validate(calendar: Calendar) -> None:
    """Raise ValueError if the calendar is not usable."""
    try:
        ZoneInfo(calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ValueError(f"unknown time zone {calendar.timezone!r}") from None
    if len(calendar.weekly) != 7:
        raise ValueError(f"weekly must have 7 entries (Monday first), got {len(calendar.weekly)}")
    for weekday, windows in enumerate(calendar.weekly):
        previous_end = 0
        for window in windows:
            if not isinstance(window, Window):
                raise ValueError(f"weekday {weekday}: {window!r} is not a Window")
            start, end = window.start_minute, window.end_minute
            if not 0 <= start < end <= 1440:
                raise ValueError(
                    f"weekday {weekday}: window {start}..{end} must have 0 <= start < end <= 1440"
                )
            if start < previous_end:
                raise ValueError(
                    f"weekday {weekday}: window {start}..{end} overlaps or precedes the one before"
                )
            previous_end = end


def _seconds(moment: datetime) -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: datetimes must be timezone-aware (UTC)")
    return (moment - EPOCH) // SECOND  # exact floor, no float rounding


def _moment(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def _offset(zone: ZoneInfo, seconds: int) -> int:
    offset = _moment(seconds).astimezone(zone).utcoffset()
    assert offset is not None
    return offset // SECOND


def _segments(zone: ZoneInfo, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Cut [start, end) into (first, stop, offset) pieces of constant UTC offset."""
    chunk = start
    while chunk < end:
        chunk_end = min(chunk + DAY, end)
        first = chunk
        while first < chunk_end:
            offset = _offset(zone, first)
            if _offset(zone, chunk_end - 1) == offset:
                yield first, chunk_end, offset
                break
            low, high = first, chunk_end - 1  # offset(low) == offset != offset(high)
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            yield first, high, offset
            first = high
        chunk = chunk_end


def _business(calendar: Calendar | None, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Business time in [start, end) as sorted, disjoint (possibly adjacent) second intervals."""
    if calendar is not None:
        validate(calendar)  # eagerly, not at the first next()
    if start >= end or (calendar is not None and not any(calendar.weekly)):
        return iter(())
    if calendar is None:
        return iter(((start, end),))
    return _wall_clock(calendar, ZoneInfo(calendar.timezone), start, end)


def _wall_clock(calendar: Calendar, zone: ZoneInfo, start: int, end: int) -> Iterator[tuple[int, int]]:
    for first, stop, offset in _segments(zone, start, end):
        low, high = first + offset, stop + offset  # the segment in local wall-clock seconds
        for day_number in range(low // DAY, (high - 1) // DAY + 1):
            day = date.fromordinal(EPOCH_ORDINAL + day_number)
            if day in calendar.holidays:
                continue
            midnight = day_number * DAY
            for window in calendar.weekly[day.weekday()]:
                opens = max(low, midnight + window.start_minute * 60)
                closes = min(high, midnight + window.end_minute * 60)
                if opens < closes:
                    yield opens - offset, closes - offset


def _merged_pauses(pauses: Pauses) -> list[tuple[int, int]]:
    spans = []
    for pause_start, pause_end in pauses:
        first = _seconds(pause_start)
        stop = FOREVER if pause_end is None else _seconds(pause_end)
        if first < stop:
            spans.append((first, stop))
    merged: list[tuple[int, int]] = []
    for first, stop in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((first, stop))
    return merged


def _unpaused(
    intervals: Iterable[tuple[int, int]], pauses: list[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """The sorted intervals minus the merged pauses."""
    index = 0
    for first, stop in intervals:
        while index < len(pauses) and pauses[index][1] <= first:
            index += 1
        cursor, scan = first, index
        while scan < len(pauses) and pauses[scan][0] < stop and cursor < stop:
            pause_start, pause_end = pauses[scan]
            if pause_start > cursor:
                yield cursor, pause_start
            cursor = max(cursor, pause_end)
            scan += 1
        if cursor < stop:
            yield cursor, stop


def business_intervals(
    calendar: Calendar | None, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The business time within [start, end) as sorted, disjoint, non-empty half-open UTC intervals."""
    return _joined(_business(calendar, _seconds(start), _seconds(end)))


def _joined(intervals: Iterable[tuple[int, int]]) -> Iterator[tuple[datetime, datetime]]:
    pending: tuple[int, int] | None = None
    for first, stop in intervals:
        if pending is not None and first == pending[1]:
            pending = (pending[0], stop)
            continue
        if pending is not None:
            yield _moment(pending[0]), _moment(pending[1])
        pending = (first, stop)
    if pending is not None:
        yield _moment(pending[0]), _moment(pending[1])


def elapsed_seconds(calendar: Calendar | None, start: datetime, now: datetime, pauses: Pauses = ()) -> int:
    """Seconds of business time in [start, now) outside every pause; 0 when now <= start."""
    intervals = _business(calendar, _seconds(start), _seconds(now))
    return sum(stop - first for first, stop in _unpaused(intervals, _merged_pauses(pauses)))


def due_at(
    calendar: Calendar | None,
    start: datetime,
    target_seconds: int,
    pauses: Pauses = (),
    horizon: timedelta = timedelta(days=3660),
) -> datetime | None:
    """The earliest t >= start with elapsed_seconds(calendar, start, t, pauses) == target_seconds.

    None when the target would only be reached after an open pause began, or not by start + horizon.
    """
    if target_seconds < 0:
        raise ValueError(f"target_seconds must be >= 0, got {target_seconds}")
    if calendar is not None:
        validate(calendar)
    origin = _seconds(start)
    if target_seconds == 0:
        return _moment(origin)
    merged = _merged_pauses(pauses)
    limit = origin + horizon // SECOND
    if merged and merged[-1][1] == FOREVER:
        limit = min(limit, merged[-1][0])  # nothing counts once the open pause has begun
    remaining = target_seconds
    for first, stop in _unpaused(_business(calendar, origin, limit), merged):
        if stop - first >= remaining:
            return _moment(first + remaining)
        remaining -= stop - first
    return None
