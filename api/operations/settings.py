"""The account's settings: statuses, custom fields, form templates, SLA policies and calendars."""

from __future__ import annotations

import strawberry

from resolvers import settings_mutations as m
from resolvers import settings_queries as q
from schema.payloads.common import DeleteResult
from schema.payloads.settings import (
    BusinessCalendarResult,
    CustomerResult,
    CustomFieldResult,
    FormTemplateResult,
    SlaPolicyResult,
    TicketStatusesResult,
    TicketStatusResult,
)
from schema.types.forms import CustomField, FormTemplate
from schema.types.sla import BusinessCalendar, SlaPolicy


@strawberry.type
class SettingsQueries:
    custom_fields: list[CustomField] = strawberry.field(
        resolver=q.custom_fields, description="The account's custom fields by name (technicians only)."
    )
    form_templates: list[FormTemplate] = strawberry.field(
        resolver=q.form_templates, description="Form templates, the default first (technicians only)."
    )
    sla_policies: list[SlaPolicy] = strawberry.field(
        resolver=q.sla_policies, description="SLA policies, the default first (technicians only)."
    )
    business_calendars: list[BusinessCalendar] = strawberry.field(
        resolver=q.business_calendars, description="Business calendars by name (technicians only)."
    )


@strawberry.type
class SettingsMutations:
    create_ticket_status: TicketStatusResult = strawberry.field(
        resolver=m.create_ticket_status, description="Add a custom status at the end of the list (admins)."
    )
    update_ticket_status: TicketStatusResult = strawberry.field(
        resolver=m.update_ticket_status, description="Rename, flag SLA pausing, archive or restore (admins)."
    )
    reorder_ticket_statuses: TicketStatusesResult = strawberry.field(
        resolver=m.reorder_ticket_statuses, description="Set the order of the status drop-down (admins)."
    )
    delete_ticket_status: DeleteResult = strawberry.field(
        resolver=m.delete_ticket_status, description="Delete a custom status no ticket has (admins)."
    )
    create_custom_field: CustomFieldResult = strawberry.field(
        resolver=m.create_custom_field, description="Define a custom field (admins)."
    )
    update_custom_field: CustomFieldResult = strawberry.field(
        resolver=m.update_custom_field,
        description="Rename, change options, required, help text; archive (admins).",
    )
    create_form_template: FormTemplateResult = strawberry.field(
        resolver=m.create_form_template, description="Define an ordered set of fields (admins)."
    )
    update_form_template: FormTemplateResult = strawberry.field(
        resolver=m.update_form_template, description="Rename, change fields, make default, archive (admins)."
    )
    create_business_calendar: BusinessCalendarResult = strawberry.field(
        resolver=m.create_business_calendar, description="Define working hours and holidays (admins)."
    )
    update_business_calendar: BusinessCalendarResult = strawberry.field(
        resolver=m.update_business_calendar, description="Change a calendar; due times follow (admins)."
    )
    create_sla_policy: SlaPolicyResult = strawberry.field(
        resolver=m.create_sla_policy, description="Define targets per priority (admins)."
    )
    update_sla_policy: SlaPolicyResult = strawberry.field(
        resolver=m.update_sla_policy, description="Change a policy; its tickets' due times follow (admins)."
    )
    set_customer_sla_policy: CustomerResult = strawberry.field(
        resolver=m.set_customer_sla_policy, description="Override the default policy for a customer (admins)."
    )
