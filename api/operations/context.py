"""The ticket's context panels: devices, satisfaction surveys, calendar events, related alerts."""

from __future__ import annotations

import strawberry

from resolvers import context_mutations as m
from resolvers import context_queries as q
from schema.payloads.context import (
    AlertResult,
    CalendarEventResult,
    CalendarFeedResult,
    CalendarFeedRevokedResult,
    CreateTicketFromAlertResult,
    DeviceResult,
    SatisfactionSurveyResult,
)
from schema.types.context import Alert, CalendarFeed
from schema.types.people import Device


@strawberry.type
class ContextQueries:
    devices: list[Device] = strawberry.field(
        resolver=q.devices,
        description="Devices of the account by name, for the assign-agent picker (technicians).",
    )
    alerts: list[Alert] = strawberry.field(
        resolver=q.alerts, description="Monitoring alerts, newest first (technicians)."
    )
    calendar_feed: CalendarFeed | None = strawberry.field(
        resolver=q.calendar_feed,
        description="Whether you have a calendar feed, and since when (its address is shown only when made).",
    )


@strawberry.type
class ContextMutations:
    register_device: DeviceResult = strawberry.field(
        resolver=m.register_device,
        description="Add or update a device by host name (monitoring integrations).",
    )
    assign_agent: DeviceResult = strawberry.field(
        resolver=m.assign_agent, description="Link a device (agent) to a requester (technicians)."
    )
    unassign_agent: DeviceResult = strawberry.field(
        resolver=m.unassign_agent, description="Unlink a device from its requester (technicians)."
    )
    submit_satisfaction_survey: SatisfactionSurveyResult = strawberry.field(
        resolver=m.submit_satisfaction_survey,
        description="Rate a resolved or closed ticket, once: its requester, or the survey link's token.",
    )
    schedule_ticket_event: CalendarEventResult = strawberry.field(
        resolver=m.schedule_ticket_event, description="Schedule an appointment about a ticket (technicians)."
    )
    update_ticket_event: CalendarEventResult = strawberry.field(
        resolver=m.update_ticket_event, description="Change an appointment (technicians)."
    )
    cancel_ticket_event: CalendarEventResult = strawberry.field(
        resolver=m.cancel_ticket_event, description="Cancel an appointment (technicians)."
    )
    create_calendar_feed: CalendarFeedResult = strawberry.field(
        resolver=m.create_calendar_feed,
        description="Make a new secret address for your calendar feed; the previous one stops working.",
    )
    revoke_calendar_feed: CalendarFeedRevokedResult = strawberry.field(
        resolver=m.revoke_calendar_feed, description="Turn your calendar feed off."
    )
    create_alert: AlertResult = strawberry.field(
        resolver=m.create_alert, description="Record an alert from monitoring (technicians' tokens)."
    )
    resolve_alert: AlertResult = strawberry.field(
        resolver=m.resolve_alert, description="Mark an alert RESOLVED (technicians)."
    )
    link_alert_to_ticket: AlertResult = strawberry.field(
        resolver=m.link_alert_to_ticket, description="Relate an alert to a ticket (technicians)."
    )
    unlink_alert_from_ticket: AlertResult = strawberry.field(
        resolver=m.unlink_alert_from_ticket, description="Remove an alert from a ticket (technicians)."
    )
    create_ticket_from_alert: CreateTicketFromAlertResult = strawberry.field(
        resolver=m.create_ticket_from_alert,
        description="Open a ticket from an alert and relate them (technicians).",
    )
