"""Mail held as UNVERIFIED_SENDER (services.mail_senders): an admin releases it or discards it.

Released, a held mail is read again from its kept raw bytes and posted into the ticket it was held for
through the same path as received mail (services.mail_posting.post: the cleaned reply with its files, a
public reply or, through a note's reply address, an internal note, with every event a reply sets off), as
if its sender had been verified; its record becomes REPLY_POSTED (or EMPTY) and says who released it.
Discarded, nothing is posted and its record becomes DISCARDED. Either way it leaves the held list
(``inboundMails(outcome: UNVERIFIED_SENDER)``). Admins only, within their account.
"""

from __future__ import annotations

import asyncio
import logging

from models.enums import InboundOutcome
from models.mail import InboundMail
from services.admin import require_admin
from services.errors import NotFound, ValidationFailed
from services.incoming_mail import Route
from services.mail_config import MailConfig, mail_config
from services.mail_in import route_of
from services.mail_matching import match_held
from services.mail_posting import post
from services.storage import storage
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.mail")
FIELD = "inboundMailId"


async def _held(viewer: Viewer, inbound_mail_id: int) -> InboundMail:
    """The held mail, locked until the caller's transaction ends: two admins acting at once do not both."""
    row = (
        await InboundMail.filter(
            id=inbound_mail_id, account_id=viewer.account_id, outcome=InboundOutcome.UNVERIFIED_SENDER
        )
        .select_for_update()
        .first()
    )
    if row is None:
        raise NotFound(FIELD, "No held mail with this id in your account (released or discarded already?).")
    return row


def _config() -> MailConfig:
    config = mail_config()
    if config is None or config.reader is None:
        raise ValidationFailed.one(FIELD, "Mail is not configured on this server.")
    return config


async def release(viewer: Viewer, inbound_mail_id: int) -> InboundMail:
    """Post a held mail into the ticket it was held for, as if its sender were verified. Admins only.

    Emits what a reply by email emits (comment added, notifications, mail to the others). Raises
    PermissionDenied; NotFound (inboundMailId) for a mail of another account, not held, or none;
    ValidationFailed (inboundMailId) when its ticket is gone or its sender no longer takes part in it, or
    when mail is not configured.
    """
    require_admin(viewer)
    config = _config()
    assert config.reader is not None
    async with unit_of_work():
        row = await _held(viewer, inbound_mail_id)
        raw = b"".join([chunk async for chunk in storage().read(row.raw_sha256)])
        mail = await asyncio.to_thread(config.reader, raw)
        route = await route_of(config, mail.recipients)
        if route.account_id != row.account_id:
            route = Route(row.account_id, None)
        found = await match_held(config, mail, route, row.ticket_id) if row.ticket_id is not None else None
        if found is None:
            raise ValidationFailed.one(
                FIELD, "Its ticket is gone or its sender no longer takes part in it; discard it instead."
            )
        outcome = await post(config, mail, found)
        row.outcome = outcome.outcome
        row.detail = f"released by an admin (technician {viewer.technician_id}): {outcome.detail}"[:500]
        row.ticket_id = outcome.ticket_id
        row.comment_id = outcome.comment_id
        row.author_technician_id = outcome.technician_id
        row.author_requester_id = outcome.requester_id
        await row.save()
    log.info("held mail %s released by technician %s: %s", row.id, viewer.technician_id, row.outcome.value)
    return row


async def discard(viewer: Viewer, inbound_mail_id: int) -> InboundMail:
    """Mark a held mail DISCARDED: nothing of it is posted, its record and raw bytes are kept. Admins only.

    Raises PermissionDenied; NotFound (inboundMailId) for a mail of another account, not held, or none.
    """
    require_admin(viewer)
    async with unit_of_work():
        row = await _held(viewer, inbound_mail_id)
        row.outcome = InboundOutcome.DISCARDED
        row.detail = f"held, then discarded by an admin (technician {viewer.technician_id})"
        await row.save(update_fields=["outcome", "detail"])
    log.info("held mail %s discarded by technician %s", row.id, viewer.technician_id)
    return row
