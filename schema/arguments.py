"""Reading arguments that need checking before any service or query sees them."""

from __future__ import annotations

from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.ids import InvalidId, decode_as
from schema.pagination import InvalidCursor, Ordering, PageRequest


def page_request(info: Info, ordering: Ordering, first: int, after: str | None) -> PageRequest:
    limit = info.context.environment.max_page_size
    if not 0 <= first <= limit:
        raise ClientError(f"`first` must be between 0 and {limit} (got {first}).", BAD_USER_INPUT)
    if after is None:
        return PageRequest(first=first)
    try:
        return PageRequest(first=first, after=ordering.decode(after))
    except InvalidCursor as error:
        raise ClientError(f"`after`: {error}.", BAD_USER_INPUT) from error


def object_id(value: str, type_name: str, argument: str = "id") -> int:
    """The primary key inside a global ID argument of a query; a bad ID is a BAD_USER_INPUT error."""
    try:
        return decode_as(value, type_name)
    except InvalidId as error:
        raise ClientError(f"`{argument}`: {error}", BAD_USER_INPUT) from error
