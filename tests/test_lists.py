"""Dashboards: the ticket list with its filters and order, the technicians drop-down, the statuses."""

from __future__ import annotations

from models.enums import CommentKind, Impact, Priority, StatusCategory, TicketType
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from tests.api import Api
from tests.factories import World, add_comment, make_world
from tests.sql import recorded_statements

TITLES = "query($filter: TicketFilter, $order: TicketOrder) { tickets(filter: $filter, orderBy: $order, first: 100) { totalCount edges { node { title } } } }"


async def _titles(
    api: Api, world: World, filter: dict | None = None, order: str = "OLDEST_FIRST"
) -> list[str]:
    data = await api.data(TITLES, {"filter": filter, "order": order}, token=world.technician_token)
    titles = [edge["node"]["title"] for edge in data["tickets"]["edges"]]
    assert data["tickets"]["totalCount"] == len(titles)
    return titles


async def _move(ticket: Ticket, category: StatusCategory) -> None:
    status = await TicketStatus.get(account_id=ticket.account_id, category=category, built_in=True)
    await Ticket.filter(id=ticket.id).update(status_id=status.id)


async def test_tickets_filter_by_status_category_assignee_requester_type_and_priority(api: Api) -> None:
    world = await make_world()
    a = await world.ticket("A", assignee_id=world.technician.id, priority=Priority.HIGH)
    b = await world.ticket("B", ticket_type=TicketType.REQUEST, requester_id=world.other_requester.id)
    c = await world.ticket(
        "C", assignee_id=world.admin.id, impact=Impact.SITE_DOWN, priority=Priority.CRITICAL
    )
    await _move(b, StatusCategory.PENDING)
    await _move(c, StatusCategory.CLOSED)
    assert a.number == 1

    assert await _titles(api, world) == ["A", "B", "C"]
    assert await _titles(api, world, order="NEWEST_FIRST") == ["C", "B", "A"]
    assert await _titles(api, world, {"statusCategory": ["OPEN", "PENDING"]}) == ["A", "B"]
    assert await _titles(api, world, {"assigneeId": encode("Technician", world.technician.id)}) == ["A"]
    assert await _titles(api, world, {"unassigned": True}) == ["B"]
    assert await _titles(api, world, {"requesterId": encode("Requester", world.other_requester.id)}) == ["B"]
    assert await _titles(api, world, {"type": ["REQUEST", "CHANGE"]}) == ["B"]
    assert await _titles(api, world, {"priority": ["HIGH", "CRITICAL"]}) == ["A", "C"]
    assert await _titles(api, world, {"priority": ["CRITICAL"], "statusCategory": ["OPEN"]}) == []


async def test_tickets_page_forward_with_cursors(api: Api) -> None:
    world = await make_world()
    for i in range(5):
        await world.ticket(f"T{i}")
    query = "query($after: String) { tickets(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { title } } } }"
    seen, after = [], None
    while True:
        page = (await api.data(query, {"after": after}, token=world.technician_token))["tickets"]
        seen += [edge["node"]["title"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["T4", "T3", "T2", "T1", "T0"]


async def test_the_conversations_of_a_ticket_list_load_in_one_statement(api: Api) -> None:
    world = await make_world()
    for i in range(6):
        ticket = await world.ticket(f"T{i}")
        for j in range(i):
            await add_comment(ticket, world.technician, body=f"T{i} comment {j}")
        await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, body=f"T{i} note")
    query = """query($first: Int!) { tickets(first: $first, orderBy: OLDEST_FIRST) { edges { node { title
      conversation(first: 2, filter: PUBLIC_REPLIES) { pageInfo { hasNextPage } edges { node { text } } } } } } }"""
    await api.data("{ viewer { account { name } } }", token=world.technician_token)

    counts = []
    for first in (2, 6):
        with recorded_statements() as statements:
            data = await api.data(query, {"first": first}, token=world.technician_token)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    conversations = {edge["node"]["title"]: edge["node"]["conversation"] for edge in data["tickets"]["edges"]}
    assert conversations["T0"] == {"pageInfo": {"hasNextPage": False}, "edges": []}
    assert [e["node"]["text"] for e in conversations["T1"]["edges"]] == ["T1 comment 0"]
    assert conversations["T3"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["text"] for e in conversations["T5"]["edges"]] == ["T5 comment 0", "T5 comment 1"]


async def test_technicians_show_their_open_ticket_count_for_balancing(api: Api) -> None:
    world = await make_world()
    await world.ticket("one", assignee_id=world.technician.id)
    await world.ticket("two", assignee_id=world.technician.id)
    closed = await world.ticket("closed", assignee_id=world.technician.id)
    await _move(closed, StatusCategory.CLOSED)
    data = await api.data("{ technicians { name role openTicketCount } }", token=world.technician_token)
    assert data["technicians"] == [
        {"name": "Ada Admin", "role": "ADMIN", "openTicketCount": 0},
        {"name": "Tom Tech", "role": "TECHNICIAN", "openTicketCount": 2},
    ]


async def test_ticket_statuses_list_the_built_in_statuses_in_order(api: Api) -> None:
    world = await make_world()
    data = await api.data("{ ticketStatuses { name category builtIn } }", token=world.technician_token)
    assert data["ticketStatuses"] == [
        {"name": "Open", "category": "OPEN", "builtIn": True},
        {"name": "Pending", "category": "PENDING", "builtIn": True},
        {"name": "Resolved", "category": "RESOLVED", "builtIn": True},
        {"name": "Closed", "category": "CLOSED", "builtIn": True},
    ]
