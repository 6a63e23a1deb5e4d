"""SLA policies, business calendars, and a ticket's SLA clocks."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from models import sla as sla_models
from models.sla import FIRST_RESPONSE, RESOLUTION, WEEKDAYS
from schema import ids
from schema.context import Info
from schema.enums import Priority, Weekday
from schema.types.common import Node


@strawberry.type(description="One span of working hours on a weekday, in the calendar's time zone.")
class BusinessHours:
    weekday: Weekday = strawberry.field(description="The day.")
    start: str = strawberry.field(description="HH:MM, local time.")
    end: str = strawberry.field(description="HH:MM, local time; 24:00 is midnight at the end of the day.")


@strawberry.type(description="Working hours in a time zone, with holidays, that SLA targets count in.")
class BusinessCalendar(Node):
    name: str = strawberry.field(description="Display name.")
    timezone: str = strawberry.field(description="IANA time zone, e.g. Europe/Rome.")
    weekly_hours: list[BusinessHours] = strawberry.field(description="Working hours, Monday first.")
    holidays: list[date] = strawberry.field(description="Local dates without working hours.")

    @classmethod
    def from_model(cls, row: sla_models.BusinessCalendar) -> BusinessCalendar:
        return cls(
            id=strawberry.ID(ids.encode("BusinessCalendar", row.id)),
            name=row.name,
            timezone=row.timezone,
            weekly_hours=[
                BusinessHours(weekday=Weekday(day), start=start, end=end)
                for day in WEEKDAYS
                for start, end in row.weekly_hours.get(day, [])
            ],
            holidays=[date.fromisoformat(day) for day in row.holidays],
        )


@strawberry.type(description="The targets for one priority, in minutes of the policy's calendar.")
class SlaTarget:
    priority: Priority = strawberry.field(description="The priority.")
    first_response_minutes: int = strawberry.field(description="Time allowed for the first public reply.")
    resolution_minutes: int = strawberry.field(description="Time allowed until resolved.")


@strawberry.type(description="Response and resolution targets per priority.")
class SlaPolicy(Node):
    calendar_pk: strawberry.Private[int | None]
    name: str = strawberry.field(description="Display name.")
    targets: list[SlaTarget] = strawberry.field(description="One per priority, LOW first.")
    is_default: bool = strawberry.field(description="Applies to requesters whose customer has no policy.")

    @classmethod
    def from_model(cls, row: sla_models.SlaPolicy) -> SlaPolicy:
        return cls(
            id=strawberry.ID(ids.encode("SlaPolicy", row.id)),
            calendar_pk=row.calendar_id,
            name=row.name,
            is_default=row.is_default,
            targets=[
                SlaTarget(
                    priority=priority,
                    first_response_minutes=row.targets[priority.value][FIRST_RESPONSE],
                    resolution_minutes=row.targets[priority.value][RESOLUTION],
                )
                for priority in Priority
            ],
        )

    @strawberry.field(description="The business calendar; null means around the clock.")
    async def calendar(self, info: Info) -> BusinessCalendar | None:
        if self.calendar_pk is None:
            return None
        row = await info.context.loaders.calendar_by_id.load(self.calendar_pk)
        return BusinessCalendar.from_model(row) if row else None


@strawberry.type(description="One SLA clock of a ticket (see the README for the rules).")
class SlaClock:
    target_minutes: int = strawberry.field(description="The target for the ticket's priority.")
    due_at: datetime | None = strawberry.field(
        description="When the target is due; null while paused with time left."
    )
    completed_at: datetime | None = strawberry.field(description="When it was met; null while running.")
    breached: bool = strawberry.field(description="Met after its due time, or running past it.")
    remaining_seconds: int = strawberry.field(description="Business seconds left; negative once breached.")
    paused: bool = strawberry.field(description="Standing still (pending, paused or resolved status).")


@strawberry.type(description="A ticket's SLA: its policy and both clocks.")
class TicketSla:
    policy: SlaPolicy = strawberry.field(description="The policy that applies.")
    first_response: SlaClock = strawberry.field(description="Until the first public reply of a technician.")
    resolution: SlaClock = strawberry.field(description="Until the ticket is resolved or closed.")
