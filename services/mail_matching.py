"""Finding the ticket a received email answers, and who among its participants wrote it.

Candidates come from the reply token, then In-Reply-To and References (thread ids and the Message-IDs we
sent or received), then ``[#<number>]`` in the subject within the receiving account. The first
candidate the sender takes part in wins: its requester, someone on its cc list (made a requester of the
account if they were only an address), or a technician of the account. A technician answering a mailed
internal note writes a note. A merged ticket stands for the ticket it was merged into; a deleted one
for nothing. A match says whether it came through a reply address mailed to the sender's own address
(``verified``); services.mail_senders decides what an unverified one may do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from models.accounts import Technician
from models.conversation import CcRecipient
from models.enums import Channel, CommentKind, MailKind
from models.mail import InboundMail, OutboundMail
from models.people import Requester
from models.tickets import Ticket
from services.incoming_mail import IncomingMail, Route
from services.mail_config import MailConfig
from services.reply_tokens import CC, REQUESTER, TECHNICIAN, ReplyToken, ticket_of_thread_id
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
    """A participant of the ticket, by the sender's address."""

    account_id: int
    email: str
    name: str = ""
    technician: Technician | None = None
    requester_id: int | None = None
    """None for an address on the cc list that is no requester yet."""

    @property
    def is_technician(self) -> bool:
        return self.technician is not None

    async def viewer(self) -> Viewer:
        """Who posts; an address only on the cc list becomes a requester of the account first."""
        if self.technician is not None:
            technician = self.technician
            return Viewer(
                self.account_id, technician_id=technician.id, role=technician.role, channel=Channel.EMAIL
            )
        requester_id = self.requester_id
        if requester_id is None:
            person, _ = await Requester.get_or_create(
                account_id=self.account_id,
                email=self.email,
                defaults={"name": self.name or self.email.split("@")[0]},
            )
            await CcRecipient.filter(ticket__account_id=self.account_id, email=self.email).update(
                requester_id=person.id
            )
            requester_id = person.id
        return Viewer(self.account_id, requester_id=requester_id, channel=Channel.EMAIL)


async def _participant(ticket: Ticket, sender: str, name: str) -> Author | None:
    """The sender as a person who may post into the ticket, or None."""
    requester = await Requester.get(id=ticket.requester_id)
    if requester.email == sender:
        return Author(ticket.account_id, sender, requester_id=requester.id)
    technician = await Technician.get_or_none(account_id=ticket.account_id, email=sender, active=True)
    if technician is not None:
        return Author(ticket.account_id, sender, technician=technician)
    copied = await CcRecipient.filter(ticket_id=ticket.id, comment_id__isnull=True, email=sender).first()
    if copied is None:
        return None
    return Author(ticket.account_id, sender, name, requester_id=copied.requester_id)


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
    verified: bool
    """It came through a reply address mailed to the sender's own address."""


async def _mailed_to(token: ReplyToken) -> str | None:
    """The address the reply token was mailed to (as it is now)."""
    person: Requester | Technician | CcRecipient | None = None
    if token.recipient_kind == REQUESTER:
        person = await Requester.get_or_none(id=token.recipient_id)
    elif token.recipient_kind == TECHNICIAN:
        person = await Technician.get_or_none(id=token.recipient_id)
    elif token.recipient_kind == CC:
        person = await CcRecipient.get_or_none(id=token.recipient_id)
    return person.email.lower() if person is not None else None


async def find(config: MailConfig, mail: IncomingMail, route: Route) -> Match | None:
    candidates: list[tuple[int, bool, ReplyToken | None]] = []
    if route.token is not None:
        candidates.append(
            (route.token.ticket_id, route.token.scope is CommentKind.INTERNAL_NOTE, route.token)
        )
    for message_id in mail.thread:
        found = await _by_message_id(config, message_id)
        if found is not None:
            candidates.append((*found, None))
    number = _NUMBER.search(mail.subject)
    if number and route.account_id is not None:
        numbered = await Ticket.get_or_none(account_id=route.account_id, number=int(number.group(1))).only(
            "id"
        )
        if numbered is not None:
            candidates.append((numbered.id, False, None))
    for ticket_id, note, token in candidates:
        ticket = await _live(ticket_id, route.account_id)
        if ticket is None:
            continue
        author = await _participant(ticket, mail.sender, mail.sender_name)
        if author is not None:
            verified = token is not None and await _mailed_to(token) == mail.sender
            return Match(ticket, author, note and author.is_technician, verified)
    return None


async def match_held(config: MailConfig, mail: IncomingMail, route: Route, ticket_id: int) -> Match | None:
    """The match of a mail that was held for the ticket ``ticket_id``, verified (an admin released it): as
    ``find`` makes it when it still finds that ticket (a note's reply address still adds a note), else
    the sender as a participant of that ticket; None when the ticket is gone or the sender takes no part."""
    found = await find(config, mail, route)
    if found is not None and found.ticket.id == ticket_id:
        return replace(found, verified=True)
    ticket = await _live(ticket_id, route.account_id)
    author = await _participant(ticket, mail.sender, mail.sender_name) if ticket is not None else None
    return Match(ticket, author, False, True) if ticket is not None and author is not None else None
