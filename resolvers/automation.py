"""Automation rules (admins): thin mappings between the typed inputs and services.automation."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, given, pk
from schema.automation_inputs import (
    CreateAutomationRuleInput,
    DeleteAutomationRuleInput,
    ReorderAutomationRulesInput,
    RuleActionInput,
    RuleConditionInput,
    RuleConditionsInput,
    RuleDefinitionInput,
    RuleTriggerInput,
    TestAutomationRuleInput,
    UpdateAutomationRuleInput,
)
from schema.context import Info
from schema.ids import InvalidId, decode_as
from schema.payloads.automation import (
    AutomationRuleResult,
    AutomationRulesResult,
    AutomationRulesSuccess,
    AutomationRuleSuccess,
    TestAutomationRuleResult,
    TestAutomationRuleSuccess,
)
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.types.automation import (
    REFERENCE_TYPES,
    AutomationRule,
    AutomationRuleTest,
    RuleConditionResult,
    RulePlannedChange,
)
from services.automation import rules
from services.automation.definitions import Definition
from services.unset import UNSET

Described = strawberry.argument(description="What to create or change.")


def _pk(value: Any, type_name: str) -> Any:
    """An ID of the rule as a primary key; what is not one of ``type_name`` is left as it is, for the
    services' validation to name with its path in the rule."""
    if not isinstance(value, str):
        return value
    try:
        return decode_as(value, type_name)
    except InvalidId:
        return value


def _options(trigger: RuleTriggerInput) -> dict[str, Any]:
    options = {
        "changedFields": trigger.changed_fields,
        "commentKind": trigger.comment_kind,
        "author": trigger.author,
        "channels": trigger.channels,
        "hours": trigger.hours,
        "businessHours": trigger.business_hours,
        "minutes": trigger.minutes,
    }
    return {key: value for key, value in options.items() if value is not None}


def _condition(item: RuleConditionInput) -> dict[str, Any]:
    value = item.value
    type_name = REFERENCE_TYPES.get(item.field.value)
    if type_name is not None and isinstance(value, list):
        value = [_pk(v, type_name) for v in value]
    elif type_name is not None:
        value = _pk(value, type_name)
    custom = _pk(item.custom_field_id, "CustomField")
    return {"field": item.field, "operator": item.operator, "value": value, "customFieldId": custom}


def _conditions(items: RuleConditionsInput | None) -> dict[str, list[dict[str, Any]]]:
    if items is None:
        return {"all": [], "any": []}
    return {
        "all": [_condition(c) for c in items.all],
        "any": [_condition(c) for c in items.any],
    }


def _action(item: RuleActionInput) -> dict[str, Any]:
    raw = {
        "kind": item.kind,
        "statusId": _pk(item.status_id, "TicketStatus"),
        "priority": item.priority,
        "type": item.type,
        "impact": item.impact,
        "teamId": _pk(item.team_id, "Team"),
        "strategy": item.strategy,
        "tags": item.tags,
        "customFieldId": _pk(item.custom_field_id, "CustomField"),
        "value": item.value,
        "technicianId": _pk(item.technician_id, "Technician"),
        "technicianIds": [_pk(t, "Technician") for i, t in enumerate(item.technician_ids or [])],
        "text": item.text,
        "mailTemplate": item.mail_template,
        "recipients": item.recipients,
    }
    return {key: value for key, value in raw.items() if value is not None}


def _actions(items: list[RuleActionInput]) -> list[dict[str, Any]]:
    return [_action(a) for a in items]


def _definition(item: RuleDefinitionInput) -> Definition:
    return Definition(
        item.trigger.kind, _options(item.trigger), _conditions(item.conditions), _actions(item.actions)
    )


def _saved(row: Any) -> AutomationRuleSuccess:
    return AutomationRuleSuccess(rule=AutomationRule.from_model(row))


async def automation_rules(info: Info) -> list[AutomationRule]:
    viewer = info.context.require_admin()
    return [AutomationRule.from_model(row) for row in await rules.listed(viewer)]


async def create_automation_rule(
    info: Info, input: Annotated[CreateAutomationRuleInput, Described]
) -> AutomationRuleResult:
    return await attempt(
        lambda: rules.create(
            info.context.viewer,
            name=input.name,
            definition=_definition(input.definition),
            enabled=input.enabled,
        ),
        _saved,
    )


async def update_automation_rule(
    info: Info, input: Annotated[UpdateAutomationRuleInput, Described]
) -> AutomationRuleResult:
    async def call() -> Any:
        trigger = given(input.trigger, "trigger")
        conditions = input.conditions
        actions = given(input.actions, "actions")
        return await rules.update(
            info.context.viewer,
            pk(input.id, "AutomationRule", "id"),
            name=given(input.name, "name"),
            enabled=given(input.enabled, "enabled"),
            trigger=UNSET if trigger is UNSET else trigger.kind,
            options=UNSET if trigger is UNSET else _options(trigger),
            conditions_=UNSET if conditions is strawberry.UNSET else _conditions(conditions),
            actions_=UNSET if actions is UNSET else _actions(actions),
        )

    return await attempt(call, _saved)


async def reorder_automation_rules(
    info: Info, input: Annotated[ReorderAutomationRulesInput, Described]
) -> AutomationRulesResult:
    return await attempt(
        lambda: rules.reorder(info.context.viewer, [pk(i, "AutomationRule", "ids") for i in input.ids]),
        lambda rows: AutomationRulesSuccess(rules=[AutomationRule.from_model(row) for row in rows]),
    )


async def delete_automation_rule(
    info: Info, input: Annotated[DeleteAutomationRuleInput, Described]
) -> DeleteResult:
    return await attempt(
        lambda: rules.delete(info.context.viewer, pk(input.id, "AutomationRule", "id")),
        lambda _: DeleteSuccess(deleted_id=input.id),
    )


def _tested(run: rules.DryRun) -> TestAutomationRuleSuccess:
    return TestAutomationRuleSuccess(
        test=AutomationRuleTest(
            trigger=run.trigger,
            matched=run.matched,
            conditions=[
                RuleConditionResult(path=o.path, field=o.field, operator=o.operator, result=o.result)  # type: ignore[arg-type]
                for o in run.outcomes
            ],
            changes=[
                RulePlannedChange(path=p.path, kind=p.kind, description=p.description)  # type: ignore[arg-type]
                for p in run.planned
            ],
        )
    )


async def test_automation_rule(
    info: Info, input: Annotated[TestAutomationRuleInput, Described]
) -> TestAutomationRuleResult:
    return await attempt(
        lambda: rules.dry_run(
            info.context.viewer,
            pk(input.ticket_id, "Ticket", "ticketId"),
            rule_id=pk(input.rule_id, "AutomationRule", "ruleId") if input.rule_id is not None else None,
            draft=_definition(input.draft) if input.draft is not None else None,
        ),
        _tested,
    )
