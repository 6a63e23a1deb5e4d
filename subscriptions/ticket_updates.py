"""``ticketUpdated``: the ticket now, then every committed change as the viewer may see it.

Order matters: the channel is subscribed (and confirmed by Redis) before the ticket is read, so a change
committed in between arrives as an event after the snapshot instead of being lost. Each event is read
back through fresh loaders, so visibility applies per subscriber: an end user never receives a note,
nor any event about one (those are dropped, not announced). When the ticket stops being visible
(deleted, merged, moved to another requester) the subscription ends with an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from schema.arguments import object_id
from schema.context import ClientError, Info
from schema.types.activity import Activity
from schema.types.conversation import Comment
from schema.types.realtime import TicketEvent, TicketEventKind
from schema.types.tickets import Ticket
from schema.types.time import TimeEntry
from subscriptions import channels
from subscriptions.stream import guarded, messages, realtime_of

GONE = "NOT_FOUND"
KINDS = {
    "ticket.created": TicketEventKind.TICKET_UPDATED,
    "ticket.updated": TicketEventKind.TICKET_UPDATED,
    "comment.added": TicketEventKind.COMMENT_ADDED,
    "comment.updated": TicketEventKind.COMMENT_UPDATED,
    "activity.added": TicketEventKind.ACTIVITY_ADDED,
    "time_entry.changed": TicketEventKind.TIME_ENTRY_ADDED,
}


async def _ticket(info: Info, ticket_id: int) -> Ticket:
    row = await info.context.loaders.ticket_by_id.load(ticket_id)
    if row is None:
        raise ClientError("The ticket does not exist or is no longer visible to you.", GONE)
    return Ticket.from_model(row)


async def _event(info: Info, ticket: Ticket, message: channels.Message) -> TicketEvent | None:
    kind = KINDS.get(message.type)
    if kind is None:
        return None
    loaders = info.context.loaders
    if kind is TicketEventKind.TICKET_UPDATED:
        return TicketEvent(kind=kind, ticket=ticket, changes=list(message.changes))
    if message.type == "time_entry.changed":
        kind = TicketEventKind(f"TIME_ENTRY_{message.changes[0].upper()}")
        if kind is TicketEventKind.TIME_ENTRY_DELETED:
            return TicketEvent(kind=kind, ticket=ticket, changes=[])
        entry = await loaders.time_entry_by_id.load(message.ids["timeEntry"])
        return (
            None
            if entry is None
            else TicketEvent(kind=kind, ticket=ticket, changes=[], time_entry=TimeEntry.from_model(entry))
        )
    if kind is TicketEventKind.ACTIVITY_ADDED:
        activity = await loaders.activity_by_id.load(message.ids["activity"])
        return (
            None
            if activity is None
            else TicketEvent(kind=kind, ticket=ticket, changes=[], activity=Activity.from_model(activity))
        )
    comment = await loaders.comment_by_id.load(message.ids["comment"])
    return (
        None
        if comment is None
        else TicketEvent(kind=kind, ticket=ticket, changes=[], comment=Comment.from_model(comment))
    )


async def _build(info: Info, ticket_id: int, message: channels.Message) -> TicketEvent | None:
    ticket = await _ticket(info, ticket_id)
    if message.is_resync:
        return TicketEvent(kind=TicketEventKind.RESYNC, ticket=ticket, changes=[])
    return await _event(info, ticket, message)


@guarded
async def ticket_updated(
    info: Info, ticket_id: Annotated[strawberry.ID, strawberry.argument(description="The ticket to follow.")]
) -> AsyncGenerator[TicketEvent, None]:
    viewer = info.context.viewer
    pk = object_id(ticket_id, "Ticket", "ticketId")
    realtime = realtime_of(info)
    async with realtime.hub.subscribe(channels.ticket(pk)) as subscriber:
        info.context.fresh_loaders()
        snapshot = TicketEvent(kind=TicketEventKind.SNAPSHOT, ticket=await _ticket(info, pk), changes=[])
        yield snapshot
        snapshot.release()  # it was sent before this resumes
        async for message in messages(info, subscriber, realtime.revalidate_seconds):
            if message is None:
                info.context.fresh_loaders()
                await _ticket(info, pk)  # still visible?
                continue
            if message.internal and not viewer.is_technician:
                continue
            payloads = message.shared.payloads
            if "ticketUpdated" not in payloads:  # the first subscriber of this audience builds it for all
                payloads["ticketUpdated"] = asyncio.ensure_future(_build(info, pk, message))
            event = await payloads["ticketUpdated"]
            if event is not None:
                yield event
