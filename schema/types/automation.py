"""Automation rules as an admin reads them, and the result of a dry run."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from models import automation
from schema import ids
from schema.context import Info
from schema.enums import (
    AssignStrategy,
    Channel,
    CommentAuthor,
    CommentKind,
    Impact,
    MailKind,
    MailRecipientKind,
    Priority,
    RuleActionKind,
    RuleField,
    RuleOperator,
    RuleTrigger,
    TicketType,
)
from schema.types.common import Node

if TYPE_CHECKING:
    from schema.types.tickets import Ticket

REFERENCE_TYPES = {
    "STATUS": "TicketStatus",
    "ASSIGNEE": "Technician",
    "REQUESTER": "Requester",
    "REQUESTER_CUSTOMER": "Customer",
    "REQUESTER_SITE": "Site",
    "REQUESTER_DEPARTMENT": "Department",
    "TEAM": "Team",
}
"""Condition fields whose values are IDs, with the type their global IDs name."""


def _id(type_name: str, pk: Any) -> strawberry.ID | None:
    return None if pk is None else strawberry.ID(ids.encode(type_name, int(pk)))


def condition_value(field: str, value: Any) -> Any:
    """The stored value as the API shows it: ids as global IDs."""
    type_name = REFERENCE_TYPES.get(field)
    if type_name is None or value is None:
        return value
    if isinstance(value, list):
        return [ids.encode(type_name, int(item)) for item in value]
    return ids.encode(type_name, int(value))


@strawberry.type(description="When a rule is considered.")
class RuleTriggerDefinition:
    kind: RuleTrigger = strawberry.field(description="The trigger.")
    changed_fields: list[str] = strawberry.field(description="TICKET_UPDATED: the fields it waits for.")
    comment_kind: CommentKind | None = strawberry.field(description="COMMENT_ADDED: the kind.")
    author: CommentAuthor | None = strawberry.field(description="COMMENT_ADDED: the author.")
    channels: list[Channel] = strawberry.field(description="COMMENT_ADDED: the channels.")
    hours: float | None = strawberry.field(description="PENDING_FOR, RESOLVED_FOR: hours.")
    business_hours: bool | None = strawberry.field(description="Whether only business hours count.")
    minutes: int | None = strawberry.field(description="SLA_DUE_WITHIN: minutes.")


@strawberry.type(description="One condition of a rule.")
class RuleCondition:
    field: RuleField = strawberry.field(description="What is looked at.")
    operator: RuleOperator = strawberry.field(description="How it is compared.")
    value: JSON | None = strawberry.field(description="The rule's value (IDs as global IDs).")
    custom_field_id: strawberry.ID | None = strawberry.field(description="CUSTOM_FIELD: which.")

    @classmethod
    def from_stored(cls, item: dict[str, Any]) -> RuleCondition:
        return cls(
            field=RuleField(item["field"]),
            operator=RuleOperator(item["operator"]),
            value=condition_value(item["field"], item.get("value")),
            custom_field_id=_id("CustomField", item.get("customFieldId")),
        )


@strawberry.type(description="A rule's conditions.")
class RuleConditions:
    all: list[RuleCondition] = strawberry.field(description="All must hold.")
    any: list[RuleCondition] = strawberry.field(description="One must hold, when there are some.")


@strawberry.type(description="One action of a rule; the fields its kind takes are set.")
class RuleAction:
    kind: RuleActionKind = strawberry.field(description="What it does.")
    status_id: strawberry.ID | None = strawberry.field(description="SET_STATUS.")
    priority: Priority | None = strawberry.field(description="SET_PRIORITY.")
    type: TicketType | None = strawberry.field(description="SET_TYPE.")
    impact: Impact | None = strawberry.field(description="SET_IMPACT.")
    team_id: strawberry.ID | None = strawberry.field(description="SET_TEAM, ASSIGN_TEAM_MEMBER.")
    strategy: AssignStrategy | None = strawberry.field(description="ASSIGN_TEAM_MEMBER.")
    tags: list[str] | None = strawberry.field(description="ADD_TAGS, REMOVE_TAGS.")
    custom_field_id: strawberry.ID | None = strawberry.field(description="SET_CUSTOM_FIELD.")
    value: JSON | None = strawberry.field(description="SET_CUSTOM_FIELD: the value.")
    technician_id: strawberry.ID | None = strawberry.field(description="ASSIGN_TECHNICIAN.")
    technician_ids: list[strawberry.ID] | None = strawberry.field(description="NOTIFY_TECHNICIANS.")
    text: str | None = strawberry.field(description="ADD_NOTE, NOTIFY_TECHNICIANS.")
    mail_template: MailKind | None = strawberry.field(description="SEND_MAIL.")
    recipients: list[MailRecipientKind] | None = strawberry.field(description="SEND_MAIL.")

    @classmethod
    def from_stored(cls, item: dict[str, Any]) -> RuleAction:
        def enum(kind: Any, name: str) -> Any:
            return kind(item[name]) if item.get(name) is not None else None

        technicians = item.get("technicianIds")
        return cls(
            kind=RuleActionKind(item["kind"]),
            status_id=_id("TicketStatus", item.get("statusId")),
            priority=enum(Priority, "priority"),
            type=enum(TicketType, "type"),
            impact=enum(Impact, "impact"),
            team_id=_id("Team", item.get("teamId")),
            strategy=enum(AssignStrategy, "strategy"),
            tags=item.get("tags"),
            custom_field_id=_id("CustomField", item.get("customFieldId")),
            value=item.get("value"),
            technician_id=_id("Technician", item.get("technicianId")),
            technician_ids=[strawberry.ID(ids.encode("Technician", pk)) for pk in technicians]
            if technicians is not None
            else None,
            text=item.get("text"),
            mail_template=enum(MailKind, "mailTemplate"),
            recipients=[MailRecipientKind(r) for r in item["recipients"]] if item.get("recipients") else None,
        )


@strawberry.type(description="A time a rule could not act on a ticket: logged, and counted as done.")
class AutomationFailure:
    ticket_pk: strawberry.Private[int | None]
    message: str = strawberry.field(description="Why, e.g. 'The status Waiting is archived.'")
    at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="The ticket it could not act on; null once deleted.")
    async def ticket(self, info: Info) -> Annotated[Ticket, strawberry.lazy("schema.types.tickets")] | None:
        from schema.types.tickets import Ticket

        if self.ticket_pk is None:
            return None
        row = await info.context.loaders.ticket_by_id.load(self.ticket_pk)
        return Ticket.from_model(row) if row else None


@strawberry.type(description="An admin's automation rule: trigger, conditions, actions, run after commit.")
class AutomationRule(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="Shown in the activity log: 'by rule <name>'.")
    position: int = strawberry.field(description="Rules run in this order, lowest first.")
    enabled: bool = strawberry.field(description="Whether it runs.")
    is_default: bool = strawberry.field(description="Created with the account (docs/automation.md).")
    default_key: str | None = strawberry.field(description="Which default rule it is.")
    trigger: RuleTriggerDefinition = strawberry.field(description="When it is considered.")
    conditions: RuleConditions = strawberry.field(description="What must hold.")
    actions: list[RuleAction] = strawberry.field(description="What it does, in order.")
    created_by_id: strawberry.ID | None = strawberry.field(description="The technician who created it.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @strawberry.field(
        description="How many times it could not act on a ticket (an archived status, a field "
        "not in the ticket's form, ...)."
    )
    async def failure_count(self, info: Info) -> int:
        return (await info.context.loaders.failures_by_rule.load(self.pk)).times

    @strawberry.field(description="The latest time it could not act on a ticket; null when it never failed.")
    async def last_failure(self, info: Info) -> AutomationFailure | None:
        run = (await info.context.loaders.failures_by_rule.load(self.pk)).latest
        if run is None:
            return None
        return AutomationFailure(ticket_pk=run.ticket_id, message=run.error or "", at=run.created_at)

    @classmethod
    def from_model(cls, row: automation.AutomationRule) -> AutomationRule:
        options = row.trigger_options or {}
        return cls(
            pk=row.id,
            id=strawberry.ID(ids.encode("AutomationRule", row.id)),
            name=row.name,
            position=row.position,
            enabled=row.enabled,
            is_default=row.is_default,
            default_key=row.default_key,
            trigger=RuleTriggerDefinition(
                kind=row.trigger,
                changed_fields=list(options.get("changedFields") or []),
                comment_kind=CommentKind(options["commentKind"]) if options.get("commentKind") else None,
                author=CommentAuthor(options["author"]) if options.get("author") else None,
                channels=[Channel(c) for c in options.get("channels") or []],
                hours=options.get("hours"),
                business_hours=options.get("businessHours"),
                minutes=options.get("minutes"),
            ),
            conditions=RuleConditions(
                all=[RuleCondition.from_stored(c) for c in (row.conditions or {}).get("all") or []],
                any=[RuleCondition.from_stored(c) for c in (row.conditions or {}).get("any") or []],
            ),
            actions=[RuleAction.from_stored(a) for a in row.actions or []],
            created_by_id=_id("Technician", row.created_by_id),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="One condition's result in a dry run.")
class RuleConditionResult:
    path: str = strawberry.field(description="Where it is in the rule, e.g. conditions.all[0].")
    field: RuleField = strawberry.field(description="What was looked at.")
    operator: RuleOperator = strawberry.field(description="How it was compared.")
    result: bool = strawberry.field(description="Whether it holds for the ticket now.")


@strawberry.type(description="What one action would change.")
class RulePlannedChange:
    path: str = strawberry.field(description="Where it is in the rule, e.g. actions[1].")
    kind: RuleActionKind = strawberry.field(description="The action.")
    description: str = strawberry.field(description="What it would change, old -> new.")


@strawberry.type(description="A dry run: whether the rule matches the ticket and what it would change.")
class AutomationRuleTest:
    trigger: RuleTrigger = strawberry.field(
        description="The rule's trigger (not evaluated: a dry run has no event)."
    )
    matched: bool = strawberry.field(description="Whether the conditions hold, so the actions would run.")
    conditions: list[RuleConditionResult] = strawberry.field(description="Each condition, with its result.")
    changes: list[RulePlannedChange] = strawberry.field(
        description="What the actions would do; nothing is done."
    )
