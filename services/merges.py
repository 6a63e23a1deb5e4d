"""Merging tickets into one, and undoing a merge within MERGE_UNDO.

Merging a source into a target moves the source's comments (with their files, cc and mentions), time entries,
products and expenses, related alerts, calendar events (each one's ``sequence`` raised, as its title in
calendar programs names the ticket), tags, followers and cc list to the target, adds the source's requester to
the target's cc list (so they keep reading their conversation and getting its mail), closes the source in the
account's first CLOSED status and points it at the target. Rows the target has already (a tag, a follower, a
cc address) are dropped from the source. Everything moved, dropped or added is recorded on the TicketMerge, so
that ``unmerge`` puts the source back exactly as it was: the same rows on it, its status, SLA state and
activity status. The activity log of both tickets keeps the merge and the unmerge (MERGED_INTO, which the
source's requester sees, MERGED_FROM and UNMERGED).

Mail to a merged ticket lands in its target (services.mail_matching follows ``merged_into``).
Refused: a ticket merged into itself, into a merged ticket (which also rules out cycles), a source
merged already, another account's or a deleted ticket (NotFound), undoing after MERGE_UNDO or twice.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F
from tortoise.queryset import QuerySet

from models.alerts import Alert
from models.calendar import CalendarEvent
from models.clock import utcnow
from models.conversation import CcRecipient, Comment, TicketFollower
from models.enums import ActivityKind, StatusCategory
from models.people import Requester
from models.sla import SlaPause
from models.ticket_actions import TicketItem, TicketMerge
from models.tickets import Ticket, TicketStatus, TicketTag
from models.timekeeping import TimeEntry
from services import activity, sla, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer

MERGE_UNDO = timedelta(days=30)
MAX_SOURCES = 20
_RESTORED_COLUMNS = (
    "status_id",
    "activity_status",
    "resolved_at",
    "resolution_seconds",
    "resolution_in_business_time",
    "first_response_due_at",
    "resolution_due_at",
    "next_sla_due_at",
    "first_response_breach_logged",
    "resolution_breach_logged",
)


async def _ids(query: QuerySet[Any]) -> list[int]:
    return [row.id for row in await query.only("id").order_by("id")]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def _parsed(column: str, value: Any) -> Any:
    if isinstance(value, str) and column.endswith("_at"):
        return datetime.fromisoformat(value)
    return value


# Rows that belong to one ticket and are unique per ticket: moved, or dropped when the target has one.
_UNIQUE_ROWS: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "tags": (TicketTag, ("tag_id", "source", "created_at"), "tag_id"),
    "followers": (TicketFollower, ("technician_id", "created_at"), "technician_id"),
    "cc": (CcRecipient, ("email", "technician_id", "requester_id", "created_at"), "email"),
}


async def _unique_rows(kind: str, source: Ticket, target: Ticket) -> list[dict[str, Any]]:
    """Move the source's rows of one kind to the target; drop those the target has. Returns their record."""
    model, columns, key = _UNIQUE_ROWS[kind]
    extra = {"comment_id__isnull": True} if kind == "cc" else {}
    taken = set(await model.filter(ticket_id=target.id, **extra).values_list(key, flat=True))
    record = []
    for row in await model.filter(ticket_id=source.id, **extra).order_by("id"):
        values = {column: _jsonable(getattr(row, column)) for column in columns}
        dropped = getattr(row, key) in taken
        if dropped:
            await model.filter(id=row.id).delete()
        else:
            await model.filter(id=row.id).update(ticket_id=target.id)
        record.append({"id": row.id, "dropped": dropped, "values": values})
    return record


async def _restore_unique_rows(
    kind: str, record: list[dict[str, Any]], source: Ticket, target: Ticket
) -> None:
    model, _, key = _UNIQUE_ROWS[kind]
    extra = {"comment_id__isnull": True} if kind == "cc" else {}
    for entry in record:
        values = {column: _parsed(column, value) for column, value in entry["values"].items()}
        if not entry["dropped"] and await model.filter(id=entry["id"], ticket_id=target.id).update(
            ticket_id=source.id
        ):
            continue
        if not await model.exists(ticket_id=source.id, **extra, **{key: values[key]}):
            await model.create(ticket_id=source.id, **values)


async def _move_all(source: Ticket, target: Ticket) -> dict[str, Any]:
    comments = await _ids(Comment.filter(ticket_id=source.id))
    moved: dict[str, Any] = {
        "comments": comments,
        "commentCc": await _ids(CcRecipient.filter(comment_id__in=comments)),
        "timeEntries": await _ids(TimeEntry.filter(ticket_id=source.id)),
        "items": await _ids(TicketItem.filter(ticket_id=source.id)),
        "alerts": await _ids(Alert.filter(ticket_id=source.id)),
        "events": await _ids(CalendarEvent.filter(ticket_id=source.id)),
    }
    await Comment.filter(id__in=comments).update(ticket_id=target.id)
    await CcRecipient.filter(id__in=moved["commentCc"]).update(ticket_id=target.id)
    await TimeEntry.filter(id__in=moved["timeEntries"]).update(ticket_id=target.id)
    await TicketItem.filter(id__in=moved["items"]).update(ticket_id=target.id)
    await Alert.filter(id__in=moved["alerts"]).update(ticket_id=target.id)
    await _move_events(moved["events"], source, target)
    for kind in _UNIQUE_ROWS:
        moved[kind] = await _unique_rows(kind, source, target)
    return moved


