"""The ticket filter: one set of conditions, one translation into a query of visible tickets.

Every place that takes a ticket filter (the ``tickets`` list, counts, metrics, saved and live views) builds a
``TicketConditions`` and calls ``matching_tickets``, so a condition means the same everywhere and every
result starts from ``visibility.tickets``: whatever a requester sends, the answer holds their own tickets
only. Ids in the conditions are primary keys; ids of another account simply match nothing (the query is
scoped to the viewer's account), as an id that does not exist does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.clock import utcnow
from models.enums import ActivityStatus, BuiltInField, Channel, Priority, StatusCategory, TicketType
from models.forms import TicketFieldValue
from models.people import Requester
from models.tickets import Ticket, TicketTag
from services import field_values, ticket_search, visibility
from services.errors import PermissionDenied, ValidationFailed
from services.sla import breached as sla_breached
from services.viewer import Viewer


@dataclass(frozen=True)
class TimeRange:
    """From ``start`` (inclusive) to ``end`` (exclusive); either may be open."""

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class FieldCondition:
    """A custom field holding ``value``: equal to it once stored as the field stores values (``12`` and
    ``"12"`` are the same NUMBER), or for a list, a MULTI_SELECT holding every one of the options."""

    field_id: int
    value: Any


@dataclass(frozen=True)
class TicketConditions:
    """All given conditions must hold; ``None`` leaves a condition out."""

    status_categories: tuple[StatusCategory, ...] | None = None
    status_ids: tuple[int, ...] | None = None
    assignee_id: int | None = None
    team_ids: tuple[int, ...] | None = None
    unassigned: bool | None = None
    requester_id: int | None = None
    types: tuple[TicketType, ...] | None = None
    priorities: tuple[Priority, ...] | None = None
    sla_breached: bool | None = None
    is_spam: bool | None = False
    """False (the default): spam left out; True: spam only; None: both."""
    text: str | None = None
    created_at: TimeRange | None = None
    updated_at: TimeRange | None = None
    resolved_at: TimeRange | None = None
    due_at: TimeRange | None = None
    """The nearest due time of a running SLA clock (staff-only, as every SLA condition)."""
    customer_ids: tuple[int, ...] | None = None
    site_ids: tuple[int, ...] | None = None
    department_ids: tuple[int, ...] | None = None
    tags_any: tuple[str, ...] | None = None
    tags_all: tuple[str, ...] | None = None
    activity_statuses: tuple[ActivityStatus, ...] | None = None
    channels: tuple[Channel, ...] | None = None
    product_families: tuple[str, ...] | None = None
    custom_fields: tuple[FieldCondition, ...] | None = None
    has_unread_notifications: bool | None = None
    merged: bool | None = None
    """None (the default, as before): merged tickets listed too; False: left out; True: merged only."""

    def reads_clock(self) -> bool:
        """Whether ``condition`` compares with the time now (an SLA breached by now, notifications not
        expired by now): then its SQL differs from one moment to the next, and is never kept."""
        return self.sla_breached is not None or self.has_unread_notifications is not None

    def reads_sla(self) -> bool:
        return self.sla_breached is not None or self.due_at is not None

    def reads_staff_fields(self) -> bool:
        """Custom fields (product family too) are staff-only: filtering by them would reveal their values."""
        return self.product_families is not None or self.custom_fields is not None


def _plain(conditions: TicketConditions) -> Q:
    found: dict[str, Any] = {}
    if conditions.status_categories is not None:
        found["status__category__in"] = list(conditions.status_categories)
    if conditions.status_ids is not None:
        found["status_id__in"] = list(conditions.status_ids)
    if conditions.assignee_id is not None:
        found["assignee_id"] = conditions.assignee_id
    if conditions.team_ids is not None:
        found["team_id__in"] = list(conditions.team_ids)
    if conditions.unassigned is not None:
        found["assignee_id__isnull"] = conditions.unassigned
    if conditions.requester_id is not None:
        found["requester_id"] = conditions.requester_id
    if conditions.types is not None:
        found["ticket_type__in"] = list(conditions.types)
    if conditions.priorities is not None:
        found["priority__in"] = list(conditions.priorities)
    if conditions.is_spam is not None:
        found["is_spam"] = conditions.is_spam
    if conditions.activity_statuses is not None:
        found["activity_status__in"] = list(conditions.activity_statuses)
    if conditions.channels is not None:
        found["channel__in"] = list(conditions.channels)
    if conditions.merged is not None:
        found["merged_into_id__isnull"] = not conditions.merged
    for name, column in RANGES.items():
        span: TimeRange | None = getattr(conditions, name)
        if span is not None and span.start is not None:
            found[f"{column}__gte"] = span.start
        if span is not None and span.end is not None:
            found[f"{column}__lt"] = span.end
    return Q(**found)


RANGES = {
    "created_at": "created_at",
    "updated_at": "updated_at",
    "resolved_at": "resolved_at",
    "due_at": "next_sla_due_at",
}
_CAMEL = {
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "resolved_at": "resolvedAt",
    "due_at": "dueAt",
}


def _requesters(account_id: int, column: str, ids: tuple[int, ...]) -> Q:
    chosen = Requester.filter(account_id=account_id, **{f"{column}__in": list(ids)}).values("id")
    return Q(requester_id__in=Subquery(chosen))


def _tagged(account_id: int, names: tuple[str, ...]) -> Q:
    tagged = TicketTag.filter(tag__account_id=account_id, tag__name__in=list(names)).values("ticket_id")
    return Q(id__in=Subquery(tagged))


def _stored_forms(value: Any) -> list[str]:
    """Every text a field of some type could keep ``value`` as: the field's own type picks the right one."""
    forms = []
    for field_type in field_values.SCALAR_TYPES:
        try:
            parsed = field_values.parse(field_type, [], value)
        except field_values.InvalidValue:
            continue
        if parsed is not None:
            forms.append(field_values.dump(parsed))
    if isinstance(value, str) and value.strip():
        forms.append(field_values.dump(value.strip()))  # a DROPDOWN option
    return list(dict.fromkeys(forms))


