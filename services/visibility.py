"""Who may see what. Every read path (queries, subscriptions, emails, AI prompts) starts here.

Rules:
- Everything is scoped to the viewer's account; another account's rows do not exist for the viewer.
- A technician sees every ticket of the account, with its internal notes and full activity.
- A requester sees only the tickets they requested, only public replies, only the activity kinds in
  PUBLIC_ACTIVITY_KINDS, only themselves among requesters, and technicians only as the assignee or
  author shown on their tickets (never through ``technicians`` or ``node``).
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.accounts import Account, Technician
from models.activity import Activity
from models.conversation import Attachment, Comment
from models.enums import ActivityKind, CommentKind
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.tickets import Tag, Ticket, TicketStatus
from services.viewer import Viewer

PUBLIC_ACTIVITY_KINDS = frozenset(
    {
        ActivityKind.TICKET_CREATED,
        ActivityKind.STATUS_CHANGED,
        ActivityKind.PUBLIC_REPLY_ADDED,
    }
)


def accounts(viewer: Viewer) -> QuerySet[Account]:
    return Account.filter(id=viewer.account_id)


def tickets(viewer: Viewer) -> QuerySet[Ticket]:
    query = Ticket.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requester_id=viewer.requester_id)
    return query


def comment_kinds(viewer: Viewer) -> frozenset[CommentKind]:
    if viewer.is_technician:
        return frozenset(CommentKind)
    return frozenset({CommentKind.PUBLIC_REPLY})


def comments(viewer: Viewer) -> QuerySet[Comment]:
    query = Comment.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(kind=CommentKind.PUBLIC_REPLY, ticket__requester_id=viewer.requester_id)
    return query


def attachments(viewer: Viewer) -> QuerySet[Attachment]:
    query = Attachment.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(
            comment__kind=CommentKind.PUBLIC_REPLY, comment__ticket__requester_id=viewer.requester_id
        )
    return query


def activity(viewer: Viewer) -> QuerySet[Activity]:
    query = Activity.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(kind__in=list(PUBLIC_ACTIVITY_KINDS), ticket__requester_id=viewer.requester_id)
    return query


def statuses(viewer: Viewer) -> QuerySet[TicketStatus]:
    return TicketStatus.filter(account_id=viewer.account_id)


def tags(viewer: Viewer) -> QuerySet[Tag]:
    return Tag.filter(account_id=viewer.account_id)


def technicians(viewer: Viewer) -> QuerySet[Technician]:
    """Technicians as people to list or fetch by id: staff only."""
    query = Technician.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(id__in=[])
    return query


def technicians_shown_on_tickets(viewer: Viewer) -> QuerySet[Technician]:
    """Technicians as the assignee or author on a visible ticket: name and avatar for everyone."""
    return Technician.filter(account_id=viewer.account_id)


def requesters(viewer: Viewer) -> QuerySet[Requester]:
    query = Requester.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(id=viewer.requester_id)
    return query


def customers(viewer: Viewer) -> QuerySet[Customer]:
    query = Customer.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def contracts(viewer: Viewer) -> QuerySet[Contract]:
    """Contracts are commercial terms between the MSP and its customer: staff only."""
    query = Contract.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(id__in=[])
    return query


def sites(viewer: Viewer) -> QuerySet[Site]:
    query = Site.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def departments(viewer: Viewer) -> QuerySet[Department]:
    query = Department.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def devices(viewer: Viewer) -> QuerySet[Device]:
    query = Device.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requester_id=viewer.requester_id)
    return query


def surveys(viewer: Viewer) -> QuerySet[SatisfactionSurvey]:
    query = SatisfactionSurvey.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requester_id=viewer.requester_id)
    return query