async def _move_events(ids: list[int], source: Ticket, target: Ticket) -> None:
    """A new revision of each event: calendar programs show it under the ticket it is on now."""
    await CalendarEvent.filter(id__in=ids, ticket_id=source.id).update(
        ticket_id=target.id, sequence=F("sequence") + 1, updated_at=utcnow()
    )


_INTERNAL_CHANGES = (("relatedAlerts", "alerts"), ("calendarEvents", "events"))
"""The technicians' panels a merge or unmerge changes, with the key of what moved on the TicketMerge."""


def _internal_changes(work: UnitOfWork, viewer: Viewer, moved: dict[str, Any], *tickets: Ticket) -> None:
    """Technicians' panels of alerts and events follow them (their ``ticket.updated`` is internal)."""
    changes = tuple(name for name, key in _INTERNAL_CHANGES if moved.get(key))
    for ticket in tickets if changes else ():
        work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=changes, internal=True))


async def _keep_requester_informed(source: Ticket, target: Ticket) -> list[int]:
    """The source's requester joins the target's cc list, unless they are on it already."""
    if source.requester_id == target.requester_id:
        return []
    requester = await Requester.get(id=source.requester_id)
    target_requester = await Requester.get(id=target.requester_id)
    on_list = await CcRecipient.exists(ticket_id=target.id, comment_id__isnull=True, email=requester.email)
    if on_list or requester.email == target_requester.email:
        return []
    row = await CcRecipient.create(
        ticket_id=target.id, comment_id=None, email=requester.email, requester_id=requester.id
    )
    return [row.id]


async def _close_as_merged(viewer: Viewer, source: Ticket, target: Ticket, closed: TicketStatus) -> list[int]:
    """Close the source pointing at the target; the SLA pauses this created, for an unmerge to remove."""
    pauses = set(await _ids(SlaPause.filter(ticket_id=source.id)))
    now = utcnow()
    old = await TicketStatus.get(id=source.status_id)
    await Ticket.filter(id=source.id).update(
        status_id=closed.id, merged_into_id=target.id, merged_at=now, version=F("version") + 1, updated_at=now
    )
    await sla.status_changed(viewer, await Ticket.get(id=source.id), old, closed, now)
    return [p for p in await _ids(SlaPause.filter(ticket_id=source.id)) if p not in pauses]


async def _merge_one(
    work: UnitOfWork, viewer: Viewer, source: Ticket, target: Ticket, closed: TicketStatus
) -> None:
    before = {column: _jsonable(getattr(source, column)) for column in _RESTORED_COLUMNS}
    moved = await _move_all(source, target)
    moved["ccAdded"] = await _keep_requester_informed(source, target)
    moved["pausesAdded"] = await _close_as_merged(viewer, source, target, closed)
    moved["source"] = before
    await TicketMerge.create(
        account_id=viewer.account_id,
        source_id=source.id,
        target_id=target.id,
        merged_by_id=viewer.technician_id,
        moved=json.dumps(moved),
    )
    await activity.record(
        viewer, source.id, ActivityKind.MERGED_INTO, field="mergedInto", new=f"#{target.number}"
    )
    await activity.record(
        viewer, target.id, ActivityKind.MERGED_FROM, field="mergedTickets", new=f"#{source.number}"
    )
    work.emit(
        Event(
            "ticket.updated", viewer.account_id, source.id, changes=("status", "mergedInto", "conversation")
        )
    )
    _internal_changes(work, viewer, moved, source, target)


