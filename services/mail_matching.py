"""Finding the ticket a received email answers, and who among its participants wrote it.

Candidates come from the reply token, then In-Reply-To and References (thread ids and the Message-IDs we
sent or received), then ``[#<number>]`` in the subject within the receiving account. The first
candidate the sender takes part in wins: its requester, someone on its cc list (made a requester of the
account if they were only an address), or a technician of the account. A technician answering a mailed
internal note writes a note. A merged ticket stands for the ticket it was merged into; a deleted one
for nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.accounts import Technician
from models.conversation import CcRecipient
from models.enums import Channel, CommentKind, MailKind
from models.mail import InboundMail, OutboundMail
from models.people import Requester
from models.tickets import Ticket
from services.incoming_mail import IncomingMail, Route
from services.mail_config import MailConfig
from services.reply_tokens import ticket_of_thread_id
from services.viewer import Viewer

MAX_MERGE_HOPS = 10
_NUMBER = re.compile(r"\[#(\d{1,9})\]")


async def _live(ticket_id: int, account_id: int | None) -> Ticket | None:
    """The ticket, or the ticket it was merged into (followed through merges); None when deleted."""
    ticket = await Ticket.get_or_none(id=ticket_id, account_id=account_id)
    for _ in range(MAX_MERGE_HOPS):
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = await Ticket.get_or_none(id=ticket.merged_into_id, account_id=account_id)
    return ticket if ticket is not None and ticket.deleted_at is None else None


@dataclass(frozen=True)
class Author:
    viewer: Viewer


async def _participant(ticket: Ticket, sender: str, name: str) -> Author | None:
    """The sender as a person who may post into the ticket, or None."""
    requester = await Requester.get(id=ticket.requester_id)
    if requester.email == sender:
        return Author(Viewer(ticket.account_id, requester_id=requester.id, channel=Channel.EMAIL))
    technician = await Technician.get_or_none(account_id=ticket.account_id, email=sender, active=True)
    if technician is not None:
        viewer = Viewer(
            ticket.account_id, technician_id=technician.id, role=technician.role, channel=Channel.EMAIL
        )
        return Author(viewer)
    copied = await CcRecipient.filter(ticket_id=ticket.id, comment_id__isnull=True, email=sender).first()
    if copied is None:
        return None
    if copied.requester_id is None:
        person, _ = await Requester.get_or_create(
            account_id=ticket.account_id, email=sender, defaults={"name": name or sender.split("@")[0]}
        )
        await CcRecipient.filter(ticket__account_id=ticket.account_id, email=sender).update(
            requester_id=person.id
        )
        return Author(Viewer(ticket.account_id, requester_id=person.id, channel=Channel.EMAIL))
    return Author(Viewer(ticket.account_id, requester_id=copied.requester_id, channel=Channel.EMAIL))


async def _by_message_id(config: MailConfig, message_id: str) -> tuple[int, bool] | None:
    """(ticket id, whether it answers an internal note) of a Message-ID we know."""
    ticket_id = ticket_of_thread_id(config.key, message_id)
    if ticket_id is not None:
        return ticket_id, False
    sent = await OutboundMail.get_or_none(message_id=message_id)
    if sent is not None and sent.ticket_id is not None:
        return sent.ticket_id, sent.kind is MailKind.INTERNAL_NOTE
    received = await InboundMail.filter(message_id=message_id, ticket_id__isnull=False).order_by("id").first()
    if received is not None and received.ticket_id is not None:
        return received.ticket_id, False
    return None


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    author: Author
    note: bool


async def find(config: MailConfig, mail: IncomingMail, route: Route) -> Match | None:
    candidates: list[tuple[int, bool]] = []
    if route.token is not None:
        candidates.append((route.token.ticket_id, route.token.scope is CommentKind.INTERNAL_NOTE))
    for message_id in mail.thread:
        found = await _by_message_id(config, message_id)
        if found is not None:
            candidates.append(found)
    number = _NUMBER.search(mail.subject)
    if number and route.account_id is not None:
        numbered = await Ticket.get_or_none(account_id=route.account_id, number=int(number.group(1))).only(
            "id"
        )
        if numbered is not None:
            candidates.append((numbered.id, False))
    for ticket_id, note in candidates:
        ticket = await _live(ticket_id, route.account_id)
        if ticket is None:
            continue
        author = await _participant(ticket, mail.sender, mail.sender_name)
        if author is not None:
            return Match(ticket, author, note and author.viewer.is_technician)
    return None
