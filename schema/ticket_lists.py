"""Which tickets a list shows and in what order: a filter argument, a saved view, or both.

``tickets`` and ``ticketViewUpdated`` read their arguments here, so a view lists the same tickets in both.
With a view, its filter and order apply; a ``filter`` argument narrows it (both must hold) and an ``orderBy``
given explicitly replaces its order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from strawberry.types.nodes import SelectedField
from tortoise.queryset import QuerySet

from models.tickets import Ticket
from schema.arguments import object_id
from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.enums import TicketOrder
from schema.inputs import TicketFilter
from schema.pagination import Ordering
from schema.ticket_filter import checked
from schema.view_filters import stored, view_conditions
from services import ticket_filters
from services.ticket_filters import TicketConditions, TimeRange
from services.viewer import Viewer

TICKET_ORDERS = {
    TicketOrder.NEWEST_FIRST: Ordering((("created_at", True), ("id", True))),
    TicketOrder.OLDEST_FIRST: Ordering((("created_at", False), ("id", False))),
    TicketOrder.RECENTLY_UPDATED: Ordering((("updated_at", True), ("id", True))),
    TicketOrder.SLA_DUE: Ordering((("next_sla_due_at", False), ("id", False))),
    TicketOrder.RELEVANCE: Ordering((("relevance", True), ("id", True))),
}
_MARKER = -7_777_777
"""A technician id no row has: a filter whose SQL carries it depends on the technician (unread
notifications), not only on the audience."""


@dataclass(frozen=True)
class TicketList:
    query: Callable[[], QuerySet[Ticket]]
    """The tickets, unordered, built afresh for each read (a condition may compare with the time now)."""
    order: TicketOrder
    keyed: Callable[[], str] = field(repr=False)
    checked_personal: Callable[[], bool] = field(repr=False)
    view_id: int | None = None
    statement_key: Hashable | None = None
    """What the list's SQL depends on besides ``statement_values`` (fastpath.statements.rows_of), or None
    (``_statement_key``)."""
    statement_values: tuple[datetime, ...] = ()
    """The times of the conditions, bound into the list's kept SQL as parameters (``_times``)."""

    @cached_property
    def key(self) -> str:
        """The conditions as JSON: one key, one set of tickets for viewers of one audience. Worked out when
        asked for (a live view), not for every page of ``tickets``."""
        return self.keyed()

    @cached_property
    def personal(self) -> bool:
        """The tickets depend on the technician, not only on the audience (see services.visibility.audience);
        worked out, by building the list's SQL once more, only when asked for."""
        return self.checked_personal()


def _explicit_order(info: Info) -> bool:
    selected = info.selected_fields[0]
    return isinstance(selected, SelectedField) and "orderBy" in selected.arguments


def _personal(viewer: Viewer, build: Callable[[Viewer], QuerySet[Ticket]]) -> bool:
    if not viewer.is_technician:
        return False
    query = build(replace(viewer, technician_id=_MARKER))
    query._choose_db_if_not_chosen()
    query._make_query()
    _, parameters = query.query.get_parameterized_sql()
    return _MARKER in parameters


def _times(parts: list[TicketConditions]) -> tuple[datetime | None, ...]:
    """Both ends of every time range of the conditions, None where open or not given."""
    ends: list[datetime | None] = []
    for part in parts:
        for name in ticket_filters.RANGES:
            span: TimeRange | None = getattr(part, name)
            ends += (None, None) if span is None else (span.start, span.end)
    return tuple(ends)


def _statement_key(viewer: Viewer, parts: list[TicketConditions], order: TicketOrder) -> Hashable | None:
    """The viewer's key (as services.visibility reads it), the conditions without their times but with
    which ends of their ranges are given, and the order: one statement for "the last 90 days" whenever it
    is asked. None when a condition reads the clock or holds a value that is not hashable (custom field
    options)."""
    if any(part.reads_clock() for part in parts):
        return None
    timeless = tuple(replace(part, **dict.fromkeys(ticket_filters.RANGES)) for part in parts)
    given = tuple(end is not None for end in _times(parts))
    key = (viewer.statement_key, timeless, given, order)
    try:
        hash(key)
    except TypeError:
        return None
    return key


async def ticket_list(
    info: Info, view_id: str | None, filter: TicketFilter | None, order_by: TicketOrder
) -> TicketList:
    """The list of the arguments; raises BAD_USER_INPUT for a view that is not the viewer's, a bad filter,
    or RELEVANCE without a text search, FORBIDDEN for SLA conditions of a requester."""
    viewer = info.context.viewer
    saved: object = None
    view_pk = None
    if view_id is not None:
        view_pk = object_id(view_id, "View", "viewId")
        row = await info.context.loaders.view_by_id.load(view_pk)
        if row is None:
            raise ClientError("`viewId`: no such view.", BAD_USER_INPUT)
        saved = row.conditions
        if not _explicit_order(info):
            order_by = TicketOrder(row.order)
    sorts_by_sla = order_by is TicketOrder.SLA_DUE
    parts: list[TicketConditions] = []
    if view_id is not None:
        parts.append(view_conditions(info, saved, sorts_by_sla=sorts_by_sla))
    if filter is not None or view_id is None:
        parts.append(checked(info, filter, sorts_by_sla=sorts_by_sla))
    searched = next((part for part in parts if part.text is not None), None)
    if order_by is TicketOrder.RELEVANCE and searched is None:
        raise ClientError("`orderBy`: RELEVANCE needs a text search (`filter.text`).", BAD_USER_INPUT)

    def build(who: Viewer) -> QuerySet[Ticket]:
        query = ticket_filters.matching_tickets(who, parts[0])
        for part in parts[1:]:
            query = query.filter(ticket_filters.condition(who, part))
        if order_by is TicketOrder.RELEVANCE and searched is not None:
            query = query.annotate(relevance=ticket_filters.relevance(who, searched))
        return query

    def key() -> str:
        extra = None if filter is None else stored(info, filter)
        return json.dumps([saved, extra], sort_keys=True, separators=(",", ":"))

    return TicketList(
        lambda: build(viewer),
        order_by,
        key,
        lambda: _personal(viewer, build),
        view_pk,
        _statement_key(viewer, parts, order_by),
        tuple(end for end in _times(parts) if end is not None),
    )
