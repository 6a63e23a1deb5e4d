"""``node(id:)``: any object by its global ID, through the same loaders (and visibility) as every field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry.dataloader import DataLoader

from schema import planned
from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.ids import InvalidId, decode
from schema.loaders import Loaders
from schema.ticket_fields import timer_of
from schema.types.actions import Chat, ChatMessage, TicketItem
from schema.types.activity import Activity
from schema.types.ai import KbArticle
from schema.types.automation import AutomationRule
from schema.types.common import Node
from schema.types.context import Alert, CalendarEvent
from schema.types.conversation import Attachment, Comment
from schema.types.forms import CustomField, FormTemplate
from schema.types.notifications import Notification
from schema.types.people import (
    Account,
    Contract,
    Customer,
    Department,
    Device,
    Requester,
    SatisfactionSurvey,
    Site,
    Technician,
)
from schema.types.replies import ReplyTemplate
from schema.types.sla import BusinessCalendar, SlaPolicy
from schema.types.teams import Team
from schema.types.tickets import Ticket, TicketStatus
from schema.types.time import TimeEntry
from schema.types.views import View

NodeSource = tuple[Callable[[Loaders], DataLoader[int, Any]], Callable[[Any], Node]]

SOURCES: dict[str, NodeSource] = {
    "Account": (lambda loaders: loaders.account_by_id, Account.from_model),
    "Ticket": (lambda loaders: loaders.ticket_by_id, Ticket.from_model),
    "TicketStatus": (lambda loaders: loaders.status_by_id, TicketStatus.from_model),
    "Technician": (lambda loaders: loaders.technician_by_id, Technician.from_model),
    "Team": (lambda loaders: loaders.team_by_id, Team.from_model),
    "Requester": (lambda loaders: loaders.requester_by_id, Requester.from_model),
    "Customer": (lambda loaders: loaders.customer_by_id, Customer.from_model),
    "Contract": (lambda loaders: loaders.contract_by_id, Contract.from_model),
    "Site": (lambda loaders: loaders.site_by_id, Site.from_model),
    "Department": (lambda loaders: loaders.department_by_id, Department.from_model),
    "Device": (lambda loaders: loaders.device_by_id, Device.from_model),
    "SatisfactionSurvey": (lambda loaders: loaders.survey_by_id, SatisfactionSurvey.from_model),
    "Comment": (lambda loaders: loaders.comment_by_id, Comment.from_model),
    "Attachment": (lambda loaders: loaders.attachment_by_id, Attachment.from_model),
    "Activity": (lambda loaders: loaders.activity_by_id, Activity.from_model),
    "CustomField": (lambda loaders: loaders.custom_field_by_id, CustomField.from_model),
    "FormTemplate": (lambda loaders: loaders.form_template_by_id, FormTemplate.from_model),
    "SlaPolicy": (lambda loaders: loaders.sla_policy_by_id, SlaPolicy.from_model),
    "BusinessCalendar": (lambda loaders: loaders.calendar_by_id, BusinessCalendar.from_model),
    "Notification": (lambda loaders: loaders.notification_by_id, Notification.from_model),
    "ReplyTemplate": (lambda loaders: loaders.reply_template_by_id, ReplyTemplate.from_model),
    "TimeEntry": (lambda loaders: loaders.time_entry_by_id, TimeEntry.from_model),
    "Timer": (lambda loaders: loaders.timer_by_id, timer_of),
    "TicketItem": (lambda loaders: loaders.item_by_id, TicketItem.from_model),
    "Chat": (lambda loaders: loaders.chat_by_id, Chat.from_model),
    "ChatMessage": (lambda loaders: loaders.chat_message_by_id, ChatMessage.from_model),
    "Alert": (lambda loaders: loaders.alert_by_id, Alert.from_model),
    "CalendarEvent": (lambda loaders: loaders.calendar_event_by_id, CalendarEvent.from_model),
    "KbArticle": (lambda loaders: loaders.kb_article_by_id, KbArticle.from_model),
    "View": (lambda loaders: loaders.view_by_id, View.from_model),
    "AutomationRule": (lambda loaders: loaders.automation_rule_by_id, AutomationRule.from_model),
}


def node_of(row: Any) -> Node:
    """The GraphQL object for a model instance of any type ``node`` knows."""
    return SOURCES[type(row).__name__][1](row)


async def resolve_node(info: Info, value: str, plan: bool = False) -> Node | None:
    """The object, or null when it does not exist or the viewer may not see it (indistinguishable). With
    ``plan`` (the ``node`` field alone, not each of ``nodes``), a ticket is a planned read (schema.planned)."""
    try:
        type_name, pk = decode(value)
    except InvalidId as error:
        raise ClientError(f"`id`: {error}", BAD_USER_INPUT) from error
    source = SOURCES.get(type_name)
    if source is None:
        raise ClientError(f"`id`: {value!r} is not a valid ID.", BAD_USER_INPUT)
    loader, convert = source
    if plan and type_name == "Ticket":
        row = await planned.ticket(info, "id", pk)
        return convert(row) if row is not None else None
    row = await loader(info.context.loaders).load(pk)
    return convert(row) if row is not None else None
