"""Saved views: named ticket lists (a filter, an order, columns), personal or shared with the account.

Any technician keeps personal views; shared ones are created, changed and deleted by admins. Requesters
have none. The filter is stored as the API takes it (``View.conditions``: the ``TicketFilter`` input in
JSON); the API reads and checks it before it gets here, so this module stores it as given. Views are
listed by ``position``, then name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pypika_tortoise.terms import Parameterizer
from tortoise.queryset import QuerySet

from models.clock import utcnow
from models.tickets import Ticket
from models.views import View
from services import validation, visibility
from services.admin import require_technician
from services.errors import NotFound, PermissionDenied, Problems
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_VIEWS = 200
"""Views one technician may see (their own and the shared ones together): the sidebar counts them all."""
MAX_COLUMNS = 50


def _columns(problems: Problems, columns: Sequence[str]) -> list[str]:
    if len(columns) > MAX_COLUMNS:
        problems.add("columns", f"At most {MAX_COLUMNS} columns (got {len(columns)}).")
    if len(set(columns)) != len(columns):
        problems.add("columns", "Name each column once.")
    return list(columns)


async def create(
    viewer: Viewer,
    *,
    name: str,
    conditions: dict[str, Any],
    order: str,
    columns: Sequence[str],
    shared: bool,
    position: int = 0,
) -> View:
    """Raises PermissionDenied (requesters; shared by a non-admin), ValidationFailed (name, columns)."""
    require_technician(viewer)
    if shared and not viewer.is_admin:
        raise PermissionDenied("Only admins create shared views; save it as personal.")
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=100, one_line=True)
    kept = _columns(problems, columns)
    if await visibility.views(viewer).count() >= MAX_VIEWS:
        problems.add("name", f"At most {MAX_VIEWS} views; delete one first.")
    problems.raise_if_any()
    async with unit_of_work():
        return await View.create(
            account_id=viewer.account_id,
            owner_id=None if shared else viewer.technician_id,
            name=name,
            conditions=conditions,
            order=order,
            columns=kept,
            position=position,
        )


async def _editable(viewer: Viewer, view_id: int) -> View:
    require_technician(viewer)
    view = await visibility.views(viewer).get_or_none(id=view_id)
    if view is None:
        raise NotFound("id")
    if view.owner_id is None and not viewer.is_admin:
        raise PermissionDenied("Only admins change shared views.")
    return view


async def update(
    viewer: Viewer,
    view_id: int,
    *,
    name: Any = UNSET,
    conditions: Any = UNSET,
    order: Any = UNSET,
    columns: Any = UNSET,
    position: Any = UNSET,
) -> View:
    """Changes what is given. Raises PermissionDenied, NotFound (id), ValidationFailed (name, columns)."""
    view = await _editable(viewer, view_id)
    problems = Problems()
    changes: dict[str, Any] = {}
    if name is not UNSET:
        changes["name"] = validation.text(problems, "name", name, max_length=100, one_line=True)
    if columns is not UNSET:
        changes["columns"] = _columns(problems, columns)
    problems.raise_if_any()
    for field, value in (("conditions", conditions), ("order", order), ("position", position)):
        if value is not UNSET:
            changes[field] = value
    async with unit_of_work():
        await View.filter(id=view.id).update(**changes, updated_at=utcnow())
    return await View.get(id=view.id)


async def delete(viewer: Viewer, view_id: int) -> None:
    """Raises PermissionDenied, NotFound (id)."""
    view = await _editable(viewer, view_id)
    async with unit_of_work():
        await View.filter(id=view.id).delete()


async def listed(viewer: Viewer) -> list[View]:
    """The viewer's own views and the account's shared ones, in sidebar order (none for requesters)."""
    return await visibility.views(viewer).order_by("position", "name", "id")


async def counts(queries: Sequence[QuerySet[Ticket]]) -> list[int]:
    """How many tickets each query finds, in one statement (``SELECT (SELECT COUNT(*) ...), ...``): the
    sidebar's counts cost one round trip however many views it shows."""
    if not queries:
        return []
    parameters = Parameterizer()
    parts: list[str] = []
    connection = None
    for index, query in enumerate(queries):
        counting = query.count()
        counting._choose_db_if_not_chosen()
        counting._make_query()
        connection = counting._db
        context = counting.query.QUERY_CLS.SQL_CONTEXT.copy(parameterizer=parameters)
        # Each part is SQL built by Tortoise with its values as parameters; only the alias is ours.
        parts.append(f"({counting.query.get_sql(context)}) AS count{index}")
    assert connection is not None
    _, rows = await connection.execute_query("SELECT " + ", ".join(parts), parameters.values)
    row = dict(rows[0])
    return [int(row[f"count{index}"]) for index in range(len(queries))]
