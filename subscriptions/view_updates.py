"""``ticketViewUpdated``: a ticket list (a saved view or a filter) live: its first page and count, then each
ticket that enters, leaves or changes within it, with the new count.

Order matters as in ``ticketUpdated``: the account's ticket channel is subscribed (and confirmed by Redis)
before the view's tickets are read, so a change committed in between arrives as an event after the
snapshot. Visibility is ``ticketUpdated``'s: the list is read through services.visibility for the viewer,
an end user never hears of an internal event, and the tickets of each event are read through the loaders
its audience shares. Which tickets the view holds is kept once per process for each view and audience
(subscriptions.view_watch); the event built from one step is shared by that audience's subscribers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from schema import ids
from schema.arguments import page_request
from schema.context import ClientError, Info
from schema.enums import TicketOrder
from schema.inputs import TicketFilter
from schema.loaders import Loaders
from schema.planned_lists import tickets_page
from schema.ticket_lists import TICKET_ORDERS, TicketList, ticket_list
from schema.types.common import connection
from schema.types.live_views import TicketViewEvent, TicketViewEventKind
from schema.types.tickets import Ticket
from services import visibility
from subscriptions import channels
from subscriptions.stream import guarded, messages, realtime_of
from subscriptions.view_watch import Change, Step, Watch

GONE = "NOT_FOUND"
PAGE_NODES = (("tickets", "edges", "node"), ("tickets", "nodes"))
"""Where the tickets of a snapshot's (or a resync's) page are below ``ticketViewUpdated``: planned as
``tickets`` plans its page (schema.planned_lists)."""


async def _page(info: Info, listed: TicketList, first: int, kind: TicketViewEventKind) -> TicketViewEvent:
    ordering = TICKET_ORDERS[listed.order]
    request = page_request(info, ordering, first, None)
    found = await tickets_page(info, listed.query(), ordering, request, None, under=PAGE_NODES)
    counted = await listed.query().count()

    async def count() -> int:
        return counted

    tickets = connection(found, Ticket.from_model, count)
    return TicketViewEvent(kind=kind, count=counted, tickets=tickets)


async def _event(
    info: Info, loaders: Loaders, listed: TicketList, first: int, step: Step | None, changes: tuple[str, ...]
) -> TicketViewEvent | None:
    if step is None:
        return None
    if step.change is Change.RESYNC:
        return await _page(info, listed, first, TicketViewEventKind.RESYNC)
    assert step.ticket_id is not None
    row = await loaders.ticket_by_id.load(step.ticket_id)
    if row is None and step.change is not Change.LEFT:
        return None  # gone again since: its LEFT follows
    return TicketViewEvent(
        kind=TicketViewEventKind(step.change.value),
        count=step.count,
        ticket_id=strawberry.ID(ids.encode("Ticket", step.ticket_id)),
        ticket=None if row is None else Ticket.from_model(row),
        changes=list(changes),
    )


@guarded
async def ticket_view_updated(
    info: Info,
    view_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="A saved view (yours or a shared one).")
    ] = None,
    filter: Annotated[
        TicketFilter | None,
        strawberry.argument(
            description="Conditions, as `tickets(filter:)` takes them; with a view: narrows it."
        ),
    ] = None,
    order_by: Annotated[
        TicketOrder,
        strawberry.argument(description="The order of the first page (a view's own order when left out)."),
    ] = TicketOrder.NEWEST_FIRST,
    first: Annotated[int, strawberry.argument(description="Size of the first page, at most 100.")] = 25,
) -> AsyncGenerator[TicketViewEvent, None]:
    viewer = info.context.viewer
    realtime = realtime_of(info)
    listed = await ticket_list(info, view_id, filter, order_by)
    page_request(info, TICKET_ORDERS[listed.order], first, None)  # a wrong `first` fails before subscribing
    audience = (visibility.audience(viewer), viewer.technician_id if listed.personal else None)
    watch: Watch = realtime.view_watches.acquire((audience, listed.key), listed.query)
    payload = f"ticketViewUpdated:{audience[1]}:{listed.order}:{first}:{listed.key}"
    try:
        async with realtime.hub.subscribe(channels.account_tickets(viewer.account_id)) as subscriber:
            await watch.start()
            info.context.fresh_loaders()
            yield await _page(info, listed, first, TicketViewEventKind.SNAPSHOT)
            async for message in messages(info, subscriber, realtime.revalidate_seconds):
                if message is None:
                    info.context.fresh_loaders()
                    if listed.view_id is not None and not await info.context.loaders.view_by_id.load(
                        listed.view_id
                    ):
                        raise ClientError("The view was deleted or is no longer shared with you.", GONE)
                    continue
                if message.internal and not viewer.is_technician:
                    continue
                if not message.is_resync and message.type not in channels.LISTED:
                    continue
                payloads = message.shared.payloads
                if payload not in payloads:  # the first subscriber of this audience builds it for all
                    step = watch.step(message.shared.event, message.ticket_id, message.is_resync)
                    changes = ("conversation",) if message.type.startswith("comment.") else message.changes
                    payloads[payload] = asyncio.ensure_future(
                        _built(info, message.shared.loaders, listed, first, step, changes)
                    )
                event = await asyncio.shield(payloads[payload])
                if event is not None:
                    yield event
    finally:
        realtime.view_watches.release(watch)


async def _built(
    info: Info,
    loaders: Loaders,
    listed: TicketList,
    first: int,
    step: asyncio.Future[Step | None],
    changes: tuple[str, ...],
) -> TicketViewEvent | None:
    return await _event(info, loaders, listed, first, await asyncio.shield(step), changes)
