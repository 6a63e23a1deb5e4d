"""Planned lists: a page of ``tickets`` is read with the to-one relations its nodes ask for joined, in the
page's own statement, and the per-request loaders are primed with the page's tickets and the joined rows,
as schema.planned does for one ticket; each ticket's resolvers still read through the loaders.

What may be joined, and which joined rows may be shown, is services.visibility's decision
(``joined_to_tickets``, ``ticket_joins``, ``joined_visible``). With ``DESKQL_FAST_PATH=false`` nothing is
planned and each relation is read by its batched loader (tests/test_planned_lists.py compares both).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.queryset import QuerySet

from fastpath import switch
from models.tickets import Ticket
from schema.context import Info
from schema.pagination import Ordering, Page, PageRequest, page
from schema.planned import TICKET_RELATIONS, asks, prime_joined, ticket_plan
from services import visibility

NODES = (("edges", "node"), ("nodes",))
"""Where a connection's tickets are below it."""
CURSORS = (("edges", "cursor"), ("pageInfo", "startCursor"), ("pageInfo", "endCursor"))
"""Where a connection's cursors are below it."""


def needs_cursors(info: Info) -> bool:
    """Whether a page's cursors are encoded: always with the fast path off, else only when the selection
    asks for one (a dashboard's ``totalCount nodes { ... }`` asks for none)."""
    return not switch.on() or asks(info, *CURSORS)


async def tickets_page(
    info: Info,
    query: QuerySet[Ticket],
    ordering: Ordering,
    request: PageRequest,
    key: Hashable | None,
    under: tuple[tuple[str, ...], ...] = NODES,
    values: Sequence[Any] = (),
) -> Page[Ticket]:
    """The page of ``query`` (visible tickets), with the relations its nodes ask for joined and the loaders
    primed with them; ``key``: what ``query``'s SQL depends on besides ``values`` (schema.ticket_lists), or
    None; ``under``: where the page's tickets are below the field (a subscription's snapshot holds its
    connection in ``tickets``)."""
    if not switch.on():
        return await page(query, ordering, request)
    viewer = info.context.viewer
    relations = ticket_plan(info, *under) & visibility.ticket_joins(viewer)
    joined = visibility.joined_to_tickets(viewer, query, relations)
    found = await page(joined, ordering, request, None if key is None else (key, relations), values)
    loaders = info.context.loaders
    loaders.ticket_by_id.prime_many({row.id: row for row in found.rows})
    prime_joined(loaders, viewer, found.rows, {name: TICKET_RELATIONS[name][1] for name in relations})
    return found


def count_beside(
    info: Info, query: QuerySet[Ticket], count: Callable[[], Awaitable[int]]
) -> Callable[[], Awaitable[int]]:
    """``count`` of the list ``query``, started now when the fast path is on, the selection asks for
    ``totalCount`` and the list is not read inside a transaction: then it runs on a connection of its own
    while the page is read, and a request waits for one round trip instead of two. Else ``count`` itself,
    run when ``totalCount`` is resolved."""
    query._choose_db_if_not_chosen()
    if not asks(info, ("totalCount",)) or isinstance(query._db, TransactionalDBClient):
        return count
    started = asyncio.ensure_future(count())
    started.add_done_callback(_retrieved)
    return lambda: started


def _retrieved(task: asyncio.Future[int]) -> None:
    """A count whose page failed is never awaited: its error is the page's, not one to log again."""
    if not task.cancelled():
        task.exception()
