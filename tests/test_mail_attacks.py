"""Attacks on the email path: leaking notes or another tenant's data by mail, posting into a ticket one
takes no part in, injecting headers or markup through names and titles, and mail built to crash or
confuse the inbound path. Each test asserts the safe behaviour."""

from __future__ import annotations

import asyncio
import re
import smtplib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.database import Database
from integrations.mime_in import read
from models.accounts import Technician
from models.conversation import CcRecipient, Comment
from models.enums import CommentKind, InboundOutcome, OutboundStatus
from models.mail import InboundMail, Mailbox, OutboundMail
from models.settings import TicketSettings
from models.tickets import Ticket
from schema.ids import encode
from services import mail_in, people
from services.errors import ValidationFailed
from services.reply_tokens import thread_id, ticket_of_thread_id
from tests.api import uploaded
from tests.factories import as_viewer, make_world
from tests.mailroom import MAILBOX, Mailroom, mailroom
from tests.mailserver import deliver, reply_to
from tests.support.conversation import note, reply
from tests.support.mail import first_mail, fresh, texts

BOSS = "boss@client.test"
MALLORY = "mallory@evil.test"
SECRET = "inbound-secret-0123456789abcdefghijklmnopq"


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path, mail_inbound_secret=SECRET) as running:
        yield running


