"""Subscriptions in process: order, visibility, presence and notifications (memory broadcast)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from broadcaster import Event

from app.database import Database
from models.tickets import Ticket as TicketRow
from schema.ids import encode
from services import availability
from subscriptions import ticket_updates
from subscriptions.hub import Subscriber, SubscriberTooSlow
from tests.api import Api
from tests.factories import make_world
from tests.live import Live, Stream
from tests.servers import free_port
from tests.support.conversation import note, reply
from tests.support.tickets import update

UPDATES = """subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes
  ticket { version priority status { name } activityStatus }
  comment { kind text } activity { kind field newValue } } }"""
PRESENCE = """subscription($id: ID!) { ticketPresence(ticketId: $id) { totalCount sessionId
  collaborators { technician { name } state isViewer } } }"""


async def roster_where(stream: Stream, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first roster that satisfies ``predicate`` (announcements may come in several steps); fails
    after 5 seconds."""
    deadline = time.monotonic() + 5
    seen: list[dict[str, Any]] = []
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no roster satisfied the test; saw {seen}"
        try:
            roster: dict[str, Any] = (await stream.next(within=remaining))["ticketPresence"]
        except TimeoutError:
            raise AssertionError(f"no roster satisfied the test; saw {seen}") from None
        if predicate(roster):
            return roster
        seen.append(roster)


async def nothing_more(live: Live, token: str, ticket: TicketRow, stream: Stream) -> None:
    """No other event is on its way: events arrive in commit order, so a change committed now comes next."""
    await update(live, token, ticket, priority="CRITICAL")
    event = (await stream.next())["ticketUpdated"]
    assert event["kind"] in {"TICKET_UPDATED", "ACTIVITY_ADDED"}, event
    assert "CRITICAL" in repr(event), event


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db, presence_heartbeat_seconds=0.2, presence_ttl_seconds=1) as running:
        yield running


async def test_the_snapshot_comes_first_and_a_change_committed_meanwhile_is_not_lost(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    read_snapshot = ticket_updates._ticket
    calls = 0

    async def change_just_before_the_snapshot(info: Any, ticket_id: int) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:  # subscribed already, snapshot not read yet: commit a change now
            await update(live, world.admin_token, ticket, priority="CRITICAL")
        return await read_snapshot(info, ticket_id)

    monkeypatch.setattr(ticket_updates, "_ticket", change_just_before_the_snapshot)
    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.technician_token)
    first = (await stream.next())["ticketUpdated"]
    assert first["kind"] == "SNAPSHOT"
    assert first["ticket"]["priority"] == "CRITICAL"  # the snapshot already shows it...
    kinds = [(await stream.next())["ticketUpdated"]["kind"] for _ in range(2)]
    assert sorted(kinds) == ["ACTIVITY_ADDED", "TICKET_UPDATED"]  # ...and the event still arrives after it
    await stream.close()


