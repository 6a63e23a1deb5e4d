"""Writing the conversation: public replies, internal notes, cc, attachments, mentions, resolutions.

Rules:
- Technicians write public replies and internal notes; a requester writes public replies on their own
  tickets only (never notes, never a status change, a resolution mark or a mention).
- The body is sanitised and rendered as text (services.html); an empty one is refused.
- A status chosen beside Send is applied in the same transaction (services.ticket_update).
- Public replies: cc'd addresses are recorded on the reply and added to the ticket's cc list, which gets
  every later public update. A technician's reply makes the ticket WAITING_FOR_REQUESTER and meets the
  first-response SLA; a requester's makes it WAITING_FOR_TECHNICIAN (services.activity_status).
- Internal notes: mentioned technicians (active, same account) follow the ticket and are notified;
  followers are notified of every later note (not of their own).
- Each comment writes an activity row; the automatic activity-status change is not logged separately.
Emits ``comment.added`` (``internal`` for notes) and ``ticket.updated`` when the ticket changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import F

from models.accounts import Technician
from models.clock import utcnow
from models.conversation import CcRecipient, Comment, CommentMention, TicketFollower
from models.enums import ActivityKind, CommentKind, NotificationKind
from models.people import Requester
from models.tickets import Ticket
from services import (
    activity,
    activity_status,
    ai_analysis,
    attachments,
    notifications,
    sla,
    ticket_update,
    validation,
    visibility,
)
from services.admin import require_technician
from services.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from services.events import Event
from services.html import render
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer

MAX_CC = 50


@dataclass
class Draft:
    """What the reply box sends."""

    body: str
    attachment_ids: list[int] = field(default_factory=list)
    set_status_id: int | None = None
    mark_as_resolution: bool = False
    cc: list[str] = field(default_factory=list)
    mention_ids: list[int] = field(default_factory=list)


async def add_public_reply(
    viewer: Viewer, ticket_id: int, draft: Draft, limits: attachments.Limits
) -> Comment:
    """Raises PermissionDenied; NotFound (ticketId, setStatusId, attachmentIds); ValidationFailed (body, cc,
    attachmentIds, setStatusId, markAsResolution)."""
    return await _add(viewer, ticket_id, CommentKind.PUBLIC_REPLY, draft, limits)


async def add_internal_note(
    viewer: Viewer, ticket_id: int, draft: Draft, limits: attachments.Limits
) -> Comment:
    """Technicians only. Raises PermissionDenied; NotFound (ticketId, setStatusId, attachmentIds,
    mentionTechnicianIds); ValidationFailed (body, attachmentIds, setStatusId, mentionTechnicianIds)."""
    if not viewer.is_technician:
        raise PermissionDenied("Only technicians can write internal notes.")
    return await _add(viewer, ticket_id, CommentKind.INTERNAL_NOTE, draft, limits)


def _check(viewer: Viewer, kind: CommentKind, draft: Draft) -> tuple[str, str, bool, list[str]]:
    problems = Problems()
    body = render(draft.body)
    if body.empty:
        problems.add("body", "Write something: the body is empty once unsafe markup is removed.")
    if not viewer.is_technician:
        if draft.set_status_id is not None:
            problems.add("setStatusId", "Requesters cannot change the status.")
        if draft.mark_as_resolution:
            problems.add("markAsResolution", "Requesters cannot mark a resolution.")
    cc: list[str] = []
    if kind is CommentKind.PUBLIC_REPLY:
        if len(draft.cc) > MAX_CC:
            problems.add("cc", f"At most {MAX_CC} addresses.")
        cc = list(dict.fromkeys(validation.email(problems, "cc", address) for address in draft.cc))
    problems.raise_if_any()
    return body.html, body.text, body.truncated, cc


async def _mentioned(viewer: Viewer, ids: list[int]) -> list[Technician]:
    unique = list(dict.fromkeys(ids))
    found = await Technician.filter(account_id=viewer.account_id, id__in=unique)
    if len(found) != len(unique):
        raise NotFound("mentionTechnicianIds", "mentionTechnicianIds: no such technician in this account.")
    for technician in found:
        if not technician.active:
            raise ValidationFailed.one("mentionTechnicianIds", f"{technician.name} is inactive.")
    return found


async def _record_cc(viewer: Viewer, ticket: Ticket, comment: Comment, addresses: list[str]) -> None:
    if not addresses:
        return
    known = {t.email: t for t in await Technician.filter(account_id=viewer.account_id, email__in=addresses)}
    people = {r.email: r for r in await Requester.filter(account_id=viewer.account_id, email__in=addresses)}
    on_ticket = {row.email for row in await CcRecipient.filter(ticket_id=ticket.id, comment_id__isnull=True)}
    on_ticket.add(
        (await Requester.get(id=ticket.requester_id)).email
    )  # the requester gets every update anyway
    for address in addresses:
        links: dict[str, Any] = {
            "technician_id": known[address].id if address in known else None,
            "requester_id": people[address].id if address in people else None,
        }
        await CcRecipient.create(ticket_id=ticket.id, comment_id=comment.id, email=address, **links)
        if address not in on_ticket:
            await CcRecipient.create(ticket_id=ticket.id, comment_id=None, email=address, **links)
            await activity.record(viewer, ticket.id, ActivityKind.CC_ADDED, field="cc", new=address)


async def _notify(
    work: UnitOfWork, viewer: Viewer, ticket: Ticket, comment: Comment, mentioned: list[Technician]
) -> None:
    for technician in mentioned:
        await CommentMention.create(comment_id=comment.id, technician_id=technician.id)
        _, created = await TicketFollower.get_or_create(ticket_id=ticket.id, technician_id=technician.id)
        if created:
            await activity.record(
                viewer, ticket.id, ActivityKind.FOLLOWER_ADDED, field="followers", new=technician.name
            )
    mentioned_ids = {technician.id for technician in mentioned}
    await notifications.notify(
        work,
        viewer.account_id,
        mentioned_ids - {viewer.technician_id},
        NotificationKind.MENTION,
        ticket.id,
        comment.id,
    )
    followers = {row.technician_id for row in await TicketFollower.filter(ticket_id=ticket.id)}
    await notifications.notify(
        work,
        viewer.account_id,
        followers - mentioned_ids - {viewer.technician_id},
        NotificationKind.NOTE_ON_FOLLOWED_TICKET,
        ticket.id,
        comment.id,
    )


async def _set_status(viewer: Viewer, ticket_id: int, status_id: int) -> None:
    """The status beside Send, through the one path for ticket edits; its errors name our input field."""
    try:
        await ticket_update.update(viewer, ticket_id, ticket_update.TicketChanges(status_id=status_id))
    except NotFound as error:
        raise NotFound("setStatusId") from error
    except ValidationFailed as error:
        raise ValidationFailed.one("setStatusId", error.fields.get("statusId", error.message)) from error


async def _add(
    viewer: Viewer, ticket_id: int, kind: CommentKind, draft: Draft, limits: attachments.Limits
) -> Comment:
    body, text, truncated, cc = _check(viewer, kind, draft)
    if draft.mention_ids:
        require_technician(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        mentioned = await _mentioned(viewer, draft.mention_ids) if kind is CommentKind.INTERNAL_NOTE else []
        now = utcnow()
        comment = await Comment.create(
            account_id=viewer.account_id,
            ticket_id=ticket.id,
            kind=kind,
            author_technician_id=viewer.technician_id,
            author_requester_id=viewer.requester_id,
            body=body,
            text=text,
            truncated=truncated,
            channel=viewer.channel,
            is_resolution=draft.mark_as_resolution,
            created_at=now,
        )
        await attachments.claim(viewer, draft.attachment_ids, comment.id, limits)
        added = (
            ActivityKind.INTERNAL_NOTE_ADDED
            if kind is CommentKind.INTERNAL_NOTE
            else ActivityKind.PUBLIC_REPLY_ADDED
        )
        await activity.record(viewer, ticket.id, added, comment_id=comment.id)
        if draft.mark_as_resolution:
            await activity.record(viewer, ticket.id, ActivityKind.RESOLUTION_MARKED, comment_id=comment.id)
        if kind is CommentKind.PUBLIC_REPLY:
            await _record_cc(viewer, ticket, comment, cc)
        else:
            await _notify(work, viewer, ticket, comment, mentioned)
        waiting_on = activity_status.on_comment(
            ticket.activity_status, kind, by_technician=viewer.is_technician
        )
        if waiting_on != ticket.activity_status:
            await Ticket.filter(id=ticket.id).update(
                activity_status=waiting_on, version=F("version") + 1, updated_at=now
            )
            work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("activityStatus",)))
        if kind is CommentKind.PUBLIC_REPLY and viewer.is_technician:
            await sla.first_response_given(viewer, ticket, now)
        if kind is CommentKind.PUBLIC_REPLY and viewer.is_requester:
            await ai_analysis.mark_requester_reply(ticket.id)
        if draft.set_status_id is not None:
            await _set_status(viewer, ticket.id, draft.set_status_id)
        work.emit(
            Event(
                "comment.added",
                viewer.account_id,
                ticket.id,
                ids={"comment": comment.id},
                internal=kind is CommentKind.INTERNAL_NOTE,
            )
        )
    return comment


async def set_resolution(viewer: Viewer, comment_id: int, is_resolution: bool) -> Comment:
    """Mark a comment as (part of) the resolution, or unmark it. Technicians only.

    Raises PermissionDenied, NotFound (commentId).
    """
    require_technician(viewer)
    async with unit_of_work() as work:
        comment = (
            await visibility.comments(viewer).select_for_update(of=("comment",)).get_or_none(id=comment_id)
        )
        if comment is None:
            raise NotFound("commentId")
        if comment.is_resolution != is_resolution:
            await Comment.filter(id=comment.id).update(is_resolution=is_resolution)
            kind = ActivityKind.RESOLUTION_MARKED if is_resolution else ActivityKind.RESOLUTION_UNMARKED
            await activity.record(viewer, comment.ticket_id, kind, comment_id=comment.id)
            work.emit(
                Event(
                    "comment.updated",
                    viewer.account_id,
                    comment.ticket_id,
                    ids={"comment": comment.id},
                    internal=comment.kind is CommentKind.INTERNAL_NOTE,
                )
            )
        return await Comment.get(id=comment.id)
