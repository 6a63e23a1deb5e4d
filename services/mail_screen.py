"""Mail that is recorded but never posted: auto-replies, our own mail coming back, repeats and storms.

- Automatic: a bounce (empty envelope sender), ``Auto-Submitted`` other than ``no``, ``Precedence`` bulk,
  junk or list, ``X-Auto-Response-Suppress``, ``X-Autoreply`` or ``X-Autorespond``.
- Blocked: the sender's address was blocked when a ticket of theirs was marked as spam.
- Ours: our origin stamp, our From address, or a Message-ID we sent.
- Duplicate: a Message-ID that was posted already (a mail server delivering twice).
- Storm: the same sender and text posted within STORM_WINDOW, or STORM_LIMIT mails from one sender in it.
"""

from __future__ import annotations

from datetime import timedelta

from models.clock import utcnow
from models.enums import InboundOutcome
from models.mail import BlockedSender, InboundMail, OutboundMail
from services.incoming_mail import POSTED, IncomingMail, Outcome, Route
from services.mail_config import MailConfig
from services.reply_tokens import origin_stamp

STORM_WINDOW = timedelta(minutes=10)
STORM_LIMIT = 20
ORIGIN_HEADER = "x-deskql-origin"


def _automatic(mail: IncomingMail) -> str:
    """Why the mail was sent by a program rather than a person, or ''."""
    headers = mail.headers
    if mail.envelope_sender == "":
        return "a bounce (empty envelope sender)"
    if headers.get("auto-submitted", "no").strip().lower() != "no":
        return f"Auto-Submitted: {headers['auto-submitted']}"
    if headers.get("precedence", "").strip().lower() in ("bulk", "junk", "list"):
        return f"Precedence: {headers['precedence']}"
    for name in ("x-auto-response-suppress", "x-autoreply", "x-autorespond"):
        if name in headers:
            return f"{name} present"
    return ""


async def _ours(config: MailConfig, mail: IncomingMail) -> bool:
    if mail.headers.get(ORIGIN_HEADER, "").strip() == origin_stamp(config.key):
        return True
    if mail.sender == config.from_address.lower():
        return True
    return bool(mail.message_id) and await OutboundMail.exists(message_id=mail.message_id)


async def _storm(mail: IncomingMail, body_sha256: str) -> str:
    since = utcnow() - STORM_WINDOW
    recent = InboundMail.filter(sender=mail.sender, received_at__gte=since)
    if await recent.filter(body_sha256=body_sha256, outcome__in=POSTED).exists():
        return "the same sender sent the same text within 10 minutes"
    if await recent.count() >= STORM_LIMIT:
        return f"more than {STORM_LIMIT} mails from this sender within 10 minutes"
    return ""


async def screen(config: MailConfig, mail: IncomingMail, route: Route, body_sha256: str) -> Outcome | None:
    """The outcome of a mail that must not be posted, or None."""
    if mail.defects:
        return Outcome(InboundOutcome.MALFORMED, "; ".join(mail.defects)[:500], route.account_id)
    if mail.message_id and await InboundMail.exists(message_id=mail.message_id, outcome__in=POSTED):
        return Outcome(InboundOutcome.DUPLICATE, "this Message-ID was posted already", route.account_id)
    if await _ours(config, mail):
        return Outcome(InboundOutcome.LOOP, "mail deskql sent itself", route.account_id)
    automatic = _automatic(mail)
    if automatic:
        return Outcome(InboundOutcome.AUTO_REPLY, automatic, route.account_id)
    if route.account_id is not None and await BlockedSender.exists(
        account_id=route.account_id, email=mail.sender
    ):
        return Outcome(
            InboundOutcome.BLOCKED, "the sender is blocked (a ticket of theirs was spam)", route.account_id
        )
    storm = await _storm(mail, body_sha256)
    if storm:
        return Outcome(InboundOutcome.STORM, storm, route.account_id)
    if route.account_id is None:
        return Outcome(InboundOutcome.NO_MAILBOX, "no mailbox or valid reply token among the recipients")
    return None
