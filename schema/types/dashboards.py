"""Ticket counts by dimension, for dashboards."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from schema.context import Info
from schema.enums import ActivityStatus, Channel, Impact, Priority, StatusCategory, TicketType
from schema.types.people import Customer, Department, Site, Technician
from schema.types.tickets import TicketStatus
from services.ticket_counts import CountDimension

Dimension = CountDimension


@strawberry.type(
    description="The tickets that share one key (or one pair of keys): the fields of the dimensions grouped "
    "by are set, null meaning none (unassigned, no customer, no tag, not resolved); the others are null."
)
class TicketCountGroup:
    keys: strawberry.Private[dict[CountDimension, Any]]
    count: int = strawberry.field(description="Tickets in this group.")

    def _key(self, dimension: CountDimension) -> Any:
        return self.keys.get(dimension)

    @strawberry.field(description="STATUS: the status.")
    async def status(self, info: Info) -> TicketStatus | None:
        key = self._key(Dimension.STATUS)
        row = await info.context.loaders.status_by_id.load(key) if key is not None else None
        return TicketStatus.from_model(row) if row else None

    @strawberry.field(description="STATUS_CATEGORY: the status category.")
    def status_category(self) -> StatusCategory | None:
        return self._key(Dimension.STATUS_CATEGORY)

    @strawberry.field(description="ASSIGNEE: the assigned technician; null in the unassigned group.")
    async def assignee(self, info: Info) -> Technician | None:
        key = self._key(Dimension.ASSIGNEE)
        row = await info.context.loaders.technician_shown_by_id.load(key) if key is not None else None
        return Technician.from_model(row) if row else None

    @strawberry.field(description="PRIORITY: the priority.")
    def priority(self) -> Priority | None:
        return self._key(Dimension.PRIORITY)

    @strawberry.field(description="TYPE: the ticket type.")
    def type(self) -> TicketType | None:
        return self._key(Dimension.TYPE)

    @strawberry.field(description="IMPACT: the impact.")
    def impact(self) -> Impact | None:
        return self._key(Dimension.IMPACT)

    @strawberry.field(description="CUSTOMER: the requester's customer; null for requesters without one.")
    async def customer(self, info: Info) -> Customer | None:
        key = self._key(Dimension.CUSTOMER)
        row = await info.context.loaders.customer_by_id.load(key) if key is not None else None
        return Customer.from_model(row) if row else None

    @strawberry.field(description="SITE: the requester's site.")
    async def site(self, info: Info) -> Site | None:
        key = self._key(Dimension.SITE)
        row = await info.context.loaders.site_by_id.load(key) if key is not None else None
        return Site.from_model(row) if row else None

    @strawberry.field(description="DEPARTMENT: the requester's department.")
    async def department(self, info: Info) -> Department | None:
        key = self._key(Dimension.DEPARTMENT)
        row = await info.context.loaders.department_by_id.load(key) if key is not None else None
        return Department.from_model(row) if row else None

    @strawberry.field(description="TAG: the tag's name; null in the group of tickets without tags.")
    def tag(self) -> str | None:
        return self._key(Dimension.TAG)

    @strawberry.field(description="CHANNEL: where the ticket came from.")
    def channel(self) -> Channel | None:
        return self._key(Dimension.CHANNEL)

    @strawberry.field(description="ACTIVITY_STATUS: who the ticket is waiting on.")
    def activity_status(self) -> ActivityStatus | None:
        return self._key(Dimension.ACTIVITY_STATUS)

    @strawberry.field(description="CREATED_DAY: the UTC day the tickets were created.")
    def created_day(self) -> date | None:
        return self._key(Dimension.CREATED_DAY)

    @strawberry.field(description="RESOLVED_DAY: the UTC day they were resolved; null: not resolved.")
    def resolved_day(self) -> date | None:
        return self._key(Dimension.RESOLVED_DAY)


@strawberry.type(description="Ticket counts: the total and one group per key (or pair of keys).")
class TicketCounts:
    total: int = strawberry.field(description="Tickets matching the filter (each counted once).")
    groups: list[TicketCountGroup] = strawberry.field(
        description="Largest first; grouped by a day first, in day order. A ticket with two tags is in "
        "two TAG groups."
    )
