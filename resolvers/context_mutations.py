"""The ticket's context panels: devices, satisfaction surveys, calendar events and feeds, alerts."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, given, optional_pk, pk
from schema.context import Info
from schema.context_inputs import (
    AlertInput,
    AlertTicketInput,
    AssignAgentInput,
    CancelTicketEventInput,
    CreateAlertInput,
    CreateTicketFromAlertInput,
    RegisterDeviceInput,
    ScheduleTicketEventInput,
    SubmitSatisfactionSurveyInput,
    UnassignAgentInput,
    UpdateTicketEventInput,
)
from schema.payloads.context import (
    AlertResult,
    AlertSuccess,
    CalendarEventResult,
    CalendarEventSuccess,
    CalendarFeedResult,
    CalendarFeedRevokedResult,
    CalendarFeedRevokedSuccess,
    CalendarFeedSuccess,
    CreateTicketFromAlertResult,
    CreateTicketFromAlertSuccess,
    DeviceResult,
    DeviceSuccess,
    SatisfactionSurveyResult,
    SatisfactionSurveySuccess,
)
from schema.types.context import Alert, CalendarEvent, CalendarFeed
from schema.types.people import Device, SatisfactionSurvey
from schema.types.tickets import Ticket
from services import alerts, calendar_events, calendar_feeds, devices, surveys
from services.calendar_events import EventFields
from services.unset import UNSET

Described = strawberry.argument(description="What to act on.")


def _device(row: Any) -> DeviceSuccess:
    return DeviceSuccess(device=Device.from_model(row))


def _event(row: Any) -> CalendarEventSuccess:
    return CalendarEventSuccess(event=CalendarEvent.from_model(row))


def _alert(row: Any) -> AlertSuccess:
    return AlertSuccess(alert=Alert.from_model(row))


def _technicians(values: list[strawberry.ID] | None) -> Any:
    if values is strawberry.UNSET:
        return UNSET
    return [pk(value, "Technician", "attendeeIds") for value in values or []]


async def register_device(info: Info, input: Annotated[RegisterDeviceInput, Described]) -> DeviceResult:
    return await attempt(
        lambda: devices.register(
            info.context.viewer,
            name=input.name,
            hostname=input.hostname,
            os=input.os,
            online=input.online,
            last_seen_at=input.last_seen_at,
        ),
        _device,
    )


async def assign_agent(info: Info, input: Annotated[AssignAgentInput, Described]) -> DeviceResult:
    async def call() -> Any:
        return await devices.assign_agent(
            info.context.viewer,
            pk(input.requester_id, "Requester", "requesterId"),
            pk(input.device_id, "Device", "deviceId"),
            optional_pk(input.ticket_id, "Ticket", "ticketId"),
        )

    return await attempt(call, _device)


async def unassign_agent(info: Info, input: Annotated[UnassignAgentInput, Described]) -> DeviceResult:
    async def call() -> Any:
        return await devices.unassign_agent(
            info.context.viewer,
            pk(input.device_id, "Device", "deviceId"),
            optional_pk(input.ticket_id, "Ticket", "ticketId"),
        )

    return await attempt(call, _device)


async def submit_satisfaction_survey(
    info: Info, input: Annotated[SubmitSatisfactionSurveyInput, Described]
) -> SatisfactionSurveyResult:
    """Anyone holding a survey link's token may answer; otherwise the requester, signed in."""

    async def call() -> Any:
        ratings = surveys.Ratings(
            input.support_quality, input.technician_knowledge, input.overall_helpfulness, input.comment
        )
        viewer = info.context.viewer if input.survey_token is None else info.context.viewer_or_none
        return await surveys.submit(
            viewer,
            ratings,
            ticket_id=optional_pk(input.ticket_id, "Ticket", "ticketId"),
            token=input.survey_token,
        )

    return await attempt(
        call, lambda row: SatisfactionSurveySuccess(survey=SatisfactionSurvey.from_model(row))
    )


