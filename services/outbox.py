"""Delivering the email outbox: at least once, never by two workers at the same time, with growing delays.

A worker claims due rows by leasing them (``leased_until``) in a short transaction: on PostgreSQL with
SELECT ... FOR UPDATE SKIP LOCKED, so workers neither wait for nor take each other's rows, and with a
conditional UPDATE that keeps the claim safe where there is no row locking (SQLite). It sends each row
outside any transaction and marks it SENT only while it still holds the lease. A failure schedules the
next attempt ``retry_seconds * 2 ** (attempts - 1)`` later (at most an hour); a permanent refusal or the
last attempt makes the row FAILED, where an admin can see it and send it again. A worker killed while
sending leaves its lease to expire; the row is then sent again, with the same Message-ID. A worker that
stops gives its leases back (``release``), so that another sends those rows at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import Account
from models.clock import utcnow
from models.conversation import Attachment
from models.enums import OutboundStatus
from models.mail import OutboundMail
from services import visibility
from services.admin import require_admin
from services.availability import database_unavailable
from services.errors import NotFound, ValidationFailed
from services.mail_config import MailConfig
from services.reply_tokens import origin_stamp
from services.storage import storage
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.mail")
MAX_DELAY_SECONDS = 3600.0


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class OutgoingMail:
    message_id: str
    from_name: str
    from_address: str
    to: str
    to_name: str
    reply_to: str
    subject: str
    text: str
    html: str
    references: tuple[str, ...]
    date: datetime
    origin: str
    """The origin stamp (services.reply_tokens) that marks mail we sent."""
    files: tuple[MailFile, ...] = ()


class DeliveryFailed(Exception):
    """The mail was not handed over. ``permanent`` when trying again cannot help (address refused)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class MailSender(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand the mail over. Raises DeliveryFailed."""
        ...


def retry_delay(config: MailConfig, attempts: int) -> float:
    return float(min(config.retry_seconds * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS))


async def _claim(config: MailConfig, worker: str, limit: int) -> list[int]:
    now = utcnow()
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    async with in_transaction():
        due = (
            await OutboundMail.filter(free, status=OutboundStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
            .only("id")
        )
        claimed = []
        for mail_id in (row.id for row in due):
            taken = await OutboundMail.filter(free, id=mail_id, status=OutboundStatus.PENDING).update(
                leased_until=now + timedelta(seconds=config.lease_seconds), lease_owner=worker
            )
            if taken:
                claimed.append(mail_id)
    return claimed


async def _content(row: OutboundMail) -> tuple[MailFile, ...]:
    ids = json.loads(row.attachment_ids)
    files = []
    for attachment in await Attachment.filter(id__in=ids).order_by("id"):
        content = b"".join([chunk async for chunk in storage().read(attachment.sha256)])
        files.append(MailFile(attachment.filename, attachment.content_type, content))
    return tuple(files)


async def outgoing(config: MailConfig, row: OutboundMail) -> OutgoingMail:
    account = await Account.get(id=row.account_id)
    return OutgoingMail(
        message_id=row.message_id,
        from_name=account.name,
        from_address=config.from_address,
        to=row.recipient,
        to_name=row.recipient_name,
        reply_to=row.reply_to,
        subject=row.subject,
        text=row.text,
        html=row.html,
        references=tuple(row.references.split()),
        date=row.created_at,
        origin=origin_stamp(config.key),
        files=await _content(row),
    )


async def _deliver(config: MailConfig, sender: MailSender, worker: str, row: OutboundMail) -> bool:
    mine = OutboundMail.filter(id=row.id, lease_owner=worker, status=OutboundStatus.PENDING)
    try:
        await sender.send(await outgoing(config, row))
    except Exception as error:  # one mail that cannot even be built must not hold up the others
        if not isinstance(error, DeliveryFailed) and database_unavailable(error):
            raise  # not the mail's fault: its lease runs out and it is sent later
        if not isinstance(error, DeliveryFailed):
            log.exception("mail %s cannot be sent", row.id)
            error = DeliveryFailed(f"{type(error).__name__}: {error}", permanent=True)
        attempts = row.attempts + 1
        final = error.permanent or attempts >= config.max_attempts
        log.warning("mail %s to %s failed (attempt %s): %s", row.id, row.recipient, attempts, error)
        await mine.update(
            attempts=attempts,
            status=OutboundStatus.FAILED if final else OutboundStatus.PENDING,
            next_attempt_at=utcnow() + timedelta(seconds=retry_delay(config, attempts)),
            leased_until=None,
            lease_owner=None,
            last_error=str(error)[:2000],
        )
        return False
    await mine.update(
        status=OutboundStatus.SENT, sent_at=utcnow(), attempts=row.attempts + 1, leased_until=None
    )
    return True


async def deliver_due(
    config: MailConfig,
    sender: MailSender,
    worker: str,
    *,
    limit: int = 20,
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """Send what is due, up to ``limit`` mails; the number sent. Once ``stopping()`` is true no further
    mail is begun: the rows claimed and not sent stay leased until ``release``."""
    sent = 0
    for mail_id in await _claim(config, worker, limit):
        if stopping():
            break
        row = await OutboundMail.get(id=mail_id)
        sent += await _deliver(config, sender, worker, row)
    return sent


async def release(worker: str) -> int:
    """Give back the leases ``worker`` holds on mail it has not sent (it stops), so that another worker
    sends that mail without waiting for the leases to run out; how many."""
    return await OutboundMail.filter(lease_owner=worker, status=OutboundStatus.PENDING).update(
        leased_until=None, lease_owner=None
    )


async def send_again(viewer: Viewer, mail_id: int) -> OutboundMail:
    """Queue a FAILED mail once more, with its attempts reset. Admins only.

    Raises PermissionDenied, NotFound (id), ValidationFailed (id: not failed).
    """
    require_admin(viewer)
    async with unit_of_work():
        row = await visibility.outbound_mails(viewer).select_for_update().get_or_none(id=mail_id)
        if row is None:
            raise NotFound("id")
        if row.status is not OutboundStatus.FAILED:
            raise ValidationFailed.one(
                "id", f"Only failed mail is sent again; this one is {row.status.value}."
            )
        await OutboundMail.filter(id=row.id).update(
            status=OutboundStatus.PENDING, attempts=0, next_attempt_at=utcnow(), last_error=""
        )
    return await OutboundMail.get(id=mail_id)
