"""The SLA business-time engine, checked against a brute-force reference written from the definition.

The reference steps minute by minute over UTC and asks, for each minute, "is this instant business
time (``astimezone`` + holidays + windows) and not paused?". The property tests use minute-aligned
inputs, so the minute reference is exact: engine seconds == reference minutes * 60. Start instants
are biased toward the DST transition days of the zones under test.

The generated cases are deterministic (``derandomize=True``). For a long run, multiply the number
of examples with the environment variable DESKQL_SLA_EXAMPLES, e.g.
``DESKQL_SLA_EXAMPLES=50 pytest tests/test_sla_engine.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.sla_engine import Calendar, Window, business_intervals, due_at, elapsed_seconds, validate

MULTIPLIER = float(os.environ.get("DESKQL_SLA_EXAMPLES", "1"))
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
Pauses = list[tuple[datetime, datetime | None]]


def examples(count: int) -> settings:
    return settings(
        max_examples=max(1, int(count * MULTIPLIER)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


# ---------------------------------------------------------------- the brute-force reference


def reference_is_business(calendar: Calendar | None, instant: datetime) -> bool:
    if calendar is None:
        return True
    local = instant.astimezone(ZoneInfo(calendar.timezone))
    if local.date() in calendar.holidays:
        return False
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    for window in calendar.weekly[local.weekday()]:
        if window.start_minute * 60 <= seconds < window.end_minute * 60:
            return True
    return False


def reference_is_paused(pauses: Pauses, instant: datetime) -> bool:
    return any(begin <= instant and (end is None or instant < end) for begin, end in pauses)


def reference_business_minutes(calendar: Calendar | None, start: datetime, minutes: int) -> list[bool]:
    """For each UTC minute from start: is it business time?"""
    flags = []
    instant = start
    for _ in range(minutes):
        flags.append(reference_is_business(calendar, instant))
        instant += MINUTE
    return flags


def reference_counted_minutes(business: list[bool], start: datetime, pauses: Pauses) -> list[bool]:
    """For each UTC minute from start: does it count (business time and not paused)?"""
    return [
        is_business and not reference_is_paused(pauses, start + index * MINUTE)
        for index, is_business in enumerate(business)
    ]


def reference_due(start: datetime, counted: list[bool], target_minutes: int) -> datetime | None:
    """The end of the minute at which the count reaches the target (start for a target of 0)."""
    if target_minutes == 0:
        return start
    count = 0
    for index, counts in enumerate(counted):
        count += counts
        if count == target_minutes:
            return start + (index + 1) * MINUTE
    return None


# ---------------------------------------------------------------- strategies

ZONES = [
    "UTC",
    "Europe/Rome",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/Sao_Paulo",
]
# The UTC instants of the offset changes of the zones under test (Kathmandu and UTC have none; Sao Paulo
# dropped DST in 2019, and its clocks jumped from 00:00 to 01:00, so those days had no local midnight).
TRANSITIONS = {
    "Europe/Rome": ["2025-03-30T01:00", "2025-10-26T01:00", "2026-03-29T01:00", "2026-10-25T01:00"],
    "America/New_York": ["2025-03-09T07:00", "2025-11-02T06:00", "2026-03-08T07:00", "2027-11-07T06:00"],
    "Australia/Lord_Howe": ["2025-04-05T15:00", "2025-10-04T15:30", "2026-04-04T15:00", "2027-10-02T15:30"],
    "Pacific/Chatham": ["2025-04-05T14:00", "2025-09-27T14:00", "2026-04-04T14:00", "2027-09-25T14:00"],
    "America/Sao_Paulo": ["2018-02-18T02:00", "2018-11-04T03:00", "2019-02-17T02:00"],
}
# Window bounds near the DST switches (01:00-04:00, 02:45/03:45 in Chatham), office hours, midnight.
INTERESTING_MINUTES = [0, 30, 60, 90, 120, 150, 165, 180, 210, 225, 240, 540, 1020, 1410, 1439, 1440]
minutes_of_day = st.sampled_from(list(range(1441)) + INTERESTING_MINUTES * 40)  # one draw, 30% interesting
sometimes = st.sampled_from([False, False, True])


@st.composite
def day_windows(draw: st.DrawFn) -> tuple[Window, ...]:
    """0..3 sorted, non-overlapping windows: consecutive pairs of distinct sorted bounds.

    A third of the days with windows open at midnight, a third run until midnight (night shifts).
    """
    count = draw(st.integers(0, 3))
    bounds = sorted(set(draw(st.lists(minutes_of_day, min_size=2 * count, max_size=2 * count))))
    bounds = bounds[: len(bounds) // 2 * 2]
    if bounds and draw(sometimes):
        bounds[0] = 0
    if bounds and draw(sometimes):
        bounds[-1] = 1440
    return tuple(Window(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2))


@dataclass(frozen=True)
class Case:
    calendar: Calendar | None
    start: datetime
    span_minutes: int
    pauses: Pauses
    target: int  # minutes for minute-aligned cases, seconds otherwise

    @property
    def end(self) -> datetime:
        return self.start + self.span_minutes * MINUTE


@st.composite
def cases(draw: st.DrawFn, *, whole_minutes: bool = True) -> Case:
    span = draw(st.integers(0, 3)) * 1440 + draw(st.integers(0, 1440))
    if draw(st.booleans()):  # across an offset change of the zone
        zone = draw(st.sampled_from(sorted(TRANSITIONS)))
        transition = datetime.fromisoformat(draw(st.sampled_from(TRANSITIONS[zone]))).replace(tzinfo=UTC)
        start = transition - draw(st.integers(0, span)) * MINUTE
    else:
        zone = draw(st.sampled_from(ZONES))
        day = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) + draw(st.integers(0, 1439)) * MINUTE

    def jitter() -> timedelta:
        return timedelta(0) if whole_minutes else draw(st.integers(0, 59)) * SECOND

    start += jitter()
    calendar = None
    if draw(st.integers(0, 9)) > 0:
        holidays = draw(
            st.frozensets(st.integers(-1, 5).map(lambda d: start.date() + timedelta(days=d)), max_size=3)
        )
        patterns = draw(st.lists(day_windows(), min_size=1, max_size=3))  # weekdays share a few patterns
        assignment = draw(st.integers(0, 3**7 - 1))
        weekly = tuple(patterns[assignment // 3**weekday % 3 % len(patterns)] for weekday in range(7))
        calendar = Calendar(zone, weekly, holidays)
    pauses: Pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + draw(st.integers(-600, span)) * MINUTE + jitter()
        pauses.append((begin, begin + draw(st.integers(0, span + 60)) * MINUTE + jitter()))
    if draw(st.sampled_from([False, False, False, True])):
        pauses.append((start + draw(st.integers(-60, span)) * MINUTE + jitter(), None))
    target = draw(st.one_of(st.integers(1, 8 * 60), st.integers(0, span)))
    if not whole_minutes:
        target = target * 60 + draw(st.integers(0, 59))
    return Case(calendar, start, span, pauses, target)


# ---------------------------------------------------------------- properties


@examples(700)
@given(cases())
def test_elapsed_seconds_match_the_minute_by_minute_reference(case: Case) -> None:
    business = reference_business_minutes(case.calendar, case.start, case.span_minutes)
    counted = reference_counted_minutes(business, case.start, case.pauses)
    assert elapsed_seconds(case.calendar, case.start, case.end, case.pauses) == 60 * sum(counted)

    covered = [False] * case.span_minutes
    for first, stop in business_intervals(case.calendar, case.start, case.end):
        for index in range((first - case.start) // MINUTE, (stop - case.start) // MINUTE):
            covered[index] = True
    assert covered == business


@examples(700)
@given(cases())
def test_the_due_time_matches_the_minute_by_minute_reference(case: Case) -> None:
    business = reference_business_minutes(case.calendar, case.start, case.span_minutes)
    counted = reference_counted_minutes(business, case.start, case.pauses)
    expected = reference_due(case.start, counted, case.target)
    horizon = case.span_minutes * MINUTE
    assert due_at(case.calendar, case.start, case.target * 60, case.pauses, horizon=horizon) == expected


@examples(500)
@given(cases(whole_minutes=False))
def test_the_due_time_is_the_earliest_instant_with_the_target_elapsed(case: Case) -> None:
    due = due_at(case.calendar, case.start, case.target, case.pauses, horizon=timedelta(days=30))
    if due is None:
        return
    assert due >= case.start
    assert elapsed_seconds(case.calendar, case.start, due, case.pauses) == case.target
    if case.target > 0:
        assert elapsed_seconds(case.calendar, case.start, due - SECOND, case.pauses) == case.target - 1


@examples(500)
@given(cases(whole_minutes=False))
def test_business_intervals_are_sorted_disjoint_inside_the_range_and_add_up_to_elapsed(case: Case) -> None:
    intervals = list(business_intervals(case.calendar, case.start, case.end))
    for first, stop in intervals:
        assert case.start <= first < stop <= case.end
        assert first.utcoffset() == timedelta(0)
    for (_, previous_stop), (next_first, _) in pairwise(intervals):
        assert previous_stop <= next_first
    total = sum((stop - first) // SECOND for first, stop in intervals)
    assert total == elapsed_seconds(case.calendar, case.start, case.end)


# ---------------------------------------------------------------- examples that document the rules

OFFICE = (Window(9 * 60, 17 * 60),)
ROME_OFFICE = Calendar("Europe/Rome", (OFFICE,) * 5 + ((), ()))
ROME = ZoneInfo("Europe/Rome")


def rome(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME).astimezone(UTC)


def every_day(zone: str, *windows: Window) -> Calendar:
    return Calendar(zone, (tuple(windows),) * 7)


def local_day_hours(calendar: Calendar, day: date) -> float:
    zone = ZoneInfo(calendar.timezone)
    first = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    following = day + timedelta(days=1)
    stop = datetime(following.year, following.month, following.day, tzinfo=zone).astimezone(UTC)
    return elapsed_seconds(calendar, first, stop) / 3600


def test_a_friday_afternoon_target_is_due_on_monday() -> None:
    friday_4pm = rome(2025, 6, 13, 16)
    assert due_at(ROME_OFFICE, friday_4pm, 8 * 3600) == rome(2025, 6, 16, 16)


def test_a_holiday_is_skipped() -> None:
    republic_day = Calendar("Europe/Rome", ROME_OFFICE.weekly, frozenset({date(2025, 6, 2)}))
    assert due_at(republic_day, rome(2025, 5, 30, 16), 8 * 3600) == rome(2025, 6, 3, 16)


def test_a_spring_forward_day_keeps_its_office_hours_and_loses_the_skipped_hour() -> None:
    # Rome, 2025-03-30: 02:00 jumps to 03:00.
    assert local_day_hours(every_day("Europe/Rome", *OFFICE), date(2025, 3, 30)) == 8
    assert local_day_hours(every_day("Europe/Rome", Window(60, 240)), date(2025, 3, 30)) == 2


def test_the_repeated_hour_of_a_fall_back_day_counts_twice() -> None:
    # Rome, 2025-10-26: 03:00 falls back to 02:00, so 02:00-03:00 happens twice.
    assert local_day_hours(every_day("Europe/Rome", Window(120, 180)), date(2025, 10, 26)) == 2
    assert local_day_hours(every_day("Europe/Rome", Window(60, 240)), date(2025, 10, 26)) == 4
    # New York, 2025-11-02: 02:00 falls back to 01:00; in 00:30-01:30 only 01:00-01:30 repeats.
    assert local_day_hours(every_day("America/New_York", Window(30, 90)), date(2025, 11, 2)) == 1.5


def test_half_hour_shifts_of_lord_howe_add_or_remove_half_an_hour() -> None:
    early_hours = every_day("Australia/Lord_Howe", Window(60, 240))
    assert local_day_hours(early_hours, date(2025, 10, 5)) == 2.5  # 02:00 jumps to 02:30
    assert local_day_hours(early_hours, date(2025, 4, 6)) == 3.5  # 02:00 falls back to 01:30


def test_odd_offsets_shift_the_windows_by_whole_minutes() -> None:
    kathmandu = every_day("Asia/Kathmandu", *OFFICE)  # UTC+05:45
    start, end = datetime(2025, 6, 16, tzinfo=UTC), datetime(2025, 6, 17, tzinfo=UTC)
    assert list(business_intervals(kathmandu, start, end)) == [
        (datetime(2025, 6, 16, 3, 15, tzinfo=UTC), datetime(2025, 6, 16, 11, 15, tzinfo=UTC))
    ]


def test_a_pause_pushes_the_due_time() -> None:
    monday_9am = rome(2025, 6, 16, 9)
    assert due_at(ROME_OFFICE, monday_9am, 4 * 3600) == rome(2025, 6, 16, 13)
    lunch = [(rome(2025, 6, 16, 12), rome(2025, 6, 16, 13, 30))]
    assert due_at(ROME_OFFICE, monday_9am, 4 * 3600, lunch) == rome(2025, 6, 16, 14, 30)
    overnight = [(rome(2025, 6, 16, 20), rome(2025, 6, 17, 8))]  # outside business hours: no effect
    assert due_at(ROME_OFFICE, monday_9am, 4 * 3600, overnight) == rome(2025, 6, 16, 13)


def test_an_open_pause_leaves_the_due_time_unknown() -> None:
    monday_9am = rome(2025, 6, 16, 9)
    waiting_for_customer = [(rome(2025, 6, 16, 10), None)]
    assert due_at(ROME_OFFICE, monday_9am, 4 * 3600, waiting_for_customer) is None
    assert due_at(ROME_OFFICE, monday_9am, 3600, waiting_for_customer) == rome(2025, 6, 16, 10)
    assert elapsed_seconds(ROME_OFFICE, monday_9am, rome(2025, 6, 20, 9), waiting_for_customer) == 3600


def test_around_the_clock_every_second_counts() -> None:
    start = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    assert due_at(None, start, 5 * 3600) == start + 5 * HOUR
    assert elapsed_seconds(None, start, start + 5 * HOUR, [(start + HOUR, start + 2 * HOUR)]) == 4 * 3600
    assert list(business_intervals(None, start, start + HOUR)) == [(start, start + HOUR)]


def test_a_calendar_without_business_time_has_no_due_time() -> None:
    closed = Calendar("Europe/Rome", ((),) * 7)
    assert due_at(closed, rome(2025, 6, 16, 9), 60) is None
    all_holidays = Calendar("UTC", (OFFICE,) * 7, frozenset(date(2025, 6, d) for d in range(1, 31)))
    assert due_at(all_holidays, datetime(2025, 6, 1, tzinfo=UTC), 60, horizon=timedelta(days=29)) is None


def test_a_target_of_zero_is_due_at_the_start_and_nothing_elapses_before_the_start() -> None:
    saturday = rome(2025, 6, 14, 12)
    assert due_at(ROME_OFFICE, saturday, 0) == saturday
    assert elapsed_seconds(ROME_OFFICE, rome(2025, 6, 16, 12), rome(2025, 6, 16, 11)) == 0


def test_microseconds_are_floored_to_the_second() -> None:
    start = datetime(2025, 6, 16, 10, 0, 0, 900_000, tzinfo=UTC)
    assert elapsed_seconds(None, start, start + timedelta(milliseconds=300)) == 1
    assert due_at(None, start, 2) == datetime(2025, 6, 16, 10, 0, 2, tzinfo=UTC)


def test_a_long_target_lands_on_the_right_office_hour() -> None:
    target = 30 * 24 * 3600  # 720 office hours: 90 working days
    due = due_at(ROME_OFFICE, rome(2025, 1, 6, 9), target)
    assert due == rome(2025, 5, 9, 17)
    assert elapsed_seconds(ROME_OFFICE, rome(2025, 1, 6, 9), due) == target


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        (Calendar("Mars/Olympus_Mons", (OFFICE,) * 7), "unknown time zone"),
        (Calendar("Europe/Rome", (OFFICE,) * 5), "7 entries"),
        (Calendar("UTC", ((Window(0, 1441),),) * 7), "0 <= start < end <= 1440"),
        (Calendar("UTC", ((Window(600, 600),),) * 7), "0 <= start < end <= 1440"),
        (Calendar("UTC", ((Window(540, 720), Window(700, 900)),) * 7), "overlaps"),
        (Calendar("UTC", ((Window(700, 900), Window(540, 600)),) * 7), "overlaps or precedes"),
    ],
)
def test_validate_rejects_unusable_calendars(calendar: Calendar, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate(calendar)
    start = datetime(2025, 6, 16, tzinfo=UTC)
    with pytest.raises(ValueError, match=message):
        business_intervals(calendar, start, start + HOUR)  # at the call, not at the first next()
    with pytest.raises(ValueError, match=message):
        due_at(calendar, start, 60)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        elapsed_seconds(None, datetime(2025, 6, 16), datetime(2025, 6, 17))
    with pytest.raises(ValueError, match="timezone-aware"):
        business_intervals(None, datetime(2025, 6, 16), datetime(2025, 6, 17))
