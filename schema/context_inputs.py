"""Inputs of the ticket's context panels: devices, satisfaction surveys, calendar events, alerts."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import AlertSeverity


@strawberry.input(description="A device reported by a monitoring integration (registered again: updated).")
class RegisterDeviceInput:
    name: str = strawberry.field(description="Display name, 1 to 200 characters.")
    hostname: str = strawberry.field(description="Network host name; unique in the account.")
    os: str = strawberry.field(default="", description="Operating system and version.")
    online: bool = strawberry.field(default=False, description="Whether the agent is connected now.")
    last_seen_at: datetime | None = strawberry.field(
        default=None, description="When the agent last reported (default now when online)."
    )


@strawberry.input(description="A device to link to a requester.")
class AssignAgentInput:
    requester_id: strawberry.ID = strawberry.field(description="The requester.")
    device_id: strawberry.ID = strawberry.field(description="The device (agent).")
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ticket page it is done from: the change goes to its activity log."
    )


@strawberry.input(description="A device to unlink from its requester.")
class UnassignAgentInput:
    device_id: strawberry.ID = strawberry.field(description="The device (agent).")
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ticket page it is done from: the change goes to its activity log."
    )


@strawberry.input(description="The requester's ratings of a resolved or closed ticket, once per ticket.")
class SubmitSatisfactionSurveyInput:
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ticket (with the requester's own token)."
    )
    survey_token: str | None = strawberry.field(
        default=None, description="The token of the survey link in the email (no login needed)."
    )
    support_quality: int = strawberry.field(description="1 to 5.")
    technician_knowledge: int = strawberry.field(description="1 to 5.")
    overall_helpfulness: int = strawberry.field(description="1 to 5.")
    comment: str = strawberry.field(default="", description="At most 2,000 characters.")


@strawberry.input(description="An appointment about a ticket.")
class ScheduleTicketEventInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    title: str = strawberry.field(description="1 to 200 characters.")
    starts_at: datetime = strawberry.field(description="Start, with a time zone offset.")
    ends_at: datetime = strawberry.field(description="End, after the start, at most 31 days later.")
    attendee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Technicians invited (at most 50); default: you."
    )
    location: str = strawberry.field(default="", description="At most 300 characters.")
    notes: str = strawberry.field(default="", description="Plain text, at most 2,000 characters.")


@strawberry.input(description="Changes to an event; fields left out stay.")
class UpdateTicketEventInput:
    id: strawberry.ID = strawberry.field(description="The event.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1 to 200 characters.")
    starts_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="Start.")
    ends_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="End, after the start.")
    attendee_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The technicians invited, replacing the list."
    )
    location: str | None = strawberry.field(default=strawberry.UNSET, description="Where.")
    notes: str | None = strawberry.field(default=strawberry.UNSET, description="Plain text.")


@strawberry.input(description="An event to cancel (it stays, marked cancelled, in the feeds).")
class CancelTicketEventInput:
    id: strawberry.ID = strawberry.field(description="The event.")


@strawberry.input(description="An alert from a monitoring integration.")
class CreateAlertInput:
    name: str = strawberry.field(description="What was detected, 1 to 300 characters.")
    severity: AlertSeverity = strawberry.field(description="INFORMATION, WARNING or CRITICAL.")
    device_id: strawberry.ID | None = strawberry.field(default=None, description="The device it is about.")
    message: str = strawberry.field(default="", description="Details, at most 10,000 characters.")
    source: str = strawberry.field(default="", description="The monitoring tool, at most 100 characters.")


@strawberry.input(description="An alert and a ticket.")
class AlertTicketInput:
    alert_id: strawberry.ID = strawberry.field(description="The alert.")
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")


@strawberry.input(description="An alert to act on.")
class AlertInput:
    alert_id: strawberry.ID = strawberry.field(description="The alert.")


@strawberry.input(description="An alert to open a ticket from.")
class CreateTicketFromAlertInput:
    alert_id: strawberry.ID = strawberry.field(description="The alert; it becomes related to the new ticket.")
    requester_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who the ticket is for (default: the requester of the alert's device)."
    )
    title: str | None = strawberry.field(
        default=None, description="Default: the severity, the alert's name and the device."
    )
