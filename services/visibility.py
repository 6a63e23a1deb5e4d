"""Who may see what. Every read path (queries, subscriptions, emails, AI prompts) starts here.

Rules:
- Everything is scoped to the viewer's account; another account's rows do not exist for the viewer.
- A technician sees every ticket of the account, with its internal notes and full activity.
- A requester sees only the tickets they requested or are on the cc list of, only public replies, only
  the activity kinds in PUBLIC_ACTIVITY_KINDS, only themselves and the requesters of those tickets among
  requesters, and technicians only as the assignee or author shown on their tickets (never through
  ``technicians`` or ``node``); teams likewise only as the team of their tickets, by name, never with
  members or counts.
- Email follows the same rule: a requester or cc recipient is mailed public replies only; internal notes
  are mailed to technicians only (``mailed_comment_kinds``). Custom fields, form
  templates, SLA policies, calendars, SLA clocks, alerts, calendar events, ticket
  sentiment and the copilot's answers are staff-only; end users read published knowledge-base articles only.
- AI prompts are built from these rules: whatever an end user may be shown is made from public_comments.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from fastpath.arrays import RowCount, RowsArray, model_fields
from models.accounts import Account, Technician
from models.activity import Activity
from models.ai import AiUsage, KbArticle
from models.alerts import Alert
from models.automation import AutomationRule, AutomationRun
from models.calendar import CalendarEvent
from models.clock import utcnow
from models.conversation import (
    Attachment,
    CcRecipient,
    Comment,
    CommentMention,
    ReplyTemplate,
    TicketFollower,
)
from models.enums import ActivityKind, ArticleStatus, CommentKind, StatusCategory
from models.forms import CustomField, FormTemplate, FormTemplateField, TicketFieldValue
from models.mail import BlockedSender, InboundMail, Mailbox, MailTemplate, OutboundMail
from models.notifications import Notification
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.sla import BusinessCalendar, SlaPause, SlaPolicy
from models.teams import Team, TeamMember
from models.ticket_actions import Chat, ChatMessage, TicketItem, TicketMerge
from models.tickets import Tag, Ticket, TicketStatus
from models.timekeeping import TimeEntry, Timer
from models.views import View
from services.viewer import Viewer

ModelT = TypeVar("ModelT", bound=Model)

PUBLIC_ACTIVITY_KINDS = frozenset(
    {
        ActivityKind.TICKET_CREATED,
        ActivityKind.STATUS_CHANGED,
        ActivityKind.PUBLIC_REPLY_ADDED,
        ActivityKind.MERGED_INTO,
        ActivityKind.UNMERGED,
        ActivityKind.CHAT_STARTED,
        ActivityKind.CHAT_ENDED,
    }
)


def audience(viewer: Viewer) -> tuple[str, int]:
    """Viewers with the same audience see the same tickets, comments, activity and people: every technician
    of an account, or one requester. What differs between technicians (their notifications, personal
    templates, unattached uploads) is never reached from a ticket, so ticket events may share the rows
    loaded for one member of an audience with the others."""
    if viewer.is_technician:
        return ("staff", viewer.account_id)
    assert viewer.requester_id is not None
    return ("requester", viewer.requester_id)


def accounts(viewer: Viewer) -> QuerySet[Account]:
    return Account.filter(id=viewer.account_id)


def tickets(viewer: Viewer) -> QuerySet[Ticket]:
    """Deleted tickets are gone for everyone (admins list them with ``deleted_tickets``)."""
    query = Ticket.filter(account_id=viewer.account_id, deleted_at__isnull=True)
    if not viewer.is_technician:
        copied_on = CcRecipient.filter(requester_id=viewer.requester_id, comment_id__isnull=True)
        query = query.filter(
            Q(requester_id=viewer.requester_id) | Q(id__in=Subquery(copied_on.values("ticket_id")))
        )
    return query


def _on_visible_ticket(viewer: Viewer, path: str = "ticket_id") -> Q:
    condition: dict[str, Any] = {f"{path}__in": Subquery(tickets(viewer).values("id"))}
    return Q(**condition)


def _live(viewer: Viewer, ticket: str = "ticket") -> Q:
    """Rows of a ticket the viewer sees: any ticket not deleted (technicians), a visible one (requesters)."""
    if viewer.is_technician:
        condition: dict[str, Any] = {f"{ticket}__deleted_at__isnull": True}
        return Q(**condition)
    return _on_visible_ticket(viewer, f"{ticket}_id")


TICKET_JOINS_FOR_STAFF = frozenset(
    {
        "status",
        "assignee",
        "requester",
        "requester__site",
        "requester__department",
        "requester__customer",
        "sla_policy",
        "sla_policy__calendar",
        "form_template",
    }
)
TICKET_JOINS_FOR_END_USERS = frozenset({"status", "assignee", "requester"})
"""The to-one relations of a visible ticket that a planned read may join to it: for an end user only what
is visible whatever the ticket (its status, its assignee as a technician shown on it, its requester);
their requester's site, department and customer are visible only when the requester is the viewer, and
SLA policies, calendars and forms are staff-only, so those are read through the loaders as before."""


def ticket_joins(viewer: Viewer) -> frozenset[str]:
    return TICKET_JOINS_FOR_STAFF if viewer.is_technician else TICKET_JOINS_FOR_END_USERS


TICKET_READS_FOR_STAFF = frozenset(
    {
        "tags",
        "sla_pauses",
        "time_entries",
        "field_values",
        "template_fields",
        "conversation_count",
        "assignee_open_tickets",
        "contracts",
        "devices",
        "surveys",
    }
)
TICKET_READS_FOR_END_USERS = frozenset(
    {"tags", "conversation_count", "assignee_open_tickets", "devices", "surveys"}
)
"""The lists and counts of a visible ticket (and of its assignee and requester) that a planned read may
read in the ticket's statement, as arrays or counts (fastpath.arrays), each with the rules of the loader
that reads it otherwise: for an end user not SLA pauses, time entries, field values, a template's fields or
contracts, which are staff-only and read as empty lists by the loaders."""
TICKET_READ_JOINS = {"assignee_open_tickets": "assignee", "contracts": "requester"}
"""The relation a ticket read refers to, joined whenever it is read."""
TAG_ORDER = ("name",)
SLA_PAUSE_ORDER = ("started_at", "id")
TIME_ENTRY_ORDER = ("id",)
FIELD_VALUE_ORDER = ("id",)
TEMPLATE_FIELD_ORDER = ("position", "id")
CONTRACT_ORDER = ("starts_on", "id")
DEVICE_ORDER = ("name", "id")
SURVEY_ORDER = ("-created_at", "-id")
OPEN_CATEGORIES = (StatusCategory.OPEN, StatusCategory.PENDING)
_OF_TICKET = {
    "ticket": RawSQL('"ticket"."id"'),
    "requester": RawSQL('"ticket"."requester_id"'),
    "assignee": RawSQL('"ticket__assignee"."id"'),
    "customer": RawSQL('"ticket__requester"."customer_id"'),
    "form_template": RawSQL('"ticket"."form_template_id"'),
}
"""The ticket row of the statement that a ticket read is read in: its id, its requester's id, and through
the joined assignee and requester (TICKET_READ_JOINS; a query of tickets could not say "ticket"), the
assignee's id and the requester's customer's."""
_LISTS: dict[str, tuple[type[Model], Any, str, str, tuple[str, ...]]] = {
    "sla_pauses": (SlaPause, lambda v: sla_pauses(v), "ticket_id", "ticket", SLA_PAUSE_ORDER),
    "time_entries": (TimeEntry, lambda v: time_entries(v), "ticket_id", "ticket", TIME_ENTRY_ORDER),
    "field_values": (TicketFieldValue, lambda v: field_values(v), "ticket_id", "ticket", FIELD_VALUE_ORDER),
    "contracts": (Contract, lambda v: contracts(v), "customer_id", "customer", CONTRACT_ORDER),
    "devices": (Device, lambda v: devices(v), "requester_id", "requester", DEVICE_ORDER),
    "surveys": (SatisfactionSurvey, lambda v: surveys(v), "requester_id", "requester", SURVEY_ORDER),
}
"""A list read as model rows: its model, its query, its column and the ticket's that match, its order."""


