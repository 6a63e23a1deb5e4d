"""Inputs of automation rules: the trigger, conditions and actions as typed fields."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

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


@strawberry.input(description="When the rule is considered, with the options of that trigger.")
class RuleTriggerInput:
    kind: RuleTrigger = strawberry.field(description="The trigger.")
    changed_fields: list[str] | None = strawberry.field(
        default=None,
        description="TICKET_UPDATED: only when one of these fields changed (status, priority, assignee, "
        "tags, customFields, ...); none: any change.",
    )
    comment_kind: CommentKind | None = strawberry.field(
        default=None, description="COMMENT_ADDED: only this kind."
    )
    author: CommentAuthor | None = strawberry.field(default=None, description="COMMENT_ADDED: only by them.")
    channels: list[Channel] | None = strawberry.field(
        default=None, description="COMMENT_ADDED: only through these channels (EMAIL, PORTAL, ...)."
    )
    hours: float | None = strawberry.field(
        default=None, description="PENDING_FOR, RESOLVED_FOR: hours in the status."
    )
    business_hours: bool | None = strawberry.field(
        default=None,
        description="PENDING_FOR, RESOLVED_FOR: count only the business hours of the ticket's SLA calendar "
        "(default true).",
    )
    minutes: int | None = strawberry.field(
        default=None, description="SLA_DUE_WITHIN: minutes before the due time."
    )


@strawberry.input(description="One condition: the ticket's `field` compared by `operator` with `value`.")
class RuleConditionInput:
    field: RuleField = strawberry.field(description="What is looked at.")
    operator: RuleOperator = strawberry.field(description="How it is compared.")
    value: JSON | None = strawberry.field(
        default=None,
        description="An enum value, an ID (STATUS, ASSIGNEE, REQUESTER*), text, true/false, a custom field's "
        "value; a list for IN and NOT_IN; nothing for IS_EMPTY and IS_NOT_EMPTY.",
    )
    custom_field_id: strawberry.ID | None = strawberry.field(default=None, description="CUSTOM_FIELD: which.")


@strawberry.input(description="Conditions: every one of `all`, and at least one of `any` when it has some.")
class RuleConditionsInput:
    all: list[RuleConditionInput] = strawberry.field(default_factory=list, description="All must hold.")
    any: list[RuleConditionInput] = strawberry.field(default_factory=list, description="One must hold.")


@strawberry.input(description="One action; give the fields its kind takes (docs/automation.md).")
class RuleActionInput:
    kind: RuleActionKind = strawberry.field(description="What it does.")
    status_id: strawberry.ID | None = strawberry.field(default=None, description="SET_STATUS.")
    priority: Priority | None = strawberry.field(default=None, description="SET_PRIORITY.")
    type: TicketType | None = strawberry.field(default=None, description="SET_TYPE.")
    impact: Impact | None = strawberry.field(default=None, description="SET_IMPACT.")
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="SET_TEAM, ASSIGN_TEAM_MEMBER."
    )
    strategy: AssignStrategy | None = strawberry.field(default=None, description="ASSIGN_TEAM_MEMBER.")
    tags: list[str] | None = strawberry.field(default=None, description="ADD_TAGS, REMOVE_TAGS.")
    custom_field_id: strawberry.ID | None = strawberry.field(default=None, description="SET_CUSTOM_FIELD.")
    value: JSON | None = strawberry.field(default=None, description="SET_CUSTOM_FIELD: the value.")
    technician_id: strawberry.ID | None = strawberry.field(
        default=None, description="ASSIGN_TECHNICIAN (none: unassign)."
    )
    technician_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="NOTIFY_TECHNICIANS."
    )
    text: str | None = strawberry.field(default=None, description="ADD_NOTE; NOTIFY_TECHNICIANS (optional).")
    mail_template: MailKind | None = strawberry.field(default=None, description="SEND_MAIL: the template.")
    recipients: list[MailRecipientKind] | None = strawberry.field(
        default=None, description="SEND_MAIL: to whom."
    )


@strawberry.input(description="A rule's trigger, conditions and actions.")
class RuleDefinitionInput:
    trigger: RuleTriggerInput = strawberry.field(description="When it is considered.")
    conditions: RuleConditionsInput | None = strawberry.field(default=None, description="None: always.")
    actions: list[RuleActionInput] = strawberry.field(description="What it does, in order.")


@strawberry.input(description="A new rule, at the end of the list.")
class CreateAutomationRuleInput:
    name: str = strawberry.field(description="Shown in the activity log: 'by rule <name>'.")
    enabled: bool = strawberry.field(default=True, description="Whether it runs.")
    definition: RuleDefinitionInput = strawberry.field(description="Trigger, conditions, actions.")


@strawberry.input(description="Changes to a rule; fields left out are untouched.")
class UpdateAutomationRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    enabled: bool | None = strawberry.field(default=strawberry.UNSET, description="Turn it on or off.")
    trigger: RuleTriggerInput | None = strawberry.field(default=strawberry.UNSET, description="New trigger.")
    conditions: RuleConditionsInput | None = strawberry.field(
        default=strawberry.UNSET, description="New conditions (replacing all of them)."
    )
    actions: list[RuleActionInput] | None = strawberry.field(
        default=strawberry.UNSET, description="New actions (replacing all of them)."
    )


@strawberry.input(description="The order rules run in.")
class ReorderAutomationRulesInput:
    ids: list[strawberry.ID] = strawberry.field(description="Every rule of the account, once, in order.")


@strawberry.input(description="The rule to delete.")
class DeleteAutomationRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule.")


@strawberry.input(description="A dry run: a stored rule or a draft, against a ticket; nothing changes.")
class TestAutomationRuleInput:
    rule_id: strawberry.ID | None = strawberry.field(default=None, description="A stored rule.")
    draft: RuleDefinitionInput | None = strawberry.field(default=None, description="Or a rule not saved.")
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
