"""updateTicket: partial, exact, logged once per real change, and safe under concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from models.accounts import Technician
from models.activity import Activity
from models.enums import ActivityStatus
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from tests.api import Api
from tests.factories import World, make_world
from tests.support.tickets import activity_of, update


async def status(world: World, name: str) -> str:
    return encode("TicketStatus", (await TicketStatus.get(account_id=world.account.id, name=name)).id)


async def test_each_field_that_changes_writes_one_activity_row_and_one_version(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    result = await update(
        api,
        world.technician_token,
        ticket,
        title="Printer on floor 3 jams",
        priority="HIGH",
        impact="MINOR",
        type="PROBLEM",
        statusId=await status(world, "Pending"),
        assigneeId=encode("Technician", world.technician.id),
        activityStatus="WAITING_FOR_REQUESTER",
        requesterId=encode("Requester", world.other_requester.id),
    )
    assert result["ticket"] == {
        "version": 2,
        "title": "Printer on floor 3 jams",
        "type": "PROBLEM",
        "priority": "HIGH",
        "impact": "MINOR",
        "activityStatus": "WAITING_FOR_REQUESTER",
        "status": {"name": "Pending"},
        "assignee": {"name": "Tom Tech"},
        "requester": {"name": "Otto Other"},
        "tags": [],
    }
    assert sorted(await activity_of(ticket)) == sorted(
        [
            ("FIELD_CHANGED", "title", "Printer on floor 2 jams", "Printer on floor 3 jams"),
            ("FIELD_CHANGED", "type", "INCIDENT", "PROBLEM"),
            ("FIELD_CHANGED", "priority", "MEDIUM", "HIGH"),
            ("FIELD_CHANGED", "impact", "NO_IMPACT", "MINOR"),
            ("ACTIVITY_STATUS_CHANGED", "activityStatus", "UNREAD", "WAITING_FOR_REQUESTER"),
            ("STATUS_CHANGED", "status", "Open", "Pending"),
            ("ASSIGNEE_CHANGED", "assignee", None, "Tom Tech"),
            ("REQUESTER_CHANGED", "requester", "Rita Requester", "Otto Other"),
        ]
    )
    channels = set(
        await Activity.filter(ticket_id=ticket.id)
        .exclude(kind="TICKET_CREATED")
        .values_list("channel", flat=True)
    )
    assert channels == {"WEB"}


async def test_fields_left_out_are_untouched_and_a_field_set_to_its_value_writes_nothing(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket(priority="HIGH")
    result = await update(
        api, world.technician_token, ticket, title="Printer on floor 2 jams", priority="HIGH"
    )
    assert result["ticket"]["version"] == 1
    assert await activity_of(ticket) == []
    result = await update(api, world.technician_token, ticket, impact="MAJOR")
    assert (result["ticket"]["version"], result["ticket"]["priority"], result["ticket"]["title"]) == (
        2,
        "HIGH",
        "Printer on floor 2 jams",
    )


async def test_null_unassigns_and_the_open_ticket_count_follows(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    counts = "{ technicians { name openTicketCount } }"
    await update(api, world.admin_token, ticket, assigneeId=encode("Technician", world.technician.id))
    assert {"name": "Tom Tech", "openTicketCount": 1} in (await api.data(counts, token=world.admin_token))[
        "technicians"
    ]
    await update(api, world.admin_token, ticket, statusId=await status(world, "Closed"))
    assert {"name": "Tom Tech", "openTicketCount": 0} in (await api.data(counts, token=world.admin_token))[
        "technicians"
    ]
    await update(api, world.admin_token, ticket, statusId=await status(world, "Open"))
    result = await update(api, world.admin_token, ticket, assigneeId=None)
    assert result["ticket"]["assignee"] is None
    assert {"name": "Tom Tech", "openTicketCount": 0} in (await api.data(counts, token=world.admin_token))[
        "technicians"
    ]
    assert ("ASSIGNEE_CHANGED", "assignee", "Tom Tech", None) in await activity_of(ticket)


async def _bad_inputs(world: World) -> list[tuple[dict[str, Any], str, str]]:
    other = await make_world("Globex MSP")
    inactive = await Technician.create(
        account_id=world.account.id, name="Gone", email="gone@acme.test", active=False
    )
    archived = await TicketStatus.create(
        account_id=world.account.id, name="Old", category="OPEN", archived=True
    )
    return [
        ({"statusId": encode("TicketStatus", 999)}, "NotFoundError", "statusId"),
        ({"statusId": await status(other, "Open")}, "NotFoundError", "statusId"),
        ({"statusId": encode("TicketStatus", archived.id)}, "ValidationError", "statusId"),
        ({"statusId": "not-an-id"}, "ValidationError", "statusId"),
        ({"statusId": None}, "ValidationError", "statusId"),
        ({"assigneeId": encode("Technician", other.technician.id)}, "NotFoundError", "assigneeId"),
        ({"assigneeId": encode("Technician", inactive.id)}, "ValidationError", "assigneeId"),
        ({"requesterId": encode("Requester", other.requester.id)}, "NotFoundError", "requesterId"),
        ({"title": ""}, "ValidationError", "title"),
        ({"title": "x" * 251}, "ValidationError", "title"),
        ({"title": None}, "ValidationError", "title"),
        ({"priority": None}, "ValidationError", "priority"),
        ({"addTags": ["ok", "a,b"]}, "ValidationError", "addTags"),
        ({"addTags": ["x" * 61]}, "ValidationError", "addTags"),
        ({"expectedVersion": 0, "title": "new"}, "ConflictError", ""),
    ]


async def test_bad_input_gets_a_typed_error_naming_the_field_and_changes_nothing(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    for fields, typename, field in await _bad_inputs(world):
        before = (await Ticket.get(id=ticket.id), await Activity.filter(ticket_id=ticket.id).count())
        # each bad save also carries a good change, which must not be applied either
        result = await update(api, world.technician_token, ticket, impact="CRISIS", **fields)
        assert result["__typename"] == typename, (fields, result)
        named = [f["field"] for f in result.get("fields", [])] or [result.get("field", "")]
        assert named == [field], fields
        after = (await Ticket.get(id=ticket.id), await Activity.filter(ticket_id=ticket.id).count())
        assert (after[0].version, after[0].impact, after[1]) == (
            before[0].version,
            before[0].impact,
            before[1],
        )


async def test_a_stale_save_gets_a_conflict_with_the_current_values(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    first = await update(api, world.technician_token, ticket, expectedVersion=1, priority="HIGH")
    assert first["ticket"]["version"] == 2
    stale = await update(api, world.admin_token, ticket, expectedVersion=1, priority="LOW", title="Mine")
    assert stale["__typename"] == "ConflictError"
    assert stale["current"] == {"version": 2, "title": "Printer on floor 2 jams", "priority": "HIGH"}
    assert "version 1" in stale["message"]


async def test_end_users_cannot_edit_tickets(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    result = await update(api, world.requester_token, ticket, priority="CRITICAL")
    assert result["__typename"] == "PermissionDeniedError"
    assert (await Ticket.get(id=ticket.id)).priority == "MEDIUM"


async def test_another_accounts_ticket_is_not_found(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex MSP")
    theirs = await other.ticket()
    result = await update(api, world.admin_token, theirs, priority="CRITICAL")
    assert (result["__typename"], result["field"]) == ("NotFoundError", "id")


async def test_tags_are_added_and_removed_once_normalised_and_suggested_by_prefix(api: Api) -> None:
    world = await make_world()
    first = await world.ticket()
    second = await world.ticket("Another")
    result = await update(api, world.technician_token, first, addTags=["  Printer ", "hardware", "printer"])
    assert result["ticket"]["tags"] == [
        {"name": "hardware", "source": "MANUAL"},
        {"name": "printer", "source": "MANUAL"},
    ]
    await update(api, world.technician_token, second, addTags=["printer", "print-server"])
    again = await update(
        api, world.technician_token, first, addTags=["printer"], removeTags=["hardware", "never-there"]
    )
    assert again["ticket"]["tags"] == [{"name": "printer", "source": "MANUAL"}]
    assert [row[:2] for row in await activity_of(first)] == [
        ("TAG_ADDED", "tags"),
        ("TAG_ADDED", "tags"),
        ("TAG_REMOVED", "tags"),
    ]
    suggestions = await api.data(
        '{ tagSuggestions(prefix: "PRIN") { name ticketCount } }', token=world.technician_token
    )
    assert suggestions["tagSuggestions"] == [
        {"name": "printer", "ticketCount": 2},
        {"name": "print-server", "ticketCount": 1},
    ]


async def test_mark_ticket_read_turns_unread_into_read_and_leaves_waiting_states(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    query = "mutation($id: ID!) { markTicketRead(input: {ticketId: $id}) { ... on UpdateTicketSuccess { ticket { activityStatus version } } } }"
    variables = {"id": encode("Ticket", ticket.id)}
    assert (await api.data(query, variables, token=world.technician_token))["markTicketRead"]["ticket"] == {
        "activityStatus": "READ",
        "version": 2,
    }
    assert (await api.data(query, variables, token=world.technician_token))["markTicketRead"]["ticket"] == {
        "activityStatus": "READ",
        "version": 2,
    }
    await Ticket.filter(id=ticket.id).update(activity_status=ActivityStatus.WAITING_FOR_TECHNICIAN)
    result = (await api.data(query, variables, token=world.technician_token))["markTicketRead"]["ticket"]
    assert result["activityStatus"] == "WAITING_FOR_TECHNICIAN"


async def test_concurrent_saves_of_different_fields_all_win(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("concurrency is proven on PostgreSQL")
    world = await make_world()
    ticket = await world.ticket()
    saves = [
        {"title": "Renamed"},
        {"priority": "CRITICAL"},
        {"impact": "SITE_DOWN"},
        {"type": "CHANGE"},
        {"activityStatus": "READ"},
        {"assigneeId": encode("Technician", world.technician.id)},
        {"addTags": ["urgent"]},
        {"statusId": await status(world, "Pending")},
    ]
    tokens = [world.technician_token, world.admin_token]
    results = await asyncio.gather(
        *(update(api, tokens[i % 2], ticket, **save) for i, save in enumerate(saves))
    )
    assert all(result["__typename"] == "UpdateTicketSuccess" for result in results)
    final = await Ticket.get(id=ticket.id)
    assert (
        final.title,
        final.priority,
        final.impact,
        final.ticket_type,
        final.activity_status,
        final.assignee_id,
    ) == ("Renamed", "CRITICAL", "SITE_DOWN", "CHANGE", "READ", world.technician.id)
    assert final.version == 1 + len(saves)
    assert sorted(result["ticket"]["version"] for result in results) == list(range(2, 2 + len(saves)))
    assert len(await activity_of(ticket)) == len(saves)


async def test_concurrent_saves_of_the_same_version_let_exactly_one_win(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("concurrency is proven on PostgreSQL")
    world = await make_world()
    ticket = await world.ticket()
    priorities = ["LOW", "HIGH", "CRITICAL", "LOW", "HIGH", "CRITICAL"]
    results = await asyncio.gather(
        *(
            update(api, world.technician_token, ticket, expectedVersion=1, priority=p, title=f"t{i}")
            for i, p in enumerate(priorities)
        )
    )
    winners = [r for r in results if r["__typename"] == "UpdateTicketSuccess"]
    assert len(winners) == 1
    assert all(r["__typename"] == "ConflictError" for r in results if r not in winners)
    final = await Ticket.get(id=ticket.id)
    assert (final.version, final.title) == (2, winners[0]["ticket"]["title"])
    assert len(await activity_of(ticket)) == 2
