"""DataLoaders, created per request (per operation for subscriptions) for one viewer.

Every loader reads through services.visibility, so a row the viewer may not see loads as None (or is
missing from its list) exactly as if it did not exist. Names follow <Things>By<Key>.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.functions import Count, Sum
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.activity import Activity
from models.conversation import Comment
from models.enums import CommentKind, StatusCategory
from models.forms import CustomField
from models.notifications import Notification
from models.tickets import Ticket
from resolvers.pagination import Ordering, Page, PageRequest, pages_by_parent
from services import visibility
from services.viewer import Viewer

ModelT = TypeVar("ModelT", bound=Model)
RECENT_TICKETS = 5


def by_id(query: Callable[[], QuerySet[ModelT]]) -> DataLoader[int, ModelT | None]:
    async def load(ids: list[int]) -> list[ModelT | None]:
        found = {row.pk: row for row in await query().filter(id__in=ids)}
        return [found.get(key) for key in ids]

    return DataLoader(load_fn=load)


def grouped_by(
    query: Callable[[], QuerySet[ModelT]], key_field: str, *order: str
) -> DataLoader[int, list[ModelT]]:
    async def load(keys: list[int]) -> list[list[ModelT]]:
        groups: dict[int, list[ModelT]] = defaultdict(list)
        for row in await query().filter(**{f"{key_field}__in": keys}).order_by(*order):
            groups[getattr(row, key_field)].append(row)
        return [groups.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class ConnectionKey:
    """One page of one parent's connection; parents asking for the same page are batched."""

    parent_id: int
    ordering: Ordering
    request: PageRequest
    variant: Hashable = None


def pages(
    query: Callable[[Hashable], QuerySet[ModelT]], parent_field: str
) -> DataLoader[ConnectionKey, Page[ModelT]]:
    async def load(keys: list[ConnectionKey]) -> list[Page[ModelT]]:
        batches: dict[tuple[Ordering, PageRequest, Hashable], list[int]] = defaultdict(list)
        for key in keys:
            batches[(key.ordering, key.request, key.variant)].append(key.parent_id)
        loaded: dict[ConnectionKey, Page[ModelT]] = {}
        for (ordering, request, variant), parent_ids in batches.items():
            unique = list(dict.fromkeys(parent_ids))
            found = await pages_by_parent(query(variant), parent_field, unique, ordering, request)
            for parent_id, found_page in found.items():
                loaded[ConnectionKey(parent_id, ordering, request, variant)] = found_page
        return [loaded[key] for key in keys]

    return DataLoader(load_fn=load, cache_key_fn=lambda key: key)


