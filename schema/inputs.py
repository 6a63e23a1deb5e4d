"""Input types of mutations and filters."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from schema.enums import ActivityStatus, Channel, Impact, Priority, Role, StatusCategory, TicketType


@strawberry.input(description="Credentials for an interactive session.")
class LoginInput:
    email: str = strawberry.field(description="The technician's or requester's email.")
    password: str = strawberry.field(description="Their password.")


@strawberry.input(description="Which tokens to revoke.")
class LogoutInput:
    all_sessions: bool = strawberry.field(
        default=False, description="Also revoke every other interactive token of the viewer."
    )


@strawberry.input(description="A new ticket.")
class CreateTicketInput:
    title: str = strawberry.field(description="Subject line, 1..250 characters.")
    description: str = strawberry.field(default="", description="What the problem is.")
    requester_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who it is for; required for technicians, omitted by requesters."
    )
    type: TicketType = strawberry.field(default=TicketType.INCIDENT, description="Defaults to INCIDENT.")
    priority: Priority = strawberry.field(default=Priority.MEDIUM, description="Defaults to MEDIUM.")
    impact: Impact = strawberry.field(default=Impact.NO_IMPACT, description="Defaults to NO_IMPACT.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="An active technician of the account (technicians only)."
    )


@strawberry.input(description="A new technician (admins only).")
class CreateTechnicianInput:
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email, unique across deskql; it is the login.")
    role: Role = strawberry.field(default=Role.TECHNICIAN, description="Defaults to TECHNICIAN.")
    avatar_url: str | None = strawberry.field(default=None, description="An https:// picture URL.")
    password: str | None = strawberry.field(
        default=None, description="10..1000 characters; without one the technician uses tokens only."
    )


@strawberry.input(description="A technician's new role or activity (admins only); what is left out stays.")
class UpdateTechnicianInput:
    technician_id: strawberry.ID = strawberry.field(description="The technician to change.")
    role: Role | None = strawberry.field(default=None, description="ADMIN or TECHNICIAN.")
    active: bool | None = strawberry.field(
        default=None,
        description="false deactivates: their tokens stop working and their websockets end; true reactivates.",
    )


@strawberry.input(description="A new requester (admins only).")
class CreateRequesterInput:
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email, unique within the account.")
    job_title: str = strawberry.field(default="", description="Job title.")
    phone: str = strawberry.field(default="", description="Office phone.")
    mobile: str = strawberry.field(default="", description="Mobile phone.")
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="Their customer (MSP).")
    site_id: strawberry.ID | None = strawberry.field(default=None, description="Their site.")
    department_id: strawberry.ID | None = strawberry.field(default=None, description="Their department.")
    password: str | None = strawberry.field(
        default=None, description="10..1000 characters, for the service portal."
    )


@strawberry.input(
    description="A span of time: from `from` (inclusive) to `to` (exclusive); either may be left open."
)
class TimeRange:
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="The first moment in the range, with a UTC offset."
    )
    to: datetime | None = strawberry.field(
        default=None, description="The first moment after the range, with a UTC offset; not before `from`."
    )


@strawberry.input(description="Tags by name: tickets with any of `any` and all of `all`.")
class TagCondition:
    any: list[str] | None = strawberry.field(default=None, description="At least one of these tags.")
    all: list[str] | None = strawberry.field(default=None, description="Every one of these tags.")


@strawberry.input(description="A custom field's value, compared as the field stores it (technicians only).")
class CustomFieldCondition:
    field_id: strawberry.ID = strawberry.field(description="The custom field.")
    value: JSON | None = strawberry.field(
        description='Equal to this value (12 and "12" are the same NUMBER); a list: a MULTI_SELECT holding '
        "every one of these options; null: no value."
    )


@strawberry.input(description="Which tickets to list; all given conditions must hold.")
class TicketFilter:
    status_category: list[StatusCategory] | None = strawberry.field(
        default=None, description="Any of these status categories."
    )
    status_id: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Assigned to this technician."
    )
    unassigned: bool | None = strawberry.field(default=None, description="true: only unassigned tickets.")
    team_id: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Routed to any of these teams."
    )
    requester_id: strawberry.ID | None = strawberry.field(
        default=None, description="Opened for this requester."
    )
    type: list[TicketType] | None = strawberry.field(default=None, description="Any of these types.")
    priority: list[Priority] | None = strawberry.field(default=None, description="Any of these priorities.")
    sla_breached: bool | None = strawberry.field(
        default=None, description="true: a clock met late or running past its due time; false: none."
    )
    is_spam: bool | None = strawberry.field(
        default=False, description="false (the default): spam left out; true: spam only; null: both."
    )
    text: str | None = strawberry.field(
        default=None,
        description="Every word in the title, description or conversation (internal notes for technicians "
        "only), stemmed; order by RELEVANCE for the best matches first.",
    )
    created_at: TimeRange | None = strawberry.field(default=None, description="Created in this range.")
    updated_at: TimeRange | None = strawberry.field(default=None, description="Last changed in this range.")
    resolved_at: TimeRange | None = strawberry.field(default=None, description="Resolved in this range.")
    due_at: TimeRange | None = strawberry.field(
        default=None,
        description="The nearest due time of a running SLA clock in this range (technicians only).",
    )
    customer_id: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The requester belongs to any of these customers."
    )
    site_id: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The requester is at any of these sites."
    )
    department_id: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The requester is in any of these departments."
    )
    tags: TagCondition | None = strawberry.field(default=None, description="Tags by name (any, all).")
    activity_status: list[ActivityStatus] | None = strawberry.field(
        default=None, description="Any of these activity statuses."
    )
    channel: list[Channel] | None = strawberry.field(
        default=None, description="Opened through any of these channels."
    )
    product_family: list[str] | None = strawberry.field(
        default=None, description="Any of these product families (technicians only)."
    )
    custom_fields: list[CustomFieldCondition] | None = strawberry.field(
        default=None, description="Custom field values, all of which must hold (technicians only)."
    )
    has_unread_notifications: bool | None = strawberry.field(
        default=None, description="true: the viewer has an unread notification on the ticket; false: none."
    )
    merged: bool | None = strawberry.field(
        default=None,
        description="null (the default): merged tickets listed too; false: left out; true: only them.",
    )


@strawberry.input(
    description="A period of time: the UTC instants [from, to), at most DESKQL_MAX_METRICS_DAYS long."
)
class MetricsPeriod:
    start: datetime = strawberry.field(name="from", description="First instant (included), with its offset.")
    end: datetime = strawberry.field(name="to", description="Last instant (excluded), with its offset.")
