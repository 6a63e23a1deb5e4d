"""Inputs for editing a ticket."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from schema.enums import ActivityStatus, Impact, Priority, TicketType


@strawberry.input(description="A custom field's new value; null (or an empty string or list) empties it.")
class CustomFieldValueInput:
    field_id: strawberry.ID = strawberry.field(description="A field of the ticket's form template.")
    value: JSON | None = strawberry.field(description="The value; see the README for what each type takes.")


@strawberry.input(
    description="A partial update: fields left out are untouched. Only fields that really change are saved "
    "and logged."
)
class UpdateTicketInput:
    id: strawberry.ID = strawberry.field(description="The ticket.")
    expected_version: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="The version the client edited; a stale one gets a ConflictError and changes nothing.",
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="Subject line, 1..250 characters."
    )
    status_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A non-archived status."
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="An active technician of the account; null unassigns."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A team of the account that is not archived; null removes it."
    )
    type: TicketType | None = strawberry.field(default=strawberry.UNSET, description="The ticket type.")
    activity_status: ActivityStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Override who the ticket is waiting on."
    )
    priority: Priority | None = strawberry.field(default=strawberry.UNSET, description="The priority.")
    impact: Impact | None = strawberry.field(default=strawberry.UNSET, description="The impact.")
    requester_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Another requester of the account."
    )
    form_template_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A non-archived form template; values of fields that stay are kept. null removes it.",
    )
    custom_fields: list[CustomFieldValueInput] | None = strawberry.field(
        default=strawberry.UNSET, description="New values of fields of the (new) form template."
    )
    add_tags: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Tags to add.")
    remove_tags: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Tags to remove.")


@strawberry.input(description="The ticket the viewer opened.")
class MarkTicketReadInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
