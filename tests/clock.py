"""Moving deskql's clock in tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from models import clock


class TravelClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def to(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


@contextmanager
def frozen_at(moment: datetime) -> Iterator[TravelClock]:
    """deskql's clock stands at ``moment`` until advanced."""
    travel = TravelClock(moment)
    clock.set_source(travel)
    try:
        yield travel
    finally:
        clock.set_source(None)
