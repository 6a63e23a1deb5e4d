"""``ticketPresence`` and ``setPresenceState``: who is on a ticket and what they are doing.

Subscribing joins the viewer (a technician) to the ticket as VIEWING and yields the whole roster now and
on every change. Every heartbeat the subscription renews its entry and drops expired ones of others (a
worker that died); it announces any change on the ticket's presence channel, and every subscriber reads
the roster again from the store. Ending the subscription (complete, websocket closed, connection lost)
removes the entry at once. After a broadcast outage the entry is written again (Redis may have lost it).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.arguments import object_id
from schema.context import ClientError, Info
from schema.errors import ErrorCode, FieldError, NotFoundError, PermissionDeniedError, ValidationError
from schema.ids import InvalidId, decode_as
from schema.realtime_payloads import SetPresenceStateInput, SetPresenceStateResult, SetPresenceStateSuccess
from schema.types.people import Technician
from schema.types.realtime import Collaborator, PresenceState, TicketPresence
from subscriptions import channels
from subscriptions.broadcast import Realtime
from subscriptions.presence import Entry, roster
from subscriptions.stream import guarded, messages, realtime_of

CHANGED = '{"type":"presence.changed"}'


async def _announce(realtime: Realtime, ticket_id: int) -> None:
    with contextlib.suppress(Exception):  # a broadcast outage must not end the subscription
        await realtime.hub.publish(channels.presence(ticket_id), CHANGED)


async def _roster(info: Info, ticket_id: int, session: str) -> TicketPresence:
    realtime = realtime_of(info)
    viewer = info.context.viewer
    entries = await realtime.presence.entries(ticket_id, time.time())
    people = roster(entries, viewer.technician_id)
    loaders = info.context.fresh_loaders()
    technicians = await loaders.technician_shown_by_id.load_many([p.technician_id for p in people])
    collaborators = [
        Collaborator(
            technician=Technician.from_model(technician),
            state=PresenceState(person.state),
            since=datetime.fromtimestamp(person.since, UTC),
            is_viewer=person.technician_id == viewer.technician_id,
        )
        for person, technician in zip(people, technicians, strict=True)
        if technician is not None
    ]
    return TicketPresence(collaborators=collaborators, total_count=len(collaborators), session_id=session)


async def _heartbeat(realtime: Realtime, ticket_id: int, entry: Entry, resync: bool) -> None:
    """Renew our entry (putting it back if it was lost), drop expired ones, and announce any change."""
    now = time.time()
    expires = now + realtime.presence_ttl_seconds
    lost = not await realtime.presence.renew(ticket_id, entry.session, expires)
    if lost:
        await realtime.presence.put(
            ticket_id,
            Entry(entry.session, entry.technician_id, entry.state, entry.since, entry.joined, expires),
        )
    if await realtime.presence.sweep(ticket_id, now) or lost or resync:
        await _announce(realtime, ticket_id)


@guarded
async def ticket_presence(
    info: Info, ticket_id: Annotated[strawberry.ID, strawberry.argument(description="The ticket you are on.")]
) -> AsyncGenerator[TicketPresence, None]:
    viewer = info.context.require_technician()
    assert viewer.technician_id is not None
    pk = object_id(ticket_id, "Ticket", "ticketId")
    if await info.context.fresh_loaders().ticket_by_id.load(pk) is None:
        raise ClientError("The ticket does not exist or is no longer visible to you.", "NOT_FOUND")
    realtime = realtime_of(info)
    now = time.time()
    entry = Entry(
        uuid.uuid4().hex,
        viewer.technician_id,
        PresenceState.VIEWING.value,
        now,
        now,
        now + realtime.presence_ttl_seconds,
    )
    async with realtime.hub.subscribe(channels.presence(pk)) as subscriber:
        try:
            await realtime.presence.put(pk, entry)
            await _announce(realtime, pk)
            yield await _roster(info, pk, entry.session)
            async for message in messages(info, subscriber, realtime.heartbeat_seconds):
                if message is None or message.is_resync:
                    with contextlib.suppress(Exception):  # Redis down: try again next beat
                        await _heartbeat(realtime, pk, entry, resync=message is not None)
                    continue
                yield await _roster(info, pk, entry.session)
        finally:
            with contextlib.suppress(Exception):
                await realtime.presence.remove(pk, entry.session)
                await _announce(realtime, pk)


async def set_presence_state(
    info: Info,
    input: Annotated[SetPresenceStateInput, strawberry.argument(description="What you are doing.")],
) -> SetPresenceStateResult:
    viewer = info.context.viewer
    if not viewer.is_technician or viewer.technician_id is None:
        return PermissionDeniedError(
            message="Only technicians have presence.", code=ErrorCode.PERMISSION_DENIED
        )
    try:
        pk = decode_as(input.ticket_id, "Ticket")
    except InvalidId as error:
        return ValidationError(
            message=str(error),
            code=ErrorCode.VALIDATION,
            fields=[FieldError(field="ticketId", message=str(error))],
        )
    realtime = realtime_of(info)
    mine = [
        e
        for e in await realtime.presence.entries(pk, time.time())
        if e.technician_id == viewer.technician_id and input.session_id in (None, e.session)
    ]
    if not mine:
        return NotFoundError(
            message="You are not on this ticket: subscribe to ticketPresence first.",
            code=ErrorCode.NOT_FOUND,
            field="sessionId" if input.session_id else "ticketId",
        )
    if await realtime.presence.set_state(
        pk, viewer.technician_id, input.session_id, input.state.value, time.time()
    ):
        await _announce(realtime, pk)
    return SetPresenceStateSuccess(presence=await _roster(info, pk, mine[0].session))
