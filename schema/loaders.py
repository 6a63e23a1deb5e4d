"""DataLoaders, created per request (per operation for subscriptions) for one viewer.

Every loader reads through services.visibility, so a row the viewer may not see loads as None (or is
missing from its list) exactly as if it did not exist. Names follow <Things>By<Key>.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.expressions import Subquery
from tortoise.functions import Count, Sum
from tortoise.models import Model
from tortoise.queryset import QuerySet, ValuesListQuery

from fastpath.statements import count_where, rows_where_in, values_where_in
from models.accounts import Account, Technician
from models.activity import Activity
from models.ai import KbArticle
from models.alerts import Alert
from models.calendar import CalendarAttendee, CalendarEvent
from models.conversation import (
    Attachment,
    CcRecipient,
    Comment,
    CommentMention,
    ReplyTemplate,
    TicketFollower,
)
from models.enums import CommentKind, StatusCategory
from models.forms import CustomField, FormTemplate, FormTemplateField, TicketFieldValue
from models.notifications import Notification
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.settings import TicketSettings
from models.sla import BusinessCalendar, SlaPause, SlaPolicy
from models.ticket_actions import Chat, TicketItem
from models.tickets import Ticket, TicketStatus
from models.timekeeping import TimeEntry, Timer
from schema.pagination import Ordering, Page, PageRequest, pages_by_parent
from services import visibility
from services.viewer import Viewer

ModelT = TypeVar("ModelT", bound=Model)
RECENT_TICKETS = 5


def by_id(query: Callable[[], QuerySet[ModelT]]) -> DataLoader[int, ModelT | None]:
    async def load(ids: list[int]) -> list[ModelT | None]:
        found = {row.pk: row for row in await rows_where_in(query, "id", ids)}
        return [found.get(key) for key in ids]

    return DataLoader(load_fn=load)


def grouped_by(
    query: Callable[[], QuerySet[ModelT]], key_field: str, *order: str
) -> DataLoader[int, list[ModelT]]:
    async def load(keys: list[int]) -> list[list[ModelT]]:
        groups: dict[int, list[ModelT]] = defaultdict(list)
        for row in await rows_where_in(query, key_field, keys, order):
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


def _of(query: Callable[[Hashable], QuerySet[ModelT]], variant: Hashable) -> Callable[[], QuerySet[ModelT]]:
    return lambda: query(variant)


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
            found = await pages_by_parent(_of(query, variant), parent_field, unique, ordering, request)
            for parent_id, found_page in found.items():
                loaded[ConnectionKey(parent_id, ordering, request, variant)] = found_page
        return [loaded[key] for key in keys]

    return DataLoader(load_fn=load, cache_key_fn=lambda key: key)


def conversation_query(viewer: Viewer, kinds: Hashable) -> QuerySet[Comment]:
    """Comments the viewer may see, of the given kinds (None: all)."""
    query = visibility.comments(viewer)
    if kinds is not None:
        assert isinstance(kinds, frozenset)
        query = query.filter(kind__in=[CommentKind(kind) for kind in kinds])
    return query


def activity_query(viewer: Viewer, kinds: Hashable) -> QuerySet[Activity]:
    """Activity rows the viewer may see, of the given kinds (None: all)."""
    query = visibility.activity(viewer)
    if kinds is not None:
        assert isinstance(kinds, frozenset)
        query = query.filter(kind__in=list(kinds))
    return query


def notifications_query(viewer: Viewer, unread_only: Hashable) -> QuerySet[Notification]:
    query = visibility.notifications(viewer)
    return query.filter(read_at__isnull=True) if unread_only else query


class Loaders:
    """Everything a request reads by key, each loader made on first use. One per request, never shared
    (subscriptions share them only within an audience, see fastpath.shared_reads)."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    @cached_property
    def account_by_id(self) -> DataLoader[int, Account | None]:
        v = self.viewer
        return by_id(lambda: visibility.accounts(v))

    @cached_property
    def ticket_by_id(self) -> DataLoader[int, Ticket | None]:
        v = self.viewer
        return by_id(lambda: visibility.tickets(v))

    @cached_property
    def ticket_by_number(self) -> DataLoader[int, Ticket | None]:
        return self._ticket_by_number()

    @cached_property
    def status_by_id(self) -> DataLoader[int, TicketStatus | None]:
        v = self.viewer
        return by_id(lambda: visibility.statuses(v))

    @cached_property
    def technician_by_id(self) -> DataLoader[int, Technician | None]:
        v = self.viewer
        return by_id(lambda: visibility.technicians(v))

    @cached_property
    def technician_shown_by_id(self) -> DataLoader[int, Technician | None]:
        v = self.viewer
        return by_id(lambda: visibility.technicians_shown_on_tickets(v))

    @cached_property
    def requester_by_id(self) -> DataLoader[int, Requester | None]:
        v = self.viewer
        return by_id(lambda: visibility.requesters(v))

    @cached_property
    def customer_by_id(self) -> DataLoader[int, Customer | None]:
        v = self.viewer
        return by_id(lambda: visibility.customers(v))

    @cached_property
    def contract_by_id(self) -> DataLoader[int, Contract | None]:
        v = self.viewer
        return by_id(lambda: visibility.contracts(v))

    @cached_property
    def site_by_id(self) -> DataLoader[int, Site | None]:
        v = self.viewer
        return by_id(lambda: visibility.sites(v))

    @cached_property
    def department_by_id(self) -> DataLoader[int, Department | None]:
        v = self.viewer
        return by_id(lambda: visibility.departments(v))

    @cached_property
    def device_by_id(self) -> DataLoader[int, Device | None]:
        v = self.viewer
        return by_id(lambda: visibility.devices(v))

    @cached_property
    def survey_by_id(self) -> DataLoader[int, SatisfactionSurvey | None]:
        v = self.viewer
        return by_id(lambda: visibility.surveys(v))

    @cached_property
    def survey_by_ticket(self) -> DataLoader[int, list[SatisfactionSurvey]]:
        v = self.viewer
        return grouped_by(lambda: visibility.surveys(v), "ticket_id", "id")

    @cached_property
    def kb_article_by_id(self) -> DataLoader[int, KbArticle | None]:
        v = self.viewer
        return by_id(lambda: visibility.kb_articles(v))

    @cached_property
    def alert_by_id(self) -> DataLoader[int, Alert | None]:
        v = self.viewer
        return by_id(lambda: visibility.alerts(v))

    @cached_property
    def alerts_by_ticket(self) -> DataLoader[int, list[Alert]]:
        v = self.viewer
        return grouped_by(lambda: visibility.alerts(v), "ticket_id", "-created_at", "-id")

    @cached_property
    def calendar_event_by_id(self) -> DataLoader[int, CalendarEvent | None]:
        v = self.viewer
        return by_id(lambda: visibility.calendar_events(v))

    @cached_property
    def calendar_events_by_ticket(self) -> DataLoader[int, list[CalendarEvent]]:
        v = self.viewer
        return grouped_by(lambda: visibility.calendar_events(v), "ticket_id", "starts_at", "id")

    @cached_property
    def attendees_by_event(self) -> DataLoader[int, list[CalendarAttendee]]:
        v = self.viewer
        return grouped_by(
            lambda: CalendarAttendee.filter(
                event_id__in=Subquery(visibility.calendar_events(v).values("id"))
            ),
            "event_id",
            "id",
        )

    @cached_property
    def ticket_settings_by_account(self) -> DataLoader[int, TicketSettings]:
        async def load(account_ids: list[int]) -> list[TicketSettings]:
            found = {row.account_id: row for row in await TicketSettings.filter(account_id__in=account_ids)}
            return [found.get(key) or TicketSettings(account_id=key) for key in account_ids]

        return DataLoader(load_fn=load)

    @cached_property
    def comment_by_id(self) -> DataLoader[int, Comment | None]:
        v = self.viewer
        return by_id(lambda: visibility.comments(v))

    @cached_property
    def activity_by_id(self) -> DataLoader[int, Activity | None]:
        v = self.viewer
        return by_id(lambda: visibility.activity(v))

    @cached_property
    def attachment_by_id(self) -> DataLoader[int, Attachment | None]:
        v = self.viewer
        return by_id(lambda: visibility.attachments(v))

    @cached_property
    def contracts_by_customer(self) -> DataLoader[int, list[Contract]]:
        v = self.viewer
        return grouped_by(lambda: visibility.contracts(v), "customer_id", "starts_on", "id")

    @cached_property
    def devices_by_requester(self) -> DataLoader[int, list[Device]]:
        v = self.viewer
        return grouped_by(lambda: visibility.devices(v), "requester_id", "name", "id")

    @cached_property
    def surveys_by_requester(self) -> DataLoader[int, list[SatisfactionSurvey]]:
        v = self.viewer
        return grouped_by(lambda: visibility.surveys(v), "requester_id", "-created_at", "-id")

    @cached_property
    def attachments_by_comment(self) -> DataLoader[int, list[Attachment]]:
        v = self.viewer
        return grouped_by(lambda: visibility.attachments(v), "comment_id", "id")

    @cached_property
    def resolution_by_ticket(self) -> DataLoader[int, list[Comment]]:
        v = self.viewer
        return grouped_by(
            lambda: visibility.comments(v).filter(is_resolution=True), "ticket_id", "created_at", "id"
        )

    @cached_property
    def custom_field_by_id(self) -> DataLoader[int, CustomField | None]:
        v = self.viewer
        return by_id(lambda: visibility.custom_fields(v))

    @cached_property
    def form_template_by_id(self) -> DataLoader[int, FormTemplate | None]:
        v = self.viewer
        return by_id(lambda: visibility.form_templates(v))

    @cached_property
    def sla_policy_by_id(self) -> DataLoader[int, SlaPolicy | None]:
        v = self.viewer
        return by_id(lambda: visibility.sla_policies(v))

    @cached_property
    def calendar_by_id(self) -> DataLoader[int, BusinessCalendar | None]:
        v = self.viewer
        return by_id(lambda: visibility.calendars(v))

    @cached_property
    def fields_by_template(self) -> DataLoader[int, list[CustomField]]:
        return self._fields_by_template()

    @cached_property
    def values_by_ticket(self) -> DataLoader[int, list[TicketFieldValue]]:
        v = self.viewer
        return grouped_by(lambda: visibility.field_values(v), "ticket_id", "id")

    @cached_property
    def sla_pauses_by_ticket(self) -> DataLoader[int, list[SlaPause]]:
        v = self.viewer
        return grouped_by(lambda: visibility.sla_pauses(v), "ticket_id", "started_at", "id")

    @cached_property
    def cc_by_comment(self) -> DataLoader[int, list[CcRecipient]]:
        v = self.viewer
        return grouped_by(lambda: visibility.cc_recipients(v), "comment_id", "id")

    @cached_property
    def cc_by_ticket(self) -> DataLoader[int, list[CcRecipient]]:
        v = self.viewer
        return grouped_by(
            lambda: visibility.cc_recipients(v).filter(comment_id__isnull=True), "ticket_id", "email"
        )

    @cached_property
    def mentions_by_comment(self) -> DataLoader[int, list[CommentMention]]:
        v = self.viewer
        return grouped_by(lambda: visibility.mentions(v), "comment_id", "id")

    @cached_property
    def followers_by_ticket(self) -> DataLoader[int, list[TicketFollower]]:
        v = self.viewer
        return grouped_by(lambda: visibility.followers(v), "ticket_id", "id")

    @cached_property
    def notification_by_id(self) -> DataLoader[int, Notification | None]:
        v = self.viewer
        return by_id(lambda: visibility.notifications(v))

    @cached_property
    def reply_template_by_id(self) -> DataLoader[int, ReplyTemplate | None]:
        v = self.viewer
        return by_id(lambda: visibility.reply_templates(v))

    @cached_property
    def notifications(self) -> DataLoader[ConnectionKey, Page[Notification]]:
        v = self.viewer
        return pages(lambda unread_only: notifications_query(v, unread_only), "recipient_id")

    @cached_property
    def tags_by_ticket(self) -> DataLoader[int, list[tuple[str, str]]]:
        return self._tags_by_ticket()

    @cached_property
    def open_ticket_count_by_technician(self) -> DataLoader[int, int]:
        return self._open_ticket_count_by_technician()

    @cached_property
    def satisfaction_by_requester(self) -> DataLoader[int, tuple[int, float | None]]:
        return self._satisfaction_by_requester()

    @cached_property
    def conversation(self) -> DataLoader[ConnectionKey, Page[Comment]]:
        v = self.viewer
        return pages(lambda kinds: conversation_query(v, kinds), "ticket_id")

    @cached_property
    def activity(self) -> DataLoader[ConnectionKey, Page[Activity]]:
        v = self.viewer
        return pages(lambda kinds: activity_query(v, kinds), "ticket_id")

    @cached_property
    def recent_tickets_by_requester(self) -> DataLoader[ConnectionKey, Page[Ticket]]:
        v = self.viewer
        return pages(lambda _: visibility.tickets(v), "requester_id")

    @cached_property
    def time_entry_by_id(self) -> DataLoader[int, TimeEntry | None]:
        v = self.viewer
        return by_id(lambda: visibility.time_entries(v))

    @cached_property
    def timer_by_id(self) -> DataLoader[int, Timer | None]:
        v = self.viewer
        return by_id(lambda: visibility.timers(v))

    @cached_property
    def items_by_ticket(self) -> DataLoader[int, list[TicketItem]]:
        v = self.viewer
        return grouped_by(lambda: visibility.ticket_items(v), "ticket_id", "date", "id")

    @cached_property
    def chats_by_ticket(self) -> DataLoader[int, list[Chat]]:
        v = self.viewer
        return grouped_by(lambda: visibility.chats(v), "ticket_id", "-started_at", "-id")

    @cached_property
    def merged_tickets_by_target(self) -> DataLoader[int, list[Ticket]]:
        v = self.viewer
        return grouped_by(lambda: visibility.tickets(v), "merged_into_id", "number")

    @cached_property
    def item_by_id(self) -> DataLoader[int, TicketItem | None]:
        v = self.viewer
        return by_id(lambda: visibility.ticket_items(v))

    @cached_property
    def chat_by_id(self) -> DataLoader[int, Chat | None]:
        v = self.viewer
        return by_id(lambda: visibility.chats(v))

    @cached_property
    def time_entries_by_ticket(self) -> DataLoader[int, list[TimeEntry]]:
        v = self.viewer
        return grouped_by(lambda: visibility.time_entries(v), "ticket_id", "id")

    @cached_property
    def time_entries(self) -> DataLoader[ConnectionKey, Page[TimeEntry]]:
        v = self.viewer
        return pages(lambda _: visibility.time_entries(v), "ticket_id")

    async def conversation_count(self, ticket_id: int, kinds: Hashable) -> int:
        """The comments of a ticket the viewer has read (Ticket.conversation is its only caller)."""
        v = self.viewer

        def query() -> QuerySet[Comment]:
            visible = visibility.comments_of_visible_ticket(v)
            if kinds is None:
                return visible
            assert isinstance(kinds, frozenset)
            return visible.filter(kind__in=[CommentKind(kind) for kind in kinds])

        return await count_where(query, "ticket_id", ticket_id)

    async def activity_count(self, ticket_id: int, kinds: Hashable) -> int:
        v = self.viewer
        return await count_where(lambda: activity_query(v, kinds), "ticket_id", ticket_id)

    def _fields_by_template(self) -> DataLoader[int, list[CustomField]]:
        v = self.viewer

        def query() -> QuerySet[FormTemplateField]:
            return visibility.template_fields(v).select_related("field")

        async def load(template_ids: list[int]) -> list[list[CustomField]]:
            groups: dict[int, list[CustomField]] = defaultdict(list)
            for row in await rows_where_in(query, "template_id", template_ids, ("position", "id")):
                groups[row.template_id].append(row.field)
            return [groups.get(template_id, []) for template_id in template_ids]

        return DataLoader(load_fn=load)

    def _ticket_by_number(self) -> DataLoader[int, Ticket | None]:
        async def load(numbers: list[int]) -> list[Ticket | None]:
            found = {t.number: t for t in await visibility.tickets(self.viewer).filter(number__in=numbers)}
            return [found.get(number) for number in numbers]

        return DataLoader(load_fn=load)

    def _tags_by_ticket(self) -> DataLoader[int, list[tuple[str, str]]]:
        v = self.viewer

        def query(ticket_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.tags(v)
                .filter(ticket_tags__ticket_id__in=ticket_ids)
                .order_by("name")
                .values_list("ticket_tags__ticket_id", "name", "ticket_tags__source")
            )

        async def load(ticket_ids: list[int]) -> list[list[tuple[str, str]]]:
            rows = await values_where_in(query, ticket_ids)
            groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for ticket_id, name, source in rows:
                groups[ticket_id].append((name, source))
            return [groups.get(ticket_id, []) for ticket_id in ticket_ids]

        return DataLoader(load_fn=load)

    def _open_ticket_count_by_technician(self) -> DataLoader[int, int]:
        v = self.viewer

        def query(technician_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.tickets(v)
                .filter(
                    assignee_id__in=technician_ids,
                    status__category__in=[StatusCategory.OPEN, StatusCategory.PENDING],
                )
                .group_by("assignee_id")
                .annotate(count=Count("id"))
                .values_list("assignee_id", "count")
            )

        async def load(technician_ids: list[int]) -> list[int]:
            counts = dict(await values_where_in(query, technician_ids))
            return [counts.get(technician_id, 0) for technician_id in technician_ids]

        return DataLoader(load_fn=load)

    def _satisfaction_by_requester(self) -> DataLoader[int, tuple[int, float | None]]:
        """(number of surveys, average of all their ratings rounded to 2 places) per requester."""

        v = self.viewer

        def query(requester_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.surveys(v)
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

        async def load(requester_ids: list[int]) -> list[tuple[int, float | None]]:
            rows = await values_where_in(query, requester_ids)
            found = {row[0]: (int(row[1]), round(sum(row[2:]) / (3 * row[1]), 2)) for row in rows}
            return [found.get(requester_id, (0, None)) for requester_id in requester_ids]

        return DataLoader(load_fn=load)