def ticket_reads(viewer: Viewer) -> frozenset[str]:
    return TICKET_READS_FOR_STAFF if viewer.is_technician else TICKET_READS_FOR_END_USERS


def open_tickets(viewer: Viewer) -> QuerySet[Ticket]:
    """The visible tickets in an OPEN or PENDING status (a technician's open-ticket count)."""
    return tickets(viewer).filter(status__category__in=list(OPEN_CATEGORIES))


def ticket_read(viewer: Viewer, name: str) -> RowsArray | RowCount:
    """One of a ticket's lists or counts (``TICKET_READS_FOR_STAFF``) that the viewer sees, as its loader
    reads it (the same query, order and columns), for the ticket of the enclosing statement: tags as
    (name, source), other lists as their models' fields (``fastpath.arrays.model_fields``), the
    conversation's count (all kinds the viewer sees) and the assignee's open tickets."""
    if name == "tags":
        query = tags(viewer).filter(ticket_tags__ticket_id=_OF_TICKET["ticket"]).order_by(*TAG_ORDER)
        return RowsArray(query.values_list("name", "ticket_tags__source"))
    if name == "conversation_count":
        return RowCount(comments_of_visible_ticket(viewer).filter(ticket_id=_OF_TICKET["ticket"]).count())
    if name == "assignee_open_tickets":
        return RowCount(open_tickets(viewer).filter(assignee_id=_OF_TICKET["assignee"]).count())
    if name == "template_fields":  # the template's fields themselves, in the template's order
        fields = [f"field__{field}" for field in model_fields(CustomField)]
        of_template = template_fields(viewer).filter(template_id=_OF_TICKET["form_template"])
        return RowsArray(of_template.order_by(*TEMPLATE_FIELD_ORDER).values_list(*fields))
    model, rows, column, of_ticket, order = _LISTS[name]
    query = rows(viewer).filter(**{column: _OF_TICKET[of_ticket]}).order_by(*order)
    return RowsArray(query.values_list(*model_fields(model)))