async def merge(viewer: Viewer, source_ids: list[int], target_id: int) -> tuple[Ticket, list[Ticket]]:
    """Technicians only. Returns (target, sources). Emits ``ticket.updated`` for every ticket.

    Raises PermissionDenied; NotFound (sourceTicketIds, targetTicketId); ValidationFailed (sourceTicketIds:
    none, too many, the target among them, merged already; targetTicketId: merged itself).
    """
    require_technician(viewer)
    unique = list(dict.fromkeys(source_ids))
    problems = Problems()
    if not unique:
        problems.add("sourceTicketIds", "Name at least one ticket to merge.")
    elif len(unique) > MAX_SOURCES:
        problems.add("sourceTicketIds", f"At most {MAX_SOURCES} tickets at once.")
    elif target_id in unique:
        problems.add("sourceTicketIds", "A ticket cannot be merged into itself.")
    problems.raise_if_any()
    async with unit_of_work() as work:
        # Lock every ticket involved, in id order, so that two merges cannot deadlock or cross.
        found = {
            row.id: row
            for row in await visibility.tickets(viewer)
            .filter(id__in=sorted({*unique, target_id}))
            .order_by("id")
            .select_for_update()
        }
        target = found.get(target_id)
        if target is None:
            raise NotFound("targetTicketId")
        if target.merged_into_id is not None:
            raise ValidationFailed.one(
                "targetTicketId", f"#{target.number} is merged into another ticket itself."
            )
        sources = []
        for source_id in unique:
            source = found.get(source_id)
            if source is None:
                raise NotFound("sourceTicketIds")
            if source.merged_into_id is not None:
                raise ValidationFailed.one("sourceTicketIds", f"#{source.number} is merged already.")
            sources.append(source)
        closed = (
            await TicketStatus.filter(
                account_id=viewer.account_id, category=StatusCategory.CLOSED, archived=False
            )
            .order_by("position", "id")
            .first()
        )
        assert closed is not None, "every account has the built-in Closed status"
        for source in sources:
            await _merge_one(work, viewer, source, target, closed)
        await Ticket.filter(id=target.id).update(version=F("version") + 1, updated_at=utcnow())
        work.emit(
            Event("ticket.updated", viewer.account_id, target.id, changes=("conversation", "mergedTickets"))
        )
        return await Ticket.get(id=target.id), [await Ticket.get(id=source.id) for source in sources]


async def unmerge(viewer: Viewer, source_id: int) -> tuple[Ticket, Ticket]:
    """Undo the latest merge of a ticket within MERGE_UNDO. Technicians only. Returns (source, target).

    Raises PermissionDenied; NotFound (sourceTicketId); ValidationFailed (sourceTicketId: not merged,
    too late, its target deleted).
    """
    require_technician(viewer)
    async with unit_of_work() as work:
        source = await visibility.tickets(viewer).select_for_update().get_or_none(id=source_id)
        if source is None:
            raise NotFound("sourceTicketId")
        merge = (
            await TicketMerge.filter(source_id=source.id, undone_at__isnull=True)
            .order_by("-merged_at")
            .first()
        )
        if source.merged_into_id is None or merge is None:
            raise ValidationFailed.one("sourceTicketId", f"#{source.number} is not merged.")
        now = utcnow()
        if now - merge.merged_at > MERGE_UNDO:
            raise ValidationFailed.one(
                "sourceTicketId",
                f"A merge can be undone for {MERGE_UNDO.days} days; #{source.number} was merged on "
                f"{merge.merged_at.date().isoformat()}.",
            )
        target = await visibility.tickets(viewer).select_for_update().get_or_none(id=merge.target_id)
        if target is None:
            raise ValidationFailed.one(
                "sourceTicketId", "The ticket it was merged into was deleted; restore that one first."
            )
        moved = json.loads(merge.moved)
        await _put_back(moved, source, target)
        _internal_changes(work, viewer, moved, source, target)
        await TicketMerge.filter(id=merge.id).update(undone_at=now)
        for ticket, other in ((source, target), (target, source)):
            await activity.record(
                viewer, ticket.id, ActivityKind.UNMERGED, field="mergedInto", old=f"#{other.number}"
            )
            work.emit(
                Event(
                    "ticket.updated",
                    viewer.account_id,
                    ticket.id,
                    changes=("status", "mergedInto", "conversation"),
                )
            )
        return await Ticket.get(id=source.id), await Ticket.get(id=target.id)


async def _put_back(moved: dict[str, Any], source: Ticket, target: Ticket) -> None:
    await Comment.filter(id__in=moved["comments"], ticket_id=target.id).update(ticket_id=source.id)
    await CcRecipient.filter(id__in=moved["commentCc"], ticket_id=target.id).update(ticket_id=source.id)
    await TimeEntry.filter(id__in=moved["timeEntries"], ticket_id=target.id).update(ticket_id=source.id)
    await TicketItem.filter(id__in=moved["items"], ticket_id=target.id).update(ticket_id=source.id)
    # Merges recorded before alerts and events moved have neither.
    await Alert.filter(id__in=moved.get("alerts", []), ticket_id=target.id).update(ticket_id=source.id)
    await _move_events(moved.get("events", []), target, source)
    for kind in _UNIQUE_ROWS:
        await _restore_unique_rows(kind, moved[kind], source, target)
    await CcRecipient.filter(id__in=moved["ccAdded"]).delete()
    await SlaPause.filter(id__in=moved["pausesAdded"]).delete()
    columns = {column: _parsed(column, value) for column, value in moved["source"].items()}
    await Ticket.filter(id=source.id).update(
        **columns, merged_into_id=None, merged_at=None, version=F("version") + 1, updated_at=utcnow()
    )
    await Ticket.filter(id=target.id).update(version=F("version") + 1, updated_at=utcnow())
