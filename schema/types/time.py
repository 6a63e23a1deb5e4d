"""Timers and time entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import timekeeping
from schema import ids
from schema.context import Info
from schema.enums import TimeEntrySource
from schema.types.common import Node
from schema.types.people import Technician

if TYPE_CHECKING:
    from schema.types.tickets import Ticket


@strawberry.enum(description="Whether a timer is counting.")
class TimerRunState(StrEnum):
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"


@strawberry.type(
    description="Your clock on a ticket. Show accumulatedSeconds + (now - startedAt) while running."
)
class Timer(Node):
    ticket_pk: strawberry.Private[int]
    state: TimerRunState = strawberry.field(description="RUNNING or PAUSED.")
    started_at: datetime | None = strawberry.field(
        description="When the current run began; null while paused."
    )
    accumulated_seconds: int = strawberry.field(description="Whole seconds of the finished runs.")
    accumulated_milliseconds: int = strawberry.field(description="The same, exact to the millisecond.")
    elapsed_seconds: int = strawberry.field(description="What the timer shows now (when this was read).")

    @classmethod
    def from_model(cls, row: timekeeping.Timer, elapsed_seconds: int) -> Timer:
        """``elapsed_seconds`` as services.timer_clock computes it for the moment of reading."""
        return cls(
            id=strawberry.ID(ids.encode("Timer", row.id)),
            ticket_pk=row.ticket_id,
            state=TimerRunState.RUNNING if row.running_since else TimerRunState.PAUSED,
            started_at=row.running_since,
            accumulated_seconds=row.accumulated_ms // 1000,
            accumulated_milliseconds=row.accumulated_ms,
            elapsed_seconds=elapsed_seconds,
        )

    @strawberry.field(description="The ticket it runs on.")
    async def ticket(self, info: Info) -> Annotated[Ticket, strawberry.lazy("schema.types.tickets")] | None:
        from schema.types.tickets import Ticket

        row = await info.context.loaders.ticket_by_id.load(self.ticket_pk)
        return Ticket.from_model(row) if row else None


@strawberry.type(description="A recorded span of work on a ticket.")
class TimeEntry(Node):
    technician_pk: strawberry.Private[int]
    source: TimeEntrySource = strawberry.field(description="TIMER (a stopped timer) or MANUAL.")
    started_at: datetime = strawberry.field(description="When the work began.")
    ended_at: datetime = strawberry.field(description="When it ended.")
    duration_seconds: int = strawberry.field(description="Its length.")
    description: str = strawberry.field(description="What was done.")
    billable: bool = strawberry.field(description="Charged to the customer.")
    rate: Decimal | None = strawberry.field(description="Per hour; null when none was given.")
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @classmethod
    def from_model(cls, row: timekeeping.TimeEntry) -> TimeEntry:
        return cls(
            id=strawberry.ID(ids.encode("TimeEntry", row.id)),
            technician_pk=row.technician_id,
            source=row.source,
            started_at=row.started_at,
            ended_at=row.ended_at,
            duration_seconds=row.duration_seconds,
            description=row.description,
            billable=row.billable,
            rate=row.rate,
            created_at=row.created_at,
        )

    @strawberry.field(description="Who worked.")
    async def technician(self, info: Info) -> Technician | None:
        row = await info.context.loaders.technician_shown_by_id.load(self.technician_pk)
        return Technician.from_model(row) if row else None


@strawberry.type(description="A ticket's time, exact: seconds, and the amount of billable time in Decimal.")
class TimeTotals:
    total_seconds: int = strawberry.field(description="All entries.")
    billable_seconds: int = strawberry.field(description="Billable entries.")
    non_billable_seconds: int = strawberry.field(description="The others.")
    amount: Decimal = strawberry.field(
        description="Sum of rate x hours of billable entries, rounded to the cent."
    )


@strawberry.enum(description="What happened to a timer.")
class TimerChangeKind(StrEnum):
    STARTED = "STARTED"
    PAUSED = "PAUSED"
    RESUMED = "RESUMED"
    ADJUSTED = "ADJUSTED"
    STOPPED = "STOPPED"
    DISCARDED = "DISCARDED"


@strawberry.type(description="A change of one of your timers (pushed to all your tabs and devices).")
class TimerChange:
    ticket_pk: strawberry.Private[int]
    kind: TimerChangeKind = strawberry.field(description="What happened.")
    timer: Timer | None = strawberry.field(description="The timer now; null once stopped or discarded.")
    time_entry: TimeEntry | None = strawberry.field(description="The entry a stopped timer became.")

    @strawberry.field(description="The ticket of the timer.")
    async def ticket(self, info: Info) -> Annotated[Ticket, strawberry.lazy("schema.types.tickets")] | None:
        from schema.types.tickets import Ticket

        row = await info.context.loaders.ticket_by_id.load(self.ticket_pk)
        return Ticket.from_model(row) if row else None
