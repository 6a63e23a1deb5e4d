"""Satisfaction surveys: one per ticket, by its requester, once the ticket is resolved or closed.

- The survey email (services.mail_out) carries a signed link ``<app url>/survey/<token>``; the token
  names the ticket and is an HMAC with the mail key, so it works without a login and for no other ticket.
- The requester may also answer with their own end-user token. Nobody else may: not a cc'd requester,
  not a technician.
- Three ratings of 1..5 and an optional comment of at most 2,000 characters (control characters other
  than line breaks and tabs dropped). A second survey, a ticket that is not resolved or closed yet or was
  merged into another, or a rating out of range is refused, naming the field.
Writes a SURVEY_SUBMITTED activity row (staff-only) and emits ``ticket.updated`` (satisfactionSurvey).
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from models.enums import ActivityKind, Channel, StatusCategory
from models.people import SatisfactionSurvey
from models.tickets import Ticket, TicketStatus
from services import activity, validation, visibility
from services.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from services.events import Event
from services.survey_links import survey_ticket_id
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

MAX_COMMENT = 2000
ALREADY = "A survey was already submitted for this ticket."


@dataclass(frozen=True)
class Ratings:
    support_quality: int
    technician_knowledge: int
    overall_helpfulness: int
    comment: str = ""


def _checked(ratings: Ratings) -> Ratings:
    problems = Problems()
    for field, value in (
        ("supportQuality", ratings.support_quality),
        ("technicianKnowledge", ratings.technician_knowledge),
        ("overallHelpfulness", ratings.overall_helpfulness),
    ):
        if not 1 <= value <= 5:
            problems.add(field, "Must be a rating from 1 to 5.")
    comment = validation.text(problems, "comment", ratings.comment, max_length=MAX_COMMENT, required=False)
    problems.raise_if_any()
    return Ratings(
        ratings.support_quality, ratings.technician_knowledge, ratings.overall_helpfulness, comment
    )


async def _ticket(viewer: Viewer | None, ticket_id: int | None, token: str | None) -> tuple[Viewer, Ticket]:
    """The ticket being rated and its requester as the author."""
    if token is not None:
        signed = survey_ticket_id(token)
        ticket = None if signed is None else await Ticket.get_or_none(id=signed, deleted_at__isnull=True)
        if ticket is None or (ticket_id is not None and ticket_id != ticket.id):
            raise NotFound("surveyToken", "surveyToken: this survey link is not valid.")
        return Viewer(ticket.account_id, requester_id=ticket.requester_id, channel=Channel.EMAIL), ticket
    if viewer is None:
        raise PermissionDenied("Sign in or use the survey link from the email.")
    if ticket_id is None:
        raise ValidationFailed.one("ticketId", "Give the ticket, or the survey link's token.")
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    if viewer.requester_id != ticket.requester_id:
        raise PermissionDenied("Only the ticket's requester can answer its survey.")
    return viewer, ticket


async def submit(
    viewer: Viewer | None, ratings: Ratings, *, ticket_id: int | None = None, token: str | None = None
) -> SatisfactionSurvey:
    """Raises NotFound (ticketId, surveyToken), PermissionDenied, ValidationFailed (supportQuality,
    technicianKnowledge, overallHelpfulness, comment, ticketId: not resolved yet or answered already)."""
    ratings = _checked(ratings)
    author, ticket = await _ticket(viewer, ticket_id, token)
    try:
        async with unit_of_work() as work:
            locked = await Ticket.filter(id=ticket.id).select_for_update().get()
            if locked.merged_into_id is not None:  # closed by the merge: the work went on in the target
                raise ValidationFailed.one("ticketId", "The ticket was merged into another one.")
            status = await TicketStatus.get(id=locked.status_id)
            if status.category not in (StatusCategory.RESOLVED, StatusCategory.CLOSED):
                raise ValidationFailed.one("ticketId", "The ticket is not resolved or closed yet.")
            if await SatisfactionSurvey.exists(ticket_id=ticket.id):
                raise ValidationFailed.one("ticketId", ALREADY)
            survey = await SatisfactionSurvey.create(
                account_id=ticket.account_id,
                requester_id=ticket.requester_id,
                ticket_id=ticket.id,
                support_quality=ratings.support_quality,
                technician_knowledge=ratings.technician_knowledge,
                overall_helpfulness=ratings.overall_helpfulness,
                comment=ratings.comment,
            )
            shown = f"{ratings.support_quality}/{ratings.technician_knowledge}/{ratings.overall_helpfulness}"
            await activity.record(
                author, ticket.id, ActivityKind.SURVEY_SUBMITTED, field="satisfactionSurvey", new=shown
            )
            work.emit(Event("ticket.updated", ticket.account_id, ticket.id, changes=("satisfactionSurvey",)))
    except IntegrityError as error:  # answered at the same moment from another tab: the unique key refuses
        raise ValidationFailed.one("ticketId", ALREADY) from error
    return survey
