"""Root query fields."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from fastpath.statements import count_of
from resolvers.nodes import resolve_node
from schema import planned, planned_lists
from schema.arguments import object_id, page_request
from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.enums import TicketOrder
from schema.inputs import TicketFilter
from schema.ticket_lists import TICKET_ORDERS, ticket_list
from schema.types.common import Connection, Node, connection
from schema.types.people import Technician
from schema.types.tickets import Ticket, TicketStatus
from schema.types.viewer import Viewer
from services import visibility

MAX_NODES_PER_CALL = 100


def viewer(info: Info) -> Viewer:
    current = info.context.viewer
    return Viewer(
        account_pk=current.account_id, technician_pk=current.technician_id, requester_pk=current.requester_id
    )


async def node(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
) -> Node | None:
    return await resolve_node(info, id, plan=True)


async def nodes(
    info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="Up to 100 global IDs.")]
) -> list[Node | None]:
    if len(ids) > MAX_NODES_PER_CALL:
        raise ClientError(f"`ids`: at most {MAX_NODES_PER_CALL} (got {len(ids)}).", BAD_USER_INPUT)
    return list(await asyncio.gather(*(resolve_node(info, value) for value in ids)))


async def ticket(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The ticket's ID.")]
) -> Ticket | None:
    row = await planned.ticket(info, "id", object_id(id, "Ticket"))
    return Ticket.from_model(row) if row else None


async def ticket_by_number(
    info: Info, number: Annotated[int, strawberry.argument(description="The ticket number, as in #number.")]
) -> Ticket | None:
    row = await planned.ticket(info, "number", number)
    return Ticket.from_model(row) if row else None


async def tickets(
    info: Info,
    filter: Annotated[
        TicketFilter | None, strawberry.argument(description="Conditions, all of which must hold.")
    ] = None,
    order_by: Annotated[
        TicketOrder, strawberry.argument(description="Sort order.")
    ] = TicketOrder.NEWEST_FIRST,
    first: Annotated[int, strawberry.argument(description="Page size, at most 100.")] = 25,
    after: Annotated[str | None, strawberry.argument(description="endCursor of the previous page.")] = None,
    view_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="A saved view: its filter and order apply; `filter` narrows it further (both must "
            "hold) and an explicit `orderBy` replaces its order."
        ),
    ] = None,
) -> Connection[Ticket]:
    listed = await ticket_list(info, view_id, filter, order_by)
    ordering = TICKET_ORDERS[listed.order]
    request = page_request(info, ordering, first, after)
    query = listed.query()
    key, values = listed.statement_key, listed.statement_values
    counted = None if key is None else (key, "count")

    async def count() -> int:
        return await count_of(query.count(), counted, values)

    total = planned_lists.count_beside(info, query, count)
    found = await planned_lists.tickets_page(info, query, ordering, request, key, values=values)
    return connection(found, Ticket.from_model, total, cursors=planned_lists.needs_cursors(info))


async def technicians(
    info: Info,
    include_inactive: Annotated[
        bool, strawberry.argument(description="Also list deactivated technicians.")
    ] = False,
    team_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only the members of this team (the assignment drop-down)."),
    ] = None,
) -> list[Technician]:
    viewer = info.context.require_technician()
    query = visibility.technicians(viewer)
    if team_id is not None:
        query = query.filter(team_memberships__team_id=object_id(team_id, "Team", "teamId"))
    if not include_inactive:
        query = query.filter(active=True)
    return [Technician.from_model(row) for row in await query.order_by("name", "id")]


async def ticket_statuses(
    info: Info,
    include_archived: Annotated[
        bool, strawberry.argument(description="Also list archived statuses.")
    ] = False,
) -> list[TicketStatus]:
    query = visibility.statuses(info.context.viewer)
    if not include_archived:
        query = query.filter(archived=False)
    return [TicketStatus.from_model(row) for row in await query.order_by("position", "id")]
