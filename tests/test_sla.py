"""SLA on tickets: policies, business calendars, pauses, first response, resolution, breaches, dashboards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from models.activity import Activity
from models.enums import ActivityKind
from models.people import Customer, Requester
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import sla
from tests.api import Api
from tests.clock import TravelClock, frozen_at
from tests.factories import World, as_viewer, make_world
from tests.support.sla import FRIDAY_3PM_ROME, OFFICE_HOURS, office_policy, setting, targets
from tests.support.tickets import update

SLA = """query($id: ID!) { ticket(id: $id) { sla { policy { name }
  firstResponse { targetMinutes dueAt completedAt breached remainingSeconds paused }
  resolution { targetMinutes dueAt completedAt breached remainingSeconds paused } } } }"""


async def clocks(api: Api, world: World, ticket: Ticket) -> dict[str, Any]:
    data = await api.data(SLA, {"id": encode("Ticket", ticket.id)}, token=world.technician_token)
    result: dict[str, Any] = data["ticket"]["sla"]
    return result


async def status_id(world: World, name: str) -> str:
    return encode("TicketStatus", (await TicketStatus.get(account_id=world.account.id, name=name)).id)


def iso(moment: datetime) -> str:
    return moment.isoformat()


async def test_targets_count_in_business_hours_across_the_weekend(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    with frozen_at(FRIDAY_3PM_ROME):
        ticket = await world.ticket()
        state = await clocks(api, world, ticket)
    assert state["policy"] == {"name": "Standard"}
    # two business hours: Friday 15:00-17:00 Rome -> due Friday 17:00 Rome (16:00 UTC)
    assert state["firstResponse"] == {
        "targetMinutes": 120,
        "dueAt": iso(datetime(2026, 11, 27, 16, tzinfo=UTC)),
        "completedAt": None,
        "breached": False,
        "remainingSeconds": 7200,
        "paused": False,
    }
    # eight business hours: 2 on Friday, 6 on Monday (09:00-15:00 Rome = 14:00 UTC)
    assert state["resolution"]["dueAt"] == iso(datetime(2026, 11, 30, 14, tzinfo=UTC))


async def test_without_a_policy_a_ticket_has_no_sla(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    assert await clocks(api, world, ticket) is None


async def test_a_customer_override_beats_the_default_and_applies_to_new_tickets(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    vip = await setting(
        api,
        world,
        "createSlaPolicy",
        {"name": "VIP", "targets": targets(15, 240)},
        "... on SlaPolicySuccess { policy { id } }",
    )
    customer = await Customer.create(account_id=world.account.id, name="Contoso")
    await Requester.filter(id=world.requester.id).update(customer_id=customer.id)
    before = await world.ticket("Before the override")
    result = await setting(
        api,
        world,
        "setCustomerSlaPolicy",
        {"customerId": encode("Customer", customer.id), "slaPolicyId": vip["policy"]["id"]},
        "... on CustomerSuccess { customer { slaPolicy { name } } }",
    )
    assert result["customer"]["slaPolicy"] == {"name": "VIP"}
    after = await world.ticket("After the override")
    assert (await clocks(api, world, before))["policy"]["name"] == "Standard"
    assert (await clocks(api, world, after))["policy"]["name"] == "VIP"
    assert (await clocks(api, world, after))["firstResponse"]["targetMinutes"] == 15
    # the requester of the old ticket changes: the policy is chosen again
    await update(
        api, world.technician_token, before, requesterId=encode("Requester", world.other_requester.id)
    )
    assert (await clocks(api, world, before))["policy"]["name"] == "Standard"
    await update(api, world.technician_token, before, requesterId=encode("Requester", world.requester.id))
    assert (await clocks(api, world, before))["policy"]["name"] == "VIP"


async def test_a_pending_status_pauses_both_clocks_and_resuming_shifts_the_due_time(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world, first=240, resolution=600)
    monday_9 = datetime(2026, 11, 30, 8, tzinfo=UTC)
    with frozen_at(monday_9) as clock:
        ticket = await world.ticket()
        assert (await clocks(api, world, ticket))["firstResponse"]["dueAt"] == iso(
            monday_9 + timedelta(hours=4)
        )
        clock.advance(hours=1)
        await update(api, world.technician_token, ticket, statusId=await status_id(world, "Pending"))
        clock.advance(hours=2)
        paused = await clocks(api, world, ticket)
        assert paused["firstResponse"] == {
            "targetMinutes": 240,
            "dueAt": None,
            "completedAt": None,
            "breached": False,
            "remainingSeconds": 3 * 3600,
            "paused": True,
        }
        await update(api, world.technician_token, ticket, statusId=await status_id(world, "Open"))
        resumed = await clocks(api, world, ticket)
    assert resumed["firstResponse"]["dueAt"] == iso(monday_9 + timedelta(hours=6))
    assert resumed["firstResponse"]["paused"] is False
    assert resumed["firstResponse"]["remainingSeconds"] == 3 * 3600


async def test_a_custom_status_flagged_to_pause_the_sla_pauses_it(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    waiting = await TicketStatus.create(
        account_id=world.account.id, name="Waiting on vendor", category="OPEN", pauses_sla=True
    )
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        ticket = await world.ticket()
        await update(api, world.technician_token, ticket, statusId=encode("TicketStatus", waiting.id))
        clock.advance(hours=5)
        assert (await clocks(api, world, ticket))["firstResponse"]["paused"] is True


async def test_the_first_technician_reply_meets_the_first_response(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        ticket = await world.ticket()
        replied = clock.advance(minutes=30)
        await sla.first_response_given(as_viewer(world.technician), await Ticket.get(id=ticket.id), replied)
        clock.advance(hours=5)
        await sla.first_response_given(as_viewer(world.technician), await Ticket.get(id=ticket.id), clock.now)
        state = await clocks(api, world, ticket)
    assert state["firstResponse"]["completedAt"] == iso(replied)
    assert state["firstResponse"]["breached"] is False
    assert state["firstResponse"]["remainingSeconds"] == 90 * 60


async def test_resolving_meets_the_resolution_and_reopening_resumes_without_the_resolved_time(
    api: Api,
) -> None:
    world = await make_world()
    await office_policy(api, world, first=60, resolution=180)
    monday_9 = datetime(2026, 11, 30, 8, tzinfo=UTC)
    with frozen_at(monday_9) as clock:
        ticket = await world.ticket()
        clock.advance(hours=1)
        await update(api, world.technician_token, ticket, statusId=await status_id(world, "Resolved"))
        resolved = await clocks(api, world, ticket)
        assert resolved["resolution"]["completedAt"] == iso(clock.now)
        assert resolved["resolution"]["dueAt"] == iso(monday_9 + timedelta(hours=3))
        assert (resolved["resolution"]["breached"], resolved["resolution"]["paused"]) == (False, False)
        clock.advance(hours=4)
        await update(api, world.technician_token, ticket, statusId=await status_id(world, "Open"))
        reopened = await clocks(api, world, ticket)
    assert reopened["resolution"]["completedAt"] is None
    assert reopened["resolution"]["remainingSeconds"] == 2 * 3600
    assert reopened["resolution"]["dueAt"] == iso(monday_9 + timedelta(hours=7))


async def test_a_breach_is_logged_once_and_found_by_the_dashboard_filter(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world, first=60, resolution=600)
    monday_9 = datetime(2026, 11, 30, 8, tzinfo=UTC)
    with frozen_at(monday_9) as clock:
        late = await world.ticket("Late")
        on_time = await world.ticket("On time")
        clock.advance(minutes=30)
        await sla.first_response_given(as_viewer(world.technician), on_time, clock.now)
        clock.advance(hours=1)
        assert await sla.record_breaches() == 1
        assert await sla.record_breaches() == 0
        state = await clocks(api, world, late)
        query = "query($b: Boolean) { tickets(filter: {slaBreached: $b}) { edges { node { title } } } }"
        breached = await api.data(query, {"b": True}, token=world.technician_token)
        fine = await api.data(query, {"b": False}, token=world.technician_token)
    assert state["firstResponse"]["breached"] is True
    assert state["firstResponse"]["remainingSeconds"] == -30 * 60
    rows = await Activity.filter(ticket_id=late.id, kind=ActivityKind.SLA_BREACHED)
    assert [(row.field, row.channel, row.actor_technician_id) for row in rows] == [
        ("firstResponse", "SYSTEM", None)
    ]
    assert [e["node"]["title"] for e in breached["tickets"]["edges"]] == ["Late"]
    assert [e["node"]["title"] for e in fine["tickets"]["edges"]] == ["On time"]


async def test_a_late_first_response_logs_the_breach_at_once(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world, first=60)
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        ticket = await world.ticket()
        clock.advance(hours=2)
        await sla.first_response_given(as_viewer(world.technician), ticket, clock.now)
        assert await sla.record_breaches() == 0
    assert await Activity.filter(ticket_id=ticket.id, kind=ActivityKind.SLA_BREACHED).count() == 1


async def test_tickets_sort_by_the_nearest_due_time(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        low = await world.ticket("Low", priority="LOW")
        paused = await world.ticket("Paused")
        clock.advance(minutes=10)
        early = await world.ticket("Early")
        await update(api, world.technician_token, paused, statusId=await status_id(world, "Pending"))
        await update(api, world.technician_token, low, priority="HIGH")
        data = await api.data(
            "{ tickets(orderBy: SLA_DUE, first: 2) { pageInfo { endCursor } edges { node { title } } } }",
            token=world.technician_token,
        )
        rest = await api.data(
            "query($a: String) { tickets(orderBy: SLA_DUE, after: $a) { edges { node { title } } } }",
            {"a": data["tickets"]["pageInfo"]["endCursor"]},
            token=world.technician_token,
        )
    assert [e["node"]["title"] for e in data["tickets"]["edges"]] == ["Low", "Early"]
    assert [e["node"]["title"] for e in rest["tickets"]["edges"]] == ["Paused"]
    assert early


async def test_editing_a_policy_moves_the_due_times_of_its_open_tickets(api: Api) -> None:
    world = await make_world()
    policy_id = await office_policy(api, world)
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        ticket = await world.ticket()
        await setting(
            api,
            world,
            "updateSlaPolicy",
            {"id": policy_id, "targets": targets(30, 60)},
            "... on SlaPolicySuccess { policy { name } }",
        )
        state = await clocks(api, world, ticket)
    assert state["firstResponse"]["dueAt"] == iso(datetime(2026, 11, 30, 8, 30, tzinfo=UTC))
    assert (await Ticket.get(id=ticket.id)).first_response_due_at == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)


async def test_bad_calendars_and_policies_are_refused(api: Api) -> None:
    world = await make_world()
    calendar = "... on BusinessCalendarSuccess { calendar { id } }"
    cases = [
        ({"name": "X", "timezone": "Mars/Olympus", "weeklyHours": OFFICE_HOURS}, "timezone"),
        # a folder of the zone database, and a name too long for a file: OSError (found by tests/test_fuzz.py)
        ({"name": "X", "timezone": "Europe", "weeklyHours": OFFICE_HOURS}, "timezone"),
        ({"name": "X", "timezone": "x" * 300, "weeklyHours": OFFICE_HOURS}, "timezone"),
        (
            {
                "name": "X",
                "timezone": "UTC",
                "weeklyHours": [{"weekday": "MONDAY", "start": "17:00", "end": "09:00"}],
            },
            "weeklyHours",
        ),
        (
            {
                "name": "X",
                "timezone": "UTC",
                "weeklyHours": [{"weekday": "MONDAY", "start": "9am", "end": "17:00"}],
            },
            "weeklyHours",
        ),
        (
            {
                "name": "X",
                "timezone": "UTC",
                "weeklyHours": [
                    {"weekday": "MONDAY", "start": "09:00", "end": "13:00"},
                    {"weekday": "MONDAY", "start": "12:00", "end": "17:00"},
                ],
            },
            "weeklyHours",
        ),
    ]
    for input, field in cases:
        result = await setting(api, world, "createBusinessCalendar", input, calendar)
        assert [f["field"] for f in result["fields"]] == [field], input
    policy = "... on SlaPolicySuccess { policy { id } }"
    partial = [t for t in targets(60, 120) if t["priority"] != "LOW"]
    for input, field in [
        ({"name": "P", "targets": partial}, "targets"),
        ({"name": "P", "targets": targets(0, 120)}, "targets"),
    ]:
        result = await setting(api, world, "createSlaPolicy", input, policy)
        assert [f["field"] for f in result["fields"]] == [field]
    missing = await setting(
        api,
        world,
        "createSlaPolicy",
        {"name": "P", "targets": targets(1, 2), "calendarId": encode("BusinessCalendar", 999)},
        policy,
    )
    assert missing == {"__typename": "NotFoundError", "field": "calendarId"}


async def test_end_users_see_no_sla(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    ticket = await world.ticket()
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { sla { policy { name } } customFields { value } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.requester_token,
    )
    assert data == {"ticket": {"sla": None, "customFields": []}}


__all__ = ["TravelClock"]
