"""Custom field values: what each type accepts, how it is stored (JSON) and shown.

| type | accepts | stored as |
|---|---|---|
| TEXT | a string, at most 500 characters | the stripped string |
| TEXTAREA | a string, at most 10,000 characters | the stripped string |
| NUMBER | an integer (or a string holding one) within +-2^53 | the integer |
| DECIMAL | a number or a decimal string, at most 18 digits before and 6 after the point | the string, e.g. "12.50" |
| DATE | "YYYY-MM-DD" | the same string |
| DATETIME | ISO-8601 with a UTC offset | ISO-8601 in UTC, e.g. "2026-03-01T09:30:00Z" |
| DROPDOWN | one of the options | the option |
| MULTI_SELECT | a list of options | the distinct options, in the order given |
| CHECKBOX | true or false | the boolean |
| URL | an http:// or https:// URL, at most 2,000 characters | the string |

``null`` (and "" or [] for the types that take strings or lists) empties a field; a required field cannot
be emptied.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from models.enums import CustomFieldType
from services import validation

MAX_TEXT = 500
MAX_TEXTAREA = 10_000
MAX_URL = 2_000
MAX_INTEGER = 2**53
MAX_OPTIONS = 200
MAX_OPTION = 100


SCALAR_TYPES = (
    CustomFieldType.TEXT,
    CustomFieldType.NUMBER,
    CustomFieldType.DECIMAL,
    CustomFieldType.DATE,
    CustomFieldType.DATETIME,
    CustomFieldType.CHECKBOX,
    CustomFieldType.URL,
)
"""The types whose stored form does not depend on the field's options (a filter compares those)."""


class InvalidValue(ValueError):
    pass


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidValue("Must be text.")
    cleaned = validation.printable(value).strip()
    if len(cleaned) > limit:
        raise InvalidValue(f"Must be at most {limit} characters (got {len(cleaned)}).")
    return cleaned


def _integer(value: Any) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue("Must be a whole number.")
    if abs(value) > MAX_INTEGER:
        raise InvalidValue(f"Must be between -{MAX_INTEGER} and {MAX_INTEGER}.")
    return value


def _decimal(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidValue("Must be a decimal number such as 12.50.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise InvalidValue("Must be a decimal number such as 12.50.") from error
    if not number.is_finite():
        raise InvalidValue("Must be a finite number.")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    after = max(0, -exponent)
    before = max(0, len(digits) + exponent)
    if before > 18 or after > 6:
        raise InvalidValue("Must have at most 18 digits before the point and 6 after.")
    return format(number, "f")


def _date(value: Any) -> str:
    try:
        return date.fromisoformat(_text(value, 10)).isoformat()
    except ValueError as error:
        raise InvalidValue("Must be a date as YYYY-MM-DD.") from error


def _datetime(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(_text(value, 40))
    except ValueError as error:
        raise InvalidValue(
            "Must be an ISO-8601 date and time with an offset, e.g. 2026-03-01T09:30:00Z."
        ) from error
    if moment.tzinfo is None:
        raise InvalidValue("Must carry a UTC offset, e.g. 2026-03-01T09:30:00+01:00.")
    if not validation.EARLIEST <= moment < validation.LATEST:  # astimezone would overflow near year 1 or 9999
        raise InvalidValue(validation.OUT_OF_RANGE)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _option(value: Any, options: list[str]) -> str:
    if not isinstance(value, str) or value not in options:
        raise InvalidValue(f"Must be one of: {', '.join(options)}.")
    return value


def _options(value: Any, options: list[str]) -> list[str]:
    if not isinstance(value, list):
        raise InvalidValue("Must be a list of options.")
    chosen = [_option(item, options) for item in value]
    return list(dict.fromkeys(chosen))


def _checkbox(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("Must be true or false.")
    return value


def _url(value: Any) -> str:
    text = _text(value, MAX_URL)
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidValue("Must be an http:// or https:// URL.")
    return text


def parse(field_type: CustomFieldType, options: list[str], value: Any) -> Any:
    """The stored form of a value, or None when it empties the field. Raises InvalidValue."""
    if is_empty(value):
        return None
    match field_type:
        case CustomFieldType.TEXT:
            parsed: Any = _text(value, MAX_TEXT)
        case CustomFieldType.TEXTAREA:
            parsed = _text(value, MAX_TEXTAREA)
        case CustomFieldType.NUMBER:
            parsed = _integer(value)
        case CustomFieldType.DECIMAL:
            parsed = _decimal(value)
        case CustomFieldType.DATE:
            parsed = _date(value)
        case CustomFieldType.DATETIME:
            parsed = _datetime(value)
        case CustomFieldType.DROPDOWN:
            parsed = _option(value, options)
        case CustomFieldType.MULTI_SELECT:
            parsed = _options(value, options)
        case CustomFieldType.CHECKBOX:
            parsed = _checkbox(value)
        case CustomFieldType.URL:
            parsed = _url(value)
    return None if is_empty(parsed) else parsed


def dump(value: Any) -> str:
    """The text a value is kept as (TicketFieldValue.value)."""
    return json.dumps(value, separators=(",", ":"))


def load(text: str) -> Any:
    return json.loads(text)


def display(value: Any) -> str | None:
    """A value as the activity log shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def check_options(field_type: CustomFieldType, options: list[str]) -> list[str]:
    """The cleaned option list of a field definition. Raises InvalidValue."""
    takes_options = field_type in (CustomFieldType.DROPDOWN, CustomFieldType.MULTI_SELECT)
    cleaned = [validation.printable(option).strip() for option in options]  # jsonb refuses NUL
    if not takes_options:
        if cleaned:
            raise InvalidValue(f"{field_type.value} fields take no options.")
        return []
    if not cleaned:
        raise InvalidValue("Give at least one option.")
    if len(cleaned) > MAX_OPTIONS:
        raise InvalidValue(f"At most {MAX_OPTIONS} options.")
    if any(not option or len(option) > MAX_OPTION for option in cleaned):
        raise InvalidValue(f"Options must be 1 to {MAX_OPTION} characters.")
    if len(set(cleaned)) != len(cleaned):
        raise InvalidValue("Options must be distinct.")
    return cleaned
