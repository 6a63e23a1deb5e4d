"""Email out and in, against a real SMTP server on loopback and deskql's own SMTP listener.

Outgoing mail goes through the outbox to an aiosmtpd server that keeps it; replies are sent with
smtplib into deskql's listener, the way the recipient's mail server would deliver them.
"""

from __future__ import annotations

import asyncio
import copy
import re
import smtplib
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

from app.database import Database
from models.activity import Activity
from models.conversation import Attachment, Comment, TicketFollower
from models.enums import ActivityStatus, Channel, CommentKind, InboundOutcome, OutboundStatus
from models.mail import InboundMail, OutboundMail
from models.people import Requester
from models.settings import TicketSettings
from models.tickets import Ticket
from schema.ids import encode
from services import visibility
from services.reply_tokens import thread_id
from services.storage import storage
from services.viewer import Viewer
from tests.mailroom import MAILBOX, MAX_MAIL_BYTES, Mailroom, mailroom
from tests.mailserver import Received, deliver, reply_to
from tests.support.conversation import note, reply

BOSS = "boss@client.test"


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path) as running:
        yield running


async def assigned_ticket(room: Mailroom) -> Ticket:
    return await room.world.ticket(assignee_id=room.world.technician.id)


async def comments(ticket: Ticket) -> list[Comment]:
    return await Comment.filter(ticket_id=ticket.id).order_by("id")


def the_one(mails: list[Received], subject_part: str = "") -> Received:
    chosen = [mail for mail in mails if subject_part in str(mail.message["Subject"])]
    assert len(chosen) == 1, [str(m.message["Subject"]) for m in mails]
    return chosen[0]


async def test_a_reply_mails_the_requester_and_the_cc_list_each_with_a_signed_reply_address(
    room: Mailroom,
) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    answer = await reply(
        room.api, world.technician_token, ticket, body="<p>Please <b>restart</b> the printer.</p>", cc=[BOSS]
    )
    assert answer["__typename"] == "AddCommentSuccess"
    await room.send_out()
    to_rita, to_boss = room.server.to(world.requester.email), room.server.to(BOSS)
    assert [str(m.message["Subject"]) for m in to_rita] == [f"[#{ticket.number}] {ticket.title}"] * 2
    created, replied = to_rita
    assert "we have received your request" in created.text
    mail = replied.message
    assert "Tom Tech wrote:" in replied.text
    assert "Please restart the printer." in replied.text
    assert "<p>Please <b>restart</b> the printer.</p>" in replied.html
    assert str(mail["From"]) == f"Acme IT <{room.config.from_address}>"
    thread = thread_id(room.config.key, room.config.inbound_domain, ticket.id)
    assert str(mail["In-Reply-To"]) == thread
    assert thread in str(mail["References"])
    assert str(mail["Auto-Submitted"]) == "auto-generated"
    row = await OutboundMail.get(message_id=str(mail["Message-ID"]))
    assert (row.status, row.recipient, row.attempts) == (OutboundStatus.SENT, world.requester.email, 1)
    assert len(to_boss) == 1
    addresses = {str(m.message["Reply-To"]) for m in (replied, to_boss[0])}
    assert len(addresses) == 2
    assert all(re.fullmatch(r"reply\+\d+-pr?c?\d+-[0-9a-f]{20}@deskql\.localhost", a) for a in addresses)
    assert room.server.to(world.technician.email) == []  # the author is never mailed


