"""A timer's arithmetic, exact to the millisecond: what it shows after start, pause, resume and adjust.

A timer is the milliseconds it accumulated in finished runs, plus the current run when it is running.
Pausing folds the current run into the accumulated time; resuming starts a new run; adjusting adds or
removes whole seconds. The time shown is floored to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MILLISECOND = timedelta(milliseconds=1)
MAX_SECONDS = 24 * 3600


class TimerStateError(ValueError):
    """The operation does not apply to the timer in its state (pausing a paused timer, ...)."""


@dataclass(frozen=True)
class TimerClock:
    accumulated_ms: int = 0
    running_since: datetime | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def elapsed_ms(self, now: datetime) -> int:
        if self.running_since is None:
            return self.accumulated_ms
        return self.accumulated_ms + max(0, (now - self.running_since) // MILLISECOND)

    def seconds(self, now: datetime) -> int:
        return self.elapsed_ms(now) // 1000

    def paused(self, now: datetime) -> TimerClock:
        if not self.running:
            raise TimerStateError("The timer is not running.")
        return TimerClock(self.elapsed_ms(now), None)

    def resumed(self, now: datetime) -> TimerClock:
        if self.running:
            raise TimerStateError("The timer is running already.")
        return TimerClock(self.accumulated_ms, now)

    def adjusted(self, seconds: int, now: datetime) -> TimerClock:
        """Add (or with a negative number remove) whole seconds; the result stays within 0..24 hours."""
        total = self.elapsed_ms(now) + seconds * 1000
        if total < 0:
            raise TimerStateError(f"The timer shows {self.seconds(now)} s; it cannot go below zero.")
        if total > MAX_SECONDS * 1000:
            raise TimerStateError("A timer holds at most 24 hours.")
        return TimerClock(self.accumulated_ms + seconds * 1000, self.running_since)
