"""Who speaks by email: a technician only through their own signed reply address (or mail the trusted
mail server authenticated), a requester as the account chooses. Held mail is kept in the inbound log,
nothing of it is posted or mailed on, and the technician whose address it bore is told in the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.database import Database
from models.conversation import Comment
from models.enums import InboundOutcome, NotificationKind
from models.notifications import Notification
from models.tickets import Ticket
from tests.mailroom import MAILBOX, Mailroom, mailroom
from tests.mailserver import reply_to
from tests.support.conversation import reply
from tests.support.mail import first_mail, fresh, texts

BOSS = "boss@client.test"
AUTHSERV_ID = "mx.acme.test"
HELD = InboundOutcome.UNVERIFIED_SENDER
NOTIFICATIONS = "{ notifications(first: 10) { nodes { kind comment { id } ticket { number } } } }"
HELD_LOG = """{ inboundMails(outcome: UNVERIFIED_SENDER) { totalCount
  nodes { sender detail ticket { number } } } }"""
SETTINGS = """mutation($input: UpdateTicketSettingsInput!) { updateTicketSettings(input: $input) {
  __typename ... on TicketSettingsSuccess { settings { requesterMailTrust } } } }"""


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path) as running:
        yield running


async def _outcome(room: Mailroom, message: EmailMessage, ticket: Ticket) -> InboundOutcome:
    record = await room.send_in(message)
    assert record.ticket_id == ticket.id, (record.outcome, record.detail)
    if record.outcome is HELD:
        assert (record.comment_id, record.author_technician_id, record.author_requester_id) == (None,) * 3
    return record.outcome


async def test_mail_from_a_technicians_address_without_their_reply_address_is_held_and_they_are_told(
    room: Mailroom,
) -> None:
    world = room.world
    ticket = await world.ticket(assignee_id=world.technician.id)
    tom = world.technician.email
    to_rita = await first_mail(room, world.requester.email)
    by_number = fresh(tom, subject=f"Re: [#{ticket.number}] {ticket.title}", body="Forged by number.")
    by_thread = reply_to(to_rita, "Forged in the thread.", sender=tom, quote=False)
    by_thread.replace_header("To", MAILBOX)
    by_her_address = reply_to(to_rita, "Forged through Rita's reply address.", sender=tom, quote=False)
    passing = fresh(tom, subject=f"[#{ticket.number}]", body="Forged with a passing header nobody trusts.")
    passing["Authentication-Results"] = f"{AUTHSERV_ID}; dmarc=pass header.from=acme.test"
    for forged in (by_number, by_thread, by_her_address, passing):
        assert await _outcome(room, forged, ticket) is HELD
    assert await texts(ticket) == []
    assert all("Forged" not in m.text for m in await room.mails_to(world.requester.email))
    told = await room.api.data(NOTIFICATIONS, token=world.technician_token)
    assert told["notifications"]["nodes"] == [
        {"kind": "MAIL_HELD", "comment": None, "ticket": {"number": ticket.number}}
    ]  # one while it is unread, however many mails were held
    log = (await room.api.data(HELD_LOG, token=world.admin_token))["inboundMails"]
    assert log["totalCount"] == 4
    assert {(n["sender"], n["ticket"]["number"]) for n in log["nodes"]} == {(tom, ticket.number)}
    # Tom's own answer through the reply address he was mailed is his.
    await reply(room.api, world.requester_token, ticket, body="<p>Still broken.</p>")
    to_tom = await first_mail(room, tom)
    assert (
        await _outcome(room, reply_to(to_tom, "On my way.", quote=False), ticket)
        is InboundOutcome.REPLY_POSTED
    )
    posted = await Comment.filter(ticket_id=ticket.id).order_by("-id").first()
    assert posted is not None
    assert (posted.text, posted.author_technician_id) == ("On my way.", world.technician.id)


async def test_a_technicians_mail_the_trusted_mail_server_authenticated_is_posted(
    db: Database, tmp_path: Path
) -> None:
    async with mailroom(db, tmp_path, mail_trusted_authserv_id=AUTHSERV_ID) as room:
        world = room.world
        ticket = await world.ticket(assignee_id=world.technician.id)
        tom = world.technician.email
        cases = (  # (Authentication-Results headers, topmost first; whether the mail is Tom's)
            ([f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=acme.test; dmarc=pass header.from=acme.test"], True),
            ([f"{AUTHSERV_ID} 1; dmarc=pass (p=reject dis=none) header.from=Acme.Test"], True),
            ([f"{AUTHSERV_ID}; dkim=pass header.d=acme.test header.s=s1"], True),
            ([f"{AUTHSERV_ID}; dkim=pass header.d=acme.test; dmarc=fail header.from=acme.test"], False),
            ([], False),
            ([f"{AUTHSERV_ID}; dmarc=fail header.from=acme.test"], False),
            ([f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=acme.test"], False),
            ([f"{AUTHSERV_ID}; dmarc=pass header.from=evil.test"], False),
            ([f"{AUTHSERV_ID}; dmarc=pass"], False),
            ([f"{AUTHSERV_ID}; dkim=pass header.d=evil.test"], False),
            ([f"{AUTHSERV_ID}; dkim=pass header.d=test"], False),
            (["mx.evil.test; dmarc=pass header.from=acme.test"], False),
            (["mx.evil.test; none", f"{AUTHSERV_ID}; dmarc=pass header.from=acme.test"], False),
            ([f"{AUTHSERV_ID}; dmarc=pass header.from=acme.test, dkim=pass"], False),
        )
        for number, (headers, posted) in enumerate(cases):
            mail = fresh(tom, subject=f"Re: [#{ticket.number}]", body=f"Case {number}.")
            for header in headers:
                mail["Authentication-Results"] = header
            expected = InboundOutcome.REPLY_POSTED if posted else HELD
            assert await _outcome(room, mail, ticket) is expected, headers
        kept = await Comment.filter(ticket_id=ticket.id, author_technician_id=world.technician.id)
        assert sorted(c.text for c in kept) == ["Case 0.", "Case 1.", "Case 2."]


async def test_an_account_can_require_requesters_to_answer_through_their_own_reply_address(
    room: Mailroom,
) -> None:
    world = room.world
    rita = world.requester.email
    ticket = await world.ticket(assignee_id=world.technician.id)
    await reply(room.api, world.technician_token, ticket, cc=[BOSS])
    to_rita, to_boss = await first_mail(room, rita), await first_mail(room, BOSS)
    from_phone = fresh(rita, subject=f"Re: [#{ticket.number}]", body="Sent from my phone.")
    assert await _outcome(room, from_phone, ticket) is InboundOutcome.REPLY_POSTED  # the default
    changed = await room.api.data(
        SETTINGS, {"input": {"requesterMailTrust": "REPLY_ADDRESS"}}, token=world.admin_token
    )
    assert changed["updateTicketSettings"]["settings"] == {"requesterMailTrust": "REPLY_ADDRESS"}
    held = (
        fresh(rita, subject=f"Re: [#{ticket.number}]", body="Forged as Rita."),
        reply_to(to_boss, "Rita through the boss's reply address.", sender=rita, quote=False),
        reply_to(to_rita, "The boss through Rita's reply address.", sender=BOSS, quote=False),
    )
    for mail in held:
        assert await _outcome(room, mail, ticket) is HELD
    for mail in (
        reply_to(to_rita, "Rita herself.", quote=False),
        reply_to(to_boss, "Boss himself.", quote=False),
    ):
        assert await _outcome(room, mail, ticket) is InboundOutcome.REPLY_POSTED
    assert await texts(ticket) == ["On it.", "Sent from my phone.", "Rita herself.", "Boss himself."]
    new = await room.send_in(fresh(rita, subject="The scanner too", body="A new problem."))
    assert new.outcome is InboundOutcome.TICKET_CREATED  # a new request has no reply address to come from
    assert await Notification.filter(kind=NotificationKind.MAIL_HELD).count() == 0  # requesters have none