def tickets_with(
    viewer: Viewer, relations: frozenset[str], reads: frozenset[str] = frozenset()
) -> QuerySet[Ticket]:
    """``tickets`` with those of ``relations`` joined that ``ticket_joins`` allows the viewer, and those of
    ``reads`` that ``ticket_reads`` allows read as the annotations ``<name>_read`` (``ticket_read``)."""
    chosen = sorted(reads & ticket_reads(viewer))
    joins = relations | {TICKET_READ_JOINS[name] for name in chosen if name in TICKET_READ_JOINS}
    query = joined_to_tickets(viewer, tickets(viewer), joins)
    if chosen:
        query = query.annotate(**{f"{name}_read": ticket_read(viewer, name) for name in chosen})
    return query


def joined_to_tickets(viewer: Viewer, query: QuerySet[Ticket], relations: frozenset[str]) -> QuerySet[Ticket]:
    """``query`` (tickets the viewer sees: ``tickets`` narrowed, as a list is) with those of ``relations``
    joined that ``ticket_joins`` allows the viewer."""
    allowed = sorted(relations & ticket_joins(viewer))
    return query.select_related(*allowed) if allowed else query


def author_joins(viewer: Viewer) -> tuple[str, str]:
    """Which kinds of author may be joined to a visible comment or activity row: technicians (shown on
    tickets to everyone) always, requesters for staff only (an end user sees only some requesters, so
    their authors are read through ``requesters``)."""
    return ("technician", "requester") if viewer.is_technician else ("technician", "")


def comments_with_authors(viewer: Viewer) -> QuerySet[Comment]:
    """``comments`` with the authors joined that ``author_joins`` allows."""
    return comments(viewer).select_related(*[f"author_{kind}" for kind in author_joins(viewer) if kind])


def activity_with_actors(viewer: Viewer) -> QuerySet[Activity]:
    """``activity`` with the actors joined that ``author_joins`` allows."""
    return activity(viewer).select_related(*[f"actor_{kind}" for kind in author_joins(viewer) if kind])


