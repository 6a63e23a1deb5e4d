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

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.clock import utcnow
from models.enums import Priority, StatusCategory, TicketType
from models.tickets import Ticket
from services import visibility
from services.errors import PermissionDenied
from services.sla import breached as sla_breached
from services.viewer import Viewer


@dataclass(frozen=True)
class TicketConditions:
    """All given conditions must hold; ``None`` leaves a condition out."""

    status_categories: tuple[StatusCategory, ...] | None = None
    status_ids: tuple[int, ...] | None = None
    assignee_id: int | None = None
    unassigned: bool | None = None
    requester_id: int | None = None
    types: tuple[TicketType, ...] | None = None
    priorities: tuple[Priority, ...] | None = None
    sla_breached: bool | None = None
    is_spam: bool | None = False
    """False (the default): spam left out; True: spam only; None: both."""

    def reads_sla(self) -> bool:
        return self.sla_breached is not None


def _plain(conditions: TicketConditions) -> Q:
    found: dict[str, Any] = {}
    if conditions.status_categories is not None:
        found["status__category__in"] = list(conditions.status_categories)
    if conditions.status_ids is not None:
        found["status_id__in"] = list(conditions.status_ids)
    if conditions.assignee_id is not None:
        found["assignee_id"] = conditions.assignee_id
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
    return Q(**found)


def condition(conditions: TicketConditions, now: datetime | None = None) -> Q:
    """The conditions as a Q over ``ticket`` (without visibility: see ``matching_tickets``)."""
    query = _plain(conditions)
    if conditions.sla_breached is not None:
        query &= sla_breached(now or utcnow(), wanted=conditions.sla_breached)
    return query


def check(viewer: Viewer, conditions: TicketConditions, *, sorts_by_sla: bool = False) -> None:
    """Raises PermissionDenied when the viewer may not filter (or sort) this way: SLA is staff-only."""
    if (sorts_by_sla or conditions.reads_sla()) and not visibility.reads_sla(viewer):
        raise PermissionDenied("Sorting or filtering by SLA is for technicians only.")


def matching_tickets(
    viewer: Viewer, conditions: TicketConditions, *, sorts_by_sla: bool = False
) -> QuerySet[Ticket]:
    """The visible tickets that meet every condition (unordered). Raises PermissionDenied (``check``)."""
    check(viewer, conditions, sorts_by_sla=sorts_by_sla)
    return visibility.tickets(viewer).filter(condition(conditions))
