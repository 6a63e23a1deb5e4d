"""Keyset pagination: pages follow a cursor made of the sort key, never an OFFSET.

A cursor is the URL-safe base64 of a JSON array holding the sort values of the last row of a page (the
primary key last, so that keys are unique). Pages of several parents at once (the conversations of
the tickets of a list) are read in one statement: one LIMITed branch per parent, joined by UNION ALL,
so each branch walks its index and stops.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pypika_tortoise.terms import Parameterizer
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from fastpath.statements import rows_of, rows_where
from schema.ids import urlsafe_b64

ModelT = TypeVar("ModelT", bound=Model)
MAX_INT = 2**31 - 1
"""Ids and numbers are 32-bit integers in the database."""


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Ordering:
    """Sort fields with their direction; the last must be the primary key."""

    fields: tuple[tuple[str, bool], ...]
    """(field name, descending)."""

    def order_by(self) -> list[str]:
        return [("-" if descending else "") + name for name, descending in self.fields]

    def cursor(self, row: Model) -> str:
        values = [_jsonable(getattr(row, name)) for name, _ in self.fields]
        return urlsafe_b64(json.dumps(values, separators=(",", ":")).encode())

    def decode(self, cursor: str) -> tuple[Any, ...]:
        try:
            values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as error:
            raise InvalidCursor("not a cursor of this connection") from error
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise InvalidCursor("not a cursor of this connection")
        decoded: list[Any] = []
        for (name, _), value in zip(self.fields, values, strict=True):
            decoded.append(_parse(name, value))
        return tuple(decoded)

    def after(self, values: tuple[Any, ...]) -> Q:
        """Rows strictly after ``values`` in this ordering: a >= x and ((a > x) or (a = x and b > y) ...).

        The leading ``a >= x`` is implied by the rest; it is there for PostgreSQL, which does not start an
        index range from an OR and would otherwise walk and filter every row before the cursor."""
        alternatives: list[Q] = []
        for index, (name, descending) in enumerate(self.fields):
            equal = {field: values[i] for i, (field, _) in enumerate(self.fields[:index])}
            beyond = {f"{name}__{'lt' if descending else 'gt'}": values[index]}
            alternatives.append(Q(**equal, **beyond))
        first, descending = self.fields[0]
        start = Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]})
        return start & Q(*alternatives, join_type="OR")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _parse(name: str, value: Any) -> Any:
    if name.endswith("_at"):
        if not isinstance(value, str):
            raise InvalidCursor("not a cursor of this connection")
        try:
            return datetime.fromisoformat(value)
        except ValueError as error:
            raise InvalidCursor("not a cursor of this connection") from error
    if name in {"id", "number"} and (
        not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT
    ):
        raise InvalidCursor("not a cursor of this connection")
    if not isinstance(value, str | int | float | bool | type(None)):
        raise InvalidCursor("not a cursor of this connection")
    return value


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: tuple[Any, ...] | None = None


@dataclass
class Page(Generic[ModelT]):
    rows: list[ModelT]
    has_next: bool
    has_previous: bool
    ordering: Ordering


def _window(query: QuerySet[ModelT], ordering: Ordering, request: PageRequest) -> QuerySet[ModelT]:
    if request.after is not None:
        query = query.filter(ordering.after(request.after))
    return query.order_by(*ordering.order_by()).limit(request.first + 1)


def _page(rows: list[ModelT], ordering: Ordering, request: PageRequest) -> Page[ModelT]:
    return Page(
        rows=rows[: request.first],
        has_next=len(rows) > request.first,
        has_previous=request.after is not None,
        ordering=ordering,
    )


async def page(
    query: QuerySet[ModelT],
    ordering: Ordering,
    request: PageRequest,
    key: Hashable | None = None,
    values: Sequence[Any] = (),
) -> Page[ModelT]:
    """``key``: what ``query``'s SQL depends on besides ``values``, for its statement to be kept
    (fastpath.statements.rows_of)."""
    kept = None if key is None else (key, ordering, request)
    return _page(await rows_of(_window(query, ordering, request), kept, values), ordering, request)


async def pages_by_parent(
    query: Callable[[], QuerySet[ModelT]],
    parent_field: str,
    parent_ids: Sequence[int],
    ordering: Ordering,
    request: PageRequest,
) -> dict[int, Page[ModelT]]:
    """The same page for each parent, in one statement; the first page of one parent from a kept statement
    (fastpath.statements) when there is one."""
    if len(parent_ids) == 1:
        only = parent_ids[0]
        if request.after is None:
            rows = await rows_where(
                query,
                ("page", parent_field, ordering, request.first),
                lambda keys: _window(query().filter(**{parent_field: keys[0]}), ordering, request),
                [only],
            )
            return {only: _page(rows, ordering, request)}
        return {only: await page(query().filter(**{parent_field: only}), ordering, request)}
    base = query()
    branches = [_window(base.filter(**{parent_field: parent}), ordering, request) for parent in parent_ids]
    parameters = Parameterizer()
    parts: list[str] = []
    for index, branch in enumerate(branches):
        branch._choose_db_if_not_chosen()
        branch._make_query()
        context = branch.query.QUERY_CLS.SQL_CONTEXT.copy(parameterizer=parameters)
        # Each branch is SQL built by Tortoise with its values as parameters; only the alias is ours.
        parts.append(f"SELECT * FROM ({branch.query.get_sql(context)}) AS branch{index}")  # noqa: S608
    model = branches[0].model
    connection = branches[0]._db
    _, raw_rows = await connection.execute_query(" UNION ALL ".join(parts), parameters.values)
    grouped: dict[int, list[ModelT]] = {parent: [] for parent in parent_ids}
    for raw in raw_rows:
        row = model._init_from_db(**dict(raw))
        grouped[getattr(row, parent_field)].append(row)
    return {parent: _page(rows, ordering, request) for parent, rows in grouped.items()}
