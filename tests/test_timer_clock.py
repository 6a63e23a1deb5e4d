"""The timer's arithmetic against a reference that replays every millisecond of every run.

Random sequences of start/pause/resume/adjust with random waits; after each step what the timer shows
(floored to the second) must equal the reference. Set DESKQL_TIMER_EXAMPLES to run more sequences.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.timer_clock import TimerClock, TimerStateError

EXAMPLES = 400 * int(os.environ.get("DESKQL_TIMER_EXAMPLES", "1"))
START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a DST night in Europe: UTC does not care

step = st.tuples(
    st.sampled_from(["pause", "resume", "adjust"]),
    st.integers(min_value=0, max_value=3 * 3600 * 1000),  # wait before it, in ms
    st.integers(min_value=-7200, max_value=7200),  # seconds, for adjust
)


class Reference:
    """Counts time the slow way: a list of (from, to) runs plus adjustments."""

    def __init__(self, now: datetime) -> None:
        self.runs: list[tuple[datetime, datetime | None]] = [(now, None)]
        self.adjustments = 0

    def ms(self, now: datetime) -> int:
        total = self.adjustments * 1000
        for begin, end in self.runs:
            total += int(((end or now) - begin) / timedelta(milliseconds=1))
        return total

    @property
    def running(self) -> bool:
        return self.runs[-1][1] is None


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(steps=st.lists(step, max_size=25))
def test_the_timer_shows_exactly_what_the_reference_counts(steps: list[tuple[str, int, int]]) -> None:
    now = START
    clock = TimerClock().resumed(now)
    reference = Reference(now)
    for action, wait_ms, seconds in steps:
        now += timedelta(milliseconds=wait_ms)
        if action == "pause":
            if reference.running:
                clock = clock.paused(now)
                reference.runs[-1] = (reference.runs[-1][0], now)
            else:
                with pytest.raises(TimerStateError):
                    clock.paused(now)
        elif action == "resume":
            if reference.running:
                with pytest.raises(TimerStateError):
                    clock.resumed(now)
            else:
                clock = clock.resumed(now)
                reference.runs.append((now, None))
        else:
            total = reference.ms(now) + seconds * 1000
            if 0 <= total <= 24 * 3600 * 1000:
                clock = clock.adjusted(seconds, now)
                reference.adjustments += seconds
            else:
                with pytest.raises(TimerStateError):
                    clock.adjusted(seconds, now)
        assert clock.elapsed_ms(now) == reference.ms(now)
        assert clock.seconds(now) == reference.ms(now) // 1000
        assert clock.running == reference.running


def test_pausing_twice_is_refused_and_a_paused_timer_stands_still() -> None:
    clock = TimerClock().resumed(START).paused(START + timedelta(seconds=90, milliseconds=999))
    assert clock.seconds(START + timedelta(days=3)) == 90
    with pytest.raises(TimerStateError, match="not running"):
        clock.paused(START + timedelta(days=3))


def test_milliseconds_of_many_short_runs_add_up() -> None:
    clock = TimerClock()
    now = START
    for _ in range(10):  # ten runs of 1.5 s: 15 s, not 10
        clock = clock.resumed(now)
        now += timedelta(milliseconds=1500)
        clock = clock.paused(now)
    assert clock.seconds(now) == 15
