"""Creating tickets."""

from __future__ import annotations

from tortoise.expressions import F

from models.accounts import Account, Technician
from models.enums import ActivityKind, Impact, Priority, StatusCategory, TicketType
from models.forms import FormTemplate
from models.people import Requester
from models.tickets import Ticket, TicketStatus
from services import activity, activity_status, ai_analysis, sla, validation
from services.errors import NotFound, Problems
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

MAX_TITLE = 250
MAX_DESCRIPTION = 64_000


async def _next_number(account_id: int) -> int:
    """Per-account ticket numbers. The UPDATE row-locks the account until commit, so numbers never repeat."""
    await Account.filter(id=account_id).update(ticket_number_seq=F("ticket_number_seq") + 1)
    number = await Account.filter(id=account_id).first().values_list("ticket_number_seq", flat=True)
    assert isinstance(number, int)
    return number


async def create(
    viewer: Viewer,
    *,
    title: str,
    description: str = "",
    requester_id: int | None = None,
    ticket_type: TicketType = TicketType.INCIDENT,
    priority: Priority = Priority.MEDIUM,
    impact: Impact = Impact.NO_IMPACT,
    assignee_id: int | None = None,
) -> Ticket:
    """A new ticket in the account's first OPEN status, activity status UNREAD, the default form template,
    and the SLA policy of its requester (services.sla).

    A technician opens it for a requester of the account (``requester_id`` required) and may assign it;
    a requester opens it for themself (``requester_id`` and ``assignee_id`` must be absent or their own).
    Writes a TICKET_CREATED activity row and emits ``ticket.created``.
    Raises ValidationFailed (title, description, requesterId), NotFound (requesterId, assigneeId).
    """
    problems = Problems()
    title = validation.text(problems, "title", title, max_length=MAX_TITLE)
    description = validation.text(
        problems, "description", description, max_length=MAX_DESCRIPTION, required=False
    )
    if viewer.is_requester:
        if requester_id not in (None, viewer.requester_id):
            problems.add("requesterId", "Requesters open tickets for themselves only.")
        if assignee_id is not None:
            problems.add("assigneeId", "Requesters cannot assign tickets.")
        requester_id = viewer.requester_id
    elif requester_id is None:
        problems.add("requesterId", "Choose the requester this ticket is for.")
    problems.raise_if_any()
    assert requester_id is not None
    if not await Requester.exists(id=requester_id, account_id=viewer.account_id):
        raise NotFound("requesterId")
    if assignee_id is not None and not await Technician.exists(
        id=assignee_id, account_id=viewer.account_id, active=True
    ):
        raise NotFound("assigneeId", "assigneeId: no active technician of this account has this id.")
    status = (
        await TicketStatus.filter(account_id=viewer.account_id, category=StatusCategory.OPEN, archived=False)
        .order_by("position", "id")
        .first()
    )
    assert status is not None, "every account has the built-in Open status"
    template = await FormTemplate.get_or_none(account_id=viewer.account_id, is_default=True, archived=False)
    async with unit_of_work() as work:
        ticket = await Ticket.create(
            account_id=viewer.account_id,
            number=await _next_number(viewer.account_id),
            title=title,
            description=description,
            status_id=status.id,
            ticket_type=ticket_type,
            priority=priority,
            impact=impact,
            activity_status=activity_status.on_create(),
            assignee_id=assignee_id,
            requester_id=requester_id,
            channel=viewer.channel,
            form_template_id=template.id if template else None,
        )
        await sla.assign_policy(ticket, ticket.created_at)
        await activity.record(viewer, ticket.id, ActivityKind.TICKET_CREATED, new=str(ticket.number))
        await ai_analysis.mark_new_ticket(ticket, by_requester=viewer.is_requester)
        work.emit(Event("ticket.created", viewer.account_id, ticket.id))
    return ticket
