"""The ticket page in one query: exactly the fields asked for, with a statement count that does not grow."""

from __future__ import annotations

from datetime import timedelta

from models.clock import utcnow
from models.enums import CommentKind
from schema.ids import encode
from tests.api import Api
from tests.factories import World, add_comment, add_comments, fill_requester_panel, make_world
from tests.sql import recorded_statements
from tests.support.ticket_page import TICKET_PAGE

# A planned read (schema.planned): the token with its technician; the ticket with its status, assignee and
# requester with site, department and customer joined and its tags as an array; the conversation page with its authors
# joined, the resolution, the activity page with its actors joined, the open-ticket count, contracts,
# devices, the surveys (the satisfaction is worked out from them), the recent tickets with their statuses
# joined, the conversation count and the page's attachments. 21 or 22 before the plan (a statement per
# relation); the same for any length of conversation.
TICKET_PAGE_STATEMENTS = 7


async def _page_statements(api: Api, world: World, ticket_id: int) -> tuple[dict, int]:
    await api.data("{ viewer { account { name } } }", token=world.technician_token)  # token's lastUsedAt set
    with recorded_statements() as statements:
        data = await api.data(TICKET_PAGE, {"id": encode("Ticket", ticket_id)}, token=world.technician_token)
    return data, len(statements)


async def test_the_ticket_page_costs_the_same_statements_for_5_and_500_comments(api: Api) -> None:
    world = await make_world()
    await fill_requester_panel(world)
    small = await world.ticket("Small conversation", assignee_id=world.technician.id)
    large = await world.ticket("Large conversation", assignee_id=world.technician.id)
    for ticket, total in ((small, 5), (large, 500)):
        await add_comments(ticket, [world.technician, world.requester, world.admin], total)
        await add_comment(ticket, world.technician, attachments=2, is_resolution=True)

    small_data, small_count = await _page_statements(api, world, small.id)
    large_data, large_count = await _page_statements(api, world, large.id)

    assert small_count == TICKET_PAGE_STATEMENTS
    assert large_count == TICKET_PAGE_STATEMENTS
    assert small_data["ticket"]["conversation"]["totalCount"] == 6
    assert large_data["ticket"]["conversation"]["totalCount"] == 501
    assert len(large_data["ticket"]["conversation"]["edges"]) == 50
    assert large_data["ticket"]["conversation"]["pageInfo"]["hasNextPage"] is True