async def test_internal_notes_reach_followers_and_never_a_requester_or_cc_mailbox(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    await reply(room.api, world.technician_token, ticket, cc=[BOSS])
    await note(
        room.api,
        world.technician_token,
        ticket,
        body="Admin password is hunter2",
        mentionTechnicianIds=[encode("Technician", world.admin.id)],
    )
    await room.send_out()
    to_admin = room.server.to(world.admin.email)
    assert len(to_admin) == 1
    assert "hunter2" in to_admin[0].text
    assert str(to_admin[0].message["Subject"]).startswith(f"[#{ticket.number}] Internal note:")
    for outsider in (world.requester.email, BOSS):
        for mail in room.server.to(outsider):
            assert "hunter2" not in mail.message.as_string()
    assert len(room.server.to(world.requester.email)) == 2  # created, the public reply
    assert room.server.to(world.technician.email) == []  # the note's author


async def test_a_round_trip_reply_mail_answer_lands_in_the_ticket_and_tells_the_assignee(
    room: Mailroom,
) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    await reply(room.api, world.technician_token, ticket, body="<p>Please restart the printer.</p>")
    mail = (await room.mails_to(world.requester.email))[-1]
    answer = reply_to(mail, "Restarted, it works now.\n\nThanks,\nRita\n-- \nRita Requester\nClient Ltd")
    received = await room.send_in(answer)
    assert received.outcome is InboundOutcome.REPLY_POSTED
    last = (await comments(ticket))[-1]
    assert (last.kind, last.channel, last.author_requester_id) == (
        CommentKind.PUBLIC_REPLY,
        Channel.EMAIL,
        world.requester.id,
    )
    assert last.text == "Restarted, it works now."  # quote, greeting and signature removed
    assert (await Ticket.get(id=ticket.id)).activity_status is ActivityStatus.WAITING_FOR_TECHNICIAN
    assert await Activity.filter(ticket_id=ticket.id, comment_id=last.id).exists()
    told = (await room.mails_to(world.technician.email))[-1]
    assert "Restarted, it works now." in told.text
    assert str(answer["Message-ID"]) in str(told.message["References"])


async def test_an_outlook_reply_without_threading_headers_and_a_new_subject_is_matched_by_its_token(
    room: Mailroom,
) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    await reply(room.api, world.technician_token, ticket)
    mail = (await room.mails_to(world.requester.email))[-1]
    answer = reply_to(mail, "Still broken.", threading_headers=False, subject="AW: Drucker", quote=False)
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    assert (await comments(ticket))[-1].text == "Still broken."


async def test_a_thread_reply_to_the_mailbox_is_matched_by_its_references(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(world.requester.email))[-1]
    answer = reply_to(mail, "One more detail: it is the HP on floor 2.", subject="Printer")
    answer.replace_header("To", MAILBOX)
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    assert (await comments(ticket))[-1].author_requester_id == world.requester.id


async def test_a_cc_d_person_answers_and_becomes_a_requester_who_can_follow_the_ticket(
    room: Mailroom,
) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    await reply(room.api, world.technician_token, ticket, cc=[BOSS])
    mail = (await room.mails_to(BOSS))[-1]
    answer = reply_to(mail, "Please prioritise this, Rita cannot print invoices.")
    answer.replace_header("From", f"The Boss <{BOSS}>")
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    boss = await Requester.get(account_id=world.account.id, email=BOSS)
    assert boss.name == "The Boss"
    assert (await comments(ticket))[-1].author_requester_id == boss.id
    as_boss = Viewer(world.account.id, requester_id=boss.id)
    assert await visibility.tickets(as_boss).filter(id=ticket.id).exists()
    assert not await visibility.tickets(as_boss).exclude(id=ticket.id).exists()
    to_rita = (await room.mails_to(world.requester.email))[-1]
    assert "Please prioritise this" in to_rita.text  # the requester hears what their cc wrote


async def test_a_forged_ticket_number_from_an_outsider_is_not_injected(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    before = len(await comments(ticket))
    forged = EmailMessage()
    forged["From"] = "Mallory <mallory@evil.test>"
    forged["To"] = MAILBOX
    forged["Subject"] = f"Re: [#{ticket.number}] {ticket.title}"
    forged["Message-ID"] = make_msgid(domain="evil.test")
    forged["In-Reply-To"] = "<made-up@evil.test>"
    forged.set_content("Please send the admin password to mallory@evil.test")
    record = await room.send_in(forged)
    assert (record.outcome, record.ticket_id) == (InboundOutcome.UNKNOWN_SENDER, None)
    assert len(await comments(ticket)) == before
    # With strangers allowed, the outsider gets a ticket of their own, never a voice in this one.
    await TicketSettings.create(account_id=world.account.id, open_tickets_from_unknown_senders=True)
    del forged["Message-ID"]
    forged["Message-ID"] = make_msgid(domain="evil.test")
    record = await room.send_in(forged)
    assert record.outcome is InboundOutcome.TICKET_CREATED
    assert record.ticket_id != ticket.id
    assert len(await comments(ticket)) == before


async def test_a_leaked_reply_address_does_not_let_an_outsider_post(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(world.requester.email))[-1]
    answer = reply_to(mail, "I am the requester, honest.", sender="mallory@evil.test")
    record = await room.send_in(answer)
    assert record.outcome is InboundOutcome.UNKNOWN_SENDER
    assert await Comment.filter(ticket_id=ticket.id).count() == 0


async def test_a_reply_address_with_a_bad_signature_is_refused_at_rcpt(room: Mailroom) -> None:
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(room.world.requester.email))[-1]
    good = str(mail.message["Reply-To"])
    forged = reply_to(mail, "hello")
    for address in (re.sub(r"-[0-9a-f]{20}@", "-" + "0" * 20 + "@", good), f"reply+{ticket.id}-pr1@x.test"):
        forged.replace_header("To", address)
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await deliver(room.port, forged)
        assert next(iter(refused.value.recipients.values()))[0] == 550
    assert await InboundMail.all().count() == 0


@pytest.mark.parametrize(
    ("headers", "envelope_sender"),
    [
        ({"Auto-Submitted": "auto-replied"}, None),
        ({"Precedence": "bulk"}, None),
        ({"X-Auto-Response-Suppress": "All"}, None),
        ({}, "<>"),
    ],
    ids=["auto-submitted", "precedence-bulk", "exchange-auto-reply", "bounce"],
)
async def test_automatic_mail_is_recorded_and_not_posted(
    room: Mailroom, headers: dict[str, str], envelope_sender: str | None
) -> None:
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(room.world.requester.email))[-1]
    answer = reply_to(mail, "I am out of the office until Monday.", **headers)
    if envelope_sender:
        await deliver(room.port, answer, mail_from=envelope_sender)
        record = await InboundMail.get(message_id=str(answer["Message-ID"]))
    else:
        record = await room.send_in(answer)
    assert record.outcome is InboundOutcome.AUTO_REPLY
    assert await Comment.filter(ticket_id=ticket.id).count() == 0


