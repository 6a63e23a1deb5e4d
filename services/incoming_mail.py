"""A received email as the mail adapters hand it to the services, and what became of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

from models.enums import InboundOutcome
from services.html import render, to_text
from services.reply_tokens import ReplyToken

POSTED = (InboundOutcome.REPLY_POSTED, InboundOutcome.TICKET_CREATED)


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    content: bytes


@dataclass(frozen=True)
class IncomingMail:
    """A received email as the mail adapters read it."""

    raw: bytes
    recipients: tuple[str, ...]
    """Envelope recipients (or the To, Cc and Delivered-To addresses when there is no envelope)."""
    sender: str
    """The From address, lower case; empty when there is none."""
    sender_name: str = ""
    envelope_sender: str | None = None
    """The SMTP MAIL FROM: empty for bounces, None when unknown (mail posted over HTTP)."""
    subject: str = ""
    message_id: str = ""
    thread: tuple[str, ...] = ()
    """In-Reply-To, then References newest first."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """The first value of each header, by lower-case name."""
    text: str = ""
    html: str = ""
    files: tuple[IncomingFile, ...] = ()
    defects: tuple[str, ...] = ()
    """What made the message unreadable; when there is any, it is kept and not posted."""


@dataclass
class Outcome:
    outcome: InboundOutcome
    detail: str = ""
    account_id: int | None = None
    ticket_id: int | None = None
    comment_id: int | None = None
    technician_id: int | None = None
    requester_id: int | None = None


@dataclass(frozen=True)
class Route:
    account_id: int | None
    token: ReplyToken | None


def plain(mail: IncomingMail) -> str:
    """The text of the mail: its text part, else its HTML part (sanitised) as text."""
    return mail.text if mail.text.strip() else to_text(render(mail.html).html)


async def one(content: bytes) -> AsyncIterator[bytes]:
    yield content