def send_raw(port: int, recipient: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("someone@attack.test", [recipient], raw)


async def latest() -> InboundMail:
    row = await InboundMail.all().order_by("-id").first()
    assert row is not None
    return row


async def test_a_reply_token_of_one_account_gives_no_voice_to_people_of_another_account(
    room: Mailroom,
) -> None:
    world = room.world
    other = await make_world("Beta MSP")
    await Mailbox.create(account_id=other.account.id, address="help@beta.test")
    ticket = await world.ticket(assignee_id=world.technician.id)
    theirs = await other.ticket(title="Their own ticket")
    mail = await first_mail(room, world.requester.email)
    outsiders = (other.requester.email, other.technician.email, other.admin.email)
    for sender in outsiders:
        record = await room.send_in(reply_to(mail, "Injected via a foreign token.", sender=sender))
        assert (record.outcome, record.ticket_id) == (InboundOutcome.UNKNOWN_SENDER, None)
        # The ticket number of their own account, sent to this account's mailbox, reaches nothing either.
        numbered = fresh(sender, subject=f"Re: [#{ticket.number}] {ticket.title}")
        numbered["In-Reply-To"] = thread_id(room.config.key, room.config.inbound_domain, theirs.id)
        assert (await room.send_in(numbered)).outcome is InboundOutcome.UNKNOWN_SENDER
    assert await texts(ticket) == []
    assert await texts(theirs) == []
    await room.send_out()
    for sender in outsiders:
        assert all(ticket.title not in m.message.as_string() for m in room.server.to(sender))


async def test_a_valid_token_with_another_tickets_number_and_thread_lands_in_the_token_ticket_only(
    room: Mailroom,
) -> None:
    world = room.world
    mine = await world.ticket(title="Rita's printer")
    others = await world.ticket(title="Otto's salary", requester_id=world.other_requester.id)
    to_rita = await first_mail(room, world.requester.email)
    to_otto = await first_mail(room, world.other_requester.email)
    sneaky = reply_to(to_rita, "Posted with Otto's thread.", subject=f"Re: [#{others.number}] salary")
    sneaky.replace_header("In-Reply-To", str(to_otto.message["Message-ID"]))
    sneaky.replace_header("References", str(to_otto.message["References"]))
    record = await room.send_in(sneaky)
    assert (record.outcome, record.ticket_id) == (InboundOutcome.REPLY_POSTED, mine.id)
    # Without her token, Otto's thread and number give Rita a ticket of her own, never a voice in his.
    sneaky = reply_to(to_otto, "Straight into Otto's thread.", sender=world.requester.email)
    sneaky.replace_header("To", MAILBOX)
    record = await room.send_in(sneaky)
    assert record.outcome is InboundOutcome.TICKET_CREATED
    assert record.ticket_id not in (mine.id, others.id)
    assert await texts(others) == []
    assert all("Posted with" not in m.text for m in await room.mails_to(world.other_requester.email))


async def test_tokens_survive_a_change_of_case_but_not_of_signature_or_thread_number(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket()
    victim = await world.ticket(title="Someone else's", requester_id=world.other_requester.id)
    mail = await first_mail(room, world.requester.email)
    shouted = reply_to(mail, "Sent by a server that upper-cases.", quote=False)
    shouted.replace_header("To", str(mail.message["Reply-To"]).upper())
    assert (await room.send_in(shouted)).ticket_id == ticket.id
    signature = re.search(r"-([0-9A-F]{20})@", shouted["To"])
    assert signature is not None
    flipped = signature.group(1)[:-1] + ("0" if signature.group(1)[-1] != "0" else "1")
    tampered = shouted["To"].replace(signature.group(1), flipped)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        await deliver(room.port, fresh(world.requester.email, to=tampered))
    key, domain = room.config.key, room.config.inbound_domain
    real = thread_id(key, domain, ticket.id)
    forged = real.replace(f"<ticket-{ticket.id}-", f"<ticket-{victim.id}-")
    assert ticket_of_thread_id(key, real.upper()) == ticket.id
    assert ticket_of_thread_id(key, forged) is None
    guess = fresh(world.requester.email, subject="About that other ticket")
    guess["In-Reply-To"] = forged
    record = await room.send_in(guess)
    assert record.ticket_id != victim.id
    assert await texts(victim) == []


async def test_a_requester_answering_a_note_address_or_thread_never_writes_a_note(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket(assignee_id=world.technician.id)
    admin = encode("Technician", world.admin.id)
    await note(
        room.api, world.technician_token, ticket, body="Root password: hunter2", mentionTechnicianIds=[admin]
    )
    note_mail = await first_mail(room, world.admin.email)
    assert "-nt" in str(note_mail.message["Reply-To"])
    by_token = reply_to(note_mail, "Via the note's reply address.", sender=world.requester.email, quote=False)
    by_thread = reply_to(note_mail, "Via the note's Message-ID.", sender=world.requester.email, quote=False)
    by_thread.replace_header("To", MAILBOX)
    outsider = reply_to(note_mail, "Mallory adds a note.", sender=MALLORY, quote=False)
    for mail in (by_token, by_thread):
        assert (await room.send_in(mail)).outcome is InboundOutcome.REPLY_POSTED
    assert (await room.send_in(outsider)).outcome is InboundOutcome.UNKNOWN_SENDER
    written = await Comment.filter(ticket_id=ticket.id, author_requester_id__isnull=False)
    assert [c.kind for c in written] == [CommentKind.PUBLIC_REPLY] * 2
    assert not await Comment.filter(ticket_id=ticket.id, text__contains="Mallory").exists()
    for mail in await room.mails_to(world.requester.email):
        assert "hunter2" not in mail.message.as_string()


async def test_a_deactivated_technician_or_a_removed_cc_loses_their_voice(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket(assignee_id=world.technician.id)
    await reply(room.api, world.admin_token, ticket, cc=[BOSS])
    to_tom, to_boss = await first_mail(room, world.technician.email), await first_mail(room, BOSS)
    await Technician.filter(id=world.technician.id).update(active=False)
    await CcRecipient.filter(ticket_id=ticket.id, email=BOSS).delete()
    for mail in (to_tom, to_boss):
        record = await room.send_in(reply_to(mail, "Still here.", quote=False))
        assert record.outcome is InboundOutcome.UNKNOWN_SENDER
    assert "Still here." not in await texts(ticket)


async def test_a_cc_on_another_ticket_hears_nothing_about_this_one(room: Mailroom) -> None:
    world = room.world
    copied = await world.ticket(title="Boss is copied here")
    secret = await world.ticket(title="Layoffs planned", assignee_id=world.technician.id)
    await reply(room.api, world.technician_token, copied, cc=[BOSS])
    await reply(room.api, world.technician_token, secret, body="<p>Layoffs in March.</p>")
    await note(room.api, world.technician_token, secret, body="Boss is on the list.")
    to_boss = await room.mails_to(BOSS)
    assert [str(m.message["Subject"]) for m in to_boss] == [f"[#{copied.number}] Boss is copied here"]
    assert "Layoffs" not in to_boss[0].message.as_string()


async def test_a_line_break_in_a_title_injects_no_header_and_reaches_no_extra_recipient(
    room: Mailroom,
) -> None:
    world = room.world
    title = f"Printer\r\nBcc: {MALLORY}\r\nX-Injected: yes"
    ticket = await world.ticket(title=title, assignee_id=world.technician.id)
    await reply(room.api, world.technician_token, ticket)
    mails = await room.mails_to(world.requester.email)
    assert len(mails) == 2
    assert room.server.to(MALLORY) == []
    assert all(m.message["X-Injected"] is None and m.message["Bcc"] is None for m in mails)
    assert str(mails[0].message["Subject"]) == f"[#{ticket.number}] Printer Bcc: {MALLORY} X-Injected: yes"


async def test_a_line_break_in_a_new_senders_name_neither_injects_a_header_nor_stalls_the_outbox(
    room: Mailroom,
) -> None:
    world = room.world
    await TicketSettings.create(account_id=world.account.id, open_tickets_from_unknown_senders=True)
    raw = (
        b"From: =?utf-8?q?Eve=0BBcc=3A_mallory=40evil=2Etest?= <eve@evil.test>\r\nTo: help@acme.test\r\n"
        b"Subject: Hi\r\nMessage-ID: <eve-1@evil.test>\r\n\r\nPlease help.\r\n"
    )
    await asyncio.to_thread(send_raw, room.port, MAILBOX, raw)
    assert (await latest()).outcome is InboundOutcome.TICKET_CREATED
    with pytest.raises(ValidationFailed):  # a staff-made name cannot have a line break at all
        await people.create_requester(as_viewer(world.admin), name="Line\nBreak", email="l@client.test")
    await world.ticket()  # queued after Eve's mail
    await room.send_out()
    assert len(room.server.to(world.requester.email)) == 1  # the outbox goes on
    assert room.server.to(MALLORY) == []
    assert not await OutboundMail.filter(status=OutboundStatus.PENDING).exists()


async def test_markup_in_titles_names_and_mailed_html_is_escaped_or_sanitised(room: Mailroom) -> None:
    world = room.world
    rita = await people.create_requester(
        as_viewer(world.admin), name="<script>alert(1)</script> Rita", email="xss@client.test"
    )
    title = '<img src=x onerror="alert(2)">'
    ticket = await world.ticket(title=title, requester_id=rita.id, assignee_id=world.technician.id)
    created = await first_mail(room, rita.email)
    assert "<script" not in created.html
    assert "<img" not in created.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in created.html
    answer = reply_to(created, "", quote=False)
    answer.set_content("<p onclick='steal()'>Hi</p><script>steal()</script><iframe src=x>", subtype="html")
    assert (await room.send_in(answer)).outcome is InboundOutcome.REPLY_POSTED
    told = await first_mail(room, world.technician.email)
    for bad in ("<script", "<iframe", "onclick", "<img", "onerror="):
        assert bad not in told.html
    assert (await Ticket.get(id=ticket.id)).title == title


async def test_a_notes_files_are_never_attached_to_a_requesters_mail(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket(assignee_id=world.technician.id)
    public = await uploaded(room.api, world.technician_token, "invoice.txt", b"Invoice 42")
    secret = await uploaded(room.api, world.technician_token, "passwords.txt", b"admin: hunter2")
    admin = encode("Technician", world.admin.id)
    await note(
        room.api, world.technician_token, ticket, attachmentIds=[secret["id"]], mentionTechnicianIds=[admin]
    )
    reused = await reply(room.api, world.technician_token, ticket, cc=[BOSS], attachmentIds=[secret["id"]])
    assert reused["__typename"] != "AddCommentSuccess"  # a note's file cannot be moved into a reply
    await reply(room.api, world.technician_token, ticket, cc=[BOSS], attachmentIds=[public["id"]])
    for outsider in (world.requester.email, BOSS):
        for mail in await room.mails_to(outsider):
            assert "hunter2" not in mail.message.as_string()
            assert "passwords.txt" not in mail.message.as_string()
    files = [
        p.get_filename() for m in room.server.to(world.admin.email) for p in m.message.iter_attachments()
    ]
    assert "passwords.txt" in files


@pytest.mark.parametrize(
    "shape",
    ["many-files", "many-headers", "unknown-charset", "latin-1", "empty-body", "two-senders", "no-sender"],
)
async def test_odd_inbound_mail_is_recorded_and_never_posted_by_anyone_but_a_participant(
    room: Mailroom, shape: str
) -> None:
    world = room.world
    ticket = await world.ticket()
    mail = await first_mail(room, world.requester.email)
    answer = reply_to(mail, "Der Drucker l\u00e4uft nicht.", quote=False)
    if shape == "many-files":
        for index in range(300):
            answer.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"f{index}")
    elif shape == "many-headers":
        for index in range(3000):
            answer[f"X-Junk-{index}"] = "y" * 50
    elif shape in ("unknown-charset", "latin-1"):
        charset = "x-klingon" if shape == "unknown-charset" else "iso-8859-1"
        answer.set_content("Der Drucker l\u00e4uft nicht.".encode("latin-1"), "text", "plain")
        answer.replace_header("Content-Type", f"text/plain; charset={charset}")
    elif shape == "empty-body":
        answer.set_content("")
    elif shape == "two-senders":
        answer.replace_header("From", f"{MALLORY}, {world.requester.email}")
    else:
        del answer["From"]
    await deliver(room.port, answer)
    record = await latest()
    posted = await Comment.filter(ticket_id=ticket.id)
    expected = {
        "empty-body": InboundOutcome.EMPTY,
        "two-senders": InboundOutcome.UNKNOWN_SENDER,
        "no-sender": InboundOutcome.MALFORMED,
    }
    if shape in expected:
        assert record.outcome is expected[shape]
        assert posted == []
    elif shape == "unknown-charset":
        assert record.outcome in (InboundOutcome.MALFORMED, InboundOutcome.REPLY_POSTED)
    else:
        assert record.outcome is InboundOutcome.REPLY_POSTED
        assert [(c.author_requester_id, c.text) for c in posted] == [
            (world.requester.id, "Der Drucker l\u00e4uft nicht.")
        ]


async def test_a_nul_character_in_a_header_is_recorded_not_turned_into_a_temporary_failure(
    room: Mailroom,
) -> None:
    ticket = await room.world.ticket()
    mail = await first_mail(room, room.world.requester.email)
    answer = reply_to(mail, "A NUL in the subject.", subject="=?utf-8?q?Re=3A_a=00b?=", quote=False)
    await deliver(room.port, answer)
    record = await latest()
    assert record.outcome in (InboundOutcome.REPLY_POSTED, InboundOutcome.FAILED, InboundOutcome.MALFORMED)
    assert record.ticket_id in (ticket.id, None)


async def test_a_mail_for_forty_thousand_recipients_is_recorded_not_a_temporary_failure(
    room: Mailroom,
) -> None:
    # What the listener hands over after 40,000 RCPT TO:<help@...> lines (too slow to send here).
    raw = fresh(room.world.requester.email, subject="Spray").as_bytes()
    record = await mail_in.receive(read(raw, recipients=[MAILBOX] * 40_000, envelope_sender="a@attack.test"))
    assert record.outcome is InboundOutcome.TICKET_CREATED


async def test_the_inbound_endpoint_refuses_secrets_that_differ_in_length_case_or_alphabet(
    room: Mailroom,
) -> None:
    world = room.world
    await world.ticket()
    mail = await first_mail(room, world.requester.email)
    raw = reply_to(mail, "Via HTTP.", sender=MALLORY).as_bytes()
    wrong = [
        f"Bearer {SECRET[:-1]}",
        f"Bearer {SECRET}x",
        f"bearer {SECRET}",
        SECRET,
        f"Bearer {SECRET.upper()}",
        f"Bearer  {SECRET}",
        "Bearer \u00e9" + SECRET[1:],
        "Bearer ",
    ]
    async with room.api.client() as client:
        for header in wrong:
            response = await client.post(
                "/mail/inbound", content=raw, headers={"Authorization": header.encode("utf-8")}
            )
            assert response.status_code == 401, header
        taken = await client.post(
            "/mail/inbound",
            content=raw,
            params={"to": str(mail.message["Reply-To"])},
            headers={"Authorization": f"Bearer {SECRET}"},
        )
    assert taken.status_code == 200
    assert taken.json()["outcome"] == "UNKNOWN_SENDER"  # the secret lets the service in, not the sender
    assert await InboundMail.all().count() == 1
