"""The outbox: mail survives a mail server outage, is never sent twice by concurrent workers, failed
mail is visible to admins and can be sent again; status emails; admin-edited templates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from integrations.smtp import SmtpSender
from models.clock import utcnow
from models.enums import MailKind, OutboundStatus, StatusCategory
from models.mail import OutboundMail
from models.tickets import TicketStatus
from schema.ids import encode
from services import outbox
from tests.mailroom import Mailroom, mailroom
from tests.support.conversation import reply
from tests.waiting import eventually

OUTBOUND = """query($status: OutboundStatus) { outboundMails(status: $status, first: 50) {
  totalCount nodes { id kind recipient status attempts lastError nextAttemptAt } } }"""
SEND_AGAIN = """mutation($id: ID!) { sendMailAgain(input: {id: $id}) { __typename
  ... on OutboundMailSuccess { mail { status attempts } } ... on Error { message } } }"""


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path) as running:
        yield running


def message_ids(room: Mailroom) -> list[str]:
    return [str(mail.message["Message-ID"]) for mail in room.server.received]


async def test_mail_waits_out_a_mail_server_outage_and_is_delivered_once_it_is_back(room: Mailroom) -> None:
    world = room.world
    room.server.stop()
    for _ in range(3):
        await world.ticket()
    assert await room.send_out() == 0
    rows = await OutboundMail.all().order_by("id")
    assert [(r.status, r.attempts) for r in rows] == [(OutboundStatus.PENDING, 1)] * 3
    assert all("Connect" in r.last_error or "refused" in r.last_error.lower() for r in rows)
    assert await room.send_out() == 0  # not due yet: the next attempt waits 0.2 s
    due = max(r.next_attempt_at for r in rows)
    await eventually(lambda: utcnow() >= due, what="the second attempts are due")
    assert await room.send_out() == 0
    assert {r.attempts for r in await OutboundMail.all()} == {2}  # the delay doubles: 0.4 s now
    room.server.start()
    deadline = time.monotonic() + 10
    while await OutboundMail.filter(status=OutboundStatus.PENDING).exists():
        assert time.monotonic() < deadline
        await room.send_out()
        await asyncio.sleep(0.1)
    assert sorted(message_ids(room)) == sorted(r.message_id for r in rows)  # each once, none lost


async def test_several_workers_at_once_never_send_the_same_mail_twice(room: Mailroom) -> None:
    world = room.world
    for number in range(24):
        await world.ticket(f"Ticket {number}")
    sender = SmtpSender(room.server.url)

    async def worker(name: str) -> int:
        sent = 0
        while True:
            batch = await outbox.deliver_due(room.config, sender, name, limit=3)
            sent += batch
            if not batch and not await OutboundMail.filter(status=OutboundStatus.PENDING).exists():
                return sent

    counts = await asyncio.gather(*(worker(f"worker-{i}") for i in range(4)))
    assert sum(counts) == 24
    assert len(message_ids(room)) == 24
    assert len(set(message_ids(room))) == 24


async def test_a_refused_address_fails_at_once_and_an_admin_sends_it_again(room: Mailroom) -> None:
    world = room.world
    room.server.refuse = {world.requester.email}
    await world.ticket()
    await room.send_out()
    failed = await room.api.data(OUTBOUND, {"status": "FAILED"}, token=world.admin_token)
    [row] = failed["outboundMails"]["nodes"]
    assert (row["kind"], row["recipient"], row["attempts"]) == ("TICKET_CREATED", world.requester.email, 1)
    assert "550" in row["lastError"]
    assert row["nextAttemptAt"] is None
    denied = await room.api.run(OUTBOUND, {}, token=world.technician_token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await room.api.data(SEND_AGAIN, {"id": row["id"]}, token=world.technician_token)
    assert refused["sendMailAgain"]["__typename"] == "PermissionDeniedError"
    room.server.refuse = set()
    again = await room.api.data(SEND_AGAIN, {"id": row["id"]}, token=world.admin_token)
    assert again["sendMailAgain"]["mail"] == {"status": "PENDING", "attempts": 0}
    twice = await room.api.data(SEND_AGAIN, {"id": row["id"]}, token=world.admin_token)
    assert twice["sendMailAgain"]["__typename"] == "ValidationError"
    assert await room.send_out() == 1
    assert len(room.server.to(world.requester.email)) == 1


async def test_resolving_mails_the_requester_once_and_a_reply_carries_the_status(room: Mailroom) -> None:
    world = room.world
    resolved = await TicketStatus.get(account_id=world.account.id, category=StatusCategory.RESOLVED)
    first, second = await world.ticket("First"), await world.ticket("Second")
    update = """mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { __typename } }"""
    variables: dict[str, Any] = {
        "input": {"id": encode("Ticket", first.id), "statusId": encode("TicketStatus", resolved.id)}
    }
    assert (await room.api.data(update, variables, token=world.technician_token))["updateTicket"][
        "__typename"
    ] == "UpdateTicketSuccess"
    await reply(
        room.api,
        world.technician_token,
        second,
        body="Fixed.",
        setStatusId=encode("TicketStatus", resolved.id),
    )
    await room.send_out()
    kinds = [row.kind for row in await OutboundMail.filter(recipient=world.requester.email).order_by("id")]
    assert kinds == [
        MailKind.TICKET_CREATED,
        MailKind.TICKET_CREATED,
        MailKind.TICKET_RESOLVED,
        MailKind.PUBLIC_REPLY,
    ]
    last = room.server.to(world.requester.email)[-1]
    assert "Status: Resolved" in last.text


TEMPLATE = """mutation($input: UpdateMailTemplateInput!) { updateMailTemplate(input: $input) { __typename
  ... on MailTemplateSuccess { template { kind subject isDefault } }
  ... on ValidationError { fields { field message } } ... on Error { message } } }"""


async def test_admins_edit_templates_with_known_placeholders_and_mail_uses_them(room: Mailroom) -> None:
    world = room.world
    unknown = {
        "kind": "TICKET_CREATED",
        "subject": "Got it: {{ticket.title}}",
        "body": "Hi {{requester.ssn}}",
    }
    refused = await room.api.data(TEMPLATE, {"input": unknown}, token=world.admin_token)
    assert refused["updateMailTemplate"]["fields"][0]["field"] == "body"
    assert "{{requester.ssn}}" in refused["updateMailTemplate"]["fields"][0]["message"]
    good = {
        **unknown,
        "body": "Hi {{recipient.firstName}}, ticket {{ticket.number}} is logged.\n{{ticket.url}}",
    }
    denied = await room.api.data(TEMPLATE, {"input": good}, token=world.technician_token)
    assert denied["updateMailTemplate"]["__typename"] == "PermissionDeniedError"
    saved = await room.api.data(TEMPLATE, {"input": good}, token=world.admin_token)
    assert saved["updateMailTemplate"]["template"] == {
        "kind": "TICKET_CREATED",
        "subject": "Got it: {{ticket.title}}",
        "isDefault": False,
    }
    ticket = await world.ticket("Laptop <script>alert(1)</script>")
    await room.send_out()
    [mail] = room.server.to(world.requester.email)
    assert str(mail.message["Subject"]) == f"[#{ticket.number}] Got it: Laptop <script>alert(1)</script>"
    assert mail.text.startswith(f"Hi Rita, ticket {ticket.number} is logged.")
    assert "<script>" not in mail.html
    listed = await room.api.data("{ mailTemplates { kind isDefault } }", token=world.admin_token)
    assert {t["kind"]: t["isDefault"] for t in listed["mailTemplates"]}["TICKET_CREATED"] is False
    reset = """mutation { resetMailTemplate(input: {kind: TICKET_CREATED}) {
      ... on MailTemplateSuccess { template { isDefault subject } } } }"""
    assert (await room.api.data(reset, token=world.admin_token))["resetMailTemplate"]["template"] == {
        "isDefault": True,
        "subject": "{{ticket.title}}",
    }
