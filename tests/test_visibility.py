"""Attacks on tenant isolation and on internal notes. Each must find nothing, exactly as if nothing existed."""

from __future__ import annotations

from typing import Any

from models.activity import Activity
from models.conversation import Attachment, Comment
from models.enums import ActivityKind, Channel, CommentKind
from schema.ids import encode
from tests.api import Api
from tests.factories import World, add_comment, fill_requester_panel, make_world

MISSING = 999_999


async def _two_tenants() -> tuple[World, World]:
    ours = await make_world("Acme IT")
    theirs = await make_world("Globex MSP")
    await fill_requester_panel(theirs)
    return ours, theirs


async def _same_answer(
    api: Api, token: str, query: str, foreign: dict[str, Any], missing: dict[str, Any]
) -> Any:
    """The response for another tenant's ID, asserted identical to the one for an ID that never existed."""
    for_foreign = await api.run(query, foreign, token=token)
    for_missing = await api.run(query, missing, token=token)
    assert for_foreign == for_missing
    return for_foreign


async def test_a_technician_cannot_read_another_accounts_ticket_by_id_node_or_number(api: Api) -> None:
    ours, theirs = await _two_tenants()
    secret = await theirs.ticket("Globex merger: migrate the CEO's mailbox")
    await add_comment(secret, theirs.technician, CommentKind.INTERNAL_NOTE, "password is hunter2")
    token = ours.technician_token

    query = "query($id: ID!) { ticket(id: $id) { title } }"
    body = await _same_answer(
        api, token, query, {"id": encode("Ticket", secret.id)}, {"id": encode("Ticket", MISSING)}
    )
    assert body == {"data": {"ticket": None}}

    query = "query($id: ID!) { node(id: $id) { id ... on Ticket { title } } }"
    body = await _same_answer(
        api, token, query, {"id": encode("Ticket", secret.id)}, {"id": encode("Ticket", MISSING)}
    )
    assert body == {"data": {"node": None}}

    data = await api.data("{ ticketByNumber(number: 1) { title } }", token=token)
    assert data == {"ticketByNumber": None}  # #1 exists only in the other account


async def test_a_technician_cannot_list_or_filter_into_another_account(api: Api) -> None:
    ours, theirs = await _two_tenants()
    await ours.ticket("Ours")
    await theirs.ticket("Theirs", assignee_id=theirs.technician.id)
    token = ours.technician_token
    query = "query($f: TicketFilter) { tickets(filter: $f) { totalCount edges { node { title } } } }"
    assert (await api.data(query, {"f": None}, token=token))["tickets"]["edges"] == [
        {"node": {"title": "Ours"}}
    ]
    for condition in (
        {"assigneeId": encode("Technician", theirs.technician.id)},
        {"requesterId": encode("Requester", theirs.requester.id)},
    ):
        assert (await api.data(query, {"f": condition}, token=token))["tickets"] == {
            "totalCount": 0,
            "edges": [],
        }
    names = [t["name"] for t in (await api.data("{ technicians { name } }", token=token))["technicians"]]
    assert names == ["Ada Admin", "Tom Tech"]
    assert len(names) == 2  # not the other account's two


