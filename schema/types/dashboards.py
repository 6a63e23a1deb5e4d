"""Ticket counts by dimension, for dashboards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from schema.context import Info
from schema.enums import ActivityStatus, Channel, Impact, Priority, StatusCategory, TicketType
from schema.types.people import Customer, Department, Site, Technician
from schema.types.teams import Team
from schema.types.tickets import TicketStatus
from services.ticket_counts import CountDimension, Counts

Dimension = CountDimension


@strawberry.type(
    description="The tickets that share one key (or one pair of keys): the fields of the dimensions grouped "
    "by are set, null meaning none (unassigned, no customer, no tag, not resolved); the others are null."
)
class TicketCountGroup:
    count: int = strawberry.field(description="Tickets in this group.")
    status: TicketStatus | None = strawberry.field(default=None, description="STATUS: the status.")
    status_category: StatusCategory | None = strawberry.field(
        default=None, description="STATUS_CATEGORY: the status category."
    )
    assignee: Technician | None = strawberry.field(
        default=None, description="ASSIGNEE: the assigned technician; null in the unassigned group."
    )
    team: Team | None = strawberry.field(
        default=None, description="TEAM: the ticket's team; null for tickets of no team."
    )
    priority: Priority | None = strawberry.field(default=None, description="PRIORITY: the priority.")
    type: TicketType | None = strawberry.field(default=None, description="TYPE: the ticket type.")
    impact: Impact | None = strawberry.field(default=None, description="IMPACT: the impact.")
    customer: Customer | None = strawberry.field(
        default=None, description="CUSTOMER: the requester's customer; null for requesters without one."
    )
    site: Site | None = strawberry.field(default=None, description="SITE: the requester's site.")
    department: Department | None = strawberry.field(
        default=None, description="DEPARTMENT: the requester's department."
    )
    tag: str | None = strawberry.field(
        default=None, description="TAG: the tag's name; null in the group of tickets without tags."
    )
    channel: Channel | None = strawberry.field(
        default=None, description="CHANNEL: where the ticket came from."
    )
    activity_status: ActivityStatus | None = strawberry.field(
        default=None, description="ACTIVITY_STATUS: who the ticket is waiting on."
    )
    created_day: date | None = strawberry.field(
        default=None, description="CREATED_DAY: the UTC day the tickets were created."
    )
    resolved_day: date | None = strawberry.field(
        default=None, description="RESOLVED_DAY: the UTC day they were resolved; null: not resolved."
    )


FIELDS = {
    Dimension.STATUS: "status",
    Dimension.STATUS_CATEGORY: "status_category",
    Dimension.ASSIGNEE: "assignee",
    Dimension.TEAM: "team",
    Dimension.PRIORITY: "priority",
    Dimension.TYPE: "type",
    Dimension.IMPACT: "impact",
    Dimension.CUSTOMER: "customer",
    Dimension.SITE: "site",
    Dimension.DEPARTMENT: "department",
    Dimension.TAG: "tag",
    Dimension.CHANNEL: "channel",
    Dimension.ACTIVITY_STATUS: "activity_status",
    Dimension.CREATED_DAY: "created_day",
    Dimension.RESOLVED_DAY: "resolved_day",
}
"""The group field of each dimension."""


def _objects(info: Info) -> dict[Dimension, tuple[DataLoader[int, Any], Callable[[Any], Any]]]:
    """The dimensions whose keys are ids: the loader that reads them and the type that shows them."""
    loaders = info.context.loaders
    return {
        Dimension.STATUS: (loaders.status_by_id, TicketStatus.from_model),
        Dimension.ASSIGNEE: (loaders.technician_shown_by_id, Technician.from_model),
        Dimension.TEAM: (loaders.team_shown_by_id, Team.from_model),
        Dimension.CUSTOMER: (loaders.customer_by_id, Customer.from_model),
        Dimension.SITE: (loaders.site_by_id, Site.from_model),
        Dimension.DEPARTMENT: (loaders.department_by_id, Department.from_model),
    }


async def count_groups(info: Info, dimensions: list[Dimension], found: Counts) -> list[TicketCountGroup]:
    """The groups with their keys resolved to objects: one read per dimension of ids, for all groups.

    A group is made without the dataclass's ``__init__``, which sets all sixteen fields: it gets its count
    and the fields of its one or two dimensions, and reads the others' None from the class (a dashboard's
    counts have hundreds of groups)."""
    objects = _objects(info)
    shown: list[dict[int, Any] | None] = []
    for index, dimension in enumerate(dimensions):
        if dimension in objects:
            loader, show = objects[dimension]
            ids = sorted({group.keys[index] for group in found.groups} - {None})
            rows = await loader.load_many(ids)
            shown.append({pk: show(row) for pk, row in zip(ids, rows, strict=True) if row is not None})
        else:
            shown.append(None)
    names = [FIELDS[dimension] for dimension in dimensions]
    new = object.__new__
    groups = []
    for group in found.groups:
        made = new(TicketCountGroup)
        values = vars(made)
        values["count"] = group.count
        for name, objects_of, key in zip(names, shown, group.keys, strict=True):
            values[name] = key if objects_of is None else objects_of.get(key)
        groups.append(made)
    return groups


@strawberry.type(description="Ticket counts: the total and one group per key (or pair of keys).")
class TicketCounts:
    total: int = strawberry.field(description="Tickets matching the filter (each counted once).")
    groups: list[TicketCountGroup] = strawberry.field(
        description="Largest first; grouped by a day first, in day order. A ticket with two tags is in "
        "two TAG groups."
    )