class Loaders:
    """Everything a request reads by key. Create one per request and never share it."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        v = viewer
        self.account_by_id = by_id(lambda: visibility.accounts(v))
        self.ticket_by_id = by_id(lambda: visibility.tickets(v))
        self.ticket_by_number = self._ticket_by_number()
        self.status_by_id = by_id(lambda: visibility.statuses(v))
        self.technician_by_id = by_id(lambda: visibility.technicians(v))
        self.technician_shown_by_id = by_id(lambda: visibility.technicians_shown_on_tickets(v))
        self.requester_by_id = by_id(lambda: visibility.requesters(v))
        self.customer_by_id = by_id(lambda: visibility.customers(v))
        self.contract_by_id = by_id(lambda: visibility.contracts(v))
        self.site_by_id = by_id(lambda: visibility.sites(v))
        self.department_by_id = by_id(lambda: visibility.departments(v))
        self.device_by_id = by_id(lambda: visibility.devices(v))
        self.survey_by_id = by_id(lambda: visibility.surveys(v))
        self.comment_by_id = by_id(lambda: visibility.comments(v))
        self.activity_by_id = by_id(lambda: visibility.activity(v))
        self.attachment_by_id = by_id(lambda: visibility.attachments(v))
        self.contracts_by_customer = grouped_by(
            lambda: visibility.contracts(v), "customer_id", "starts_on", "id"
        )
        self.devices_by_requester = grouped_by(lambda: visibility.devices(v), "requester_id", "name", "id")
        self.surveys_by_requester = grouped_by(
            lambda: visibility.surveys(v), "requester_id", "-created_at", "-id"
        )
        self.attachments_by_comment = grouped_by(lambda: visibility.attachments(v), "comment_id", "id")
        self.resolution_by_ticket = grouped_by(
            lambda: visibility.comments(v).filter(is_resolution=True), "ticket_id", "created_at", "id"
        )
        self.custom_field_by_id = by_id(lambda: visibility.custom_fields(v))
        self.form_template_by_id = by_id(lambda: visibility.form_templates(v))
        self.sla_policy_by_id = by_id(lambda: visibility.sla_policies(v))
        self.calendar_by_id = by_id(lambda: visibility.calendars(v))
        self.fields_by_template = self._fields_by_template()
        self.values_by_ticket = grouped_by(lambda: visibility.field_values(v), "ticket_id", "id")
        self.sla_pauses_by_ticket = grouped_by(
            lambda: visibility.sla_pauses(v), "ticket_id", "started_at", "id"
        )
        self.cc_by_comment = grouped_by(lambda: visibility.cc_recipients(v), "comment_id", "id")
        self.cc_by_ticket = grouped_by(
            lambda: visibility.cc_recipients(v).filter(comment_id__isnull=True), "ticket_id", "email"
        )
        self.mentions_by_comment = grouped_by(lambda: visibility.mentions(v), "comment_id", "id")
        self.followers_by_ticket = grouped_by(lambda: visibility.followers(v), "ticket_id", "id")
        self.notification_by_id = by_id(lambda: visibility.notifications(v))
        self.reply_template_by_id = by_id(lambda: visibility.reply_templates(v))
        self.notifications = pages(self._notifications_query, "recipient_id")
        self.tags_by_ticket = self._tags_by_ticket()
        self.open_ticket_count_by_technician = self._open_ticket_count_by_technician()
        self.satisfaction_by_requester = self._satisfaction_by_requester()
        self.conversation = pages(self.conversation_query, "ticket_id")
        self.activity = pages(self.activity_query, "ticket_id")
        self.recent_tickets_by_requester = pages(lambda _: visibility.tickets(v), "requester_id")

    def conversation_query(self, kinds: Hashable) -> QuerySet[Comment]:
        """Comments the viewer may see, of the given kinds (None: all)."""
        query = visibility.comments(self.viewer)
        if kinds is not None:
            assert isinstance(kinds, frozenset)
            query = query.filter(kind__in=[CommentKind(kind) for kind in kinds])
        return query

    def _notifications_query(self, unread_only: Hashable) -> QuerySet[Notification]:
        query = visibility.notifications(self.viewer)
        return query.filter(read_at__isnull=True) if unread_only else query

    def activity_query(self, kinds: Hashable) -> QuerySet[Activity]:
        """Activity rows the viewer may see, of the given kinds (None: all)."""
        query = visibility.activity(self.viewer)
        if kinds is not None:
            assert isinstance(kinds, frozenset)
            query = query.filter(kind__in=list(kinds))
        return query

    def _fields_by_template(self) -> DataLoader[int, list[CustomField]]:
        async def load(template_ids: list[int]) -> list[list[CustomField]]:
            groups: dict[int, list[CustomField]] = defaultdict(list)
            rows = visibility.template_fields(self.viewer).filter(template_id__in=template_ids)
            for row in await rows.order_by("position", "id").select_related("field"):
                groups[row.template_id].append(row.field)
            return [groups.get(template_id, []) for template_id in template_ids]

        return DataLoader(load_fn=load)

    def _ticket_by_number(self) -> DataLoader[int, Ticket | None]:
        async def load(numbers: list[int]) -> list[Ticket | None]:
            found = {t.number: t for t in await visibility.tickets(self.viewer).filter(number__in=numbers)}
            return [found.get(number) for number in numbers]

        return DataLoader(load_fn=load)

    def _tags_by_ticket(self) -> DataLoader[int, list[tuple[str, str]]]:
        async def load(ticket_ids: list[int]) -> list[list[tuple[str, str]]]:
            rows = await (
                visibility.tags(self.viewer)
                .filter(ticket_tags__ticket_id__in=ticket_ids)
                .order_by("name")
                .values_list("ticket_tags__ticket_id", "name", "ticket_tags__source")
            )
            groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for ticket_id, name, source in rows:
                groups[ticket_id].append((name, source))
            return [groups.get(ticket_id, []) for ticket_id in ticket_ids]

        return DataLoader(load_fn=load)

    def _open_ticket_count_by_technician(self) -> DataLoader[int, int]:
        async def load(technician_ids: list[int]) -> list[int]:
            rows = await (
                visibility.tickets(self.viewer)
                .filter(
                    assignee_id__in=technician_ids,
                    status__category__in=[StatusCategory.OPEN, StatusCategory.PENDING],
                )
                .group_by("assignee_id")
                .annotate(count=Count("id"))
                .values_list("assignee_id", "count")
            )
            counts = dict(rows)
            return [counts.get(technician_id, 0) for technician_id in technician_ids]

        return DataLoader(load_fn=load)

    def _satisfaction_by_requester(self) -> DataLoader[int, tuple[int, float | None]]:
        """(number of surveys, average of all their ratings rounded to 2 places) per requester."""

        async def load(requester_ids: list[int]) -> list[tuple[int, float | None]]:
            rows = await (
                visibility.surveys(self.viewer)
                .filter(requester_id__in=requester_ids)
                .group_by("requester_id")
                .annotate(
                    count=Count("id"),
                    quality=Sum("support_quality"),
                    knowledge=Sum("technician_knowledge"),
                    helpfulness=Sum("overall_helpfulness"),
                )
                .values_list("requester_id", "count", "quality", "knowledge", "helpfulness")
            )
            found = {row[0]: (int(row[1]), round(sum(row[2:]) / (3 * row[1]), 2)) for row in rows}
            return [found.get(requester_id, (0, None)) for requester_id in requester_ids]

        return DataLoader(load_fn=load)
