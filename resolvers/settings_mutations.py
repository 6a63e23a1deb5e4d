"""The account's settings (admins): statuses, custom fields, form templates, SLA policies and calendars."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, given, given_pk, optional_pk, pk
from schema.context import Info
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.payloads.settings import (
    BusinessCalendarResult,
    BusinessCalendarSuccess,
    CustomerResult,
    CustomerSuccess,
    CustomFieldResult,
    CustomFieldSuccess,
    FormTemplateResult,
    FormTemplateSuccess,
    SlaPolicyResult,
    SlaPolicySuccess,
    TicketStatusesResult,
    TicketStatusesSuccess,
    TicketStatusResult,
    TicketStatusSuccess,
)
from schema.settings_inputs import (
    BusinessHoursInput,
    CreateBusinessCalendarInput,
    CreateCustomFieldInput,
    CreateFormTemplateInput,
    CreateSlaPolicyInput,
    CreateTicketStatusInput,
    DeleteTicketStatusInput,
    ReorderTicketStatusesInput,
    SetCustomerSlaPolicyInput,
    SlaTargetInput,
    UpdateBusinessCalendarInput,
    UpdateCustomFieldInput,
    UpdateFormTemplateInput,
    UpdateSlaPolicyInput,
    UpdateTicketStatusInput,
)
from schema.types.forms import CustomField, FormTemplate
from schema.types.people import Customer
from schema.types.sla import BusinessCalendar, SlaPolicy
from schema.types.tickets import TicketStatus
from services import custom_fields, sla_policies, statuses
from services.unset import UNSET

Described = strawberry.argument(description="What to create or change.")


def _hours(items: list[BusinessHoursInput]) -> list[sla_policies.Hours]:
    return [sla_policies.Hours(item.weekday.value, item.start, item.end) for item in items]


def _targets(items: list[SlaTargetInput]) -> list[sla_policies.Target]:
    return [sla_policies.Target(i.priority, i.first_response_minutes, i.resolution_minutes) for i in items]


def _mapped(value: Any, convert: Any) -> Any:
    return value if value is UNSET else convert(value)


def _status(row: Any) -> TicketStatusSuccess:
    return TicketStatusSuccess(status=TicketStatus.from_model(row))


async def create_ticket_status(
    info: Info, input: Annotated[CreateTicketStatusInput, Described]
) -> TicketStatusResult:
    return await attempt(
        lambda: statuses.create(
            info.context.viewer, name=input.name, category=input.category, pauses_sla=input.pauses_sla
        ),
        _status,
    )


async def update_ticket_status(
    info: Info, input: Annotated[UpdateTicketStatusInput, Described]
) -> TicketStatusResult:
    return await attempt(
        lambda: statuses.update(
            info.context.viewer,
            pk(input.id, "TicketStatus", "id"),
            name=given(input.name, "name"),
            pauses_sla=given(input.pauses_sla, "pausesSla"),
            archived=given(input.archived, "archived"),
        ),
        _status,
    )


async def reorder_ticket_statuses(
    info: Info, input: Annotated[ReorderTicketStatusesInput, Described]
) -> TicketStatusesResult:
    return await attempt(
        lambda: statuses.reorder(info.context.viewer, [pk(i, "TicketStatus", "ids") for i in input.ids]),
        lambda rows: TicketStatusesSuccess(statuses=[TicketStatus.from_model(row) for row in rows]),
    )


async def delete_ticket_status(
    info: Info, input: Annotated[DeleteTicketStatusInput, Described]
) -> DeleteResult:
    return await attempt(
        lambda: statuses.delete(info.context.viewer, pk(input.id, "TicketStatus", "id")),
        lambda _: DeleteSuccess(deleted_id=input.id),
    )


def _field(row: Any) -> CustomFieldSuccess:
    return CustomFieldSuccess(custom_field=CustomField.from_model(row))


async def create_custom_field(
    info: Info, input: Annotated[CreateCustomFieldInput, Described]
) -> CustomFieldResult:
    return await attempt(
        lambda: custom_fields.create_custom_field(
            info.context.viewer,
            name=input.name,
            field_type=input.type,
            options=input.options,
            required=input.required,
            help_text=input.help_text,
        ),
        _field,
    )


async def update_custom_field(
    info: Info, input: Annotated[UpdateCustomFieldInput, Described]
) -> CustomFieldResult:
    return await attempt(
        lambda: custom_fields.update_custom_field(
            info.context.viewer,
            pk(input.id, "CustomField", "id"),
            name=given(input.name, "name"),
            options=given(input.options, "options"),
            required=given(input.required, "required"),
            help_text=given(input.help_text, "helpText"),
            archived=given(input.archived, "archived"),
        ),
        _field,
    )


def _template(row: Any) -> FormTemplateSuccess:
    return FormTemplateSuccess(template=FormTemplate.from_model(row))


def _field_ids(values: list[strawberry.ID]) -> list[int]:
    return [pk(value, "CustomField", "fieldIds") for value in values]


async def create_form_template(
    info: Info, input: Annotated[CreateFormTemplateInput, Described]
) -> FormTemplateResult:
    return await attempt(
        lambda: custom_fields.create_form_template(
            info.context.viewer,
            name=input.name,
            field_ids=_field_ids(input.field_ids),
            is_default=input.is_default,
        ),
        _template,
    )


async def update_form_template(
    info: Info, input: Annotated[UpdateFormTemplateInput, Described]
) -> FormTemplateResult:
    return await attempt(
        lambda: custom_fields.update_form_template(
            info.context.viewer,
            pk(input.id, "FormTemplate", "id"),
            name=given(input.name, "name"),
            field_ids=_mapped(given(input.field_ids, "fieldIds"), _field_ids),
            is_default=given(input.is_default, "isDefault"),
            archived=given(input.archived, "archived"),
        ),
        _template,
    )


def _calendar(row: Any) -> BusinessCalendarSuccess:
    return BusinessCalendarSuccess(calendar=BusinessCalendar.from_model(row))


async def create_business_calendar(
    info: Info, input: Annotated[CreateBusinessCalendarInput, Described]
) -> BusinessCalendarResult:
    return await attempt(
        lambda: sla_policies.create_calendar(
            info.context.viewer,
            name=input.name,
            timezone=input.timezone,
            hours=_hours(input.weekly_hours),
            holidays=input.holidays,
        ),
        _calendar,
    )


async def update_business_calendar(
    info: Info, input: Annotated[UpdateBusinessCalendarInput, Described]
) -> BusinessCalendarResult:
    return await attempt(
        lambda: sla_policies.update_calendar(
            info.context.viewer,
            pk(input.id, "BusinessCalendar", "id"),
            name=given(input.name, "name"),
            timezone=given(input.timezone, "timezone"),
            hours=_mapped(given(input.weekly_hours, "weeklyHours"), _hours),
            holidays=given(input.holidays, "holidays"),
        ),
        _calendar,
    )


def _policy(row: Any) -> SlaPolicySuccess:
    return SlaPolicySuccess(policy=SlaPolicy.from_model(row))


async def create_sla_policy(info: Info, input: Annotated[CreateSlaPolicyInput, Described]) -> SlaPolicyResult:
    return await attempt(
        lambda: sla_policies.create_policy(
            info.context.viewer,
            name=input.name,
            calendar_id=optional_pk(input.calendar_id, "BusinessCalendar", "calendarId"),
            targets=_targets(input.targets),
            is_default=input.is_default,
        ),
        _policy,
    )


async def update_sla_policy(info: Info, input: Annotated[UpdateSlaPolicyInput, Described]) -> SlaPolicyResult:
    return await attempt(
        lambda: sla_policies.update_policy(
            info.context.viewer,
            pk(input.id, "SlaPolicy", "id"),
            name=given(input.name, "name"),
            calendar_id=given_pk(input.calendar_id, "BusinessCalendar", "calendarId", nullable=True),
            targets=_mapped(given(input.targets, "targets"), _targets),
            is_default=given(input.is_default, "isDefault"),
        ),
        _policy,
    )


async def set_customer_sla_policy(
    info: Info, input: Annotated[SetCustomerSlaPolicyInput, Described]
) -> CustomerResult:
    return await attempt(
        lambda: sla_policies.set_customer_policy(
            info.context.viewer,
            pk(input.customer_id, "Customer", "customerId"),
            optional_pk(input.sla_policy_id, "SlaPolicy", "slaPolicyId"),
        ),
        lambda row: CustomerSuccess(customer=Customer.from_model(row)),
    )
