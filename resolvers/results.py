"""Turning a service call into a mutation result: its success type, or the typed error it raised."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from resolvers.nodes import node_of
from schema.errors import ConflictError, Error, from_domain
from schema.ids import InvalidId, decode_as
from services.errors import Conflict, DomainError, ValidationFailed
from services.unset import UNSET

T = TypeVar("T")
S = TypeVar("S")

TypedError = Any
"""The typed error of a service's failure (an ``Error`` from schema.errors.from_domain). Which of them a
mutation's union lists is the mutation's own choice, so this side stays unchecked."""


async def attempt(call: Callable[[], Awaitable[T]], success: Callable[[T], S]) -> S | TypedError:
    """Run ``call`` (argument decoding included) and map its result with ``success``, or its error. The
    success type is checked against the mutation's union: one it does not list fails mypy."""
    try:
        result = await call()
    except DomainError as error:
        mapped: Error = from_domain(error)
        if isinstance(error, Conflict) and isinstance(mapped, ConflictError) and error.current is not None:
            mapped.current = node_of(error.current)
        return mapped
    return success(result)


def pk(value: strawberry.ID, type_name: str, field: str) -> int:
    """The primary key in an input's global ID; a malformed or mistyped ID fails validation of ``field``."""
    try:
        return decode_as(value, type_name)
    except InvalidId as error:
        raise ValidationFailed.one(field, str(error)) from error


def optional_pk(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return None if value is None else pk(value, type_name, field)


def given(value: Any, field: str, *, nullable: bool = False) -> Any:
    """UNSET for an input field left out; a null in a field that cannot be emptied fails validation."""
    if value is strawberry.UNSET:
        return UNSET
    if value is None and not nullable:
        raise ValidationFailed.one(field, "Must not be null; leave the field out to keep its value.")
    return value


def given_pk(value: Any, type_name: str, field: str, *, nullable: bool = False) -> Any:
    value = given(value, field, nullable=nullable)
    if value is UNSET or value is None:
        return value
    return pk(value, type_name, field)
