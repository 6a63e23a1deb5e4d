"""Checks shared by services. Each records a message for the input field it names."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.errors import Problems

_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
MAX_PASSWORD = 1000
MIN_PASSWORD = 10


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(value: str) -> str:
    """Without control characters other than line breaks and tabs, and without lone surrogates: PostgreSQL
    refuses NUL, no encoder takes a surrogate, and iCalendar and email headers cannot carry the rest."""
    return _UNPRINTABLE.sub("", value)


_LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]")


def text(
    problems: Problems,
    field: str,
    value: str,
    *,
    max_length: int,
    required: bool = True,
    one_line: bool = False,
) -> str:
    """The value printable and stripped; an empty required value, one longer than max_length or, for
    ``one_line`` values (names: they end up in mail headers and calendar lines), one with a line break is
    a problem."""
    cleaned = printable(value).strip()
    if required and not cleaned:
        problems.add(field, "Must not be empty.")
    elif len(cleaned) > max_length:
        problems.add(field, f"Must be at most {max_length} characters (got {len(cleaned)}).")
    elif one_line and _LINE_BREAK.search(cleaned):
        problems.add(field, "Must be one line.")
    return cleaned


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
OUT_OF_RANGE = "Must be between the years 1970 and 2999."


def moment(problems: Problems, field: str, value: datetime) -> datetime | None:
    """The (aware) value when it lies in 1970..2999, else None and a problem: near the ends of the calendar,
    moving a time to UTC or adding a duration to it leaves what datetime can hold (OverflowError)."""
    if not EARLIEST <= value < LATEST:
        problems.add(field, OUT_OF_RANGE)
        return None
    return value


def email(problems: Problems, field: str, value: str) -> str:
    cleaned = printable(value).strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        problems.add(field, "Must be an email address such as name@example.com.")
    return cleaned


def password(problems: Problems, field: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        problems.add(field, f"Must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long.")
    return value