async def test_every_kind_of_object_of_another_account_is_unreachable_through_node(api: Api) -> None:
    from models.people import Contract, Customer, Department, Device, SatisfactionSurvey, Site
    from models.tickets import TicketStatus

    ours, theirs = await _two_tenants()
    ticket = await theirs.ticket()
    note = await add_comment(ticket, theirs.technician, CommentKind.INTERNAL_NOTE, "internal", attachments=1)
    attachment = await Attachment.get(comment_id=note.id)
    activity = await Activity.get(ticket_id=ticket.id)
    objects = {
        "Account": theirs.account.id,
        "Ticket": ticket.id,
        "TicketStatus": (await TicketStatus.filter(account_id=theirs.account.id).first()).id,  # type: ignore[union-attr]
        "Technician": theirs.technician.id,
        "Requester": theirs.requester.id,
        "Customer": (await Customer.get(account_id=theirs.account.id)).id,
        "Contract": (await Contract.get(account_id=theirs.account.id)).id,
        "Site": (await Site.get(account_id=theirs.account.id)).id,
        "Department": (await Department.get(account_id=theirs.account.id)).id,
        "Device": (await Device.get(account_id=theirs.account.id)).id,
        "SatisfactionSurvey": (await SatisfactionSurvey.get(account_id=theirs.account.id)).id,
        "Comment": note.id,
        "Attachment": attachment.id,
        "Activity": activity.id,
    }
    query = "query($id: ID!) { node(id: $id) { id __typename } }"
    for type_name, pk in objects.items():
        for token in (ours.technician_token, ours.admin_token, ours.requester_token):
            body = await _same_answer(
                api, token, query, {"id": encode(type_name, pk)}, {"id": encode(type_name, MISSING)}
            )
            assert body == {"data": {"node": None}}, type_name
    # and the owners do see them, so the test would notice a broken ID
    for type_name, pk in objects.items():
        body = await api.data(query, {"id": encode(type_name, pk)}, token=theirs.admin_token)
        assert body["node"]["__typename"] == type_name


async def test_another_accounts_requester_is_unreachable_through_a_ticket_or_nodes(api: Api) -> None:
    ours, theirs = await _two_tenants()
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Requester { name email } } }"
    data = await api.data(query, {"ids": [encode("Requester", theirs.requester.id)]}, token=ours.admin_token)
    assert data == {"nodes": [None]}


