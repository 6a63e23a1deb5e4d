"""Inputs for the account's settings (admins): statuses, custom fields, form templates, SLA."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.enums import CustomFieldType, Priority, StatusCategory, Weekday


@strawberry.input(description="A custom status.")
class CreateTicketStatusInput:
    name: str = strawberry.field(description="Display name, unique in the account.")
    category: StatusCategory = strawberry.field(
        description="The built-in stage it belongs to; never changes."
    )
    pauses_sla: bool = strawberry.field(default=False, description="Stop SLA clocks while a ticket has it.")


@strawberry.input(description="Changes to a status; fields left out are untouched.")
class UpdateTicketStatusInput:
    id: strawberry.ID = strawberry.field(description="The status.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    pauses_sla: bool | None = strawberry.field(default=strawberry.UNSET, description="Stop SLA clocks.")
    archived: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Archive (custom statuses only) or restore."
    )


@strawberry.input(description="The order of the status drop-down.")
class ReorderTicketStatusesInput:
    ids: list[strawberry.ID] = strawberry.field(description="Every status of the account, once, in order.")


@strawberry.input(description="A custom status to delete.")
class DeleteTicketStatusInput:
    id: strawberry.ID = strawberry.field(description="A custom status no ticket has.")


@strawberry.input(description="A new custom field.")
class CreateCustomFieldInput:
    name: str = strawberry.field(description="Label, unique in the account.")
    type: CustomFieldType = strawberry.field(description="What it holds; never changes.")
    options: list[str] = strawberry.field(
        default_factory=list, description="Choices (DROPDOWN, MULTI_SELECT)."
    )
    required: bool = strawberry.field(default=False, description="A required field cannot be emptied.")
    help_text: str = strawberry.field(default="", description="Shown under the field.")


@strawberry.input(description="Changes to a custom field; fields left out are untouched.")
class UpdateCustomFieldInput:
    id: strawberry.ID = strawberry.field(description="The field.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New label.")
    options: list[str] | None = strawberry.field(default=strawberry.UNSET, description="New choices.")
    required: bool | None = strawberry.field(default=strawberry.UNSET, description="Required or not.")
    help_text: str | None = strawberry.field(default=strawberry.UNSET, description="New help text.")
    archived: bool | None = strawberry.field(default=strawberry.UNSET, description="Archive or restore.")


@strawberry.input(description="A new form template.")
class CreateFormTemplateInput:
    name: str = strawberry.field(description="Display name, unique in the account.")
    field_ids: list[strawberry.ID] = strawberry.field(description="Its fields, in order.")
    is_default: bool = strawberry.field(default=False, description="Give it to new tickets.")


@strawberry.input(description="Changes to a form template; fields left out are untouched.")
class UpdateFormTemplateInput:
    id: strawberry.ID = strawberry.field(description="The template.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    field_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="New fields, in order."
    )
    is_default: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Make it the default (true only)."
    )
    archived: bool | None = strawberry.field(default=strawberry.UNSET, description="Archive or restore.")


@strawberry.input(description="Working hours on one weekday.")
class BusinessHoursInput:
    weekday: Weekday = strawberry.field(description="The day.")
    start: str = strawberry.field(description="HH:MM local time.")
    end: str = strawberry.field(description="HH:MM local time, after start; 24:00 for midnight.")


@strawberry.input(description="A new business calendar.")
class CreateBusinessCalendarInput:
    name: str = strawberry.field(description="Display name.")
    timezone: str = strawberry.field(description="IANA time zone, e.g. Europe/Rome.")
    weekly_hours: list[BusinessHoursInput] = strawberry.field(
        description="Working hours; days left out have none."
    )
    holidays: list[date] = strawberry.field(
        default_factory=list, description="Local dates without working hours."
    )


@strawberry.input(description="Changes to a business calendar; fields left out are untouched.")
class UpdateBusinessCalendarInput:
    id: strawberry.ID = strawberry.field(description="The calendar.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    timezone: str | None = strawberry.field(default=strawberry.UNSET, description="New time zone.")
    weekly_hours: list[BusinessHoursInput] | None = strawberry.field(
        default=strawberry.UNSET, description="All new hours."
    )
    holidays: list[date] | None = strawberry.field(default=strawberry.UNSET, description="All new holidays.")


@strawberry.input(description="The targets for one priority.")
class SlaTargetInput:
    priority: Priority = strawberry.field(description="The priority.")
    first_response_minutes: int = strawberry.field(description="Minutes until the first public reply is due.")
    resolution_minutes: int = strawberry.field(description="Minutes until resolution is due.")


@strawberry.input(description="A new SLA policy.")
class CreateSlaPolicyInput:
    name: str = strawberry.field(description="Display name.")
    calendar_id: strawberry.ID | None = strawberry.field(default=None, description="Null: around the clock.")
    targets: list[SlaTargetInput] = strawberry.field(description="One per priority.")
    is_default: bool = strawberry.field(default=False, description="The account's default policy.")


@strawberry.input(description="Changes to an SLA policy; fields left out are untouched.")
class UpdateSlaPolicyInput:
    id: strawberry.ID = strawberry.field(description="The policy.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    calendar_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="New calendar; null: around the clock."
    )
    targets: list[SlaTargetInput] | None = strawberry.field(
        default=strawberry.UNSET, description="All new targets."
    )
    is_default: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Make it the default (true only)."
    )


@strawberry.input(description="A customer's SLA policy override.")
class SetCustomerSlaPolicyInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    sla_policy_id: strawberry.ID | None = strawberry.field(
        description="The policy; null returns to the default."
    )