async def test_every_committed_change_arrives_with_the_changed_entity(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.technician_token)
    assert (await stream.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    await update(live, world.technician_token, ticket, priority="HIGH")
    events = [(await stream.next())["ticketUpdated"] for _ in range(2)]
    updated = next(e for e in events if e["kind"] == "TICKET_UPDATED")
    activity = next(e for e in events if e["kind"] == "ACTIVITY_ADDED")
    assert updated["changes"] == ["priority"]
    assert updated["ticket"] == {
        "version": 2,
        "priority": "HIGH",
        "status": {"name": "Open"},
        "activityStatus": "UNREAD",
    }
    assert activity["activity"] == {"kind": "FIELD_CHANGED", "field": "priority", "newValue": "HIGH"}
    await reply(live, world.technician_token, ticket, body="On it")
    kinds = {}
    for _ in range(3):
        event = (await stream.next())["ticketUpdated"]
        kinds[event["kind"]] = event
    assert kinds["COMMENT_ADDED"]["comment"] == {"kind": "PUBLIC_REPLY", "text": "On it"}
    assert kinds["TICKET_UPDATED"]["ticket"]["activityStatus"] == "WAITING_FOR_REQUESTER"
    await nothing_more(live, world.technician_token, ticket, stream)
    await stream.close()


async def test_an_end_user_never_receives_a_note_or_any_event_about_one(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.requester_token)
    assert (await stream.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    await note(
        live,
        world.technician_token,
        ticket,
        body="The requester is difficult",
        mentionTechnicianIds=[encode("Technician", world.admin.id)],
    )
    await update(live, world.technician_token, ticket, assigneeId=encode("Technician", world.technician.id))
    assigned = (await stream.next())["ticketUpdated"]  # the assignee is on the end user's page too
    assert (assigned["kind"], assigned["changes"]) == ("TICKET_UPDATED", ["assignee"])
    await reply(live, world.technician_token, ticket, body="We are on it")
    # Events arrive in commit order: the next three are the reply's, so nothing of the note, its mention,
    # its activity or the assignment's log came in between.
    seen = [(await stream.next())["ticketUpdated"] for _ in range(3)]
    assert sorted(e["kind"] for e in seen) == ["ACTIVITY_ADDED", "COMMENT_ADDED", "TICKET_UPDATED"]
    assert all("difficult" not in repr(e) for e in seen)
    assert next(e for e in seen if e["kind"] == "COMMENT_ADDED")["comment"] == {
        "kind": "PUBLIC_REPLY",
        "text": "We are on it",
    }
    await nothing_more(live, world.technician_token, ticket, stream)
    await stream.close()


async def test_a_subscription_ends_when_the_ticket_becomes_invisible(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.requester_token)
    await stream.next()
    await update(
        live, world.technician_token, ticket, requesterId=encode("Requester", world.other_requester.id)
    )
    error = await stream.error()
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_another_accounts_ticket_cannot_be_followed(live: Live) -> None:
    world = await make_world()
    other = await make_world("Globex MSP")
    theirs = await other.ticket()
    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", theirs.id)}, world.technician_token)
    error = await stream.error()
    assert error["message"] == "The ticket does not exist or is no longer visible to you."


async def test_presence_shows_each_technician_once_with_the_strongest_state(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    variables = {"id": encode("Ticket", ticket.id)}
    tom_tab_1 = await live.subscribe(PRESENCE, variables, world.technician_token)
    roster = (await tom_tab_1.next())["ticketPresence"]
    assert roster["collaborators"] == [
        {"technician": {"name": "Tom Tech"}, "state": "VIEWING", "isViewer": True}
    ]
    ada = await live.subscribe(PRESENCE, variables, world.admin_token)
    ada_view = (await ada.next())["ticketPresence"]
    assert [(c["technician"]["name"], c["isViewer"]) for c in ada_view["collaborators"]] == [
        ("Ada Admin", True),
        ("Tom Tech", False),
    ]
    await roster_where(tom_tab_1, lambda roster: roster["totalCount"] == 2)
    tom_tab_2 = await live.subscribe(PRESENCE, variables, world.technician_token)
    second = (await tom_tab_2.next())["ticketPresence"]
    assert second["totalCount"] == 2  # two tabs, one avatar
    set_state = """mutation($input: SetPresenceStateInput!) { setPresenceState(input: $input) { __typename
      ... on SetPresenceStateSuccess { presence { collaborators { technician { name } state } } } } }"""
    result = await live.data(
        set_state,
        {"input": {"ticketId": variables["id"], "state": "TYPING_NOTE", "sessionId": second["sessionId"]}},
        token=world.technician_token,
    )
    assert {"technician": {"name": "Tom Tech"}, "state": "TYPING_NOTE"} in result["setPresenceState"][
        "presence"
    ]["collaborators"]
    typing = {"technician": {"name": "Tom Tech"}, "state": "TYPING_NOTE", "isViewer": False}
    await roster_where(ada, lambda roster: typing in roster["collaborators"])
    await tom_tab_2.close()  # the typing tab leaves: Tom is back to VIEWING
    viewing = {"technician": {"name": "Tom Tech"}, "state": "VIEWING", "isViewer": False}
    await roster_where(ada, lambda roster: viewing in roster["collaborators"])
    await tom_tab_1.close()
    alone = [{"technician": {"name": "Ada Admin"}, "state": "VIEWING", "isViewer": True}]
    await roster_where(ada, lambda roster: roster["collaborators"] == alone)
    await ada.close()


async def test_end_users_have_no_presence(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    stream = await live.subscribe(PRESENCE, {"id": encode("Ticket", ticket.id)}, world.requester_token)
    assert (await stream.error())["extensions"]["code"] == "FORBIDDEN"


async def test_notifications_arrive_live(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    stream = await live.subscribe(
        "subscription { notificationAdded { kind ticket { number } comment { text } } }",
        {},
        world.technician_token,
    )
    await note(
        live,
        world.admin_token,
        ticket,
        body="Tom, please look",
        mentionTechnicianIds=[encode("Technician", world.technician.id)],
    )
    assert (await stream.next())["notificationAdded"] == {
        "kind": "MENTION",
        "ticket": {"number": 1},
        "comment": {"text": "Tom, please look"},
    }
    await note(live, world.admin_token, ticket, body="Not for Ada")
    assert (await stream.next())["notificationAdded"]["kind"] == "NOTE_ON_FOLLOWED_TICKET"
    await stream.close()


async def test_subscribers_of_one_audience_share_the_reads_and_the_execution_of_an_event(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    from schema.types.realtime import TicketEvent
    from tests.sql import recorded_statements

    world = await make_world()
    ticket = await world.ticket()
    query = (
        "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind ticket { priority status { name } } } }"
    )
    executions = 0
    original = StrawberryGraphQLCoreExecutionContext.execute_operation

    def counting(self: Any, serially: Any = None) -> Any:
        nonlocal executions
        executions += isinstance(self.root_value, TicketEvent)
        return original(self, serially)

    streams = [
        await live.subscribe(query, {"id": encode("Ticket", ticket.id)}, token)
        for token in [world.technician_token] * 3 + [world.admin_token] * 3 + [world.requester_token]
    ]
    for stream in streams:
        await stream.next()
    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", counting)
    with recorded_statements() as statements:
        await live.run(
            'mutation($id: ID!) { updateTicket(input: {id: $id, title: "Renamed"}) { __typename } }',
            {"id": encode("Ticket", ticket.id)},
            token=world.admin_token,
        )
        for stream in streams[:6]:
            kinds = {(await stream.next())["ticketUpdated"]["kind"] for _ in range(2)}
            assert kinds == {"TICKET_UPDATED", "ACTIVITY_ADDED"}
        assert (await streams[6].next())["ticketUpdated"][
            "kind"
        ] == "TICKET_UPDATED"  # the log row is internal
    # six technicians (one audience) share one execution per event; the requester has their own
    assert executions == 3
    loader_reads = [s for s in statements if re.search(r'FROM "ticket" WHERE .*"id" IN \((\?|\$\d+)\)', s)]
    assert len(loader_reads) == 3  # once per event and audience: two events for staff, one for the requester
    for stream in streams:
        await stream.close()


async def test_an_unexpected_failure_ends_a_subscription_with_the_masked_error(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    ticket = await world.ticket()

    async def broken(*args: Any) -> Any:
        raise RuntimeError("connection string postgres://secret@db")

    stream = await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.technician_token)
    await stream.next()
    monkeypatch.setattr(ticket_updates, "_event", broken)
    await update(live, world.admin_token, ticket, priority="LOW")
    error = await stream.error()
    assert error["message"] == "Unexpected error. Quote the requestId when reporting it."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in repr(error)


async def test_a_subscriber_gets_its_events_in_order_and_is_cut_off_when_too_far_behind() -> None:
    subscriber = Subscriber(queue_size=3)
    assert await subscriber.get(within=0.01) is None  # nothing within the time: a heartbeat tick
    waiting = asyncio.ensure_future(subscriber.get(within=5))
    await asyncio.sleep(0)
    subscriber.offer(Event("ticket:1", "first"))
    assert (await waiting).message == "first"  # a waiting reader is woken
    for message in ("a", "b", "c"):
        subscriber.offer(Event("ticket:1", message))
    assert [(await subscriber.get()).message for _ in range(3)] == ["a", "b", "c"]  # type: ignore[union-attr]
    for message in ("a", "b", "c", "d"):  # one more than it may hold
        subscriber.offer(Event("ticket:1", message))
    with pytest.raises(SubscriberTooSlow):
        await subscriber.get()
    subscriber.offer(Event("ticket:1", "late"))
    with pytest.raises(SubscriberTooSlow):  # it stays cut off and holds nothing
        await subscriber.get()


async def test_an_idle_subscription_keeps_no_rows_once_its_snapshot_was_sent(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    streams = [
        await live.subscribe(UPDATES, {"id": encode("Ticket", ticket.id)}, world.technician_token)
        for _ in range(3)
    ]
    for stream in streams:
        assert (await stream.next())["ticketUpdated"]["kind"] == "SNAPSHOT"

    def kept_rows() -> list[TicketRow]:
        gc.collect()
        return [row for row in gc.get_objects() if isinstance(row, TicketRow) and row.id == ticket.id]

    # Each subscription drops its snapshot once it is back to waiting for its next event: 5 s at most.
    for _ in range(500):
        if kept_rows() == [ticket]:
            break
        await asyncio.sleep(0.01)
    assert kept_rows() == [ticket]  # only the test's own: no snapshot, no loader cache holds one
    # No schema extension's hook stays suspended for the life of the subscription (an on_operation would).
    hooks = [
        thing.gi_code.co_qualname
        for thing in gc.get_objects()
        if inspect.isgenerator(thing)
        and thing.gi_code.co_name.startswith("on_")
        and thing.gi_frame is not None
    ]
    assert hooks == []


async def test_presence_with_redis_out_of_reach_is_a_retryable_answer_that_names_the_realtime_service(
    db: Database,
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    api = Api(db, broadcast_url=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    set_state = """mutation($input: SetPresenceStateInput!) { setPresenceState(input: $input) {
      __typename } }"""
    variables = {"input": {"ticketId": encode("Ticket", ticket.id), "state": "TYPING_NOTE"}}
    response = await api.post(set_state, variables, token=world.technician_token)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    [error] = response.json()["errors"]
    assert error["message"] == availability.REDIS_MESSAGE
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1}
    # The database is fine: everything else answers.
    page = await api.data(
        "query($id: ID!) { ticket(id: $id) { title } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert page == {"ticket": {"title": ticket.title}}
