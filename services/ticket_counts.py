"""Ticket counts for dashboards: how many visible tickets match a filter, grouped by one or two dimensions.

Rules (docs/dashboards.md repeats them):
- Only the tickets the viewer sees are counted (services.ticket_filters.matching_tickets): a technician counts the
  account's tickets, a requester the tickets they requested or are copied on.
- One GROUP BY statement per request; grouping by TAG adds one COUNT for the total, because a ticket with
  two tags is in two groups.
- A group's key is None where the ticket has no value: unassigned, no team, no customer, no tag, not
  resolved.
- Days are UTC days (an account has no time zone of its own).
- Groups come largest first; grouped by a day first, they come in day order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.functions import Count

from fastpath.statements import values_rows
from models.enums import ActivityStatus, Channel, Impact, Priority, StatusCategory, TicketType
from services.errors import ValidationFailed
from services.ticket_filters import TicketConditions, matching_tickets
from services.viewer import Viewer

MAX_GROUPS = 5000
"""Groups one request may return; past it, the request is refused (narrow the filter or the grouping)."""


class CountDimension(StrEnum):
    STATUS = "STATUS"
    STATUS_CATEGORY = "STATUS_CATEGORY"
    ASSIGNEE = "ASSIGNEE"
    TEAM = "TEAM"
    PRIORITY = "PRIORITY"
    TYPE = "TYPE"
    IMPACT = "IMPACT"
    CUSTOMER = "CUSTOMER"
    SITE = "SITE"
    DEPARTMENT = "DEPARTMENT"
    TAG = "TAG"
    CHANNEL = "CHANNEL"
    ACTIVITY_STATUS = "ACTIVITY_STATUS"
    CREATED_DAY = "CREATED_DAY"
    RESOLVED_DAY = "RESOLVED_DAY"


COLUMNS: dict[CountDimension, str] = {
    CountDimension.STATUS: "status_id",
    CountDimension.STATUS_CATEGORY: "status__category",
    CountDimension.ASSIGNEE: "assignee_id",
    CountDimension.TEAM: "team_id",
    CountDimension.PRIORITY: "priority",
    CountDimension.TYPE: "ticket_type",
    CountDimension.IMPACT: "impact",
    CountDimension.CUSTOMER: "requester__customer_id",
    CountDimension.SITE: "requester__site_id",
    CountDimension.DEPARTMENT: "requester__department_id",
    CountDimension.TAG: "ticket_tags__tag__name",
    CountDimension.CHANNEL: "channel",
    CountDimension.ACTIVITY_STATUS: "activity_status",
}
"""The ticket's column (or joined column) of each dimension; the days are computed (``day_of``)."""

ENUMS: dict[CountDimension, type[StrEnum]] = {
    CountDimension.STATUS_CATEGORY: StatusCategory,
    CountDimension.PRIORITY: Priority,
    CountDimension.TYPE: TicketType,
    CountDimension.IMPACT: Impact,
    CountDimension.CHANNEL: Channel,
    CountDimension.ACTIVITY_STATUS: ActivityStatus,
}
DAYS = {CountDimension.CREATED_DAY: "created_at", CountDimension.RESOLVED_DAY: "resolved_at"}


@dataclass(slots=True)
class CountGroup:
    keys: tuple[Any, ...]
    """One per dimension, in the order asked: an id, an enum value, a tag name, a date, or None."""
    count: int


@dataclass(frozen=True)
class Counts:
    total: int
    groups: list[CountGroup]


def day_of(column: str, table: str = "ticket") -> RawSQL:
    """The UTC calendar day of a timestamp column as 'YYYY-MM-DD', the same text on both databases."""
    if connections.get("default").capabilities.dialect == "postgres":
        return RawSQL(f"to_char(\"{table}\".\"{column}\" AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
    return RawSQL(f'substr("{table}"."{column}", 1, 10)')


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def _converter(dimension: CountDimension) -> Callable[[Any], Any] | None:
    """What makes a key of the column's value (not None), or None where the value is the key (an id, a tag)."""
    if dimension in ENUMS:
        return ENUMS[dimension]
    return _day if dimension in DAYS else None


def _keys(row: Any, fields: list[str], converters: list[Callable[[Any], Any] | None]) -> tuple[Any, ...]:
    keys = []
    for field, convert in zip(fields, converters, strict=True):
        value = row[field]
        keys.append(value if convert is None or value is None else convert(value))
    return tuple(keys)


def _sort(groups: list[CountGroup], dimensions: list[CountDimension]) -> None:
    """Largest first, or by day when grouped by a day first; ties by key, the none key last (keys of one
    dimension have one type, so they compare)."""
    by_day = dimensions[0] in DAYS

    def order(group: CountGroup) -> tuple[Any, ...]:
        keys = tuple((key is None, 0 if key is None else key) for key in group.keys)
        return (keys[0], keys) if by_day else (-group.count, keys)

    groups.sort(key=order)


async def count(viewer: Viewer, conditions: TicketConditions, dimensions: list[CountDimension]) -> Counts:
    """The visible tickets matching ``conditions``, grouped by one or two distinct ``dimensions``.

    Raises ValidationFailed (``groupBy``) past MAX_GROUPS groups or for a dimension given twice."""
    if not 1 <= len(dimensions) <= 2 or len(set(dimensions)) != len(dimensions):
        raise ValidationFailed.one("groupBy", "Give one or two different dimensions.")
    query = matching_tickets(viewer, conditions)
    names = [f"k{index}" for index in range(len(dimensions))]
    annotations: dict[str, Any] = {"n": Count("id", distinct=CountDimension.TAG in dimensions)}
    fields: list[str] = []
    for name, dimension in zip(names, dimensions, strict=True):
        if dimension in DAYS:
            annotations[name] = day_of(DAYS[dimension])
            fields.append(name)
        else:
            fields.append(COLUMNS[dimension])
    rows = await values_rows(
        query.annotate(**annotations).group_by(*fields).limit(MAX_GROUPS + 1).values(*fields, "n")
    )
    if len(rows) > MAX_GROUPS:
        raise ValidationFailed.one(
            "groupBy", f"More than {MAX_GROUPS} groups: narrow the filter or group by less."
        )
    converters = [_converter(dimension) for dimension in dimensions]
    groups = [CountGroup(_keys(row, fields, converters), int(row["n"])) for row in rows]
    _sort(groups, dimensions)
    if CountDimension.TAG in dimensions:
        total = await query.count()
    else:
        total = sum(group.count for group in groups)
    return Counts(total, groups)
