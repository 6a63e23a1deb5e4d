"""ticketViewUpdated in process: the snapshot, then tickets entering, leaving and changing with the count;
visibility as ticketUpdated's; one membership read per event for all subscribers of a view and audience."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.database import Database
from fastpath import statements
from models.enums import Priority
from schema.ids import encode
from tests.factories import fill_requester_panel, make_world
from tests.live import Live, Stream
from tests.sql import recorded_statements
from tests.support.conversation import note, reply
from tests.support.tickets import update

LIVE = """subscription($view: ID, $filter: TicketFilter, $first: Int) {
  ticketViewUpdated(viewId: $view, filter: $filter, first: $first) {
    kind count ticketId changes ticket { title priority } tickets { totalCount nodes { title } } } }"""
CREATE = """mutation($input: CreateViewInput!) { createView(input: $input) {
  ... on ViewSuccess { view { id } } } }"""


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


async def event(stream: Stream) -> dict[str, Any]:
    found: dict[str, Any] = (await stream.next())["ticketViewUpdated"]
    return found


async def test_tickets_entering_leaving_and_changing_arrive_with_the_count(live: Live) -> None:
    world = await make_world()
    token = world.technician_token
    await world.ticket("already urgent", priority=Priority.HIGH)
    calm = await world.ticket("calm", priority=Priority.LOW)
    view = (
        await live.data(CREATE, {"input": {"name": "Urgent", "filter": {"priority": ["HIGH"]}}}, token=token)
    )["createView"]["view"]["id"]
    stream = await live.subscribe(LIVE, {"view": view}, token)
    snapshot = await event(stream)
    assert (snapshot["kind"], snapshot["count"]) == ("SNAPSHOT", 1)
    assert snapshot["tickets"] == {"totalCount": 1, "nodes": [{"title": "already urgent"}]}

    await update(live, token, calm, priority="HIGH")
    entered = await event(stream)
    assert entered == {
        "kind": "ENTERED",
        "count": 2,
        "ticketId": encode("Ticket", calm.id),
        "changes": ["priority"],
        "ticket": {"title": "calm", "priority": "HIGH"},
        "tickets": None,
    }
    await update(live, token, calm, title="calm no more")
    changed = await event(stream)
    assert (changed["kind"], changed["count"], changed["changes"]) == ("CHANGED", 2, ["title"])
    await reply(live, token, calm, body="Looking")
    kinds = {(await event(stream))["kind"] for _ in range(2)}  # the reply, and the activity status it sets
    assert kinds == {"CHANGED"}
    await update(live, token, calm, priority="LOW")
    left = await event(stream)
    assert (left["kind"], left["count"], left["ticket"]["priority"]) == ("LEFT", 1, "LOW")
    await update(live, token, calm, title="nothing to do with the view")
    created = await world.ticket("new and urgent", priority=Priority.HIGH)
    entered = await event(stream)  # the change of a ticket outside the view sent nothing
    assert (entered["kind"], entered["ticketId"], entered["count"]) == (
        "ENTERED",
        encode("Ticket", created.id),
        2,
    )
    await stream.close()


async def test_a_requester_sees_their_own_tickets_live_and_never_a_note_or_anothers_ticket(
    live: Live,
) -> None:
    world = await make_world()
    other = await make_world("Other IT")
    own = await world.ticket("mine")
    stream = await live.subscribe(LIVE, {"filter": {}}, world.requester_token)
    snapshot = await event(stream)
    assert (snapshot["count"], snapshot["tickets"]["nodes"]) == (1, [{"title": "mine"}])
    theirs = await world.ticket("Otto's", requester_id=world.other_requester.id)
    await update(live, world.admin_token, theirs, priority="HIGH")
    await other.ticket("another tenant's")
    await note(live, world.technician_token, own, body="The requester is difficult")
    await stream.nothing(within=0.5)
    await update(live, world.technician_token, own, priority="HIGH")
    changed = await event(stream)
    assert (changed["kind"], changed["count"], changed["ticket"]["title"]) == ("CHANGED", 1, "mine")
    assert "difficult" not in repr(changed)
    await stream.nothing(within=0.3)
    await stream.close()


async def test_requesters_cannot_follow_a_saved_view_or_filter_by_sla(live: Live) -> None:
    world = await make_world()
    view = (await live.data(CREATE, {"input": {"name": "All", "shared": True}}, token=world.admin_token))[
        "createView"
    ]["view"]["id"]
    stream = await live.subscribe(LIVE, {"view": view}, world.requester_token)
    error = await stream.error()
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    stream = await live.subscribe(LIVE, {"filter": {"slaBreached": True}}, world.requester_token)
    assert (await stream.error())["extensions"]["code"] == "FORBIDDEN"


async def test_subscribers_of_one_view_share_one_membership_read_per_event(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket("calm", priority=Priority.LOW)
    filter = {"priority": ["HIGH"]}
    streams = [await live.subscribe(LIVE, {"filter": filter}, world.technician_token) for _ in range(5)]
    streams += [await live.subscribe(LIVE, {"filter": filter}, world.admin_token) for _ in range(5)]
    for stream in streams:
        assert (await event(stream))["kind"] == "SNAPSHOT"
    with recorded_statements() as statements:
        await update(live, world.technician_token, ticket, priority="HIGH")
        for stream in streams:
            entered = await event(stream)
            assert (entered["kind"], entered["count"]) == ("ENTERED", 1)
    membership = [s for s in statements if s.startswith('SELECT 1 FROM "ticket"')]
    counts = [s for s in statements if s.startswith('SELECT COUNT(*) FROM "ticket"')]
    assert (len(membership), len(counts)) == (1, 1), statements
    for stream in streams:
        await stream.close()
    assert len(live.graphql.environment.realtime.view_watches) == 0  # type: ignore[attr-defined]


async def test_a_filter_on_the_viewers_own_notifications_is_kept_per_technician(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket("needs Tom")
    mine = {"hasUnreadNotifications": True}
    tom = await live.subscribe(LIVE, {"filter": mine}, world.technician_token)
    ada = await live.subscribe(LIVE, {"filter": mine}, world.admin_token)
    for stream in (tom, ada):
        assert (await event(stream))["count"] == 0
    await note(
        live, world.admin_token, ticket, mentionTechnicianIds=[encode("Technician", world.technician.id)]
    )
    entered = await event(tom)
    assert (entered["kind"], entered["count"], entered["ticket"]["title"]) == ("ENTERED", 1, "needs Tom")
    await ada.nothing(within=0.5)
    for stream in (tom, ada):
        await stream.close()


SNAPSHOT = """subscription($filter: TicketFilter) { ticketViewUpdated(filter: $filter, first: 10) {
  kind count tickets { totalCount edges { node { title status { name } assignee { name }
    requester { name site { name } } } } nodes { priority formTemplate { name } } } } }"""


async def test_a_snapshot_is_planned_as_tickets_is_with_the_same_answer(db: Database) -> None:
    world = await make_world()
    await fill_requester_panel(world)
    await world.ticket("assigned", assignee_id=world.technician.id)
    await world.ticket("unassigned", requester_id=world.other_requester.id)
    counts: dict[bool, int] = {}
    snapshots: dict[bool, list[dict[str, Any]]] = {}
    for fast in (False, True):
        statements._kept.clear()
        statements._lists.clear()
        async with Live(db, fast_path=fast) as live:
            snapshots[fast] = []
            for token in (world.technician_token, world.requester_token, world.technician_token):
                with recorded_statements() as sent:
                    stream = await live.subscribe(SNAPSHOT, {"filter": {}}, token)
                    snapshots[fast].append(await event(stream))
                await stream.close()
            counts[fast] = len(sent)
    assert snapshots[False] == snapshots[True]
    staff, requester, _ = snapshots[True]
    assert [edge["node"]["title"] for edge in staff["tickets"]["edges"]] == ["unassigned", "assigned"]
    assert [edge["node"]["title"] for edge in requester["tickets"]["edges"]] == ["assigned"]
    # The token, the view's membership (subscriptions.view_watch), the page with status, assignee, requester
    # (with site) and form joined, and the count; read relation by relation, each one more statement.
    assert counts == {False: 9, True: 4}, sent
