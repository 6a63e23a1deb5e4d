"""Results of mutations. Admin settings: statuses, custom fields, form templates, business calendars, SLA policies, customers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.forms import CustomField, FormTemplate
from schema.types.people import Customer
from schema.types.sla import BusinessCalendar, SlaPolicy
from schema.types.tickets import TicketStatus


@strawberry.type(description="The status as saved.")
class TicketStatusSuccess:
    status: TicketStatus = strawberry.field(description="The status.")


@strawberry.type(description="The statuses in their new order.")
class TicketStatusesSuccess:
    statuses: list[TicketStatus] = strawberry.field(description="Every status of the account, in order.")


@strawberry.type(description="The custom field as saved.")
class CustomFieldSuccess:
    custom_field: CustomField = strawberry.field(description="The field.")


@strawberry.type(description="The form template as saved.")
class FormTemplateSuccess:
    template: FormTemplate = strawberry.field(description="The template.")


@strawberry.type(description="The business calendar as saved.")
class BusinessCalendarSuccess:
    calendar: BusinessCalendar = strawberry.field(description="The calendar.")


@strawberry.type(description="The SLA policy as saved.")
class SlaPolicySuccess:
    policy: SlaPolicy = strawberry.field(description="The policy.")


@strawberry.type(description="The customer as saved.")
class CustomerSuccess:
    customer: Customer = strawberry.field(description="The customer.")


TicketStatusResult = Annotated[
    TicketStatusSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TicketStatusResult", description="The status, or why not."),
]
TicketStatusesResult = Annotated[
    TicketStatusesSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("TicketStatusesResult", description="The statuses, or why not."),
]
CustomFieldResult = Annotated[
    CustomFieldSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CustomFieldResult", description="The custom field, or why not."),
]
FormTemplateResult = Annotated[
    FormTemplateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("FormTemplateResult", description="The form template, or why not."),
]
BusinessCalendarResult = Annotated[
    BusinessCalendarSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("BusinessCalendarResult", description="The business calendar, or why not."),
]
SlaPolicyResult = Annotated[
    SlaPolicySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SlaPolicyResult", description="The SLA policy, or why not."),
]
CustomerResult = Annotated[
    CustomerSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CustomerResult", description="The customer, or why not."),
]
