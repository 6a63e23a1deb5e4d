"""Inputs for timers and time entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry


@strawberry.input(description="The ticket whose timer (yours) to start, pause, resume or discard.")
class TimerInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")


@strawberry.input(description="Stop your timer and record its time.")
class StopTimerInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    description: str = strawberry.field(default="", description="What was done.")
    billable: bool = strawberry.field(default=True, description="Charged to the customer.")


@strawberry.input(description="Correct your timer by whole seconds.")
class AdjustTimerInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    seconds: int = strawberry.field(
        description="Added; negative removes. The total stays within 0..24 hours."
    )


@strawberry.input(description="The ticket the page has just opened.")
class OpenTicketInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")


@strawberry.input(description="Time worked, entered by hand.")
class AddTimeEntryInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    duration_minutes: int | None = strawberry.field(
        default=None, description="1..1440; defaults to the account's defaultTimeEntryMinutes."
    )
    started_at: datetime | None = strawberry.field(default=None, description="When the work began.")
    ended_at: datetime | None = strawberry.field(default=None, description="When it ended.")
    description: str = strawberry.field(default="", description="What was done.")
    rate: Decimal | None = strawberry.field(default=None, description="Per hour, 0..100000, two decimals.")
    billable: bool = strawberry.field(default=True, description="Charged to the customer.")
    technician_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose time (admins only; yours when omitted)."
    )


@strawberry.input(description="Changes to a time entry; fields left out are untouched.")
class UpdateTimeEntryInput:
    id: strawberry.ID = strawberry.field(description="The entry.")
    duration_minutes: int | None = strawberry.field(default=strawberry.UNSET, description="New duration.")
    started_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="New start.")
    ended_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="New end.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="New description.")
    rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="New rate; null removes it."
    )
    billable: bool | None = strawberry.field(default=strawberry.UNSET, description="Billable or not.")


@strawberry.input(description="A time entry to delete.")
class DeleteTimeEntryInput:
    id: strawberry.ID = strawberry.field(description="The entry.")
