"""Results of mutations. Timers and time entries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.tickets import Ticket
from schema.types.time import TimeEntry, Timer, TimerChange


@strawberry.type(description="The timer change that happened.")
class TimerSuccess:
    change: TimerChange = strawberry.field(
        description="What changed, the timer now, and for a stop the entry."
    )


@strawberry.type(description="The ticket was opened: read, and with autoStartTimer the timer running.")
class OpenTicketSuccess:
    ticket: Ticket = strawberry.field(description="The ticket, read.")
    timer: Timer | None = strawberry.field(description="Your timer on it when it was started.")


@strawberry.type(description="The time entry as saved.")
class TimeEntrySuccess:
    time_entry: TimeEntry = strawberry.field(description="The entry.")


TimerResult = Annotated[
    TimerSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TimerResult", description="The timer change, or why not."),
]
OpenTicketResult = Annotated[
    OpenTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("OpenTicketResult", description="The opened ticket, or why not."),
]
TimeEntryResult = Annotated[
    TimeEntrySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TimeEntryResult", description="The entry, or why not."),
]
