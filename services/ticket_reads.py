"""Opening a ticket marks it read: for the technicians of its account and for its requester.

The rule (services.activity_status): an UNREAD ticket becomes READ when a technician opens it or when its
requester does, whoever opened it (the activity status says that someone has read it; who is in the
activity row, which technicians see). A requester copied on a ticket reads it without changing its state;
any other ticket does not exist for a requester (NotFound).
"""

from __future__ import annotations

from tortoise.expressions import F

from models.clock import utcnow
from models.enums import ActivityKind, ActivityStatus
from models.tickets import Ticket
from services import activity, activity_status, visibility
from services.errors import NotFound
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer


async def _next_state(viewer: Viewer, ticket: Ticket) -> ActivityStatus:
    if viewer.is_technician:
        return activity_status.on_read_by_technician(ticket.activity_status)
    if ticket.requester_id != viewer.requester_id:  # copied on it: their read is not the requester's
        return ticket.activity_status
    return activity_status.on_read_by_requester(ticket.activity_status)


async def mark_read(viewer: Viewer, ticket_id: int) -> Ticket:
    """The viewer opened the ticket: UNREAD becomes READ where the rule above says so, with an
    ACTIVITY_STATUS_CHANGED row by the viewer (staff-only, like every activity-status change) and
    ``ticket.updated`` (activityStatus). Raises NotFound (ticketId) for a ticket the viewer cannot see.
    """
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        new = await _next_state(viewer, ticket)
        if new != ticket.activity_status:
            await Ticket.filter(id=ticket.id).update(
                activity_status=new, version=F("version") + 1, updated_at=utcnow()
            )
            await activity.record(
                viewer,
                ticket.id,
                ActivityKind.ACTIVITY_STATUS_CHANGED,
                field="activityStatus",
                old=ticket.activity_status.value,
                new=new.value,
            )
            work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=("activityStatus",)))
        return await Ticket.get(id=ticket_id)
