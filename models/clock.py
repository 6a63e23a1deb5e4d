"""The one clock deskql reads (timezone-aware UTC). Tests may move it with ``set_source``."""

from collections.abc import Callable
from datetime import UTC, datetime

NO_DUE_TIME = datetime(9999, 12, 31, tzinfo=UTC)
"""Stands for "no due time" where a column must sort (after every real due time)."""


def _system_time() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_time


def utcnow() -> datetime:
    return _source()


def set_source(source: Callable[[], datetime] | None) -> None:
    """Read time from ``source`` instead of the system clock (None: the system clock again)."""
    global _source
    _source = source or _system_time
