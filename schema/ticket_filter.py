"""Reading a ``TicketFilter`` argument into the conditions of services.ticket_filters.

Every root field, subscription and view that takes a ticket filter reads it here, so a bad filter gets
the same answer everywhere: a malformed ID or a range that ends before it starts is a BAD_USER_INPUT error
naming the field (``filter.createdAt``); an ID of another account is not an error, it matches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schema.arguments import object_id
from schema.context import BAD_USER_INPUT, FORBIDDEN, ClientError, Info
from schema.inputs import TicketFilter, TimeRange
from services import ticket_filters
from services.errors import PermissionDenied, ValidationFailed
from services.ticket_filters import FieldCondition, TicketConditions
from services.ticket_filters import TimeRange as Span


def _ids(values: Sequence[str] | None, type_name: str, argument: str) -> tuple[int, ...] | None:
    if values is None:
        return None
    return tuple(object_id(value, type_name, argument) for value in values)


def _span(value: TimeRange | None) -> Span | None:
    return None if value is None else Span(value.from_, value.to)


def _tuple(values: Sequence[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


def ticket_conditions(filter: TicketFilter | None) -> TicketConditions:
    """The conditions of a filter argument (None: the default conditions)."""
    if filter is None:
        return TicketConditions()
    return TicketConditions(
        status_categories=tuple(filter.status_category) if filter.status_category is not None else None,
        status_ids=_ids(filter.status_id, "TicketStatus", "filter.statusId"),
        assignee_id=(
            object_id(filter.assignee_id, "Technician", "filter.assigneeId")
            if filter.assignee_id is not None
            else None
        ),
        team_ids=_ids(filter.team_id, "Team", "filter.teamId"),
        unassigned=filter.unassigned,
        requester_id=(
            object_id(filter.requester_id, "Requester", "filter.requesterId")
            if filter.requester_id is not None
            else None
        ),
        types=tuple(filter.type) if filter.type is not None else None,
        priorities=tuple(filter.priority) if filter.priority is not None else None,
        sla_breached=filter.sla_breached,
        is_spam=filter.is_spam,
        text=filter.text,
        created_at=_span(filter.created_at),
        updated_at=_span(filter.updated_at),
        resolved_at=_span(filter.resolved_at),
        due_at=_span(filter.due_at),
        customer_ids=_ids(filter.customer_id, "Customer", "filter.customerId"),
        site_ids=_ids(filter.site_id, "Site", "filter.siteId"),
        department_ids=_ids(filter.department_id, "Department", "filter.departmentId"),
        tags_any=_tuple(filter.tags.any) if filter.tags else None,
        tags_all=_tuple(filter.tags.all) if filter.tags else None,
        activity_statuses=_tuple(filter.activity_status),
        channels=_tuple(filter.channel),
        product_families=_tuple(filter.product_family),
        custom_fields=None
        if filter.custom_fields is None
        else tuple(
            FieldCondition(
                object_id(wanted.field_id, "CustomField", f"filter.customFields[{index}].fieldId"),
                wanted.value,
            )
            for index, wanted in enumerate(filter.custom_fields)
        ),
        has_unread_notifications=filter.has_unread_notifications,
        merged=filter.merged,
    )


def client_error(error: PermissionDenied | ValidationFailed) -> ClientError:
    """A filter the viewer may not use (FORBIDDEN) or a wrong one (BAD_USER_INPUT, naming the field)."""
    if isinstance(error, PermissionDenied):
        return ClientError(error.message, FORBIDDEN)
    return ClientError(
        "; ".join(f"`filter.{name}`: {message}" for name, message in error.fields.items()), BAD_USER_INPUT
    )


def checked(info: Info, filter: TicketFilter | None, *, sorts_by_sla: bool = False) -> TicketConditions:
    """The conditions of ``filter``, checked for the viewer; raises the ClientError of ``client_error``."""
    conditions = ticket_conditions(filter)
    try:
        ticket_filters.check(info.context.viewer, conditions, sorts_by_sla=sorts_by_sla)
    except (PermissionDenied, ValidationFailed) as error:
        raise client_error(error) from error
    return conditions
