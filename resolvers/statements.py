"""Loader statements built once per process instead of once per request.

Building SQL is most of Tortoise's cost for the small reads of a page (resolving filters into joins and
rendering them through pypika, about 0.2 to 0.8 ms a statement). A loader reads ``query().filter(<field>__in
=keys)``, where ``query`` is a visibility query for the request's viewer. Its SQL depends only on what the
query factory captured (the viewer), the field, the ordering, the number of keys and the dialect; only the
keys differ from one request to the next. So the statement is built once, by Tortoise, with marker keys;
the positions of the markers among its parameters are noted; later requests put their keys there.

A statement is kept only when that is provably the whole story: the factory is a plain function (no bound
method, partial or default arguments) that captured nothing but the viewer and plain constants, every
marker is one parameter of its own, every other parameter is a plain constant (never a time: a query that
compares with "now" as a datetime is built every time) and the query reads plain rows (no annotations,
related rows or prefetching). Otherwise the query is built as usual. Key lists are padded to a power of
two (repeating the last key), so a loader has a handful of statements, not one per length; lists longer
than MAX_KEPT_KEYS are not kept.

What a factory and services.visibility may depend on, for this to hold: the viewer's account, person
(technician or requester) and role, which are the key (not its token or channel, so the tokens of one
person share statements), and module constants. Reading a setting, the clock as text or anything else
that changes between requests in a visibility query would need its own key here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from types import FunctionType
from typing import Any, TypeVar

from tortoise import connections
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.router import router

from services.viewer import Viewer

ModelT = TypeVar("ModelT", bound=Model)
MARKER = -(2**40)
"""Marker keys are MARKER, MARKER - 1, ...: no id or parent id is negative."""
KEPT = 4096
MAX_KEPT_KEYS = 128
CONSTANTS = (str, int, float, bool, type(None), Enum)


@dataclass(frozen=True)
class Statement:
    model: type[Model]
    sql: str
    parameters: tuple[Any, ...]
    key_positions: tuple[int, ...]


_kept: OrderedDict[Hashable, Statement | None] = OrderedDict()


def _padded(keys: Sequence[int]) -> list[int]:
    size = 1 << (len(keys) - 1).bit_length()
    return [*keys, *[keys[-1]] * (size - len(keys))]


def _factory_key(query: Callable[[], QuerySet[Any]]) -> Hashable | None:
    """What the factory's SQL depends on: its code and what it captured (of a viewer: account, person and
    role); None when that is not plain."""
    if not isinstance(query, FunctionType) or query.__defaults__ or query.__kwdefaults__:
        return None
    captured: list[Hashable] = []
    for cell in query.__closure__ or ():
        value = cell.cell_contents
        if isinstance(value, Viewer):
            captured.append((Viewer, value.account_id, value.technician_id, value.requester_id, value.role))
        elif isinstance(value, CONSTANTS):
            captured.append(value)
        else:
            return None
    return (query.__code__, tuple(captured))


def _plain(queryset: QuerySet[Any]) -> bool:
    return not (
        queryset._annotations
        or queryset._select_related
        or queryset._prefetch_map
        or queryset._prefetch_queries
        or queryset._fields_for_select
        or queryset._single
    )


def _filtered(
    query: Callable[[], QuerySet[ModelT]], field: str, keys: Sequence[int], order: Sequence[str]
) -> QuerySet[ModelT]:
    queryset = query().filter(**{f"{field}__in": list(keys)})
    return queryset.order_by(*order) if order else queryset


def _built(
    query: Callable[[], QuerySet[ModelT]], field: str, size: int, order: Sequence[str]
) -> Statement | None:
    markers = [MARKER - index for index in range(size)]
    queryset = _filtered(query, field, markers, order)
    if not _plain(queryset):
        return None
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    sql, parameters = queryset.query.get_parameterized_sql()
    positions = []
    for marker in markers:
        found = [index for index, value in enumerate(parameters) if value == marker]
        if len(found) != 1:
            return None
        positions.append(found[0])
    others = [value for index, value in enumerate(parameters) if index not in positions]
    if not all(isinstance(value, CONSTANTS) for value in others):
        return None
    return Statement(queryset.model, sql, tuple(parameters), tuple(positions))


async def rows_where_in(
    query: Callable[[], QuerySet[ModelT]], field: str, keys: Sequence[int], order: Sequence[str] = ()
) -> list[ModelT]:
    """``query().filter(<field>__in=keys).order_by(*order)``, from a kept statement when there is one."""
    factory = _factory_key(query)
    if not keys or factory is None or len(keys) > MAX_KEPT_KEYS:
        return list(await _filtered(query, field, keys, order))
    padded = _padded(keys)
    dialect = connections.get("default").capabilities.dialect
    key = (factory, field, tuple(order), len(padded), dialect)
    if key in _kept:
        _kept.move_to_end(key)
        statement = _kept[key]
    else:
        statement = _kept[key] = _built(query, field, len(padded), order)
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    if statement is None:
        return list(await _filtered(query, field, keys, order))
    parameters = list(statement.parameters)
    for position, value in zip(statement.key_positions, padded, strict=True):
        parameters[position] = value
    model = statement.model
    db = router.db_for_read(model) or model._meta.db  # the request's transaction, if any, as Tortoise does
    rows: list[ModelT] = await db.executor_class(model=model, db=db).execute_select(statement.sql, parameters)
    return rows
