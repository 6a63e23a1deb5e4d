"""Whether a matched email speaks for the participant whose address it is from, or is held.

The From address of an email is whatever its sender typed, so it alone never gives a technician's voice:
a technician's mail is posted only when it came through a reply address mailed to that very address (the
signed token names them), or when the mail server in front of deskql authenticated it. A requester's
(or a cc'd person's) mail needs the same when the account's ticket setting ``requester_mail_trust`` is
REPLY_ADDRESS; with SENDER_ADDRESS, the default, their From address is enough, as most helpdesks do:
requesters answer from phones and forward to colleagues.

Authenticated means: ``MailConfig.trusted_authserv_id`` is set, and the topmost Authentication-Results
header (the one the nearest mail server added) carries that authserv-id and reports ``dmarc=pass`` for
the From domain (``header.from``) or ``dkim=pass`` signed by the From domain itself (``header.d``),
without a ``dmarc`` result other than pass. The mail server must remove Authentication-Results headers
with its authserv-id that arrive with a message (RFC 8601, section 5); deskql's own SMTP listener adds
none, so leave the setting unset when mail reaches it directly.

A held mail is recorded as UNVERIFIED_SENDER with the ticket it was meant for; nothing of it is posted or
mailed on. The technician whose address it bore is told in the app (a MAIL_HELD notification, one while
it is unread per ticket), not by email: a notice by email could itself be forged, and answering every
forgery with a mail would let a forger aim our mail at them. Requesters are not told (they would be
answering a forger, too); admins see held mail with ``inboundMails(outcome: UNVERIFIED_SENDER)``.
"""

from __future__ import annotations

import re

from models.clock import utcnow
from models.enums import InboundOutcome, MailTrust, NotificationKind
from models.notifications import Notification
from services import notifications, ticket_settings
from services.incoming_mail import IncomingMail, Outcome
from services.mail_config import MailConfig
from services.mail_matching import Match
from services.unit_of_work import unit_of_work

_COMMENT = re.compile(r"\([^()]*\)")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_MAX_COMMENT_DEPTH = 5


def _results(header: str) -> tuple[str, list[dict[str, str]]]:
    """(authserv-id, each result's method, result and properties) of one Authentication-Results value."""
    text = _QUOTED.sub('""', header)
    for _ in range(_MAX_COMMENT_DEPTH):  # comments nest: (p=reject (policy))
        text = _COMMENT.sub(" ", text)
    first, *rest = text.split(";")
    results = []
    for part in rest:
        words = part.split()
        if not words or "=" not in words[0]:
            continue
        method, _, outcome = words[0].lower().partition("=")
        result = {"method": method.split("/")[0], "result": outcome}
        for word in words[1:]:
            key, equals, value = word.lower().partition("=")
            if equals:
                result.setdefault(key, value)
        results.append(result)
    authserv_id = first.split()[0].lower() if first.split() else ""
    return authserv_id, results


def authenticated(config: MailConfig, mail: IncomingMail) -> bool:
    """Whether the trusted mail server vouched for the From domain (see the module's docstring)."""
    header = mail.headers.get("authentication-results")
    domain = mail.sender.rpartition("@")[2]
    if not config.trusted_authserv_id or header is None or not domain:
        return False
    authserv_id, results = _results(header)
    if authserv_id != config.trusted_authserv_id:
        return False
    dmarc = [r for r in results if r["method"] == "dmarc"]
    if any(r["result"] != "pass" for r in dmarc):
        return False
    aligned_dmarc = any(r.get("header.from") == domain for r in dmarc)
    aligned_dkim = any(
        r["result"] == "pass" and r.get("header.d") == domain for r in results if r["method"] == "dkim"
    )
    return aligned_dmarc or aligned_dkim


async def _tell(technician_id: int, account_id: int, ticket_id: int) -> None:
    unread = Notification.filter(
        recipient_id=technician_id,
        ticket_id=ticket_id,
        kind=NotificationKind.MAIL_HELD,
        read_at__isnull=True,
        expires_at__gt=utcnow(),
    )
    if await unread.exists():
        return
    async with unit_of_work() as work:
        await notifications.notify(
            work, account_id, [technician_id], NotificationKind.MAIL_HELD, ticket_id, None
        )


async def held(config: MailConfig, mail: IncomingMail, found: Match) -> Outcome | None:
    """The outcome of a mail that must not speak for its sender, or None when it may be posted.
    Tells a technician whose address it bore (inside the caller's unit of work)."""
    if found.verified or authenticated(config, mail):
        return None
    ticket, author = found.ticket, found.author
    if author.technician is not None:
        await _tell(author.technician.id, ticket.account_id, ticket.id)
        detail = "from a technician's address, not through their reply address: held, nothing posted"
    else:
        trust = (await ticket_settings.settings_of(ticket.account_id)).requester_mail_trust
        if trust == MailTrust.SENDER_ADDRESS:
            return None
        detail = "from a requester's address, not through their reply address (requesterMailTrust is "
        detail += "REPLY_ADDRESS): held, nothing posted"
    return Outcome(InboundOutcome.UNVERIFIED_SENDER, detail, ticket.account_id, ticket.id)
