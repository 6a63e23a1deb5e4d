"""Personal data on request: everything deskql holds about one requester or technician, as JSON.

One export document per email: ``{"email", "exportedAt", "people": [...]}``, one entry per person with that
email (a requester and a technician may share one). Each entry holds the profile, the tickets the person
raised (a requester) or is assigned (a technician), the comments they wrote (a technician's internal notes
included), the attachments they uploaded or that came with their comments (metadata, not the bytes),
satisfaction surveys (a requester) and time entries (a technician). Values are JSON: times as ISO-8601 UTC,
tickets named by number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import Attachment, Comment
from models.people import Requester, SatisfactionSurvey
from models.tickets import Ticket
from models.timekeeping import TimeEntry
from services import validation
from services.admin import require_admin
from services.errors import NotFound, Problems
from services.viewer import Viewer

Document = dict[str, Any]


async def export_person(viewer: Viewer, email: str) -> Document:
    """The export of the requester and/or technician of the viewer's account with ``email``. Admins only.

    Raises PermissionDenied; ValidationFailed (email); NotFound (email) when nobody of the viewer's account
    has it (people of other accounts are never looked at).
    """
    require_admin(viewer)
    email = _valid_email(email)
    people = await _people(email, account_id=viewer.account_id)
    if not people:
        raise NotFound("email", "email: no requester or technician of this account has this email.")
    return await _document(email, people)


async def export_everyone_with(email: str) -> Document:
    """The export of every person with ``email`` in every account, for the operator's command line.

    Raises ValidationFailed (email); NotFound (email) when nobody has it.
    """
    email = _valid_email(email)
    people = await _people(email, account_id=None)
    if not people:
        raise NotFound("email", "email: no requester or technician has this email.")
    return await _document(email, people)


def _valid_email(email: str) -> str:
    problems = Problems()
    email = validation.email(problems, "email", email)
    problems.raise_if_any()
    return email


async def _people(email: str, account_id: int | None) -> list[Requester | Technician]:
    scope = {} if account_id is None else {"account_id": account_id}
    requesters = await Requester.filter(email__iexact=email, **scope).order_by("account_id", "id")
    technicians = await Technician.filter(email__iexact=email, **scope).order_by("account_id", "id")
    return [*requesters, *technicians]


async def _document(email: str, people: list[Requester | Technician]) -> Document:
    return {
        "email": email,
        "exportedAt": _time(utcnow()),
        "people": [await (_requester(p) if isinstance(p, Requester) else _technician(p)) for p in people],
    }


async def _account(account_id: int) -> Document:
    account = await Account.get(id=account_id)
    return {"id": account.id, "name": account.name}


async def _requester(person: Requester) -> Document:
    await person.fetch_related("customer", "site", "department")
    tickets = await Ticket.filter(requester_id=person.id).order_by("number").prefetch_related("status")
    comments = await Comment.filter(author_requester_id=person.id).order_by("created_at", "id")
    attachments = await _attachments(person.account_id, [c.id for c in comments], uploader=person)
    surveys = await SatisfactionSurvey.filter(requester_id=person.id).order_by("created_at", "id")
    numbers = await _numbers(
        [t.id for t in tickets] + [c.ticket_id for c in comments] + [s.ticket_id for s in surveys]
    )
    return {
        "kind": "requester",
        "account": await _account(person.account_id),
        "profile": {
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "jobTitle": person.job_title,
            "phone": person.phone,
            "mobile": person.mobile,
            "customer": person.customer.name if person.customer else None,
            "site": person.site.name if person.site else None,
            "department": person.department.name if person.department else None,
            "createdAt": _time(person.created_at),
        },
        "tickets": [_ticket(t) for t in tickets],
        "comments": [_comment(c, numbers) for c in comments],
        "attachments": _attachment_list(attachments, comments, numbers),
        "surveys": [
            {
                "ticketNumber": numbers.get(s.ticket_id) if s.ticket_id else None,
                "supportQuality": s.support_quality,
                "technicianKnowledge": s.technician_knowledge,
                "overallHelpfulness": s.overall_helpfulness,
                "comment": s.comment,
                "createdAt": _time(s.created_at),
            }
            for s in surveys
        ],
        "timeEntries": [],
    }


async def _technician(person: Technician) -> Document:
    tickets = await Ticket.filter(assignee_id=person.id).order_by("number").prefetch_related("status")
    comments = await Comment.filter(author_technician_id=person.id).order_by("created_at", "id")
    attachments = await _attachments(person.account_id, [c.id for c in comments], uploader=person)
    entries = await TimeEntry.filter(technician_id=person.id).order_by("started_at", "id")
    numbers = await _numbers([c.ticket_id for c in comments] + [e.ticket_id for e in entries])
    return {
        "kind": "technician",
        "account": await _account(person.account_id),
        "profile": {
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "role": person.role.value,
            "active": person.active,
            "avatarUrl": person.avatar_url,
            "createdAt": _time(person.created_at),
        },
        "tickets": [_ticket(t) for t in tickets],
        "comments": [_comment(c, numbers) for c in comments],
        "attachments": _attachment_list(attachments, comments, numbers),
        "surveys": [],
        "timeEntries": [
            {
                "ticketNumber": numbers.get(e.ticket_id),
                "source": e.source.value,
                "startedAt": _time(e.started_at),
                "endedAt": _time(e.ended_at),
                "durationSeconds": e.duration_seconds,
                "description": e.description,
                "billable": e.billable,
                "rate": None if e.rate is None else str(e.rate),
            }
            for e in entries
        ],
    }


async def _attachments(
    account_id: int, comment_ids: list[int], uploader: Requester | Technician
) -> list[Attachment]:
    mine = (
        Attachment.filter(uploaded_by_requester_id=uploader.id)
        if isinstance(uploader, Requester)
        else Attachment.filter(uploaded_by_technician_id=uploader.id)
    )
    found = {a.id: a for a in await mine.filter(account_id=account_id)}
    if comment_ids:
        for attachment in await Attachment.filter(account_id=account_id, comment_id__in=comment_ids):
            found[attachment.id] = attachment
    return sorted(found.values(), key=lambda a: (a.created_at, a.id))


async def _numbers(ticket_ids: Iterable[int | None]) -> dict[int, int]:
    wanted = {i for i in ticket_ids if i is not None}
    if not wanted:
        return {}
    rows = await Ticket.filter(id__in=wanted).values_list("id", "number")
    return {int(id_): int(number) for id_, number in rows}


def _ticket(ticket: Ticket) -> Document:
    return {
        "number": ticket.number,
        "title": ticket.title,
        "description": ticket.description,
        "status": ticket.status.name,
        "priority": ticket.priority.value,
        "channel": ticket.channel.value,
        "createdAt": _time(ticket.created_at),
        "resolvedAt": _time(ticket.resolved_at),
    }


def _comment(comment: Comment, numbers: dict[int, int]) -> Document:
    return {
        "ticketNumber": numbers.get(comment.ticket_id),
        "kind": comment.kind.value,
        "text": comment.text,
        "channel": comment.channel.value,
        "createdAt": _time(comment.created_at),
    }


def _attachment_list(
    attachments: list[Attachment], comments: list[Comment], numbers: dict[int, int]
) -> list[Document]:
    ticket_of = {c.id: c.ticket_id for c in comments}
    return [
        {
            "filename": a.filename,
            "contentType": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "ticketNumber": numbers.get(ticket_of[a.comment_id]) if a.comment_id in ticket_of else None,
            "createdAt": _time(a.created_at),
        }
        for a in attachments
    ]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
