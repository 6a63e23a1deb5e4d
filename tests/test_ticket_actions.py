"""The Actions menu besides merge: spam, delete and restore, products and expenses, chat, ticket settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from models.clock import utcnow
from models.conversation import Attachment, Comment
from models.enums import Channel, InboundOutcome, MailKind, StatusCategory
from models.mail import OutboundMail
from models.ticket_actions import TicketItem
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import ticket_lifecycle
from services.storage import storage
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import add_comment, make_world
from tests.live import Live
from tests.mailroom import MAILBOX, mailroom

SPAM = """mutation($input: MarkTicketAsSpamInput!) { markTicketAsSpam(input: $input) { __typename
  ... on TicketActionSuccess { ticket { isSpam } } } }"""
UNSPAM = """mutation($id: ID!) { unmarkTicketAsSpam(input: {ticketId: $id}) { __typename
  ... on TicketActionSuccess { ticket { isSpam } } } }"""
LIST = """query($spam: Boolean) { tickets(filter: {isSpam: $spam}) { nodes { title } } }"""
DELETE = (
    """mutation($id: ID!) { deleteTicket(input: {ticketId: $id}) { __typename ... on Error { message } } }"""
)
RESTORE = """mutation($id: ID!) { restoreTicket(input: {ticketId: $id}) { __typename
  ... on TicketActionSuccess { ticket { title } } ... on ValidationError { fields { field message } }
  ... on NotFoundError { field } ... on Error { message } } }"""
ADD_ITEM = """mutation($input: AddTicketItemInput!) { addTicketItem(input: $input) { __typename
  ... on TicketItemSuccess { item { id name quantity unitPrice amount billable } }
  ... on ValidationError { fields { field message } } ... on Error { message } } }"""
CHAT = """mutation($id: ID!) { startChat(input: {ticketId: $id}) { __typename
  ... on ChatSuccess { chat { id endedAt } } ... on ValidationError { fields { field message } } } }"""
SAY = """mutation($chat: ID!, $text: String!) { sendChatMessage(input: {chatId: $chat, text: $text}) { __typename
  ... on ChatMessageSuccess { message { id } } ... on ValidationError { fields { field message } } ... on NotFoundError { field } } }"""
END = """mutation($chat: ID!) { endChat(input: {chatId: $chat}) { __typename
  ... on ChatSuccess { chat { endedAt transcript { channel text author { ... on Technician { name } } } } } } }"""
MESSAGES = """subscription($chat: ID!) { chatMessages(chatId: $chat) { text author { ... on Technician { name }
  ... on Requester { name } } } }"""


def gid(ticket: Ticket) -> str:
    return encode("Ticket", ticket.id)


async def test_spam_is_labelled_left_out_of_lists_and_its_blocked_sender_is_not_posted(
    db: Database, tmp_path: Path
) -> None:
    async with mailroom(db, tmp_path) as room:
        world, api = room.world, room.api
        await world.ticket("Real problem")
        spam = await world.ticket("Cheap watches", requester_id=world.other_requester.id)
        variables = {"input": {"ticketId": gid(spam), "blockSender": True}}
        marked = await api.data(SPAM, variables, token=world.technician_token)
        assert marked["markTicketAsSpam"]["ticket"] == {"isSpam": True}
        listed = await api.data(LIST, {}, token=world.technician_token)
        assert [t["title"] for t in listed["tickets"]["nodes"]] == ["Real problem"]
        only = await api.data(LIST, {"spam": True}, token=world.technician_token)
        assert [t["title"] for t in only["tickets"]["nodes"]] == ["Cheap watches"]
        both = await api.data(LIST, {"spam": None}, token=world.technician_token)
        assert len(both["tickets"]["nodes"]) == 2
        again = EmailMessage()
        again["From"], again["To"], again["Subject"] = world.other_requester.email, MAILBOX, "More watches"
        again["Message-ID"] = "<watches-2@spam.test>"
        again.set_content("Buy now")
        assert (await room.send_in(again)).outcome is InboundOutcome.BLOCKED
        refused = await api.data(SPAM, variables, token=world.requester_token)
        assert refused["markTicketAsSpam"]["__typename"] == "PermissionDeniedError"
        lifted = await api.data(UNSPAM, {"id": gid(spam)}, token=world.technician_token)
        assert lifted["unmarkTicketAsSpam"]["ticket"] == {"isSpam": False}
        again.replace_header("Message-ID", "<watches-3@spam.test>")
        assert (await room.send_in(again)).outcome is InboundOutcome.TICKET_CREATED


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


async def test_a_deleted_ticket_vanishes_everywhere_until_an_admin_restores_it(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket("Delete me")
    comment = await add_comment(ticket, world.requester, body="hello")
    token = world.technician_token
    stream = await live.subscribe(
        "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind } }", {"id": gid(ticket)}, token
    )
    assert (await stream.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    assert (await live.data(DELETE, {"id": gid(ticket)}, token=token))["deleteTicket"][
        "__typename"
    ] == "DeleteSuccess"
    assert (await stream.error())["extensions"]["code"] == "NOT_FOUND"
    await stream.close()
    gone = await live.data(
        """query($id: ID!, $c: ID!, $n: Int!) { ticket(id: $id) { id } node(id: $c) { id }
          ticketByNumber(number: $n) { id } tickets { nodes { id } } }""",
        {"id": gid(ticket), "c": encode("Comment", comment.id), "n": ticket.number},
        token=token,
    )
    assert gone == {"ticket": None, "node": None, "ticketByNumber": None, "tickets": {"nodes": []}}
    denied = await live.run("{ deletedTickets { number } }", token=token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = await live.data("{ deletedTickets { number title restorableUntil } }", token=world.admin_token)
    assert [t["number"] for t in listed["deletedTickets"]] == [ticket.number]
    assert (await live.data(RESTORE, {"id": gid(ticket)}, token=token))["restoreTicket"]["__typename"] == (
        "PermissionDeniedError"
    )
    restored = await live.data(RESTORE, {"id": gid(ticket)}, token=world.admin_token)
    assert restored["restoreTicket"]["ticket"] == {"title": "Delete me"}
    assert (await live.data("query($id: ID!) { ticket(id: $id) { title } }", {"id": gid(ticket)}, token))[
        "ticket"
    ] == {"title": "Delete me"}


async def test_after_the_retention_a_deleted_ticket_is_purged_with_its_files(api: Api) -> None:
    world = await make_world()
    kept, doomed = await world.ticket("Kept"), await world.ticket("Doomed")
    comment = await add_comment(doomed, world.technician, body="see file")
    stored = await storage().save(_chunks(b"doomed screenshot"), 1000)
    await Attachment.create(
        account_id=world.account.id,
        comment_id=comment.id,
        filename="a.png",
        content_type="image/png",
        size=stored.size,
        sha256=stored.sha256,
    )
    with frozen_at(utcnow()) as clock:
        await api.data(DELETE, {"id": gid(doomed)}, token=world.technician_token)
        clock.advance(days=29)
        assert await ticket_lifecycle.purge_deleted() == 0
        clock.advance(days=1, minutes=1)
        late = await api.data(RESTORE, {"id": gid(doomed)}, token=world.admin_token)
        assert late["restoreTicket"]["fields"][0]["field"] == "ticketId"
        assert await ticket_lifecycle.purge_deleted() == 1
        purged = await api.data(RESTORE, {"id": gid(doomed)}, token=world.admin_token)
    assert purged["restoreTicket"]["__typename"] == "NotFoundError"
    assert not await Ticket.exists(id=doomed.id)
    assert not await Comment.exists(id=comment.id)
    assert await Ticket.exists(id=kept.id)
    with pytest.raises(FileNotFoundError):
        [chunk async for chunk in storage().read(stored.sha256)]


async def _chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


async def test_products_and_expenses_add_up_exactly_and_bad_values_save_nothing(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    token = world.technician_token
    base = {
        "ticketId": gid(ticket),
        "kind": "PRODUCT",
        "name": "SSD 1 TB",
        "quantity": "3",
        "unitPrice": "0.10",
    }
    for fields in (
        base,
        {
            **base,
            "kind": "EXPENSE",
            "name": "Taxi",
            "quantity": "1.5",
            "unitPrice": "12.35",
            "billable": False,
        },
    ):
        assert (await api.data(ADD_ITEM, {"input": fields}, token=token))["addTicketItem"]["__typename"] == (
            "TicketItemSuccess"
        )
    totals = await api.data(
        "query($id: ID!) { ticket(id: $id) { items { name amount } itemTotals { products expenses billable total } } }",
        {"id": gid(ticket)},
        token=token,
    )
    assert totals["ticket"]["itemTotals"] == {
        "products": "0.30",
        "expenses": "18.53",
        "billable": "0.30",
        "total": "18.83",
    }
    for field, bad, message in (
        ("quantity", "-1", "Must be more than 0 and at most 999999999.999 with at most 3 decimals."),
        ("quantity", "0", "Must be more than 0 and at most 999999999.999 with at most 3 decimals."),
        ("unitPrice", "-0.01", "Must be 0 or more and at most 9999999999.99 with at most 2 decimals."),
        ("unitPrice", "1.005", "Must be 0 or more and at most 9999999999.99 with at most 2 decimals."),
        ("unitPrice", "1e999999", "Must be 0 or more and at most 9999999999.99 with at most 2 decimals."),
        ("quantity", "1E+30", "Must be more than 0 and at most 999999999.999 with at most 3 decimals."),
        ("quantity", "NaN", "Must be more than 0 and at most 999999999.999 with at most 3 decimals."),
        ("name", "  ", "Must not be empty."),
    ):
        refused = await api.data(ADD_ITEM, {"input": {**base, field: bad}}, token=token)
        assert refused["addTicketItem"]["fields"] == [{"field": field, "message": message}], (field, bad)
    assert await TicketItem.filter(ticket_id=ticket.id).count() == 2
    hidden = await api.data(
        "query($id: ID!) { ticket(id: $id) { items { name } itemTotals { total } } }",
        {"id": gid(ticket)},
        token=world.requester_token,
    )
    assert hidden["ticket"] == {"items": [], "itemTotals": None}


async def test_a_chat_reaches_both_sides_live_and_its_transcript_becomes_a_public_reply(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    started = await live.data(CHAT, {"id": gid(ticket)}, token=world.technician_token)
    chat = started["startChat"]["chat"]["id"]
    await live.data(SAY, {"chat": chat, "text": "Hi Rita, Tom here."}, token=world.technician_token)
    technician = await live.subscribe(MESSAGES, {"chat": chat}, world.technician_token)
    requester = await live.subscribe(MESSAGES, {"chat": chat}, world.requester_token)
    for stream in (technician, requester):
        assert (await stream.next())["chatMessages"]["text"] == "Hi Rita, Tom here."
    said = await live.data(
        SAY, {"chat": chat, "text": "Hello! The printer beeps."}, token=world.requester_token
    )
    assert said["sendChatMessage"]["__typename"] == "ChatMessageSuccess"
    line = said["sendChatMessage"]["message"]["id"]
    by_id = "query($id: ID!) { node(id: $id) { ... on ChatMessage { text } } }"
    for token in (world.technician_token, world.requester_token):
        assert await live.data(by_id, {"id": line}, token=token) == {
            "node": {"text": "Hello! The printer beeps."}
        }
    assert await live.data(by_id, {"id": line}, token=world.other_requester_token) == {"node": None}
    for stream in (technician, requester):
        message = (await stream.next())["chatMessages"]
        assert message == {"text": "Hello! The printer beeps.", "author": {"name": "Rita Requester"}}
    outsider = await live.data(SAY, {"chat": chat, "text": "me too"}, token=world.other_requester_token)
    assert outsider["sendChatMessage"] == {"__typename": "NotFoundError", "field": "chatId"}
    ended = await live.data(END, {"chat": chat}, token=world.requester_token)
    transcript = ended["endChat"]["chat"]["transcript"]
    assert transcript["channel"] == "CHAT"
    assert transcript["author"] == {"name": "Tom Tech"}
    assert "Rita Requester" in transcript["text"]
    assert "The printer beeps." in transcript["text"]
    for stream in (technician, requester):
        assert await stream._get(5.0) is None  # the subscription completed
    late = await live.data(SAY, {"chat": chat, "text": "hello?"}, token=world.technician_token)
    assert late["sendChatMessage"]["fields"] == [{"field": "chatId", "message": "The chat has ended."}]
    closed_status = await TicketStatus.get(account_id=world.account.id, category=StatusCategory.CLOSED)
    await Ticket.filter(id=ticket.id).update(status_id=closed_status.id)
    refused = await live.data(CHAT, {"id": gid(ticket)}, token=world.technician_token)
    assert refused["startChat"]["fields"][0]["field"] == "ticketId"
    assert await Comment.filter(ticket_id=ticket.id, channel=Channel.CHAT).count() == 1


SETTINGS = """mutation($input: UpdateTicketSettingsInput!) { updateTicketSettings(input: $input) { __typename
  ... on TicketSettingsSuccess { settings { requireTimeEntryOnClose sendSurveyOnClose deletedRetentionDays
    openTicketsFromUnknownSenders } } ... on ValidationError { fields { field message } } } }"""
CLOSE = """mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { __typename
  ... on ValidationError { fields { field message } } } }"""


async def test_close_rules_require_time_and_send_the_survey(api: Api) -> None:
    world = await make_world()
    bad = await api.data(SETTINGS, {"input": {"deletedRetentionDays": 0}}, token=world.admin_token)
    assert bad["updateTicketSettings"]["fields"] == [
        {"field": "deletedRetentionDays", "message": "Must be 1 to 365 days."}
    ]
    settings = {"requireTimeEntryOnClose": True, "sendSurveyOnClose": True, "deletedRetentionDays": 7}
    saved = await api.data(SETTINGS, {"input": settings}, token=world.admin_token)
    assert saved["updateTicketSettings"]["settings"] == {**settings, "openTicketsFromUnknownSenders": False}
    ticket = await world.ticket()
    closed = await TicketStatus.get(account_id=world.account.id, category=StatusCategory.CLOSED)
    close: dict[str, Any] = {"input": {"id": gid(ticket), "statusId": encode("TicketStatus", closed.id)}}
    refused = await api.data(CLOSE, close, token=world.technician_token)
    assert refused["updateTicket"]["fields"] == [
        {"field": "statusId", "message": "Record the time spent on this ticket before closing it."}
    ]
    entry = {"ticketId": gid(ticket), "durationMinutes": 10}
    await api.data(
        "mutation($i: AddTimeEntryInput!) { addTimeEntry(input: $i) { __typename } }",
        {"i": entry},
        world.technician_token,
    )
    assert (await api.data(CLOSE, close, token=world.technician_token))["updateTicket"]["__typename"] == (
        "UpdateTicketSuccess"
    )
    kinds = [row.kind for row in await OutboundMail.filter(ticket_id=ticket.id).order_by("id")]
    assert kinds == [MailKind.TICKET_CREATED, MailKind.TICKET_CLOSED, MailKind.SATISFACTION_SURVEY]
    survey = await OutboundMail.get(ticket_id=ticket.id, kind=MailKind.SATISFACTION_SURVEY)
    assert f"/survey/{ticket.id}-" in survey.text
