"""Input types of mutations and filters."""

from __future__ import annotations

import strawberry

from schema.enums import Impact, Priority, Role, StatusCategory, TicketType


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
