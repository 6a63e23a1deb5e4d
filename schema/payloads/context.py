"""Results of mutations. The side panels: devices, surveys, calendar events and feeds, alerts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.context import Alert, CalendarEvent, CalendarFeed
from schema.types.people import Device, SatisfactionSurvey
from schema.types.tickets import Ticket


@strawberry.type(description="The device as saved.")
class DeviceSuccess:
    device: Device = strawberry.field(description="The device.")


@strawberry.type(description="The survey was recorded. Thank you!")
class SatisfactionSurveySuccess:
    survey: SatisfactionSurvey = strawberry.field(description="The survey.")


@strawberry.type(description="The event as saved.")
class CalendarEventSuccess:
    event: CalendarEvent = strawberry.field(description="The event.")


@strawberry.type(description="Your new calendar feed address; the previous one no longer works.")
class CalendarFeedSuccess:
    feed: CalendarFeed = strawberry.field(description="The feed, with its address (shown only now).")


@strawberry.type(description="Your calendar feed address no longer works.")
class CalendarFeedRevokedSuccess:
    revoked: bool = strawberry.field(description="False when there was no feed.")


@strawberry.type(description="The alert as saved.")
class AlertSuccess:
    alert: Alert = strawberry.field(description="The alert.")


@strawberry.type(description="The ticket opened from the alert, which is now related to it.")
class CreateTicketFromAlertSuccess:
    ticket: Ticket = strawberry.field(description="The new ticket.")
    alert: Alert = strawberry.field(description="The alert.")


DeviceResult = Annotated[
    DeviceSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("DeviceResult", description="The device, or why not."),
]
SatisfactionSurveyResult = Annotated[
    SatisfactionSurveySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SatisfactionSurveyResult", description="The survey, or why it was not recorded."),
]
CalendarEventResult = Annotated[
    CalendarEventSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CalendarEventResult", description="The event, or why not."),
]
CalendarFeedResult = Annotated[
    CalendarFeedSuccess | PermissionDeniedError,
    strawberry.union("CalendarFeedResult", description="The feed, or why not."),
]
CalendarFeedRevokedResult = Annotated[
    CalendarFeedRevokedSuccess | PermissionDeniedError,
    strawberry.union("CalendarFeedRevokedResult", description="Whether a feed was turned off, or why not."),
]
AlertResult = Annotated[
    AlertSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("AlertResult", description="The alert, or why not."),
]
CreateTicketFromAlertResult = Annotated[
    CreateTicketFromAlertSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateTicketFromAlertResult", description="The ticket and the alert, or why not."),
]
