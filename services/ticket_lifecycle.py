"""Marking tickets as spam, deleting them (softly), restoring them, and purging them for good.

- Spam: ``is_spam`` is the label under the title; spam is left out of ticket lists unless asked for.
  Marking may block the requester's address: their mail is then recorded and never posted
  (services.mail_screen). Unmarking lifts the block that marking set.
- Delete: the ticket vanishes from every query and subscription (services.visibility) at once; admins
  list deleted tickets and restore them for ``deleted_retention_days`` (a ticket setting, 30 by
  default). After that the purge job removes the ticket, everything on it, and the files no other
  attachment uses.
Each writes an activity row and emits ``ticket.updated`` (subscribers of a deleted ticket are ended).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.expressions import F

from models.clock import utcnow
from models.conversation import Attachment
from models.enums import ActivityKind
from models.mail import BlockedSender
from models.people import Requester
from models.settings import TicketSettings
from models.tickets import Ticket
from services import activity, attachments, ticket_settings, visibility
from services.admin import require_admin, require_technician
from services.errors import NotFound, ValidationFailed
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.jobs")
DEFAULT_RETENTION_DAYS = 30


async def _changed(
    viewer: Viewer, ticket: Ticket, kind: ActivityKind, change: str, **columns: object
) -> None:
    await Ticket.filter(id=ticket.id).update(**columns, version=F("version") + 1, updated_at=utcnow())
    await activity.record(viewer, ticket.id, kind, field=change)


async def mark_spam(viewer: Viewer, ticket_id: int, *, block_sender: bool) -> Ticket:
    """Technicians only. Raises PermissionDenied, NotFound (ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        if not ticket.is_spam:
            await _changed(viewer, ticket, ActivityKind.SPAM_MARKED, "isSpam", is_spam=True)
            work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("isSpam",)))
        if block_sender:
            email = (await Requester.get(id=ticket.requester_id)).email
            await BlockedSender.get_or_create(
                account_id=viewer.account_id, email=email, defaults={"ticket_id": ticket.id}
            )
    return await Ticket.get(id=ticket_id)


async def unmark_spam(viewer: Viewer, ticket_id: int) -> Ticket:
    """Technicians only; lifts the block set from this ticket. Raises PermissionDenied, NotFound (ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        if ticket.is_spam:
            await _changed(viewer, ticket, ActivityKind.SPAM_UNMARKED, "isSpam", is_spam=False)
            work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("isSpam",)))
        await BlockedSender.filter(account_id=viewer.account_id, ticket_id=ticket.id).delete()
    return await Ticket.get(id=ticket_id)


async def delete(viewer: Viewer, ticket_id: int) -> Ticket:
    """Technicians only. Raises PermissionDenied, NotFound (ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        await _changed(viewer, ticket, ActivityKind.TICKET_DELETED, "deleted", deleted_at=utcnow())
        work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("deleted",)))
    return await Ticket.get(id=ticket_id)


async def restorable_until(ticket: Ticket) -> datetime:
    assert ticket.deleted_at is not None
    days = (await ticket_settings.settings_of(ticket.account_id)).deleted_retention_days
    return ticket.deleted_at + timedelta(days=days)


async def restore(viewer: Viewer, ticket_id: int) -> Ticket:
    """Admins only. Raises PermissionDenied, NotFound (ticketId: not deleted, or purged),
    ValidationFailed (ticketId: past the retention period)."""
    require_admin(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.deleted_tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId", "ticketId: no deleted ticket has this id (it may have been purged).")
        until = await restorable_until(ticket)
        if utcnow() > until:
            raise ValidationFailed.one(
                "ticketId",
                f"#{ticket.number} could be restored until {until.isoformat()}; it is being purged.",
            )
        await _changed(viewer, ticket, ActivityKind.TICKET_RESTORED, "deleted", deleted_at=None)
        work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("deleted",)))
    return await Ticket.get(id=ticket_id)


async def purge_deleted(now: datetime | None = None) -> int:
    """Remove tickets deleted longer ago than their account's retention, and files nobody uses any more.
    Safe in several processes at once. Returns how many tickets were purged."""
    now = now or utcnow()
    retention = dict(await TicketSettings.all().values_list("account_id", "deleted_retention_days"))
    oldest = now - timedelta(days=min([DEFAULT_RETENTION_DAYS, *retention.values()]))
    purged = 0
    for ticket in await Ticket.filter(deleted_at__lt=oldest).only("id", "account_id", "deleted_at"):
        days = retention.get(ticket.account_id, DEFAULT_RETENTION_DAYS)
        assert ticket.deleted_at is not None
        if ticket.deleted_at >= now - timedelta(days=days):
            continue
        files = set(await Attachment.filter(comment__ticket_id=ticket.id).values_list("sha256", flat=True))
        async with unit_of_work():
            if await Ticket.filter(id=ticket.id, deleted_at__lt=now - timedelta(days=days)).delete():
                purged += 1
        await attachments.delete_unused_files(str(sha256) for sha256 in files)
    if purged:
        log.info("purged %s deleted tickets", purged)
    return purged