async def test_mutations_refer_to_another_accounts_objects_as_not_found(api: Api) -> None:
    ours, theirs = await _two_tenants()
    query = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
      __typename ... on NotFoundError { field message } } }"""
    foreign = {"title": "x", "requesterId": encode("Requester", theirs.requester.id)}
    missing = {"title": "x", "requesterId": encode("Requester", MISSING)}
    body = await _same_answer(api, ours.technician_token, query, {"input": foreign}, {"input": missing})
    assert body["data"]["createTicket"]["__typename"] == "NotFoundError"
    assert body["data"]["createTicket"]["field"] == "requesterId"


# --- end users and internal notes -------------------------------------------------------------------


async def _ticket_with_a_note(world: World) -> tuple[Any, Comment, Comment]:
    ticket = await world.ticket()
    reply = await add_comment(ticket, world.technician, body="We are on it.", attachments=1)
    note = await add_comment(
        ticket,
        world.technician,
        CommentKind.INTERNAL_NOTE,
        "Requester is difficult; admin password in vault",
        is_resolution=True,
        attachments=1,
    )
    await Activity.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        kind=ActivityKind.INTERNAL_NOTE_ADDED,
        actor_technician_id=world.technician.id,
        comment_id=note.id,
        channel=Channel.WEB,
    )
    await Activity.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        kind=ActivityKind.ASSIGNEE_CHANGED,
        field="assignee",
        new_value="Tom Tech",
        actor_technician_id=world.admin.id,
        channel=Channel.WEB,
    )
    return ticket, reply, note


def _text_of(value: Any) -> str:
    return repr(value)


async def test_an_end_user_never_receives_an_internal_note_through_the_conversation(api: Api) -> None:
    world = await make_world()
    ticket, _reply, _note = await _ticket_with_a_note(world)
    query = """query($id: ID!, $filter: ConversationFilter!, $order: ConversationOrder!) { ticket(id: $id) {
      conversation(filter: $filter, order: $order) { totalCount edges { node { id kind text } } } } }"""
    for conversation_filter in ("ALL", "PUBLIC_REPLIES", "INTERNAL_NOTES"):
        for order in ("OLDEST_FIRST", "NEWEST_FIRST"):
            variables = {"id": encode("Ticket", ticket.id), "filter": conversation_filter, "order": order}
            data = await api.data(query, variables, token=world.requester_token)
            kinds = {edge["node"]["kind"] for edge in data["ticket"]["conversation"]["edges"]}
            assert "INTERNAL_NOTE" not in kinds
            assert "vault" not in _text_of(data)
            expected = 0 if conversation_filter == "INTERNAL_NOTES" else 1
            assert data["ticket"]["conversation"]["totalCount"] == expected
    # the technician does see it, so a broken filter would be noticed
    variables = {"id": encode("Ticket", ticket.id), "filter": "INTERNAL_NOTES", "order": "OLDEST_FIRST"}
    data = await api.data(query, variables, token=world.technician_token)
    assert data["ticket"]["conversation"]["totalCount"] == 1


async def test_an_end_user_never_receives_an_internal_note_through_node_resolution_or_activity(
    api: Api,
) -> None:
    world = await make_world()
    ticket, _, note = await _ticket_with_a_note(world)
    note_attachment = await Attachment.get(comment_id=note.id)
    token = world.requester_token

    for type_name, pk in (("Comment", note.id), ("Attachment", note_attachment.id)):
        data = await api.data(
            "query($id: ID!) { node(id: $id) { id } }", {"id": encode(type_name, pk)}, token=token
        )
        assert data == {"node": None}

    data = await api.data(
        """query($id: ID!) { ticket(id: $id) { resolution { text } activity { totalCount edges { node { kind } } }
           conversation { edges { node { attachments { filename } } } } } }""",
        {"id": encode("Ticket", ticket.id)},
        token=token,
    )
    assert data["ticket"]["resolution"] == []
    kinds = [edge["node"]["kind"] for edge in data["ticket"]["activity"]["edges"]]
    assert kinds == ["TICKET_CREATED"]
    assert data["ticket"]["activity"]["totalCount"] == 1
    assert "vault" not in _text_of(data)
    assert [
        a["filename"] for edge in data["ticket"]["conversation"]["edges"] for a in edge["node"]["attachments"]
    ] == ["screenshot-0.png"]


async def test_an_end_user_never_receives_an_internal_note_through_a_ticket_list(api: Api) -> None:
    world = await make_world()
    await _ticket_with_a_note(world)
    await _ticket_with_a_note(world)
    data = await api.data(
        "{ tickets { edges { node { conversation { edges { node { kind text } } } resolution { text } } } } }",
        token=world.requester_token,
    )
    assert "INTERNAL_NOTE" not in _text_of(data)
    assert "vault" not in _text_of(data)


async def test_an_end_user_sees_only_their_own_tickets(api: Api) -> None:
    world = await make_world()
    mine = await world.ticket("Mine")
    theirs = await world.ticket("Theirs", requester_id=world.other_requester.id)
    token = world.requester_token
    data = await api.data("{ tickets { totalCount edges { node { title } } } }", token=token)
    assert data["tickets"] == {"totalCount": 1, "edges": [{"node": {"title": "Mine"}}]}
    body = await _same_answer(
        api,
        token,
        "query($id: ID!) { ticket(id: $id) { title } }",
        {"id": encode("Ticket", theirs.id)},
        {"id": encode("Ticket", MISSING)},
    )
    assert body == {"data": {"ticket": None}}
    assert await api.data(f"{{ ticketByNumber(number: {theirs.number}) {{ title }} }}", token=token) == {
        "ticketByNumber": None
    }
    assert (await api.data(f"{{ ticketByNumber(number: {mine.number}) {{ title }} }}", token=token))[
        "ticketByNumber"
    ]


async def test_an_end_user_cannot_list_technicians_or_see_contracts(api: Api) -> None:
    world = await make_world()
    await fill_requester_panel(world)
    ticket = await world.ticket(assignee_id=world.technician.id)
    errors = await api.errors("{ technicians { name } }", token=world.requester_token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { assignee { name } requester { name contracts { name } customer { name } } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.requester_token,
    )
    assert data["ticket"] == {
        "assignee": {"name": "Tom Tech"},
        "requester": {"name": "Rita Requester", "contracts": [], "customer": {"name": "Contoso"}},
    }
    node = await api.data(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": encode("Technician", world.technician.id)},
        token=world.requester_token,
    )
    assert node == {"node": None}