async def test_our_own_mail_repeats_and_reply_storms_are_recorded_and_posted_once(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(world.requester.email))[-1]
    looped = copy.deepcopy(mail.message)
    looped.replace_header("To", str(mail.message["Reply-To"]))
    assert (await room.send_in(looped)).outcome is InboundOutcome.LOOP
    answer = reply_to(mail, "Thanks, all good!", quote=False)
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    assert (await room.send_in(answer)).outcome is InboundOutcome.DUPLICATE
    again = reply_to(mail, "Thanks, all good!", quote=False)
    assert (await room.send_in(again)).outcome is InboundOutcome.STORM
    assert await Comment.filter(ticket_id=ticket.id).count() == 1
    assert await InboundMail.all().count() == 4


async def test_mail_over_the_size_limit_is_refused_with_an_smtp_error(room: Mailroom) -> None:
    await assigned_ticket(room)
    mail = (await room.mails_to(room.world.requester.email))[-1]
    huge = reply_to(mail, "x" * (MAX_MAIL_BYTES + 1000))
    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
        await deliver(room.port, huge)
    assert refused.value.smtp_code == 552
    assert await InboundMail.all().count() == 0


async def test_malformed_mail_is_kept_for_inspection_and_never_breaks_the_listener(room: Mailroom) -> None:
    raw = (
        b"Subject: broken\r\nMessage-ID: <broken-1@client.test>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed\r\n\r\nno boundary anywhere\r\n"
    )
    await asyncio.to_thread(send_raw, room.port, "rita@client.test", MAILBOX, raw)
    record = await InboundMail.get(message_id="<broken-1@client.test>")
    assert record.outcome is InboundOutcome.MALFORMED
    assert "no From address" in record.detail
    assert b"".join([chunk async for chunk in storage().read(record.raw_sha256)]) == raw
    # The listener goes on taking mail.
    await assigned_ticket(room)
    mail = (await room.mails_to(room.world.requester.email))[-1]
    assert (await room.send_in(reply_to(mail, "fine"))).outcome is InboundOutcome.REPLY_POSTED