def _field(viewer: Viewer, wanted: FieldCondition) -> Q:
    rows = TicketFieldValue.filter(field_id=wanted.field_id, field__account_id=viewer.account_id)
    if wanted.value is None or wanted.value == [] or wanted.value == "":
        return ~Q(id__in=Subquery(rows.values("ticket_id")))
    if isinstance(wanted.value, list):
        for option in wanted.value:
            rows = rows.filter(value__contains=field_values.dump(str(option)))
    else:
        rows = rows.filter(value__in=_stored_forms(wanted.value))
    return Q(id__in=Subquery(rows.values("ticket_id")))


def _product_families(viewer: Viewer, names: tuple[str, ...]) -> Q:
    rows = TicketFieldValue.filter(
        field__account_id=viewer.account_id,
        field__built_in=BuiltInField.PRODUCT_FAMILY,
        value__in=[field_values.dump(name) for name in names],
    )
    return Q(id__in=Subquery(rows.values("ticket_id")))


def _unread(viewer: Viewer, wanted: bool) -> Q:
    unread = Q(
        id__in=Subquery(visibility.notifications(viewer).filter(read_at__isnull=True).values("ticket_id"))
    )
    return unread if wanted else ~unread


def condition(viewer: Viewer, conditions: TicketConditions, now: datetime | None = None) -> Q:
    """The conditions as a Q over ``ticket`` (without visibility: see ``matching_tickets``)."""
    query = _plain(conditions)
    if conditions.sla_breached is not None:
        query &= sla_breached(now or utcnow(), wanted=conditions.sla_breached)
    for column, ids in (
        ("customer_id", conditions.customer_ids),
        ("site_id", conditions.site_ids),
        ("department_id", conditions.department_ids),
    ):
        if ids is not None:
            query &= _requesters(viewer.account_id, column, ids)
    if conditions.tags_any is not None:
        query &= _tagged(viewer.account_id, conditions.tags_any)
    for name in conditions.tags_all or ():
        query &= _tagged(viewer.account_id, (name,))
    if conditions.product_families is not None:
        query &= _product_families(viewer, conditions.product_families)
    for wanted in conditions.custom_fields or ():
        query &= _field(viewer, wanted)
    if conditions.has_unread_notifications is not None:
        query &= _unread(viewer, conditions.has_unread_notifications)
    if conditions.text is not None:
        found = ticket_search.words(conditions.text)
        query &= ticket_search.matching(found, visibility.comment_kinds(viewer), viewer.account_id)
    return query


def check(viewer: Viewer, conditions: TicketConditions, *, sorts_by_sla: bool = False) -> None:
    """Raises PermissionDenied when the viewer may not filter (or sort) this way (SLA and custom fields are
    staff-only), ValidationFailed (naming the field) when a condition is wrong."""
    if (sorts_by_sla or conditions.reads_sla()) and not visibility.reads_sla(viewer):
        raise PermissionDenied("Sorting or filtering by SLA is for technicians only.")
    if conditions.reads_staff_fields() and not viewer.is_technician:
        raise PermissionDenied("Filtering by custom fields or product family is for technicians only.")
    problems: dict[str, str] = {}
    for name in RANGES:
        span: TimeRange | None = getattr(conditions, name)
        if span is None:
            continue
        if any(end is not None and end.tzinfo is None for end in (span.start, span.end)):
            problems[_CAMEL[name]] = "Times must carry a UTC offset, e.g. 2026-03-01T09:30:00Z."
        elif span.start is not None and span.end is not None and span.start > span.end:
            problems[_CAMEL[name]] = "`from` must not be after `to`."
    if conditions.text is not None:
        try:
            ticket_search.words(conditions.text)
        except ValidationFailed as error:
            problems.update(error.fields)
    if problems:
        raise ValidationFailed(problems)


def relevance(viewer: Viewer, conditions: TicketConditions) -> Any:
    """The relevance of a ticket to the text search (an annotation), for ordering by it."""
    if conditions.text is None:
        raise ValidationFailed.one("text", "Ordering by relevance needs a text search.")
    return ticket_search.relevance(ticket_search.words(conditions.text))


def matching_tickets(
    viewer: Viewer, conditions: TicketConditions, *, sorts_by_sla: bool = False
) -> QuerySet[Ticket]:
    """The visible tickets that meet every condition (unordered). Raises PermissionDenied (``check``)."""
    check(viewer, conditions, sorts_by_sla=sorts_by_sla)
    return visibility.tickets(viewer).filter(condition(viewer, conditions))
