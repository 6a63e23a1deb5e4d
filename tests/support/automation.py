"""Automation rules through the API: create, update, test (dry run), and reading what rules did."""

from __future__ import annotations

from typing import Any

from models.activity import Activity
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from tests.api import Api

RULE_FIELDS = """id name position enabled isDefault defaultKey trigger { kind changedFields hours businessHours }
  conditions { all { field operator value customFieldId } any { field operator value } }
  actions { kind statusId priority tags text mailTemplate recipients technicianId }"""
ERRORS = """... on Error { message code } ... on ValidationError { fields { field message } }
  ... on NotFoundError { field }"""
CREATE = f"""mutation($input: CreateAutomationRuleInput!) {{ createAutomationRule(input: $input) {{ __typename
  ... on AutomationRuleSuccess {{ rule {{ {RULE_FIELDS} }} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateAutomationRuleInput!) {{ updateAutomationRule(input: $input) {{ __typename
  ... on AutomationRuleSuccess {{ rule {{ {RULE_FIELDS} }} }} {ERRORS} }} }}"""
TEST = f"""mutation($input: TestAutomationRuleInput!) {{ testAutomationRule(input: $input) {{ __typename
  ... on TestAutomationRuleSuccess {{ test {{ trigger matched conditions {{ path field operator result }}
    changes {{ path kind description }} }} }} {ERRORS} }} }}"""
LIST = f"query {{ automationRules {{ {RULE_FIELDS} }} }}"


async def create_rule(
    api: Api, token: str, name: str, trigger: dict[str, Any], actions: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    definition = {"trigger": trigger, "actions": actions}
    if "conditions" in extra:
        definition["conditions"] = extra.pop("conditions")
    variables = {"input": {"name": name, "definition": definition, **extra}}
    result: dict[str, Any] = (await api.data(CREATE, variables, token=token))["createAutomationRule"]
    return result


async def rule_made(
    api: Api, token: str, name: str, trigger: dict[str, Any], actions: list[dict[str, Any]], **extra: Any
) -> str:
    result = await create_rule(api, token, name, trigger, actions, **extra)
    assert result["__typename"] == "AutomationRuleSuccess", result
    rule_id: str = result["rule"]["id"]
    return rule_id


def condition(field: str, operator: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value, **extra}


async def status_id(account_id: int, name: str) -> str:
    return encode("TicketStatus", (await TicketStatus.get(account_id=account_id, name=name)).id)


async def by_rules(ticket: Ticket) -> list[tuple[str, str | None, str | None, str | None]]:
    """(rule name, kind, field, new value) of the ticket's activity rows that rules wrote."""
    rows = await Activity.filter(ticket_id=ticket.id, rule_id__isnull=False).order_by("id")
    for row in rows:
        assert (row.channel.value, row.actor_technician_id) == ("AUTOMATION", None)
    return [(str(row.rule_name), row.kind.value, row.field, row.new_value) for row in rows]
