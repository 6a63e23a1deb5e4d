"""A requester opening their ticket in the portal marks it read, as a technician's opening does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from models.activity import Activity
from models.conversation import CcRecipient
from models.enums import ActivityKind, ActivityStatus, Channel
from models.settings import TicketSettings
from models.tickets import Ticket
from models.timekeeping import Timer
from schema.ids import encode
from services import consumers, tickets
from services.events import Event
from tests.api import Api
from tests.factories import as_viewer, make_world

READ = """mutation($id: ID!) { markTicketRead(input: {ticketId: $id}) { __typename
  ... on UpdateTicketSuccess { ticket { activityStatus version } }
  ... on NotFoundError { field } } }"""
OPEN = """mutation($id: ID!) { openTicket(input: {ticketId: $id}) { __typename
  ... on OpenTicketSuccess { ticket { activityStatus } timer { state } } } }"""


async def read(api: Api, token: str, ticket: Ticket, query: str = READ) -> dict[str, Any]:
    data = await api.data(query, {"id": encode("Ticket", ticket.id)}, token=token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    events: list[Event] = []

    async def record(batch: Sequence[Event]) -> None:
        events.extend(batch)

    monkeypatch.setattr(consumers, "_registered", {})
    consumers.register("recorder", after_commit=record)
    return events


async def test_a_requester_reading_a_ticket_opened_for_them_makes_it_read_with_a_row_and_an_event(
    api: Api, published: list[Event]
) -> None:
    world = await make_world()
    ticket = await world.ticket()  # an admin opened it for the requester (a phone call)
    published.clear()
    result = await read(api, world.requester_token, ticket)
    assert result == {"__typename": "UpdateTicketSuccess", "ticket": {"activityStatus": "READ", "version": 2}}
    row = await Activity.get(ticket_id=ticket.id, kind=ActivityKind.ACTIVITY_STATUS_CHANGED)
    assert (row.actor_requester_id, row.actor_technician_id, row.channel) == (
        world.requester.id,
        None,
        Channel.PORTAL,
    )
    assert (row.old_value, row.new_value) == ("UNREAD", "READ")
    assert [(e.type, e.changes, e.internal) for e in published] == [
        ("activity.added", (), True),
        ("ticket.updated", ("activityStatus",), False),
    ]
    # read again: nothing more
    again = await read(api, world.requester_token, ticket)
    assert again["ticket"] == {"activityStatus": "READ", "version": 2}
    assert len(published) == 2
    # the row is staff-only, like every activity-status change
    log = "query($id: ID!) { ticket(id: $id) { activity(first: 20) { nodes { kind } } } }"
    variables = {"id": encode("Ticket", ticket.id)}
    shown = (await api.data(log, variables, token=world.requester_token))["ticket"]["activity"]["nodes"]
    assert {"kind": "ACTIVITY_STATUS_CHANGED"} not in shown
    staff = (await api.data(log, variables, token=world.technician_token))["ticket"]["activity"]["nodes"]
    assert {"kind": "ACTIVITY_STATUS_CHANGED"} in staff


async def test_the_requester_reading_the_ticket_they_opened_makes_it_read_and_a_technicians_read_keeps_it(
    api: Api,
) -> None:
    world = await make_world()
    ticket = await tickets.create(as_viewer(world.requester), title="VPN drops every hour")
    result = await read(api, world.requester_token, ticket)
    assert result["ticket"] == {"activityStatus": "READ", "version": 2}
    row = await Activity.get(ticket_id=ticket.id, kind=ActivityKind.ACTIVITY_STATUS_CHANGED)
    assert (row.actor_requester_id, row.old_value, row.new_value) == (world.requester.id, "UNREAD", "READ")
    technician = await read(api, world.technician_token, ticket)
    assert technician["ticket"] == {"activityStatus": "READ", "version": 2}


async def test_a_requester_reads_only_their_own_tickets(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex")
    theirs = await other.ticket()
    colleagues = await world.ticket(requester_id=world.other_requester.id)
    copied = await world.ticket("Shared printer", requester_id=world.other_requester.id)
    await CcRecipient.create(ticket_id=copied.id, email="rita@client.test", requester_id=world.requester.id)
    for ticket in (theirs, colleagues):
        result = await read(api, world.requester_token, ticket)
        assert result == {"__typename": "NotFoundError", "field": "ticketId"}
    # copied on a ticket: they see it, and their read is not its requester's
    result = await read(api, world.requester_token, copied)
    assert result["ticket"] == {"activityStatus": "UNREAD", "version": 1}
    states = await Ticket.filter(id__in=[theirs.id, colleagues.id, copied.id]).values_list(
        "activity_status", "version"
    )
    assert set(states) == {(ActivityStatus.UNREAD, 1)}
    assert not await Activity.exists(kind=ActivityKind.ACTIVITY_STATUS_CHANGED)


async def test_a_requester_may_open_their_ticket_which_never_starts_a_timer(api: Api) -> None:
    world = await make_world()
    await TicketSettings.create(account_id=world.account.id, auto_start_timer=True)
    ticket = await world.ticket()
    opened = await read(api, world.requester_token, ticket, OPEN)
    assert opened == {"__typename": "OpenTicketSuccess", "ticket": {"activityStatus": "READ"}, "timer": None}
    assert not await Timer.exists(ticket_id=ticket.id)
    other = await world.ticket("Other")
    by_technician = await read(api, world.technician_token, other, OPEN)
    assert by_technician["ticket"] == {"activityStatus": "READ"}
    assert by_technician["timer"] == {"state": "RUNNING"}