async def test_a_long_answer_is_cut_to_64000_characters_with_an_ellipsis(room: Mailroom) -> None:
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(room.world.requester.email))[-1]
    words = " ".join(f"word{i}" for i in range(12_000))
    assert (await room.send_in(reply_to(mail, words, quote=False))).outcome is InboundOutcome.REPLY_POSTED
    posted = (await comments(ticket))[-1]
    assert len(posted.text) <= 64_000
    assert posted.text.endswith("\u2026")
    assert posted.truncated


async def test_files_of_an_answer_are_attached_to_its_comment_and_mailed_on(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    mail = (await room.mails_to(world.requester.email))[-1]
    answer = reply_to(mail, "The error log is attached.")
    answer.add_attachment(b"E1234 paper jam\n", maintype="text", subtype="plain", filename="printer.log")
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    posted = (await comments(ticket))[-1]
    files = await Attachment.filter(comment_id=posted.id)
    assert [(f.filename, f.size, f.uploaded_by_requester_id) for f in files] == [
        ("printer.log", 16, world.requester.id)
    ]
    told = (await room.mails_to(world.technician.email))[-1].message
    attached = [part for part in told.iter_attachments() if part.get_filename() == "printer.log"]
    assert [part.get_content() for part in attached] == ["E1234 paper jam\n"]


async def test_a_technician_answering_a_mailed_note_adds_an_internal_note(room: Mailroom) -> None:
    world = room.world
    ticket = await assigned_ticket(room)
    admin_id = encode("Technician", world.admin.id)
    await note(
        room.api,
        world.technician_token,
        ticket,
        body="Can you check the VPN?",
        mentionTechnicianIds=[admin_id],
    )
    await TicketFollower.create(ticket_id=ticket.id, technician_id=world.technician.id)
    mail = (await room.mails_to(world.admin.email))[-1]
    answer = reply_to(mail, "VPN concentrator rebooted, secret is hunter2.")
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    posted = (await comments(ticket))[-1]
    assert (posted.kind, posted.author_technician_id) == (CommentKind.INTERNAL_NOTE, world.admin.id)
    for mail in await room.mails_to(world.requester.email):
        assert "hunter2" not in mail.message.as_string()
    assert "hunter2" in (await room.mails_to(world.technician.email))[-1].text  # a follower


async def test_new_mail_opens_a_ticket_for_a_known_requester_and_for_strangers_only_when_allowed(
    room: Mailroom,
) -> None:
    world = room.world
    fresh = EmailMessage()
    fresh["From"] = f"Rita <{world.requester.email}>"
    fresh["To"] = MAILBOX
    fresh["Subject"] = "VPN drops every hour"
    fresh["Message-ID"] = make_msgid(domain="client.test")
    fresh.set_content("Since Monday the VPN drops every hour.\n\n-- \nRita")
    record = await room.send_in(fresh)
    assert record.outcome is InboundOutcome.TICKET_CREATED
    ticket = await Ticket.get(id=record.ticket_id)
    assert (ticket.title, ticket.description, ticket.channel, ticket.requester_id) == (
        "VPN drops every hour",
        "Since Monday the VPN drops every hour.",
        Channel.EMAIL,
        world.requester.id,
    )
    confirmation = (await room.mails_to(world.requester.email))[-1]
    assert str(confirmation.message["Subject"]) == f"[#{ticket.number}] VPN drops every hour"
    stranger = copy.deepcopy(fresh)
    stranger.replace_header("From", "New Person <new@client.test>")
    stranger.replace_header("Message-ID", make_msgid(domain="client.test"))
    assert (await room.send_in(stranger)).outcome is InboundOutcome.UNKNOWN_SENDER
    await TicketSettings.create(account_id=world.account.id, open_tickets_from_unknown_senders=True)
    stranger.replace_header("Message-ID", make_msgid(domain="client.test"))
    record = await room.send_in(stranger)
    assert record.outcome is InboundOutcome.TICKET_CREATED
    newcomer = await Requester.get(account_id=world.account.id, email="new@client.test")
    assert newcomer.name == "New Person"


def send_raw(port: int, sender: str, recipient: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(sender, [recipient], raw)
