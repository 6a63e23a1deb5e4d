"""The row reader's quicker conversions (fastpath.rows) give what Tortoise's own ``to_python_value`` gives,
for every kind of value a driver may return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from fastpath.rows import _converter
from models.enums import Priority
from models.tickets import Ticket

TIMES: list[Any] = [
    datetime(2026, 3, 1, 9, 30, 15, 250, tzinfo=UTC),
    datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))),
    datetime(2026, 3, 1, 9, 30),
    "2026-03-01 09:30:00+00:00",
    None,
]
ENUMS: list[Any] = ["HIGH", Priority.LOW, None]


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and left == right and repr(left) == repr(right)


@pytest.mark.parametrize("value", TIMES)
def test_a_time_is_read_as_tortoise_reads_it(value: Any) -> None:
    field = Ticket._meta.fields_map["created_at"]
    assert _same(_converter(field)(value), field.to_python_value(value))


@pytest.mark.parametrize("value", ENUMS)
def test_an_enum_is_read_as_tortoise_reads_it(value: Any) -> None:
    field = Ticket._meta.fields_map["priority"]
    assert _same(_converter(field)(value), field.to_python_value(value))


def test_a_value_no_member_has_fails_as_with_tortoise() -> None:
    field = Ticket._meta.fields_map["priority"]
    with pytest.raises(ValueError, match="URGENT"):
        field.to_python_value("URGENT")
    with pytest.raises(ValueError, match="URGENT"):
        _converter(field)("URGENT")