def joined_visible(viewer: Viewer, row: Model) -> bool:
    """Whether a row joined by a foreign key to a row the viewer may see (above) is one of the viewer's
    account, as the loaders' own reads would require; one that is not is read through them instead."""
    return getattr(row, "account_id", None) == viewer.account_id


def deleted_tickets(viewer: Viewer) -> QuerySet[Ticket]:
    """Deleted tickets not purged yet: admins only."""
    return _admins_only(viewer, Ticket.filter(account_id=viewer.account_id, deleted_at__isnull=False))


def mailed_comment_kinds(to_technician: bool) -> frozenset[CommentKind]:
    """The comments a person may read, in the API or in their mailbox."""
    if to_technician:
        return frozenset(CommentKind)
    return frozenset({CommentKind.PUBLIC_REPLY})


def comment_kinds(viewer: Viewer) -> frozenset[CommentKind]:
    return mailed_comment_kinds(viewer.is_technician)


def comments(viewer: Viewer) -> QuerySet[Comment]:
    query = Comment.filter(_live(viewer), account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(kind=CommentKind.PUBLIC_REPLY)
    return query


def comments_of_visible_ticket(viewer: Viewer) -> QuerySet[Comment]:
    """The comments the viewer may see on a ticket read through this module already (a ticket's
    conversation count): by account and kind only, without the join that ``comments`` makes to decide
    whether the ticket itself is visible, so that the count is read from an index alone."""
    query = Comment.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(kind=CommentKind.PUBLIC_REPLY)
    return query


def public_comments(account_id: int) -> QuerySet[Comment]:
    """What every reader of a ticket may see: its public replies. Anything end users may be shown that is
    made from a conversation (AI reply drafts, knowledge-base articles) reads only these."""
    return Comment.filter(account_id=account_id, kind__in=mailed_comment_kinds(False))


def kb_articles(viewer: Viewer) -> QuerySet[KbArticle]:
    """Technicians see every article of the account, end users the published ones."""
    query = KbArticle.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(status=ArticleStatus.PUBLISHED)
    return query


def ai_usage(viewer: Viewer) -> QuerySet[AiUsage]:
    return _admins_only(viewer, AiUsage.filter(account_id=viewer.account_id))


def attachments(viewer: Viewer) -> QuerySet[Attachment]:
    """Files of visible comments, and the viewer's own uploads not attached yet."""
    uploader = (
        Q(uploaded_by_technician_id=viewer.technician_id)
        if viewer.is_technician
        else Q(uploaded_by_requester_id=viewer.requester_id)
    )
    attached = Q(_live(viewer, "comment__ticket"), comment_id__isnull=False)
    if not viewer.is_technician:
        attached &= Q(comment__kind=CommentKind.PUBLIC_REPLY)
    return Attachment.filter(Q(attached | Q(uploader, comment_id__isnull=True)), account_id=viewer.account_id)


def activity(viewer: Viewer) -> QuerySet[Activity]:
    query = Activity.filter(_live(viewer), account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(kind__in=list(PUBLIC_ACTIVITY_KINDS))
    return query


def statuses(viewer: Viewer) -> QuerySet[TicketStatus]:
    return TicketStatus.filter(account_id=viewer.account_id)


def tags(viewer: Viewer) -> QuerySet[Tag]:
    return Tag.filter(account_id=viewer.account_id)


def technicians(viewer: Viewer) -> QuerySet[Technician]:
    """Technicians as people to list or fetch by id: staff only."""
    return _staff_only(viewer, Technician.filter(account_id=viewer.account_id))


def technicians_shown_on_tickets(viewer: Viewer) -> QuerySet[Technician]:
    """Technicians as the assignee or author on a visible ticket: name and avatar for everyone."""
    return Technician.filter(account_id=viewer.account_id)


def teams(viewer: Viewer) -> QuerySet[Team]:
    """Teams to list or fetch by id, with their members: staff only."""
    return _staff_only(viewer, Team.filter(account_id=viewer.account_id))


def teams_shown_on_tickets(viewer: Viewer) -> QuerySet[Team]:
    """A team as the team of a visible ticket: its name for everyone, like the assignee's."""
    return Team.filter(account_id=viewer.account_id)


def team_members(viewer: Viewer) -> QuerySet[TeamMember]:
    """Who is in which team: staff only."""
    return _staff_only(viewer, TeamMember.filter(team__account_id=viewer.account_id))


def requesters(viewer: Viewer) -> QuerySet[Requester]:
    query = Requester.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(
            Q(id=viewer.requester_id) | Q(id__in=Subquery(tickets(viewer).values("requester_id")))
        )
    return query


def customers(viewer: Viewer) -> QuerySet[Customer]:
    query = Customer.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def contracts(viewer: Viewer) -> QuerySet[Contract]:
    """Contracts are commercial terms between the MSP and its customer: staff only."""
    return _staff_only(viewer, Contract.filter(account_id=viewer.account_id))


def sites(viewer: Viewer) -> QuerySet[Site]:
    query = Site.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def departments(viewer: Viewer) -> QuerySet[Department]:
    query = Department.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requesters__id=viewer.requester_id)
    return query


def devices(viewer: Viewer) -> QuerySet[Device]:
    query = Device.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requester_id=viewer.requester_id)
    return query


