"""Notifications for technicians: mentions, and internal notes on tickets they follow. Kept 7 days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from models.clock import utcnow
from models.enums import NotificationKind
from models.notifications import Notification
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer

LIFETIME = timedelta(days=7)


async def notify(
    work: UnitOfWork,
    account_id: int,
    recipients: Iterable[int],
    kind: NotificationKind,
    ticket_id: int,
    comment_id: int | None,
) -> None:
    """One notification per recipient (inside the caller's transaction); each emits ``notification.added``."""
    now = utcnow()
    for recipient in dict.fromkeys(recipients):
        notification = await Notification.create(
            account_id=account_id,
            recipient_id=recipient,
            kind=kind,
            ticket_id=ticket_id,
            comment_id=comment_id,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        work.emit(
            Event(
                "notification.added",
                account_id,
                ticket_id,
                ids={"notification": notification.id, "technician": recipient},
                internal=True,
            )
        )


async def mark_read(viewer: Viewer, ids: list[int] | None) -> int:
    """Mark the viewer's notifications read: these ids, or all of them when ``ids`` is None. Returns how many."""
    query = Notification.filter(
        recipient_id=viewer.technician_id, read_at__isnull=True, expires_at__gt=utcnow()
    )
    if ids is not None:
        query = query.filter(id__in=ids)
    async with unit_of_work():
        return await query.update(read_at=utcnow())


async def purge_expired(now: datetime | None = None) -> int:
    """The periodic job: delete notifications past their 7 days. Returns how many."""
    return await Notification.filter(expires_at__lte=now or utcnow()).delete()
