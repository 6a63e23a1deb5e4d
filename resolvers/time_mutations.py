"""Timers and time entries."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, given, optional_pk, pk
from schema.context import Info
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.payloads.time import (
    OpenTicketResult,
    OpenTicketSuccess,
    TimeEntryResult,
    TimeEntrySuccess,
    TimerResult,
    TimerSuccess,
)
from schema.ticket_fields import timer_of
from schema.time_inputs import (
    AddTimeEntryInput,
    AdjustTimerInput,
    DeleteTimeEntryInput,
    OpenTicketInput,
    StopTimerInput,
    TimerInput,
    UpdateTimeEntryInput,
)
from schema.types.tickets import Ticket
from schema.types.time import TimeEntry, TimerChange, TimerChangeKind
from services import time_entries, timers

Described = strawberry.argument(description="Which ticket, and how.")


def change_of(change: timers.TimerChange) -> TimerChange:
    return TimerChange(
        ticket_pk=change.ticket_id,
        kind=TimerChangeKind(change.kind),
        timer=timer_of(change.timer) if change.timer is not None else None,
        time_entry=TimeEntry.from_model(change.entry) if change.entry is not None else None,
    )


def _success(change: timers.TimerChange) -> TimerSuccess:
    return TimerSuccess(change=change_of(change))


def _ticket(input: Any) -> int:
    return pk(input.ticket_id, "Ticket", "ticketId")


async def start_timer(info: Info, input: Annotated[TimerInput, Described]) -> TimerResult:
    return await attempt(lambda: timers.start(info.context.viewer, _ticket(input)), _success)


async def pause_timer(info: Info, input: Annotated[TimerInput, Described]) -> TimerResult:
    return await attempt(lambda: timers.pause(info.context.viewer, _ticket(input)), _success)


async def resume_timer(info: Info, input: Annotated[TimerInput, Described]) -> TimerResult:
    return await attempt(lambda: timers.resume(info.context.viewer, _ticket(input)), _success)


async def discard_timer(info: Info, input: Annotated[TimerInput, Described]) -> TimerResult:
    return await attempt(lambda: timers.discard(info.context.viewer, _ticket(input)), _success)


async def stop_timer(info: Info, input: Annotated[StopTimerInput, Described]) -> TimerResult:
    return await attempt(
        lambda: timers.stop(info.context.viewer, _ticket(input), input.description, input.billable), _success
    )


async def adjust_timer(info: Info, input: Annotated[AdjustTimerInput, Described]) -> TimerResult:
    return await attempt(lambda: timers.adjust(info.context.viewer, _ticket(input), input.seconds), _success)


async def open_ticket(info: Info, input: Annotated[OpenTicketInput, Described]) -> OpenTicketResult:
    def success(result: Any) -> OpenTicketSuccess:
        ticket, change = result
        timer = timer_of(change.timer) if change is not None and change.timer is not None else None
        return OpenTicketSuccess(ticket=Ticket.from_model(ticket), timer=timer)

    return await attempt(lambda: timers.open_ticket(info.context.viewer, _ticket(input)), success)


def _entry(row: Any) -> TimeEntrySuccess:
    return TimeEntrySuccess(time_entry=TimeEntry.from_model(row))


async def add_time_entry(info: Info, input: Annotated[AddTimeEntryInput, Described]) -> TimeEntryResult:
    return await attempt(
        lambda: time_entries.add(
            info.context.viewer,
            _ticket(input),
            duration_minutes=input.duration_minutes,
            started_at=input.started_at,
            ended_at=input.ended_at,
            description=input.description,
            rate=input.rate,
            billable=input.billable,
            technician_id=optional_pk(input.technician_id, "Technician", "technicianId"),
        ),
        _entry,
    )


async def update_time_entry(info: Info, input: Annotated[UpdateTimeEntryInput, Described]) -> TimeEntryResult:
    return await attempt(
        lambda: time_entries.update(
            info.context.viewer,
            pk(input.id, "TimeEntry", "id"),
            duration_minutes=given(input.duration_minutes, "durationMinutes"),
            started_at=given(input.started_at, "startedAt"),
            ended_at=given(input.ended_at, "endedAt"),
            description=given(input.description, "description"),
            rate=given(input.rate, "rate", nullable=True),
            billable=given(input.billable, "billable"),
        ),
        _entry,
    )


async def delete_time_entry(info: Info, input: Annotated[DeleteTimeEntryInput, Described]) -> DeleteResult:
    return await attempt(
        lambda: time_entries.delete(info.context.viewer, pk(input.id, "TimeEntry", "id")),
        lambda _: DeleteSuccess(deleted_id=input.id),
    )