async def test_a_query_gets_exactly_the_fields_it_asks_for(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket(priority="HIGH")
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { title priority requester { name } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert data == {
        "ticket": {
            "title": "Printer on floor 2 jams",
            "priority": "HIGH",
            "requester": {"name": "Rita Requester"},
        }
    }


async def test_the_conversation_pages_by_keyset_in_both_orders_and_filters(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    start = utcnow() - timedelta(hours=1)
    for i in range(7):
        kind = CommentKind.INTERNAL_NOTE if i in (2, 5) else CommentKind.PUBLIC_REPLY
        await add_comment(ticket, world.technician, kind, f"message {i}", at=start + timedelta(minutes=i))
    query = """query($id: ID!, $order: ConversationOrder!, $filter: ConversationFilter!, $after: String) {
      ticket(id: $id) { conversation(order: $order, filter: $filter, first: 3, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { text } } } } }"""

    async def walk(order: str, filter: str) -> tuple[list[str], int]:
        texts: list[str] = []
        after = None
        while True:
            variables = {"id": encode("Ticket", ticket.id), "order": order, "filter": filter, "after": after}
            page = (await api.data(query, variables, token=world.technician_token))["ticket"]["conversation"]
            texts += [edge["node"]["text"] for edge in page["edges"]]
            assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
            if not page["pageInfo"]["hasNextPage"]:
                return texts, page["totalCount"]
            after = page["pageInfo"]["endCursor"]

    assert await walk("OLDEST_FIRST", "ALL") == ([f"message {i}" for i in range(7)], 7)
    assert await walk("NEWEST_FIRST", "ALL") == ([f"message {i}" for i in reversed(range(7))], 7)
    assert await walk("OLDEST_FIRST", "INTERNAL_NOTES") == (["message 2", "message 5"], 2)
    assert await walk("NEWEST_FIRST", "PUBLIC_REPLIES") == (
        ["message 6", "message 4", "message 3", "message 1", "message 0"],
        5,
    )


async def test_comments_written_in_the_same_instant_page_without_loss_or_repeat(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    moment = utcnow()
    for i in range(5):
        await add_comment(ticket, world.technician, body=f"same instant {i}", at=moment)
    query = """query($id: ID!, $after: String) { ticket(id: $id) { conversation(first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { text } } } } }"""
    seen: list[str] = []
    after = None
    for _ in range(5):
        page = await api.data(
            query, {"id": encode("Ticket", ticket.id), "after": after}, token=world.technician_token
        )
        conversation = page["ticket"]["conversation"]
        seen += [edge["node"]["text"] for edge in conversation["edges"]]
        if not conversation["pageInfo"]["hasNextPage"]:
            break
        after = conversation["pageInfo"]["endCursor"]
    assert seen == [f"same instant {i}" for i in range(5)]


async def test_resolution_lists_the_comments_marked_as_resolution_and_is_empty_without(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await add_comment(ticket, world.technician, body="Try this")
    query = "query($id: ID!) { ticket(id: $id) { resolution { text isResolution } } }"
    variables = {"id": encode("Ticket", ticket.id)}
    assert (await api.data(query, variables, token=world.technician_token))["ticket"]["resolution"] == []
    await add_comment(ticket, world.technician, body="Replaced the toner", is_resolution=True)
    assert (await api.data(query, variables, token=world.technician_token))["ticket"]["resolution"] == [
        {"text": "Replaced the toner", "isResolution": True}
    ]


async def test_the_requester_panel_shows_the_last_five_tickets_and_satisfaction(api: Api) -> None:
    from models.people import SatisfactionSurvey

    world = await make_world()
    created = [await world.ticket(f"Ticket {i}") for i in range(7)]
    await SatisfactionSurvey.create(
        account_id=world.account.id,
        requester_id=world.requester.id,
        ticket_id=created[0].id,
        support_quality=5,
        technician_knowledge=4,
        overall_helpfulness=3,
        comment="Good",
    )
    await SatisfactionSurvey.create(
        account_id=world.account.id,
        requester_id=world.requester.id,
        ticket_id=created[1].id,
        support_quality=2,
        technician_knowledge=2,
        overall_helpfulness=2,
    )
    data = await api.data(
        """query($id: ID!) { ticket(id: $id) { requester { recentTickets { title }
           satisfaction { average count surveys { supportQuality } } } } }""",
        {"id": encode("Ticket", created[0].id)},
        token=world.technician_token,
    )
    requester = data["ticket"]["requester"]
    assert [t["title"] for t in requester["recentTickets"]] == [f"Ticket {i}" for i in (6, 5, 4, 3, 2)]
    assert requester["satisfaction"]["count"] == 2
    assert requester["satisfaction"]["average"] == 3.0
    assert [s["supportQuality"] for s in requester["satisfaction"]["surveys"]] == [2, 5]


async def test_activity_is_newest_first_and_names_the_actor(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    data = await api.data(
        """query($id: ID!) { ticket(id: $id) { activity { edges { node { kind newValue channel
           actor { ... on Technician { name } } } } } } }""",
        {"id": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert data["ticket"]["activity"]["edges"] == [
        {
            "node": {
                "kind": "TICKET_CREATED",
                "newValue": str(ticket.number),
                "channel": "WEB",
                "actor": {"name": "Ada Admin"},
            }
        }
    ]


async def test_ticket_by_number_finds_the_ticket_of_the_viewers_account(api: Api) -> None:
    world = await make_world()
    first = await world.ticket("First")
    second = await world.ticket("Second")
    assert (first.number, second.number) == (1, 2)
    data = await api.data("{ ticketByNumber(number: 2) { title } }", token=world.technician_token)
    assert data == {"ticketByNumber": {"title": "Second"}}
    assert await api.data("{ ticketByNumber(number: 99) { title } }", token=world.technician_token) == {
        "ticketByNumber": None
    }


PEOPLE_AND_FILES = {
    "direct": """query($id: ID!) { ticket(id: $id) {
      conversation { edges { node { text author { ... on Technician { name } ... on Requester { name } }
        attachments { filename } } } }
      activity { edges { node { kind actor { ... on Technician { name } ... on Requester { name } } } } } } }""",
    "fragments": """query($id: ID!) { ticket(id: $id) { ...Page } }
      fragment Who on Author { ... on Technician { name } ... on Requester { name } }
      fragment Item on Comment { text author { ...Who } attachments { filename } }
      fragment Page on Ticket { conversation { edges { node { ...Item } } }
        activity { edges { node { ... on Activity { kind actor { ...Who } } } } } }""",
    "repeated": """query($id: ID!) { ticket(id: $id) {
      conversation { edges { node { text } } }
      conversation { edges { node { author { ... on Technician { name } ... on Requester { name } }
        attachments { filename } } } }
      activity { edges { node { kind } } }
      activity { edges { node { actor { ... on Technician { name } ... on Requester { name } } } } } } }""",
}


async def test_authors_attachments_and_actors_asked_through_fragments_or_nodes_are_read_with_the_page(
    api: Api,
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await add_comments(ticket, [world.technician, world.requester, world.admin], 6)
    await add_comment(ticket, world.requester, attachments=2)
    await api.data("{ viewer { account { name } } }", token=world.technician_token)
    answers, counts = {}, {}
    for name, query in PEOPLE_AND_FILES.items():
        with recorded_statements() as statements:
            answers[name] = await api.data(
                query, {"id": encode("Ticket", ticket.id)}, token=world.technician_token
            )
        counts[name] = len(statements)
    assert answers["fragments"] == answers["direct"]
    assert answers["repeated"] == answers["direct"]
    edges = answers["direct"]["ticket"]["conversation"]["edges"]
    assert [edge["node"]["author"]["name"] for edge in edges[:3]] == [
        "Tom Tech",
        "Rita Requester",
        "Ada Admin",
    ]
    assert edges[-1]["node"]["attachments"] == [
        {"filename": "screenshot-0.png"},
        {"filename": "screenshot-1.png"},
    ]
    assert answers["direct"]["ticket"]["activity"]["edges"][-1]["node"]["actor"] == {"name": "Ada Admin"}
    # token with its technician, ticket, both pages with their authors and actors joined, the page's
    # attachments; never one per comment (7 or 8 before the plan: a batch per kind of person)
    assert counts == {"direct": 5, "fragments": 5, "repeated": 5}

    nodes = await api.data(
        """query($id: ID!) { ticket(id: $id) { conversation { nodes { author { ... on Requester { name } } } }
          activity { nodes { actor { __typename } } } } }""",
        {"id": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert nodes["ticket"]["conversation"]["nodes"][1] == {"author": {"name": "Rita Requester"}}
    assert nodes["ticket"]["activity"]["nodes"][-1] == {"actor": {"__typename": "Technician"}}
