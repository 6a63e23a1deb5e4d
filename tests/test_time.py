"""Time tracking through the API: the live timer and manual entries, exact and safe."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.database import Database
from models.activity import Activity
from models.enums import ActivityStatus
from models.settings import TicketSettings
from models.tickets import Ticket
from models.timekeeping import TimeEntry, Timer
from schema.ids import encode
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import World, make_world
from tests.live import Live
from tests.support.conversation import reply
from tests.waiting import received_until

MONDAY = datetime(2026, 11, 30, 8, tzinfo=UTC)
CHANGE = """... on TimerSuccess { change { kind timer { state startedAt accumulatedSeconds elapsedSeconds }
  timeEntry { source durationSeconds startedAt endedAt description billable } } }
  ... on ValidationError { fields { field message } } ... on NotFoundError { field } ... on Error { message }"""


async def timer(api: Api, token: str, action: str, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    kind = {"stopTimer": "StopTimerInput", "adjustTimer": "AdjustTimerInput"}.get(action, "TimerInput")
    query = f"mutation($input: {kind}!) {{ {action}(input: $input) {{ __typename {CHANGE} }} }}"
    data = await api.data(query, {"input": {"ticketId": encode("Ticket", ticket.id), **extra}}, token=token)
    result: dict[str, Any] = data[action]
    return result


async def my_timers(api: Api, token: str) -> list[dict[str, Any]]:
    data = await api.data("{ viewer { timers { state elapsedSeconds ticket { title } } } }", token=token)
    timers: list[dict[str, Any]] = data["viewer"]["timers"]
    return timers


async def test_a_timer_counts_exactly_across_pause_resume_and_stop(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    token = world.technician_token
    with frozen_at(MONDAY) as clock:
        started = await timer(api, token, "startTimer", ticket)
        assert started["change"]["kind"] == "STARTED"
        assert started["change"]["timer"] == {
            "state": "RUNNING",
            "startedAt": MONDAY.isoformat(),
            "accumulatedSeconds": 0,
            "elapsedSeconds": 0,
        }
        clock.advance(minutes=12, milliseconds=700)
        paused = await timer(api, token, "pauseTimer", ticket)
        assert paused["change"]["timer"] == {
            "state": "PAUSED",
            "startedAt": None,
            "accumulatedSeconds": 720,
            "elapsedSeconds": 720,
        }
        clock.advance(hours=5)
        await timer(api, token, "resumeTimer", ticket)
        clock.advance(minutes=3, milliseconds=400)
        stopped = await timer(api, token, "stopTimer", ticket, description="Replaced toner", billable=False)
    entry = stopped["change"]["timeEntry"]
    assert stopped["change"]["timer"] is None
    assert entry["source"] == "TIMER"
    assert entry["durationSeconds"] == 15 * 60 + 1  # 12:00.7 + 3:00.4 = 15:01.1
    assert (entry["description"], entry["billable"]) == ("Replaced toner", False)
    assert await Timer.all().count() == 0
    assert [row.kind.value for row in await Activity.filter(ticket_id=ticket.id).order_by("id")][
        -1
    ] == "TIME_ENTRY_ADDED"


async def test_starting_another_timer_pauses_the_running_one(api: Api) -> None:
    world = await make_world()
    first = await world.ticket("First")
    second = await world.ticket("Second")
    token = world.technician_token
    with frozen_at(MONDAY) as clock:
        await timer(api, token, "startTimer", first)
        clock.advance(minutes=10)
        await timer(api, token, "startTimer", second)
        clock.advance(minutes=5)
        assert await my_timers(api, token) == [
            {"state": "RUNNING", "elapsedSeconds": 300, "ticket": {"title": "Second"}},
            {"state": "PAUSED", "elapsedSeconds": 600, "ticket": {"title": "First"}},
        ]
        await timer(api, token, "resumeTimer", first)
        states = {t["ticket"]["title"]: t["state"] for t in await my_timers(api, token)}
    assert states == {"First": "RUNNING", "Second": "PAUSED"}


async def test_two_tabs_pressing_start_at_once_end_with_one_running_timer(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("concurrency is proven on PostgreSQL")
    world = await make_world()
    tickets = [await world.ticket(f"T{i}") for i in range(3)]
    token = world.technician_token
    same = await asyncio.gather(*(timer(api, token, "startTimer", tickets[0]) for _ in range(6)))
    assert all(result["__typename"] == "TimerSuccess" for result in same)
    assert await Timer.filter(ticket_id=tickets[0].id).count() == 1
    mixed = await asyncio.gather(*(timer(api, token, "startTimer", tickets[i % 3]) for i in range(9)))
    assert all(result["__typename"] == "TimerSuccess" for result in mixed)
    assert await Timer.filter(technician_id=world.technician.id, running_since__isnull=False).count() == 1


async def test_open_ticket_marks_it_read_and_starts_the_timer_unless_the_account_turned_that_off(
    api: Api,
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    query = """mutation($id: ID!) { openTicket(input: {ticketId: $id}) { __typename
      ... on OpenTicketSuccess { ticket { activityStatus } timer { state } } } }"""
    opened = (await api.data(query, {"id": encode("Ticket", ticket.id)}, token=world.technician_token))[
        "openTicket"
    ]
    assert opened == {
        "__typename": "OpenTicketSuccess",
        "ticket": {"activityStatus": "READ"},
        "timer": {"state": "RUNNING"},
    }
    await TicketSettings.create(account_id=world.account.id, auto_start_timer=False)
    other = await world.ticket("Other")
    opened = (await api.data(query, {"id": encode("Ticket", other.id)}, token=world.admin_token))[
        "openTicket"
    ]
    assert opened["timer"] is None
    assert (await Ticket.get(id=other.id)).activity_status == ActivityStatus.READ


async def test_open_ticket_with_a_malformed_id_gets_a_validation_error(api: Api) -> None:
    """Found by tests/test_fuzz.py: the result union had no ValidationError, so this was a masked crash."""
    world = await make_world()
    query = """mutation($id: ID!) { openTicket(input: {ticketId: $id}) { __typename
      ... on ValidationError { fields { field } } } }"""
    for bad in ("nope", encode("Comment", 1)):
        result = await api.data(query, {"id": bad}, token=world.technician_token)
        assert result["openTicket"] == {"__typename": "ValidationError", "fields": [{"field": "ticketId"}]}


async def test_bad_timer_operations_get_a_typed_error_and_change_nothing(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    other = await make_world("Globex MSP")
    theirs = await other.ticket()
    with frozen_at(MONDAY) as clock:
        await timer(api, world.technician_token, "startTimer", ticket)
        clock.advance(minutes=30)
        cases = [
            (world.admin_token, "stopTimer", ticket, {}, "NotFoundError", "ticketId"),  # someone else's timer
            (
                world.technician_token,
                "resumeTimer",
                ticket,
                {},
                "ValidationError",
                "ticketId",
            ),  # running already
            (world.technician_token, "adjustTimer", ticket, {"seconds": -3600}, "ValidationError", "seconds"),
            (
                world.technician_token,
                "adjustTimer",
                ticket,
                {"seconds": 24 * 3600},
                "ValidationError",
                "seconds",
            ),
            (world.technician_token, "startTimer", theirs, {}, "NotFoundError", "ticketId"),
            (world.requester_token, "startTimer", ticket, {}, "PermissionDeniedError", ""),
        ]
        for token, action, target, extra, typename, field in cases:
            result = await timer(api, token, action, target, **extra)
            assert result["__typename"] == typename, (action, result)
            named = [f["field"] for f in result.get("fields", [])] or [result.get("field", "")]
            assert named == [field], (action, result)
        await timer(api, world.technician_token, "pauseTimer", ticket)
        again = await timer(api, world.technician_token, "pauseTimer", ticket)
        assert again["fields"] == [{"field": "ticketId", "message": "The timer is not running."}]
        shown = await my_timers(api, world.technician_token)
    assert shown == [
        {"state": "PAUSED", "elapsedSeconds": 1800, "ticket": {"title": "Printer on floor 2 jams"}}
    ]
    assert await TimeEntry.all().count() == 0


async def test_the_description_given_at_stop_is_checked_like_a_manual_entrys(api: Api) -> None:
    """Found by tests/test_fuzz.py: it reached the database unchecked (NUL: a crash on PostgreSQL)."""
    world = await make_world()
    ticket = await world.ticket()
    token = world.technician_token
    with frozen_at(MONDAY) as clock:
        await timer(api, token, "startTimer", ticket)
        clock.advance(minutes=5)
        refused = await timer(api, token, "stopTimer", ticket, description="x" * 2001)
        assert [f["field"] for f in refused["fields"]] == ["description"]
        stopped = await timer(api, token, "stopTimer", ticket, description=" Reseated\x00 the toner ")
    assert stopped["change"]["timeEntry"]["description"] == "Reseated the toner"


async def test_adjusting_corrects_a_forgotten_timer_before_it_is_stopped(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    token = world.technician_token
    with frozen_at(MONDAY) as clock:
        await timer(api, token, "startTimer", ticket)
        clock.advance(hours=30)  # forgot it over the night
        refused = await timer(api, token, "stopTimer", ticket)
        assert refused["fields"][0]["field"] == "ticketId"
        adjusted = await timer(api, token, "adjustTimer", ticket, seconds=-(28 * 3600 + 15 * 60))
        assert adjusted["change"]["timer"]["elapsedSeconds"] == 6300
        stopped = await timer(api, token, "stopTimer", ticket)
    assert stopped["change"]["timeEntry"]["durationSeconds"] == 6300


async def test_a_timer_survives_a_restart_of_every_worker_to_the_second(db: Database) -> None:
    world = await make_world()
    ticket = await world.ticket()
    with frozen_at(MONDAY) as clock:
        async with Live(db) as first:
            await timer(first, world.technician_token, "startTimer", ticket)
            clock.advance(minutes=7, seconds=3)
        clock.advance(minutes=2)  # the workers are down: the clock runs on
        async with Live(db) as second:
            shown = await my_timers(second, world.technician_token)
            assert shown[0]["elapsedSeconds"] == 9 * 60 + 3
            stopped = await timer(second, world.technician_token, "stopTimer", ticket)
    assert stopped["change"]["timeEntry"]["durationSeconds"] == 543


async def test_random_sequences_record_exactly_what_a_reference_counts(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    token = world.technician_token
    rng = random.Random(20261130)
    with frozen_at(MONDAY) as clock:
        for _ in range(4):
            expected_ms, running, since = 0, True, clock.now
            await timer(api, token, "startTimer", ticket)
            for _ in range(rng.randint(3, 8)):
                clock.advance(milliseconds=rng.randint(0, 40 * 60 * 1000))
                action = rng.choice(["pause", "resume", "adjust"])
                if action == "pause" and running:
                    await timer(api, token, "pauseTimer", ticket)
                    expected_ms += int((clock.now - since) / timedelta(milliseconds=1))
                    running = False
                elif action == "resume" and not running:
                    await timer(api, token, "resumeTimer", ticket)
                    running, since = True, clock.now
                elif action == "adjust":
                    await timer(api, token, "adjustTimer", ticket, seconds=60)
                    expected_ms += 60_000
            clock.advance(milliseconds=rng.randint(1000, 600_000))
            if running:
                expected_ms += int((clock.now - since) / timedelta(milliseconds=1))
            stopped = await timer(api, token, "stopTimer", ticket)
            assert stopped["change"]["timeEntry"]["durationSeconds"] == expected_ms // 1000


ADD = """mutation($input: AddTimeEntryInput!) { addTimeEntry(input: $input) { __typename
  ... on TimeEntrySuccess { timeEntry { id source startedAt endedAt durationSeconds rate billable technician { name } } }
  ... on ValidationError { fields { field message } } ... on NotFoundError { field } } }"""


async def add(
    api: Api, world: World, ticket: Ticket, token: str | None = None, **input: Any
) -> dict[str, Any]:
    data = await api.data(
        ADD,
        {"input": {"ticketId": encode("Ticket", ticket.id), **input}},
        token=token or world.technician_token,
    )
    result: dict[str, Any] = data["addTimeEntry"]
    return result


async def test_manual_entries_default_their_duration_and_agree_with_start_and_end(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    with frozen_at(MONDAY):
        plain = (await add(api, world, ticket))["timeEntry"]
        assert (plain["durationSeconds"], plain["endedAt"], plain["source"]) == (
            900,
            MONDAY.isoformat(),
            "MANUAL",
        )
        from_start = (await add(api, world, ticket, startedAt="2026-11-27T14:00:00Z", durationMinutes=90))[
            "timeEntry"
        ]
        assert from_start["endedAt"] == "2026-11-27T15:30:00+00:00"
        to_end = (await add(api, world, ticket, endedAt="2026-11-27T18:00:00+01:00", durationMinutes=30))[
            "timeEntry"
        ]
        assert to_end["startedAt"] == "2026-11-27T16:30:00+00:00"
        both = (
            await add(api, world, ticket, startedAt="2026-11-27T09:00:00Z", endedAt="2026-11-27T09:45:00Z")
        )["timeEntry"]
        assert both["durationSeconds"] == 2700
        for_tom = (
            await add(
                api,
                world,
                ticket,
                token=world.admin_token,
                technicianId=encode("Technician", world.technician.id),
            )
        )["timeEntry"]
        assert for_tom["technician"] == {"name": "Tom Tech"}


async def test_bad_entries_get_a_typed_error_naming_the_field_and_save_nothing(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex MSP")
    ticket = await world.ticket()
    cases = [
        (
            {"startedAt": "2026-11-27T10:00:00Z", "endedAt": "2026-11-27T09:00:00Z"},
            None,
            "ValidationError",
            "endedAt",
        ),
        (
            {"startedAt": "2026-11-27T10:00:00Z", "endedAt": "2026-11-29T10:00:00Z"},
            None,
            "ValidationError",
            "endedAt",
        ),
        ({"durationMinutes": -5}, None, "ValidationError", "durationMinutes"),
        ({"durationMinutes": 0}, None, "ValidationError", "durationMinutes"),
        ({"durationMinutes": 1441}, None, "ValidationError", "durationMinutes"),
        # found by tests/test_fuzz.py: these overflowed datetime (a masked INTERNAL_SERVER_ERROR)
        (
            {"durationMinutes": -(2**31), "startedAt": "2026-11-27T10:00:00Z"},
            None,
            "ValidationError",
            "durationMinutes",
        ),
        ({"startedAt": "9999-12-31T23:30:00Z"}, None, "ValidationError", "startedAt"),
        ({"startedAt": "0001-01-01T00:00:00+05:00"}, None, "ValidationError", "startedAt"),
        ({"endedAt": "0001-01-01T00:10:00Z"}, None, "ValidationError", "endedAt"),
        (
            {"startedAt": "2026-11-27T10:00:00Z", "endedAt": "2026-11-27T11:00:00Z", "durationMinutes": 30},
            None,
            "ValidationError",
            "durationMinutes",
        ),
        ({"rate": "-1.00"}, None, "ValidationError", "rate"),
        ({"rate": "12.345"}, None, "ValidationError", "rate"),
        (
            {"technicianId": encode("Technician", other.technician.id)},
            world.admin_token,
            "NotFoundError",
            "technicianId",
        ),
        ({"technicianId": encode("Technician", world.admin.id)}, None, "PermissionDeniedError", ""),
    ]
    for input, token, typename, field in cases:
        result = await add(api, world, ticket, token=token, **input)
        assert result["__typename"] == typename, (input, result)
        assert ([f["field"] for f in result.get("fields", [])] or [result.get("field", "")]) == [field], input
    assert await TimeEntry.all().count() == 0
    assert await Activity.filter(kind="TIME_ENTRY_ADDED").count() == 0


async def test_totals_are_exact_decimals_of_billable_time(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await add(api, world, ticket, durationMinutes=20, rate="85.50")  # 28.50
    await add(api, world, ticket, durationMinutes=7, rate="99.99")  # 11.6655
    await add(api, world, ticket, durationMinutes=45, rate="120.00", billable=False)
    await add(api, world, ticket, durationMinutes=10)  # billable, no rate
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { timeTotals { totalSeconds billableSeconds nonBillableSeconds amount } timeEntries { totalCount } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert data["ticket"]["timeTotals"] == {
        "totalSeconds": 82 * 60,
        "billableSeconds": 37 * 60,
        "nonBillableSeconds": 45 * 60,
        "amount": "40.17",
    }
    assert data["ticket"]["timeEntries"]["totalCount"] == 4
    hidden = await api.data(
        "query($id: ID!) { ticket(id: $id) { timeTotals { amount } timeEntries { totalCount } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.requester_token,
    )
    assert hidden["ticket"] == {"timeTotals": None, "timeEntries": {"totalCount": 0}}


async def test_entries_are_changed_and_deleted_by_their_owner_or_an_admin_with_activity(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    entry = (await add(api, world, ticket, startedAt="2026-11-27T09:00:00Z", durationMinutes=30))["timeEntry"]
    update = """mutation($input: UpdateTimeEntryInput!) { updateTimeEntry(input: $input) { __typename
      ... on TimeEntrySuccess { timeEntry { startedAt endedAt durationSeconds } } ... on ValidationError { fields { field } } } }"""
    moved = await api.data(
        update,
        {"input": {"id": entry["id"], "startedAt": "2026-11-27T10:00:00Z"}},
        token=world.technician_token,
    )
    assert moved["updateTimeEntry"]["timeEntry"] == {
        "startedAt": "2026-11-27T10:00:00+00:00",
        "endedAt": "2026-11-27T10:30:00+00:00",
        "durationSeconds": 1800,
    }
    longer = await api.data(
        update, {"input": {"id": entry["id"], "durationMinutes": 50}}, token=world.admin_token
    )
    assert longer["updateTimeEntry"]["timeEntry"]["endedAt"] == "2026-11-27T10:50:00+00:00"
    wrong = await api.data(
        update,
        {"input": {"id": entry["id"], "endedAt": "2026-11-27T08:00:00Z"}},
        token=world.technician_token,
    )
    assert wrong["updateTimeEntry"] == {"__typename": "ValidationError", "fields": [{"field": "endedAt"}]}
    await add(api, world, ticket, token=world.admin_token)
    admins = await TimeEntry.get(technician_id=world.admin.id)
    denied = await api.data(
        "mutation($id: ID!) { deleteTimeEntry(input: {id: $id}) { __typename } }",
        {"id": encode("TimeEntry", admins.id)},
        token=world.technician_token,
    )
    assert denied["deleteTimeEntry"]["__typename"] == "PermissionDeniedError"
    await api.data(
        "mutation($id: ID!) { deleteTimeEntry(input: {id: $id}) { __typename } }",
        {"id": entry["id"]},
        token=world.technician_token,
    )
    kinds = [row.kind.value for row in await Activity.filter(ticket_id=ticket.id).order_by("id")]
    assert kinds[1:] == [
        "TIME_ENTRY_ADDED",
        "TIME_ENTRY_UPDATED",
        "TIME_ENTRY_UPDATED",
        "TIME_ENTRY_ADDED",
        "TIME_ENTRY_DELETED",
    ]


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


async def test_timer_changes_reach_every_tab_of_the_technician(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    query = "subscription { timerState { kind ticket { title } timer { state accumulatedSeconds } } }"
    tabs = [await live.subscribe(query, {}, world.technician_token) for _ in range(2)]
    others = await live.subscribe(query, {}, world.admin_token)
    with frozen_at(MONDAY) as clock:
        await timer(live, world.technician_token, "startTimer", ticket)
        for tab in tabs:  # read before the pause: a change carries the timer as it is when delivered
            assert (await tab.next())["timerState"] == {
                "kind": "STARTED",
                "ticket": {"title": "Printer on floor 2 jams"},
                "timer": {"state": "RUNNING", "accumulatedSeconds": 0},
            }
        clock.advance(seconds=95)
        await timer(live, world.technician_token, "pauseTimer", ticket)
    for tab in tabs:
        assert (await tab.next())["timerState"]["timer"] == {"state": "PAUSED", "accumulatedSeconds": 95}
    # A barrier: the other's own timer, started later (one hub, in order), is the first change it hears.
    await timer(live, world.admin_token, "startTimer", await world.ticket("Server room too warm"))
    assert (await others.next())["timerState"]["ticket"] == {"title": "Server room too warm"}
    for stream in (*tabs, others):
        await stream.close()


async def test_time_entries_appear_on_ticket_updated_for_technicians_only(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    query = "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind timeEntry { durationSeconds } } }"
    technician = await live.subscribe(query, {"id": encode("Ticket", ticket.id)}, world.admin_token)
    requester = await live.subscribe(query, {"id": encode("Ticket", ticket.id)}, world.requester_token)
    await technician.next()
    await requester.next()
    await add(live, world, ticket, durationMinutes=25)
    kinds = {}
    for _ in range(2):
        event = (await technician.next())["ticketUpdated"]
        kinds[event["kind"]] = event
    assert kinds["TIME_ENTRY_ADDED"]["timeEntry"] == {"durationSeconds": 1500}
    # A barrier: a public reply's comment, its last event on the same channel; the requester heard the reply
    # alone (its activity, the activity status, the comment).
    await reply(live, world.technician_token, ticket)
    heard = await received_until(requester, lambda data: data["ticketUpdated"]["kind"] == "COMMENT_ADDED")
    assert [data["ticketUpdated"]["kind"] for data in heard] == [
        "ACTIVITY_ADDED",
        "TICKET_UPDATED",
        "COMMENT_ADDED",
    ]
    await technician.close()
    await requester.close()
