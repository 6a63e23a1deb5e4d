"""Mail for tests: a fresh inbound message, the last mail to an address, the texts of a conversation."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from models.conversation import Comment
from models.tickets import Ticket
from tests.mailroom import MAILBOX, Mailroom
from tests.mailserver import Received


def fresh(sender: str, to: str = MAILBOX, subject: str = "Hello", body: str = "Hello there.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="attack.test")
    message.set_content(body)
    return message


async def texts(ticket: Ticket) -> list[str]:
    return [c.text for c in await Comment.filter(ticket_id=ticket.id).order_by("id")]


async def first_mail(room: Mailroom, address: str) -> Received:
    return (await room.mails_to(address))[-1]
