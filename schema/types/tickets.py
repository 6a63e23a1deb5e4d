"""The ticket and its details."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Annotated

import strawberry

from models import forms, people, tickets
from models.enums import CommentKind as StoredCommentKind
from schema import ids, links, planned, ticket_fields
from schema.arguments import page_request
from schema.context import Info
from schema.enums import (
    ActivityKind,
    ActivityStatus,
    Channel,
    ConversationFilter,
    ConversationOrder,
    Impact,
    Priority,
    StatusCategory,
    TagSource,
    TicketType,
)
from schema.loaders.base import ConnectionKey
from schema.pagination import Ordering
from schema.types.actions import Chat, ItemTotals, TicketItem
from schema.types.activity import Activity, activities
from schema.types.ai import TicketSentiment
from schema.types.common import Connection, Node, at_once, connection, found, then
from schema.types.context import Alert, CalendarEvent
from schema.types.conversation import CcRecipient, Comment, comments
from schema.types.forms import FormTemplate, TicketCustomField
from schema.types.people import Requester, SatisfactionSurvey, Technician
from schema.types.sla import TicketSla
from schema.types.teams import Team
from schema.types.time import TimeEntry, TimeTotals

OLDEST_FIRST = Ordering((("created_at", False), ("id", False)))
NEWEST_FIRST = Ordering((("created_at", True), ("id", True)))
LATEST_WORK = Ordering((("started_at", True), ("id", True)))
CONVERSATION_KINDS = {
    ConversationFilter.ALL: None,
    ConversationFilter.PUBLIC_REPLIES: frozenset({StoredCommentKind.PUBLIC_REPLY}),
    ConversationFilter.INTERNAL_NOTES: frozenset({StoredCommentKind.INTERNAL_NOTE}),
}


@strawberry.type(description="A lifecycle state: built-in (Open, Pending, Resolved, Closed) or custom.")
class TicketStatus(Node):
    name: str = strawberry.field(description="Display name.")
    category: StatusCategory = strawberry.field(description="The built-in stage this status belongs to.")
    built_in: bool = strawberry.field(description="One of the four statuses every account has.")
    pauses_sla: bool = strawberry.field(
        description="Tickets in this status stop their SLA clocks (PENDING, RESOLVED and CLOSED always do)."
    )
    position: int = strawberry.field(description="Place in the status drop-down.")
    archived: bool = strawberry.field(
        description="Archived statuses stay on old tickets but cannot be chosen."
    )

    @classmethod
    def from_model(cls, row: tickets.TicketStatus) -> TicketStatus:
        return cls(
            id=strawberry.ID(ids.encode("TicketStatus", row.id)),
            name=row.name,
            category=row.category,
            built_in=row.built_in,
            pauses_sla=row.pauses_sla,
            position=row.position,
            archived=row.archived,
        )


@strawberry.type(description="A tag on a ticket.")
class TicketTag:
    name: str = strawberry.field(description="The tag.")
    source: TagSource = strawberry.field(description="MANUAL (a technician) or AI (a suggestion kept).")


@strawberry.type(description="An existing tag that matches what is being typed.")
class TagSuggestion:
    name: str = strawberry.field(description="The tag.")
    ticket_count: int = strawberry.field(description="How many tickets have it.")


def _status(row: tickets.TicketStatus | None) -> TicketStatus:
    assert row is not None
    return TicketStatus.from_model(row)


def _requester(row: people.Requester | None) -> Requester:
    assert row is not None, "a visible ticket's requester is visible"
    return Requester.from_model(row)


def _tags(rows: list[tuple[str, str]]) -> list[TicketTag]:
    return [TicketTag(name=name, source=TagSource(source)) for name, source in rows]


def _form_template(row: forms.FormTemplate | None) -> FormTemplate | None:
    return FormTemplate.from_model(row) if row else None


@strawberry.type(description="One support request: the ticket page.")
class Ticket(Node):
    pk: strawberry.Private[int]
    row: strawberry.Private[tickets.Ticket]
    status_pk: strawberry.Private[int]
    assignee_pk: strawberry.Private[int | None]
    team_pk: strawberry.Private[int | None]
    requester_pk: strawberry.Private[int]
    number: int = strawberry.field(description="Number within the account, shown as #number.")
    title: str = strawberry.field(description="Subject line.")
    description: str = strawberry.field(description="What the requester first wrote.")
    type: TicketType = strawberry.field(description="INCIDENT, PROBLEM, REQUEST or CHANGE.")
    priority: Priority = strawberry.field(description="How urgent it is.")
    impact: Impact = strawberry.field(description="How much of the business it affects.")
    activity_status: ActivityStatus = strawberry.field(description="Who the ticket is waiting on.")
    channel: Channel = strawberry.field(description="Where the ticket came from.")
    created_at: datetime = strawberry.field(description="When it was opened.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(description="Grows with every change; pass it back as expectedVersion.")
    is_spam: bool = strawberry.field(description="Marked as spam (the label under the title).")
    merged_at: datetime | None = strawberry.field(description="When it was merged into `mergedInto`.")

    @classmethod
    def from_model(cls, row: tickets.Ticket) -> Ticket:
        return cls(
            id=strawberry.ID(ids.encode("Ticket", row.id)),
            pk=row.id,
            row=row,
            status_pk=row.status_id,
            assignee_pk=row.assignee_id,
            team_pk=row.team_id,
            requester_pk=row.requester_id,
            number=row.number,
            title=row.title,
            description=row.description,
            type=row.ticket_type,
            priority=row.priority,
            impact=row.impact,
            activity_status=row.activity_status,
            channel=row.channel,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
            is_spam=row.is_spam,
            merged_at=row.merged_at,
        )

    @strawberry.field(description="The lifecycle status.")
    def status(self, info: Info) -> TicketStatus:
        return then(info.context.loaders.status_by_id.load(self.status_pk), _status)

    @strawberry.field(description="The technician working the ticket; null when unassigned.")
    def assignee(self, info: Info) -> Technician | None:
        if self.assignee_pk is None:
            return None
        return then(
            info.context.loaders.technician_shown_by_id.load(self.assignee_pk), found(Technician.from_model)
        )

    @strawberry.field(
        description="The team the ticket is routed to; null when none. End users see its name only."
    )
    async def team(self, info: Info) -> Team | None:
        if self.team_pk is None:
            return None
        row = await info.context.loaders.team_shown_by_id.load(self.team_pk)
        return Team.from_model(row) if row else None

    @strawberry.field(description="Who the ticket is for, with their details (the requester panel).")
    def requester(self, info: Info) -> Requester:
        return then(info.context.loaders.requester_by_id.load(self.requester_pk), _requester)

    @strawberry.field(
        description="How the requester's latest messages sound, worked out after each of their replies "
        "(technicians only; null for end users and until analysed)."
    )
    def sentiment(self, info: Info) -> TicketSentiment | None:
        row = self.row
        if (
            not info.context.viewer.is_technician
            or row.sentiment is None
            or row.sentiment_analyzed_at is None
        ):
            return None
        return TicketSentiment(
            label=row.sentiment, score=row.sentiment_score or 0.0, analyzed_at=row.sentiment_analyzed_at
        )

    @strawberry.field(description="Tags, by name.")
    def tags(self, info: Info) -> list[TicketTag]:
        return then(info.context.loaders.tags_by_ticket.load(self.pk), _tags)

    @strawberry.field(description="Public replies and internal notes (end users see public replies only).")
    async def conversation(
        self,
        info: Info,
        order: Annotated[ConversationOrder, strawberry.argument(description="Oldest or newest first.")] = (
            ConversationOrder.OLDEST_FIRST
        ),
        filter: Annotated[
            ConversationFilter, strawberry.argument(description="All, public replies or internal notes.")
        ] = ConversationFilter.ALL,
        first: Annotated[int, strawberry.argument(description="Page size, at most 100.")] = 50,
        after: Annotated[
            str | None, strawberry.argument(description="endCursor of the previous page.")
        ] = None,
    ) -> Connection[Comment]:
        ordering = OLDEST_FIRST if order is ConversationOrder.OLDEST_FIRST else NEWEST_FIRST
        kinds = CONVERSATION_KINDS[filter]
        key = ConnectionKey(self.pk, ordering, page_request(info, ordering, first, after), kinds)
        loaders = info.context.loaders
        joined = planned.joins_authors(info, "author")
        page = await (loaders.conversation_with_authors if joined else loaders.conversation).load(key)

        def count() -> Awaitable[int]:
            return info.context.loaders.conversation_count_by_ticket.load((self.pk, kinds))

        return connection(page, await comments(info, page.rows), count)

    @strawberry.field(description="The comments marked as the resolution, oldest first; empty when none.")
    async def resolution(self, info: Info) -> list[Comment]:
        return [
            Comment.from_model(row) for row in await info.context.loaders.resolution_by_ticket.load(self.pk)
        ]

    @strawberry.field(description="The audit log, newest first (end users see public events only).")
    async def activity(
        self,
        info: Info,
        kind: Annotated[
            list[ActivityKind] | None, strawberry.argument(description="Only these kinds (all when omitted).")
        ] = None,
        first: Annotated[int, strawberry.argument(description="Page size, at most 100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="endCursor of the previous page.")
        ] = None,
    ) -> Connection[Activity]:
        kinds = frozenset(kind) if kind is not None else None
        key = ConnectionKey(self.pk, NEWEST_FIRST, page_request(info, NEWEST_FIRST, first, after), kinds)
        loaders = info.context.loaders
        joined = planned.joins_authors(info, "actor")
        page = await (loaders.activity_with_actors if joined else loaders.activity).load(key)

        async def count() -> int:
            return await info.context.loaders.activity_count(self.pk, kinds)

        return connection(page, await activities(info, page.rows), count)

    @strawberry.field(description="Who is copied on every public update (the requester always is).")
    async def cc_recipients(self, info: Info) -> list[CcRecipient]:
        return [CcRecipient.from_model(row) for row in await info.context.loaders.cc_by_ticket.load(self.pk)]

    @strawberry.field(
        description="Technicians notified of every internal note (mentions add them; technicians only)."
    )
    async def followers(self, info: Info) -> list[Technician]:
        loaders = info.context.loaders
        rows = await loaders.followers_by_ticket.load(self.pk)
        found = await loaders.technician_shown_by_id.load_many([row.technician_id for row in rows])
        return [Technician.from_model(technician) for technician in found if technician is not None]

    @strawberry.field(description="The ticket page in the front end (DESKQL_APP_URL/tickets/number).")
    def link(self, info: Info) -> str:
        return links.ticket_link(info, self.number)

    @strawberry.field(description="Time entries, timer and manual together, latest first (technicians only).")
    async def time_entries(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="Page size, at most 100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="endCursor of the previous page.")
        ] = None,
    ) -> Connection[TimeEntry]:
        key = ConnectionKey(self.pk, LATEST_WORK, page_request(info, LATEST_WORK, first, after))
        page = await info.context.loaders.time_entries.load(key)

        async def count() -> int:
            return len(await info.context.loaders.time_entries_by_ticket.load(self.pk))

        return connection(page, TimeEntry.from_model, count)

    @strawberry.field(description="Total, billable and non-billable time and the amount (technicians only).")
    def time_totals(self, info: Info) -> TimeTotals | None:
        return at_once(ticket_fields.time_totals_of(info, self.row))

    @strawberry.field(description="The form template whose fields the ticket shows (technicians only).")
    def form_template(self, info: Info) -> FormTemplate | None:
        if self.row.form_template_id is None:
            return None
        return then(info.context.loaders.form_template_by_id.load(self.row.form_template_id), _form_template)

    @strawberry.field(
        description="The template's fields in order, with this ticket's values (technicians only)."
    )
    def custom_fields(self, info: Info) -> list[TicketCustomField]:
        return at_once(ticket_fields.custom_fields_of(info, self.row))

    @strawberry.field(
        description="The ticket this one was merged into (open that one instead); null if none."
    )
    async def merged_into(self, info: Info) -> Ticket | None:
        if self.row.merged_into_id is None:
            return None
        row = await info.context.loaders.ticket_by_id.load(self.row.merged_into_id)
        return Ticket.from_model(row) if row else None

    @strawberry.field(description="Tickets merged into this one (that you may see), by number.")
    async def merged_tickets(self, info: Info) -> list[Ticket]:
        return [
            Ticket.from_model(row)
            for row in await info.context.loaders.merged_tickets_by_target.load(self.pk)
        ]

    @strawberry.field(description="Products and expenses by date (technicians only; empty for end users).")
    async def items(self, info: Info) -> list[TicketItem]:
        return [
            TicketItem.from_model(row) for row in await info.context.loaders.items_by_ticket.load(self.pk)
        ]

    @strawberry.field(description="Sums of the products and expenses (technicians only).")
    async def item_totals(self, info: Info) -> ItemTotals | None:
        return await ticket_fields.item_totals_of(info, self.pk)

    @strawberry.field(description="Chats on this ticket, the latest first.")
    async def chats(self, info: Info) -> list[Chat]:
        return [Chat.from_model(row) for row in await info.context.loaders.chats_by_ticket.load(self.pk)]

    @strawberry.field(description="Calendar events, by start (technicians only; empty for end users).")
    async def calendar_events(
        self,
        info: Info,
        include_cancelled: Annotated[
            bool, strawberry.argument(description="Also list cancelled events.")
        ] = False,
    ) -> list[CalendarEvent]:
        rows = await info.context.loaders.calendar_events_by_ticket.load(self.pk)
        return [
            CalendarEvent.from_model(row) for row in rows if include_cancelled or row.cancelled_at is None
        ]

    @strawberry.field(description="Alerts handled in this ticket, newest first (technicians only).")
    async def related_alerts(self, info: Info) -> list[Alert]:
        return [Alert.from_model(row) for row in await info.context.loaders.alerts_by_ticket.load(self.pk)]

    @strawberry.field(description="The requester's survey of this ticket (technicians and the requester).")
    async def satisfaction_survey(self, info: Info) -> SatisfactionSurvey | None:
        rows = await info.context.loaders.survey_by_ticket.load(self.pk)
        return SatisfactionSurvey.from_model(rows[0]) if rows else None

    @strawberry.field(description="The SLA clocks; null without a policy (and for end users).")
    def sla(self, info: Info) -> TicketSla | None:
        return at_once(ticket_fields.sla_of(info, self.row))