async def schedule_ticket_event(
    info: Info, input: Annotated[ScheduleTicketEventInput, Described]
) -> CalendarEventResult:
    async def call() -> Any:
        fields = EventFields(
            title=input.title,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            location=input.location,
            notes=input.notes,
            attendee_ids=_technicians(input.attendee_ids or []),
        )
        return await calendar_events.schedule(
            info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"), fields
        )

    return await attempt(call, _event)


async def update_ticket_event(
    info: Info, input: Annotated[UpdateTicketEventInput, Described]
) -> CalendarEventResult:
    async def call() -> Any:
        fields = EventFields(
            title=given(input.title, "title"),
            starts_at=given(input.starts_at, "startsAt"),
            ends_at=given(input.ends_at, "endsAt"),
            location=given(input.location, "location"),
            notes=given(input.notes, "notes"),
            attendee_ids=_technicians(given(input.attendee_ids, "attendeeIds")),
        )
        return await calendar_events.update(info.context.viewer, pk(input.id, "CalendarEvent", "id"), fields)

    return await attempt(call, _event)


async def cancel_ticket_event(
    info: Info, input: Annotated[CancelTicketEventInput, Described]
) -> CalendarEventResult:
    async def call() -> Any:
        return await calendar_events.cancel(info.context.viewer, pk(input.id, "CalendarEvent", "id"))

    return await attempt(call, _event)


async def create_calendar_feed(info: Info) -> CalendarFeedResult:
    async def call() -> Any:
        return await calendar_feeds.create(info.context.viewer)

    def success(done: Any) -> CalendarFeedSuccess:
        token, feed = done
        request = info.context.request
        base = info.context.environment.public_url or (
            str(request.base_url).rstrip("/") if request is not None else ""
        )
        url = f"{base}/calendar/{token}.ics"
        webcal = "webcal://" + url.split("://", 1)[1] if "://" in url else None
        return CalendarFeedSuccess(feed=CalendarFeed(created_at=feed.created_at, url=url, webcal_url=webcal))

    return await attempt(call, success)


async def create_alert(info: Info, input: Annotated[CreateAlertInput, Described]) -> AlertResult:
    async def call() -> Any:
        return await alerts.create(
            info.context.viewer,
            name=input.name,
            severity=input.severity,
            device_id=optional_pk(input.device_id, "Device", "deviceId"),
            message=input.message,
            source=input.source,
        )

    return await attempt(call, _alert)


async def resolve_alert(info: Info, input: Annotated[AlertInput, Described]) -> AlertResult:
    async def call() -> Any:
        return await alerts.resolve(info.context.viewer, pk(input.alert_id, "Alert", "alertId"))

    return await attempt(call, _alert)


async def link_alert_to_ticket(info: Info, input: Annotated[AlertTicketInput, Described]) -> AlertResult:
    async def call() -> Any:
        return await alerts.link(
            info.context.viewer,
            pk(input.alert_id, "Alert", "alertId"),
            pk(input.ticket_id, "Ticket", "ticketId"),
        )

    return await attempt(call, _alert)


async def unlink_alert_from_ticket(info: Info, input: Annotated[AlertTicketInput, Described]) -> AlertResult:
    async def call() -> Any:
        return await alerts.unlink(
            info.context.viewer,
            pk(input.alert_id, "Alert", "alertId"),
            pk(input.ticket_id, "Ticket", "ticketId"),
        )

    return await attempt(call, _alert)


async def create_ticket_from_alert(
    info: Info, input: Annotated[CreateTicketFromAlertInput, Described]
) -> CreateTicketFromAlertResult:
    async def call() -> Any:
        return await alerts.create_ticket_from_alert(
            info.context.viewer,
            pk(input.alert_id, "Alert", "alertId"),
            requester_id=optional_pk(input.requester_id, "Requester", "requesterId"),
            title=input.title,
        )

    return await attempt(
        call,
        lambda done: CreateTicketFromAlertSuccess(
            ticket=Ticket.from_model(done[0]), alert=Alert.from_model(done[1])
        ),
    )


async def revoke_calendar_feed(info: Info) -> CalendarFeedRevokedResult:
    return await attempt(
        lambda: calendar_feeds.revoke(info.context.viewer),
        lambda revoked: CalendarFeedRevokedSuccess(revoked=revoked),
    )
