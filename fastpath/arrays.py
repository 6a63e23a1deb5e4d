"""To-many lists and counts read in their parent's statement, as PostGraphile reads them: a correlated
subquery that aggregates the list's rows into one JSON array of arrays (``json_agg`` of
``json_build_array`` on PostgreSQL, ``json_group_array`` of ``json_array`` on SQLite), in the order of the
list's own query, or counts them.

``RowsArray`` and ``RowCount`` are the subqueries, annotated on the parent's query; ``values``,
``instances`` and ``count`` turn the annotation's value back into what the loader reads (values, model
instances converted by the model's own fields, a number). Which lists may be read this way, and with which rules, is services.visibility's decision.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pypika_tortoise.context import SqlContext
from pypika_tortoise.enums import Dialects
from pypika_tortoise.terms import Term
from pypika_tortoise.utils import format_alias_sql
from tortoise.fields.base import Field
from tortoise.fields.data import DatetimeField
from tortoise.models import Model
from tortoise.queryset import CountQuery, ValuesListQuery

FUNCTIONS = {
    Dialects.POSTGRESQL: ("json_agg", "json_build_array"),
    Dialects.SQLITE: ("json_group_array", "json_array"),
}
"""The dialect's aggregate of JSON values and its JSON array of columns."""


class RowsArray(Term):
    """``(SELECT <aggregate>(<array>("rows"."0", ...)) FROM (<query>) "rows")``: the rows of a values_list
    query (correlated with the parent's row through its filters) as one JSON array, in the query's order
    (an ordered subquery keeps its order through the aggregate on both dialects)."""

    def __init__(self, query: ValuesListQuery[Any]) -> None:
        super().__init__()
        self.query = query

    def get_sql(self, ctx: SqlContext) -> str:
        aggregate, array = FUNCTIONS[ctx.dialect]
        quote = ctx.quote_char
        rows = f"{quote}rows{quote}"
        columns = ",".join(f"{rows}.{quote}{index}{quote}" for index in range(len(self.query.fields)))
        inner = _subquery(self.query, ctx)
        sql = f"(SELECT {aggregate}({array}({columns})) FROM {inner} {rows})"  # noqa: S608 (our names)
        return _aliased(self, sql, ctx)


class RowCount(Term):
    """``(<count query>)``: a count correlated with the parent's row through its filters."""

    def __init__(self, query: CountQuery) -> None:
        super().__init__()
        self.query = query

    def get_sql(self, ctx: SqlContext) -> str:
        return _aliased(self, _subquery(self.query, ctx), ctx)


def _subquery(query: ValuesListQuery[Any] | CountQuery, ctx: SqlContext) -> str:
    """The query's SQL in parentheses, its parameters collected with the parent's."""
    query._choose_db_if_not_chosen()
    query._make_query()
    sql: str = query.query.get_parameterized_sql(ctx.copy(subquery=True, with_alias=False))[0]
    return sql if sql.startswith("(") else f"({sql})"


def _aliased(term: Term, sql: str, ctx: SqlContext) -> str:
    return format_alias_sql(sql=sql, alias=term.alias, ctx=ctx) if ctx.with_alias else sql


def count(raw: Any) -> int:
    """The value of a RowCount."""
    return int(raw or 0)


def values(raw: Any) -> list[list[Any]]:
    """The rows of a RowsArray's value as lists (no rows: NULL on PostgreSQL, ``[]`` on SQLite)."""
    if raw is None:
        return []
    if isinstance(raw, bytes | str):
        found: list[list[Any]] = json.loads(raw, parse_float=Decimal)
        return found
    return list(raw)


def model_fields(model: type[Model]) -> tuple[str, ...]:
    """The fields a RowsArray of ``model``'s rows selects (``values_list(*model_fields(model))``)."""
    return tuple(model._meta.fields_db_projection)


def instances(model: type[Model], raw: Any) -> list[Model]:
    """The model instances of a RowsArray of ``model_fields(model)``, converted as each field converts a
    value read from the database."""
    converters = _converters.get(model) or _converters.setdefault(model, _converters_of(model))
    return [
        model._init_from_db(
            **{column: convert(value) for (column, convert), value in zip(converters, row, strict=True)}
        )
        for row in values(raw)
    ]


_converters: dict[type[Model], Sequence[tuple[str, Callable[[Any], Any]]]] = {}


def _converters_of(model: type[Model]) -> Sequence[tuple[str, Callable[[Any], Any]]]:
    projection = model._meta.fields_db_projection
    fields = [(projection[name], model._meta.fields_map[name]) for name in model_fields(model)]
    return [(column, _converter(field)) for column, field in fields]


def _converter(field: Field[Any]) -> Callable[[Any], Any]:
    """The field's own conversion; a time in JSON's text is parsed by ``datetime.fromisoformat`` first
    (the same time as Tortoise's ISO 8601 parser gives, in a tenth of its time), then converted by the
    field as a time read from the database."""
    if not isinstance(field, DatetimeField):
        return field.to_python_value

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = datetime.fromisoformat(value)
        return field.to_python_value(value)

    return convert
