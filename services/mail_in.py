"""Mail in: matching a received email to its ticket and posting it through the conversation service.

Matching, in this order; whatever matches, only a participant of the ticket (its requester, someone on
its cc list, a technician of the account) posts into it, and a technician only through their own reply
address or mail the trusted mail server authenticated (services.mail_senders; others are held):
1. the signed reply token of a ``reply+<token>@<inbound domain>`` recipient;
2. In-Reply-To and References against the thread ids and the Message-IDs we sent or received;
3. ``[#<number>]`` in the subject, within the account whose mailbox received it;
4. otherwise a new ticket for the sender in that account: a known requester, or a new one when the
   mailbox allows new requesters.
The reply is cleaned of quoted history and signatures (mail-parser-reply), cut to 64,000 characters and
posted with its files as a public reply by its sender (channel EMAIL); a technician answering a mailed
internal note adds an internal note. Before matching, auto-replies (bounces, Auto-Submitted, Precedence
bulk/junk/list, X-Auto-Response-Suppress), mail we sent ourselves, repeats of one Message-ID and reply
storms (the same sender and body again within STORM_WINDOW, or more than STORM_LIMIT mails from one
sender in it) are recorded and not posted. Every received mail is recorded (InboundMail) with its raw
bytes kept in the file storage, whatever became of it; one that cannot be processed is recorded FAILED.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from models.enums import InboundOutcome
from models.mail import InboundMail, Mailbox
from models.tickets import Ticket
from services.errors import DomainError
from services.incoming_mail import IncomingMail, Outcome, Route, one, plain
from services.mail_config import MailConfig, mail_config
from services.mail_matching import find
from services.mail_posting import open_ticket, post
from services.mail_screen import screen
from services.mail_senders import held
from services.reply_tokens import token_of_address
from services.storage import storage
from services.telemetry import telemetry
from services.unit_of_work import unit_of_work

log = logging.getLogger("deskql.mail")


def _config() -> MailConfig:
    config = mail_config()
    if config is None:
        raise RuntimeError("mail is not configured")
    return config


async def accepts(address: str) -> bool:
    """Whether mail for this address is ours to take (a valid reply token or an account's mailbox)."""
    config = _config()
    if token_of_address(config.key, config.inbound_domain, address) is not None:
        return True
    return await Mailbox.exists(address=address.strip().lower())


async def route_of(config: MailConfig, recipients: tuple[str, ...]) -> Route:
    token, account_id = None, None
    for address in recipients:
        token = token or token_of_address(config.key, config.inbound_domain, address)
    if token is not None:
        ticket = await Ticket.get_or_none(id=token.ticket_id).only("id", "account_id")
        account_id = ticket.account_id if ticket else None
    if account_id is None:
        addresses = [address.strip().lower() for address in recipients]
        mailbox = await Mailbox.filter(address__in=addresses).order_by("id").first()
        account_id = mailbox.account_id if mailbox else None
    return Route(account_id, token if account_id is not None else None)


async def _process(config: MailConfig, mail: IncomingMail, route: Route, body_sha256: str) -> Outcome:
    screened = await screen(config, mail, route, body_sha256)
    if screened is not None:
        return screened
    assert route.account_id is not None
    found = await find(config, mail, route)
    if found is None:
        return await open_ticket(config, mail, route.account_id)
    return await held(config, mail, found) or await post(config, mail, found)


async def receive(mail: IncomingMail) -> InboundMail:
    """Take one received email: post it, open a ticket with it, or record why not. Never raises for what
    the mail contains; raises when the database or the file storage cannot be reached."""
    config = _config()
    raw = await storage().save(one(mail.raw), len(mail.raw) + 1)
    body_sha256 = hashlib.sha256(" ".join(plain(mail).split()).encode()).hexdigest()
    record: dict[str, Any] = {
        "message_id": mail.message_id[:250],
        "sender": mail.sender[:254],
        "subject": mail.subject[:300],
        "body_sha256": body_sha256,
        "raw_sha256": raw.sha256,
        "size": raw.size,
    }
    route = Route(None, None)
    try:
        route = await route_of(config, mail.recipients)
        async with unit_of_work():
            result = await _process(config, mail, route, body_sha256)
            return await _record(record, result)
    except DomainError as error:  # refused by a service: nothing of it was kept
        result = Outcome(InboundOutcome.FAILED, error.message[:500], route.account_id)
    except Exception as error:
        log.exception("could not process mail %s from %s", mail.message_id, mail.sender)
        result = Outcome(InboundOutcome.FAILED, f"{type(error).__name__}: {error}"[:500], route.account_id)
    return await _record(record, result)


async def _record(record: dict[str, Any], result: Outcome) -> InboundMail:
    row = await InboundMail.create(
        **record,
        account_id=result.account_id,
        outcome=result.outcome,
        detail=result.detail,
        ticket_id=result.ticket_id,
        comment_id=result.comment_id,
        author_technician_id=result.technician_id,
        author_requester_id=result.requester_id,
    )
    log.info("mail %s from %s: %s %s", row.message_id or row.id, row.sender, row.outcome.value, row.detail)
    telemetry().inbound_mail(row.outcome.value)
    return row
