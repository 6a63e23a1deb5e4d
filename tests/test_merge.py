"""Merging tickets and undoing it: everything moves, and an unmerge restores the pages exactly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from models.conversation import CcRecipient, Comment, TicketFollower
from models.enums import AlertSeverity, CommentKind
from models.ticket_actions import TicketMerge
from models.tickets import Ticket
from schema.ids import encode
from services import alerts, calendar_events, ticket_update
from services.calendar_events import EventFields
from services.ticket_update import TicketChanges
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import World, add_comment, as_viewer, make_world
from tests.support.conversation import reply

PAGE = """query($id: ID!) { ticket(id: $id) { number title status { name } activityStatus isSpam
  mergedInto { number } mergedTickets { number } priority
  conversation(first: 100) { nodes { id kind text attachments { filename } cc { email } mentions { name } } }
  resolution { id } tags { name source } followers { name } ccRecipients { email }
  timeEntries(first: 100) { nodes { id durationSeconds } } timeTotals { totalSeconds amount }
  items { id name quantity unitPrice } itemTotals { total }
  sla { firstResponse { dueAt completedAt breached paused } resolution { dueAt completedAt breached paused } } } }"""
MERGE = """mutation($input: MergeTicketsInput!) { mergeTickets(input: $input) { __typename
  ... on MergeTicketsSuccess { target { number mergedTickets { number } } sources { number status { category } mergedInto { number } } }
  ... on ValidationError { fields { field message } } ... on NotFoundError { field } ... on Error { message } } }"""
UNMERGE = """mutation($input: UnmergeTicketInput!) { unmergeTicket(input: $input) { __typename
  ... on UnmergeTicketSuccess { source { number mergedInto { number } } target { number } }
  ... on ValidationError { fields { field message } } ... on NotFoundError { field } ... on Error { message } } }"""
ITEM = """mutation($input: AddTicketItemInput!) { addTicketItem(input: $input) { __typename } }"""
ENTRY = """mutation($input: AddTimeEntryInput!) { addTimeEntry(input: $input) { __typename } }"""


def gid(ticket: Ticket) -> str:
    return encode("Ticket", ticket.id)


async def page(api: Api, token: str, ticket: Ticket) -> dict[str, Any]:
    data: dict[str, Any] = (await api.data(PAGE, {"id": gid(ticket)}, token=token))["ticket"]
    return data


async def merge(api: Api, token: str, sources: list[Ticket], target: Ticket) -> dict[str, Any]:
    variables = {"input": {"sourceTicketIds": [gid(s) for s in sources], "targetTicketId": gid(target)}}
    result: dict[str, Any] = (await api.data(MERGE, variables, token=token))["mergeTickets"]
    return result


async def unmerge(api: Api, token: str, source: Ticket) -> dict[str, Any]:
    result: dict[str, Any] = (
        await api.data(UNMERGE, {"input": {"sourceTicketId": gid(source)}}, token=token)
    )["unmergeTicket"]
    return result


async def busy_ticket(api: Api, world: World, title: str, tags: list[str], requester_id: int) -> Ticket:
    token = world.technician_token
    ticket = await world.ticket(title, requester_id=requester_id, assignee_id=world.technician.id)
    admin = as_viewer(world.admin)
    await ticket_update.update(admin, ticket.id, TicketChanges(add_tags=tags))
    await reply(
        api,
        token,
        ticket,
        body=f"<p>Public on {title}</p>",
        cc=["shared@client.test", f"{title}@client.test"],
    )
    await add_comment(
        ticket, world.technician, CommentKind.INTERNAL_NOTE, f"Secret on {title}", attachments=1
    )
    await TicketFollower.get_or_create(ticket_id=ticket.id, technician_id=world.admin.id)
    await TicketFollower.get_or_create(ticket_id=ticket.id, technician_id=world.technician.id)
    item = {
        "ticketId": gid(ticket),
        "kind": "PRODUCT",
        "name": f"Toner {title}",
        "quantity": "2",
        "unitPrice": "39.90",
    }
    assert (await api.data(ITEM, {"input": item}, token=token))["addTicketItem"][
        "__typename"
    ] == "TicketItemSuccess"
    entry = {"ticketId": gid(ticket), "durationMinutes": 25, "description": f"Work on {title}"}
    assert (await api.data(ENTRY, {"input": entry}, token=token))["addTimeEntry"][
        "__typename"
    ] == "TimeEntrySuccess"
    return await Ticket.get(id=ticket.id)


async def test_a_merge_moves_everything_and_an_unmerge_restores_both_pages_exactly(api: Api) -> None:
    world = await make_world()
    token = world.technician_token
    source = await busy_ticket(api, world, "Printer", ["printer", "floor-2"], world.requester.id)
    target = await busy_ticket(api, world, "Scanner", ["printer", "scanner"], world.other_requester.id)
    before = (await page(api, token, source), await page(api, token, target))

    merged = await merge(api, token, [source], target)
    assert merged["target"] == {"number": target.number, "mergedTickets": [{"number": source.number}]}
    assert merged["sources"] == [
        {"number": source.number, "status": {"category": "CLOSED"}, "mergedInto": {"number": target.number}}
    ]
    after_source, after_target = await page(api, token, source), await page(api, token, target)
    assert after_source["conversation"]["nodes"] == []
    assert after_source["items"] == []
    assert after_source["timeEntries"]["nodes"] == []
    assert after_source["tags"] == []
    assert after_source["followers"] == []
    assert after_source["status"] == {"name": "Closed"}
    assert len(after_target["conversation"]["nodes"]) == 4
    assert sorted(t["name"] for t in after_target["tags"]) == ["floor-2", "printer", "scanner"]
    assert len(after_target["items"]) == 2
    assert after_target["timeTotals"]["totalSeconds"] == 2 * 25 * 60
    cc = {c["email"] for c in after_target["ccRecipients"]}
    assert {world.requester.email, "printer@client.test", "shared@client.test", "scanner@client.test"} <= cc

    undone = await unmerge(api, token, source)
    assert undone == {
        "__typename": "UnmergeTicketSuccess",
        "source": {"number": source.number, "mergedInto": None},
        "target": {"number": target.number},
    }
    assert (await page(api, token, source), await page(api, token, target)) == before
    again = await unmerge(api, token, source)
    assert again["fields"] == [{"field": "sourceTicketId", "message": f"#{source.number} is not merged."}]


async def test_the_requester_sees_their_ticket_was_merged_but_never_the_notes_that_moved(api: Api) -> None:
    world = await make_world()
    source = await world.ticket("Mine", requester_id=world.requester.id)
    target = await world.ticket("Other", requester_id=world.other_requester.id)
    await add_comment(source, world.requester, CommentKind.PUBLIC_REPLY, "My printer is broken")
    await add_comment(target, world.technician, CommentKind.INTERNAL_NOTE, "Other customer owes us money")
    await merge(api, world.technician_token, [source], target)
    mine = await api.data(
        """query($id: ID!) { ticket(id: $id) { mergedInto { number conversation { nodes { text } } }
          activity { nodes { kind newValue } } } }""",
        {"id": gid(source)},
        token=world.requester_token,
    )
    seen = mine["ticket"]
    assert seen["mergedInto"]["number"] == target.number
    assert [n["text"] for n in seen["mergedInto"]["conversation"]["nodes"]] == ["My printer is broken"]
    assert {"kind": "MERGED_INTO", "newValue": f"#{target.number}"} in seen["activity"]["nodes"]


async def test_bad_merges_get_a_typed_error_and_change_nothing(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex MSP")
    token = world.technician_token
    first, second, third = await world.ticket("A"), await world.ticket("B"), await world.ticket("C")
    foreign = await other.ticket("Theirs")
    deleted = await world.ticket("Gone")
    await api.data(
        "mutation($id: ID!) { deleteTicket(input: {ticketId: $id}) { __typename } }",
        {"id": gid(deleted)},
        token,
    )
    assert (await merge(api, token, [first], second))["__typename"] == "MergeTicketsSuccess"
    cases = [
        ([second], second, "sourceTicketIds", "A ticket cannot be merged into itself."),
        ([third], first, "targetTicketId", f"#{first.number} is merged into another ticket itself."),
        ([first], third, "sourceTicketIds", f"#{first.number} is merged already."),
        (
            [second],
            first,
            "targetTicketId",
            f"#{first.number} is merged into another ticket itself.",
        ),  # a cycle
        ([], third, "sourceTicketIds", "Name at least one ticket to merge."),
    ]
    for sources, target, field, message in cases:
        result = await merge(api, token, sources, target)
        assert result["fields"] == [{"field": field, "message": message}], result
    missing = (
        ([third], foreign, "targetTicketId"),
        ([third], deleted, "targetTicketId"),
        ([foreign], third, "sourceTicketIds"),
    )
    for sources, target, field in missing:
        result = await merge(api, token, sources, target)
        assert (result["__typename"], result["field"]) == ("NotFoundError", field)
    refused = await merge(api, world.requester_token, [third], second)
    assert refused["__typename"] == "PermissionDeniedError"
    assert await TicketMerge.all().count() == 1
    assert (await Ticket.get(id=third.id)).merged_into_id is None


async def test_a_merge_is_undone_within_30_days_only(api: Api) -> None:
    world = await make_world()
    token = world.technician_token
    source, target = await world.ticket("A"), await world.ticket("B")
    with frozen_at((await Ticket.get(id=source.id)).created_at) as clock:
        await merge(api, token, [source], target)
        clock.advance(days=30, minutes=1)
        late = await unmerge(api, token, source)
        assert late["fields"][0]["field"] == "sourceTicketId"
        assert "can be undone for 30 days" in late["fields"][0]["message"]
        assert (await Ticket.get(id=source.id)).merged_into_id == target.id
        clock.advance(minutes=-2)
        assert (await unmerge(api, token, source))["__typename"] == "UnmergeTicketSuccess"


async def test_mail_answering_a_merged_ticket_lands_in_its_target(api: Api) -> None:
    from services.mail_matching import _live

    world = await make_world()
    source, target = await world.ticket("A"), await world.ticket("B")
    await merge(api, world.technician_token, [source], target)
    found = await _live(source.id, world.account.id)
    assert found is not None
    assert found.id == target.id
    assert await CcRecipient.filter(ticket_id=target.id).count() == 0  # same requester: nothing added
    assert await Comment.filter(ticket_id=source.id).count() == 0


PANELS = """query($id: ID!) { ticket(id: $id) { relatedAlerts { name }
  calendarEvents(includeCancelled: true) { title sequence cancelledAt } } }"""


async def panels(api: Api, token: str, ticket: Ticket) -> dict[str, Any]:
    data: dict[str, Any] = (await api.data(PANELS, {"id": gid(ticket)}, token=token))["ticket"]
    return data


def revisions(panel: dict[str, Any]) -> list[tuple[str, int]]:
    return [(event["title"], event["sequence"]) for event in panel["calendarEvents"]]


async def test_alerts_and_calendar_events_follow_the_merge_and_come_back_on_unmerge(api: Api) -> None:
    world = await make_world()
    token = world.technician_token
    technician = as_viewer(world.technician)
    source, target = await world.ticket("Printer"), await world.ticket("Scanner")
    for ticket, name in ((source, "Toner low"), (source, "Paper jam"), (target, "Scanner offline")):
        alert = await alerts.create(technician, name=name, severity=AlertSeverity.WARNING)
        await alerts.link(technician, alert.id, ticket.id)
    starts = datetime(2026, 12, 2, 9, tzinfo=UTC)
    for title in ("On-site visit", "Call"):
        event = await calendar_events.schedule(
            technician,
            source.id,
            EventFields(title=title, starts_at=starts, ends_at=starts + timedelta(hours=1)),
        )
    await calendar_events.cancel(technician, event.id)
    before = await panels(api, token, source)
    assert [e["sequence"] for e in before["calendarEvents"]] == [0, 1]

    await merge(api, token, [source], target)
    moved, kept = await panels(api, token, source), await panels(api, token, target)
    assert moved == {"relatedAlerts": [], "calendarEvents": []}
    assert {a["name"] for a in kept["relatedAlerts"]} == {"Toner low", "Paper jam", "Scanner offline"}
    # A new revision of each: calendar programs now file it under the target's number.
    assert revisions(kept) == [("On-site visit", 1), ("Call", 2)]
    requester = await api.data(PANELS, {"id": gid(target)}, token=world.requester_token)
    assert requester["ticket"] == {"relatedAlerts": [], "calendarEvents": []}

    await unmerge(api, token, source)
    back = await panels(api, token, source)
    assert back["relatedAlerts"] == before["relatedAlerts"]
    assert revisions(back) == [("On-site visit", 2), ("Call", 3)]
    assert (await panels(api, token, target))["relatedAlerts"] == [{"name": "Scanner offline"}]


async def test_a_merge_recorded_before_alerts_and_events_moved_still_undoes(api: Api) -> None:
    world = await make_world()
    token = world.technician_token
    source, target = await world.ticket("A"), await world.ticket("B")
    await merge(api, token, [source], target)
    record = await TicketMerge.get(source_id=source.id)
    moved = json.loads(record.moved)
    del moved["alerts"], moved["events"]
    await TicketMerge.filter(id=record.id).update(moved=json.dumps(moved))
    assert (await unmerge(api, token, source))["__typename"] == "UnmergeTicketSuccess"
    assert (await Ticket.get(id=source.id)).merged_into_id is None
