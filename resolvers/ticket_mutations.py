"""Editing tickets: the auto-saved detail fields."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from models.tickets import Ticket as TicketRow
from resolvers.results import attempt, given, given_pk, pk
from schema.context import Info
from schema.payloads.tickets import UpdateTicketResult, UpdateTicketSuccess
from schema.ticket_inputs import MarkTicketReadInput, UpdateTicketInput
from schema.types.tickets import Ticket
from services import ticket_reads, ticket_update
from services.unset import UNSET


def _changes(input: UpdateTicketInput) -> ticket_update.TicketChanges:
    custom: Any = given(input.custom_fields, "customFields")
    if custom is not UNSET:
        custom = {pk(item.field_id, "CustomField", "customFields"): item.value for item in custom}
    return ticket_update.TicketChanges(
        title=given(input.title, "title"),
        status_id=given_pk(input.status_id, "TicketStatus", "statusId"),
        assignee_id=given_pk(input.assignee_id, "Technician", "assigneeId", nullable=True),
        team_id=given_pk(input.team_id, "Team", "teamId", nullable=True),
        ticket_type=given(input.type, "type"),
        activity_status=given(input.activity_status, "activityStatus"),
        priority=given(input.priority, "priority"),
        impact=given(input.impact, "impact"),
        requester_id=given_pk(input.requester_id, "Requester", "requesterId"),
        form_template_id=given_pk(input.form_template_id, "FormTemplate", "formTemplateId", nullable=True),
        custom_fields=custom,
        add_tags=given(input.add_tags, "addTags"),
        remove_tags=given(input.remove_tags, "removeTags"),
    )


async def update_ticket(
    info: Info, input: Annotated[UpdateTicketInput, strawberry.argument(description="What to change.")]
) -> UpdateTicketResult:
    async def call() -> TicketRow:
        version = given(input.expected_version, "expectedVersion", nullable=True)
        return await ticket_update.update(
            info.context.viewer,
            pk(input.id, "Ticket", "id"),
            _changes(input),
            expected_version=None if version is UNSET else version,
        )

    return await attempt(call, lambda row: UpdateTicketSuccess(ticket=Ticket.from_model(row)))


async def mark_ticket_read(
    info: Info, input: Annotated[MarkTicketReadInput, strawberry.argument(description="The ticket.")]
) -> UpdateTicketResult:
    return await attempt(
        lambda: ticket_reads.mark_read(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId")),
        lambda row: UpdateTicketSuccess(ticket=Ticket.from_model(row)),
    )