def surveys(viewer: Viewer) -> QuerySet[SatisfactionSurvey]:
    query = SatisfactionSurvey.filter(account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(requester_id=viewer.requester_id)
    return query


def _staff_only(viewer: Viewer, query: QuerySet[ModelT]) -> QuerySet[ModelT]:
    return query if viewer.is_technician else query.filter(id__in=[])


def alerts(viewer: Viewer) -> QuerySet[Alert]:
    """Monitoring alerts: staff-only. An alert related to a deleted ticket stays listed, unrelated."""
    return _staff_only(viewer, Alert.filter(account_id=viewer.account_id))


def calendar_events(viewer: Viewer) -> QuerySet[CalendarEvent]:
    """Events on tickets: staff-only, and gone with their deleted ticket."""
    return _staff_only(viewer, CalendarEvent.filter(_live(viewer), account_id=viewer.account_id))


def custom_fields(viewer: Viewer) -> QuerySet[CustomField]:
    return _staff_only(viewer, CustomField.filter(account_id=viewer.account_id))


def form_templates(viewer: Viewer) -> QuerySet[FormTemplate]:
    return _staff_only(viewer, FormTemplate.filter(account_id=viewer.account_id))


def template_fields(viewer: Viewer) -> QuerySet[FormTemplateField]:
    return _staff_only(viewer, FormTemplateField.filter(template__account_id=viewer.account_id))


def field_values(viewer: Viewer) -> QuerySet[TicketFieldValue]:
    return _staff_only(viewer, TicketFieldValue.filter(_live(viewer), ticket__account_id=viewer.account_id))


def sla_policies(viewer: Viewer) -> QuerySet[SlaPolicy]:
    return _staff_only(viewer, SlaPolicy.filter(account_id=viewer.account_id))


def calendars(viewer: Viewer) -> QuerySet[BusinessCalendar]:
    return _staff_only(viewer, BusinessCalendar.filter(account_id=viewer.account_id))


def reads_sla(viewer: Viewer) -> bool:
    """SLA clocks (due times, breaches) are staff-only, also as a sort order or a filter."""
    return viewer.is_technician


def sla_pauses(viewer: Viewer) -> QuerySet[SlaPause]:
    return _staff_only(viewer, SlaPause.filter(_live(viewer), ticket__account_id=viewer.account_id))


def cc_recipients(viewer: Viewer) -> QuerySet[CcRecipient]:
    """Cc lists of visible tickets and cc of visible (public) replies."""
    return CcRecipient.filter(_live(viewer), ticket__account_id=viewer.account_id)


def mentions(viewer: Viewer) -> QuerySet[CommentMention]:
    query = CommentMention.filter(_live(viewer, "comment__ticket"), comment__account_id=viewer.account_id)
    return _staff_only(viewer, query)


def followers(viewer: Viewer) -> QuerySet[TicketFollower]:
    return _staff_only(viewer, TicketFollower.filter(_live(viewer), ticket__account_id=viewer.account_id))


def notifications(viewer: Viewer) -> QuerySet[Notification]:
    """The viewer's own notifications that have not expired (technicians only)."""
    if not viewer.is_technician:
        return Notification.filter(id__in=[])
    return Notification.filter(
        _live(viewer),
        account_id=viewer.account_id,
        recipient_id=viewer.technician_id,
        expires_at__gt=utcnow(),
    )


def reply_templates(viewer: Viewer) -> QuerySet[ReplyTemplate]:
    """Shared templates and the viewer's own (technicians only)."""
    query = ReplyTemplate.filter(
        Q(owner_id__isnull=True) | Q(owner_id=viewer.technician_id), account_id=viewer.account_id
    )
    return _staff_only(viewer, query)


def views(viewer: Viewer) -> QuerySet[View]:
    """Saved views: the account's shared ones and the viewer's own (technicians only; requesters have none)."""
    query = View.filter(
        Q(owner_id__isnull=True) | Q(owner_id=viewer.technician_id), account_id=viewer.account_id
    )
    return _staff_only(viewer, query)


def time_entries(viewer: Viewer) -> QuerySet[TimeEntry]:
    return _staff_only(viewer, TimeEntry.filter(_live(viewer), account_id=viewer.account_id))


def timers(viewer: Viewer) -> QuerySet[Timer]:
    """The viewer's own timers (a technician's clock is theirs alone)."""
    if not viewer.is_technician:
        return Timer.filter(id__in=[])
    return Timer.filter(_live(viewer), account_id=viewer.account_id, technician_id=viewer.technician_id)


def _admins_only(viewer: Viewer, query: QuerySet[ModelT]) -> QuerySet[ModelT]:
    return query if viewer.is_admin else query.filter(id__in=[])


def automation_rules(viewer: Viewer) -> QuerySet[AutomationRule]:
    """The account's automation rules: admins only."""
    return _admins_only(viewer, AutomationRule.filter(account_id=viewer.account_id))


def automation_failures(viewer: Viewer) -> QuerySet[AutomationRun]:
    """The times the account's rules could not act on a ticket: admins only."""
    return _admins_only(viewer, AutomationRun.filter(account_id=viewer.account_id, error__isnull=False))


def mailboxes(viewer: Viewer) -> QuerySet[Mailbox]:
    """The account's mail settings, templates and mail logs: admins only."""
    return _admins_only(viewer, Mailbox.filter(account_id=viewer.account_id))


def mail_templates(viewer: Viewer) -> QuerySet[MailTemplate]:
    return _admins_only(viewer, MailTemplate.filter(account_id=viewer.account_id))


def outbound_mails(viewer: Viewer) -> QuerySet[OutboundMail]:
    return _admins_only(viewer, OutboundMail.filter(account_id=viewer.account_id))


def inbound_mails(viewer: Viewer) -> QuerySet[InboundMail]:
    return _admins_only(viewer, InboundMail.filter(account_id=viewer.account_id))


def ticket_items(viewer: Viewer) -> QuerySet[TicketItem]:
    """Products and expenses are commercial: staff only."""
    return _staff_only(viewer, TicketItem.filter(_live(viewer), account_id=viewer.account_id))


def chats(viewer: Viewer) -> QuerySet[Chat]:
    """Chats of visible tickets: the technicians of the account and the ticket's requester."""
    query = Chat.filter(_live(viewer), account_id=viewer.account_id)
    if not viewer.is_technician:
        query = query.filter(ticket__requester_id=viewer.requester_id)
    return query


def chat_messages(viewer: Viewer) -> QuerySet[ChatMessage]:
    """The lines of the chats the viewer sees."""
    return ChatMessage.filter(chat_id__in=Subquery(chats(viewer).values("id")))


def merges(viewer: Viewer) -> QuerySet[TicketMerge]:
    return _staff_only(viewer, TicketMerge.filter(account_id=viewer.account_id))


def blocked_senders(viewer: Viewer) -> QuerySet[BlockedSender]:
    return _staff_only(viewer, BlockedSender.filter(account_id=viewer.account_id))
