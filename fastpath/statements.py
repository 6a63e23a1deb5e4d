"""Statements of the reads every request makes, built once per process instead of once per request.

Building SQL is most of Tortoise's cost for the small reads of a page (docs/performance.md). A loader's
read, the first page of a connection, its ``totalCount`` and the request's token differ from one request to
the next only by their keys: the statement is built once, by Tortoise, with marker keys, and later requests
put their keys where the markers were. One is kept only when that is provably the whole story
(``_factory_key``, ``_built``); otherwise the query is built as usual.

So a factory and services.visibility may depend only on the viewer's account, person and role (the key:
not the token or channel, so one person's tokens share statements) and module constants. A setting or the
clock read in a visibility query would need its own key here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from types import FunctionType
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.queryset import CountQuery, QuerySet, ValuesListQuery, ValuesQuery
from tortoise.router import router

from fastpath import switch
from fastpath.arrays import RowCount, RowsArray
from fastpath.rows import instances, joined_reader

ModelT = TypeVar("ModelT", bound=Model)
MARKER = -(2**40)
"""Marker keys are MARKER, MARKER - 1, ...: no id or parent id is negative. Text keys (a token's hash)
get TEXT_MARKER with the same numbers: no stored text starts with a NUL."""
TEXT_MARKER = "\x00kept "
KEPT = 4096
MAX_KEPT_KEYS = 128
"""Longer key lists are built every time."""
CONSTANTS = (str, int, float, bool, type(None), Enum)


@dataclass(frozen=True)
class Statement:
    model: type[Model]
    sql: str
    parameters: tuple[Any, ...]
    key_positions: tuple[int, ...]
    columns: tuple[tuple[str, Callable[[Any], Any]], ...] | None
    """For a ``values_list`` query, each column's alias and conversion; None for model rows or a count."""
    related: tuple[Any, ...] = ()
    """For model rows, Tortoise's reading of their ``select_related`` columns."""
    counts: bool = False
    annotations: tuple[str, ...] = ()
    """For model rows, their annotations: lists and counts (fastpath.arrays), set on each row as read."""

    def bound(self, keys: Sequence[Any]) -> list[Any]:
        parameters = list(self.parameters)
        for position, value in zip(self.key_positions, keys, strict=True):
            parameters[position] = value
        return parameters


_kept: OrderedDict[Hashable, Statement | None] = OrderedDict()


def _marker(key: Any, number: int) -> Any:
    return f"{TEXT_MARKER}{number}" if isinstance(key, str) else number


def _padded(keys: Sequence[Any]) -> list[Any]:
    """The keys padded to a power of two (repeating the last), so a loader has a handful of statements, not
    one per length."""
    size = 1 << (len(keys) - 1).bit_length()
    return [*keys, *[keys[-1]] * (size - len(keys))]


def _constant_set(value: object) -> bool:
    return isinstance(value, frozenset) and all(isinstance(item, CONSTANTS) for item in value)


def _factory_key(query: Callable[..., Any]) -> Hashable | None:
    """What the factory's SQL depends on: its code and what it captured (of a value with a
    ``statement_key``, such as services.viewer.Viewer, that key); None when that is not plain: a bound
    method, a partial, default arguments, or a capture other than the viewer, plain constants, sets of them
    and other such factories."""
    if not isinstance(query, FunctionType) or query.__defaults__ or query.__kwdefaults__:
        return None
    captured: list[Hashable] = []
    for cell in query.__closure__ or ():
        value = cell.cell_contents
        if isinstance(value, CONSTANTS) or _constant_set(value):
            captured.append(value)
        elif (key := getattr(value, "statement_key", None)) is not None:
            captured.append((type(value), key))
        elif isinstance(value, FunctionType) and (inner := _factory_key(value)) is not None:
            captured.append(inner)
        else:
            return None
    return (query.__code__, tuple(captured))


def _reading(query: Any) -> tuple[tuple[tuple[str, Callable[[Any], Any]], ...] | None, bool]:
    """(columns, counts): the columns of a ``values_list``, True for a count, (None, False) for model rows;
    raises ValueError for anything else (annotations on models other than fastpath.arrays' lists and
    counts, prefetching, single rows, offsets)."""
    if isinstance(query, ValuesListQuery) and not query._flat and not query._single:
        return tuple(
            (alias, query.resolve_to_python_value(query.model, name)) for alias, name in query.fields.items()
        ), False
    if isinstance(query, CountQuery) and not query._offset and query._limit is None:
        return None, True
    if isinstance(query, QuerySet) and not (
        not all(isinstance(value, RowsArray | RowCount) for value in query._annotations.values())
        or query._prefetch_map
        or query._prefetch_queries
        or query._fields_for_select
        or query._single
    ):
        return None, False
    raise ValueError("not a query of rows, values or a count")


def _built(query: Any, markers: Sequence[int]) -> Statement | None:
    """The statement of ``query`` built with ``markers`` as its keys, or None unless every marker is one
    parameter of its own and every other parameter a plain constant (never a time: a query that compares
    with "now" is built every time), and the query reads rows, values or a count (``_reading``)."""
    try:
        columns, counts = _reading(query)
    except ValueError:
        return None
    query._choose_db_if_not_chosen()
    query._make_query()
    sql, parameters = query.query.get_parameterized_sql()
    positions = []
    for marker in markers:
        found = [index for index, value in enumerate(parameters) if value == marker]
        if len(found) != 1:
            return None
        positions.append(found[0])
    others = [value for index, value in enumerate(parameters) if index not in positions]
    if not all(isinstance(value, CONSTANTS) for value in others):
        return None
    # Tortoise's first entry is the model itself; only further entries are select_related ones.
    joined = query._select_related_idx if isinstance(query, QuerySet) else []
    related = tuple(joined) if len(joined) > 1 else ()
    annotations = tuple(query._annotations) if isinstance(query, QuerySet) else ()
    return Statement(
        query.model, sql, tuple(parameters), tuple(positions), columns, related, counts, annotations
    )


def _kept_statement(
    factory: Callable[..., Any],
    shape: Hashable,
    build: Callable[[list[Any]], Any],
    keys: Sequence[Any],
) -> tuple[Statement, list[Any]] | None:
    """The kept statement for these keys and the keys padded to its size, or None: build the query as
    usual."""
    if not switch.on():
        return None
    factory_key = _factory_key(factory)
    if not keys or factory_key is None or len(keys) > MAX_KEPT_KEYS:
        return None
    padded = _padded(keys)
    dialect = connections.get("default").capabilities.dialect
    key = (factory_key, shape, len(padded), dialect)
    if key in _kept:
        _kept.move_to_end(key)
        statement = _kept[key]
    else:
        markers = [_marker(padded[0], MARKER - index) for index in range(len(padded))]
        statement = _kept[key] = _built(build(markers), markers)
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    return (statement, padded) if statement is not None else None


def _database(model: type[Model]) -> BaseDBAsyncClient:
    """The connection Tortoise would use now (the caller's transaction, if any)."""
    return router.db_for_read(model) or model._meta.db


def _filtered(
    query: Callable[[], QuerySet[ModelT]], field: str, keys: Sequence[int], order: Sequence[str]
) -> QuerySet[ModelT]:
    queryset = query().filter(**{f"{field}__in": list(keys)})
    return queryset.order_by(*order) if order else queryset


async def _fetched(statement: Statement, keys: list[Any], db: BaseDBAsyncClient | None = None) -> list[Any]:
    """The raw rows of a kept statement with these keys."""
    _, found = await (db or _database(statement.model)).execute_query(statement.sql, statement.bound(keys))
    return list(found)


async def _rows(statement: Statement, keys: list[Any], db: BaseDBAsyncClient | None = None) -> list[Any]:
    """``db``: the connection a query chose; else the one Tortoise would use now (``_database``)."""
    db = db or _database(statement.model)
    dialect = db.capabilities.dialect
    read = joined_reader(statement.model, statement.related[1:], dialect) if statement.related else None
    if not statement.related or read is not None:
        found = await _fetched(statement, keys, db)
        rows = [read(row) for row in found] if read else instances(statement.model, found, dialect)
        for row, values in zip(rows, found, strict=True):
            for name in statement.annotations:
                vars(row)[name] = values[name]
        return rows
    executor = db.executor_class(model=statement.model, db=db, select_related_idx=list(statement.related))
    selected: list[Any] = await executor.execute_select(
        statement.sql, statement.bound(keys), custom_fields=list(statement.annotations)
    )
    return selected


def _reads_rows(kept: tuple[Statement, list[Any]] | None) -> bool:
    return kept is not None and kept[0].columns is None and not kept[0].counts


async def rows_where_in(
    query: Callable[[], QuerySet[ModelT]], field: str, keys: Sequence[int], order: Sequence[str] = ()
) -> list[ModelT]:
    """``query().filter(<field>__in=keys).order_by(*order)``, from a kept statement when there is one."""
    return await rows_where(
        query, ("in", field, tuple(order)), lambda chosen: _filtered(query, field, chosen, order), keys
    )


async def rows_where(
    query: Callable[[], Any],
    shape: Hashable,
    build: Callable[[list[Any]], QuerySet[ModelT]],
    keys: Sequence[Any],
) -> list[ModelT]:
    """The rows of ``build(keys)``, a query made from ``query()`` that ``shape`` describes whole besides the
    keys (ids in an IN list, or one id or text), from a kept statement when there is one."""
    kept = _kept_statement(query, shape, build, keys)
    if not _reads_rows(kept):
        return list(await build(list(keys)))
    assert kept is not None
    return await _rows(*kept)


def _statement_of(query: Any) -> Statement:
    """The statement of ``query`` (whole rows or a count, ``_reading``) as Tortoise builds it, keys and all."""
    columns, counts = _reading(query)
    query._choose_db_if_not_chosen()
    query._make_query()
    sql, parameters = query.query.get_parameterized_sql()
    joined = query._select_related_idx if isinstance(query, QuerySet) else []
    related = tuple(joined) if len(joined) > 1 else ()
    annotations = tuple(query._annotations) if isinstance(query, QuerySet) else ()
    return Statement(query.model, sql, tuple(parameters), (), columns, related, counts, annotations)


def _positions(parameters: Sequence[Any], values: Sequence[Any]) -> tuple[int, ...] | None:
    """Where each of ``values`` is among ``parameters``: the very object, once; None when one is not."""
    positions = []
    for value in values:
        found = [index for index, parameter in enumerate(parameters) if parameter is value]
        if len(found) != 1:
            return None
        positions.append(found[0])
    return tuple(positions)


def _listed(key: Hashable | None, query: Any, values: Sequence[Any] = ()) -> Statement | None:
    """The statement of a list's ``query`` kept under ``key``, built the first time; None when the fast
    path is off or the query is not one of whole rows or a count (``_reading``). ``values``: objects that
    ``query`` holds as parameters of their own, each once, and ``key`` leaves out; a statement is kept only
    where each is found so, and later ones are bound where they were (``Statement.bound``)."""
    if not switch.on():
        return None
    if key is None:
        try:
            return _statement_of(query)
        except ValueError:
            return None
    key = (key, len(values), connections.get("default").capabilities.dialect)
    if key in _lists:
        _lists.move_to_end(key)
        return _lists[key]
    try:
        statement: Statement | None = _statement_of(query)
    except ValueError:
        statement = None
    if statement is not None:
        positions = _positions(statement.parameters, values)
        if positions is None:
            return statement
        statement = replace(statement, key_positions=positions)
    _lists[key] = statement
    if len(_lists) > KEPT:
        _lists.popitem(last=False)
    return statement


_lists: OrderedDict[Hashable, Statement | None] = OrderedDict()


async def rows_of(
    query: QuerySet[ModelT], key: Hashable | None = None, values: Sequence[Any] = ()
) -> list[ModelT]:
    """The rows of ``query``, read by fastpath.rows rather than Tortoise's executor when the fast path is
    on and the query reads whole rows. Its SQL is built by Tortoise, or with ``key``, once: ``key`` must
    hold everything the SQL and its parameters depend on besides ``values``, module constants and
    services.visibility's viewer key (a list's conditions, order and page; see schema.ticket_lists), for a
    list asked again with the same arguments (a dashboard refreshing), or other ``values`` (the times of
    "the last 90 days"), to skip building it."""
    statement = _listed(key, query, values)
    if statement is None or statement.counts or statement.columns is not None:
        return list(await query)
    return await _rows(statement, _bound(statement, values), query._db)


def _bound(statement: Statement, values: Sequence[Any]) -> list[Any]:
    """The keys to bind: ``values`` for a kept statement, none for one built for this query alone."""
    return list(values) if statement.key_positions else []


async def count_of(query: CountQuery, key: Hashable | None = None, values: Sequence[Any] = ()) -> int:
    """``query`` (a count), its SQL kept under ``key`` as ``rows_of`` keeps a page's."""
    statement = _listed(key, query, values)
    if statement is None or not statement.counts:
        return await query
    found = await _fetched(statement, _bound(statement, values), query._db)
    return int(next(iter(dict(found[0]).values()))) if found else 0


async def count_where(query: Callable[[], QuerySet[Any]], field: str, key: int) -> int:
    """``query().filter(<field>=key).count()``, from a kept statement when there is one."""

    def build(keys: list[int]) -> CountQuery:
        return query().filter(**{field: keys[0]}).count()

    kept = _kept_statement(query, ("count", field), build, [key])
    if kept is None or not kept[0].counts:
        return await build([key])
    found = await _fetched(*kept)
    return int(next(iter(dict(found[0]).values()))) if found else 0


async def values_where_in(
    query: Callable[[list[int]], ValuesListQuery[Any]], keys: Sequence[int]
) -> list[tuple[Any, ...]]:
    """``query(keys)`` (a ``values_list`` query filtered by the keys), from a kept statement when there is one."""
    kept = _kept_statement(query, (), query, keys)
    columns = kept[0].columns if kept is not None else None
    if kept is None or columns is None:
        return list(await query(list(keys)))
    return [tuple(convert(row[alias]) for alias, convert in columns) for row in await _fetched(*kept)]


async def values_rows(query: ValuesQuery[Any]) -> list[Any]:
    """The rows of a ``values`` query as the driver returns them (a mapping of each alias to its column),
    without Tortoise's conversion of every value: for a caller that converts the few values it uses
    itself. With the fast path off, Tortoise's dictionaries."""
    if not switch.on():
        return list(await query)
    query._choose_db_if_not_chosen()
    query._make_query()
    _, found = await query._db.execute_query(*query.query.get_parameterized_sql())
    return list(found)
