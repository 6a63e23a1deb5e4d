"""Automation rules (admins): list, create, update, reorder, delete, dry run."""

from __future__ import annotations

import strawberry

from resolvers import automation as r
from schema.payloads.automation import AutomationRuleResult, AutomationRulesResult, TestAutomationRuleResult
from schema.payloads.common import DeleteResult
from schema.types.automation import AutomationRule


@strawberry.type
class AutomationQueries:
    automation_rules: list[AutomationRule] = strawberry.field(
        resolver=r.automation_rules,
        description="The account's automation rules in the order they run (admins).",
    )


@strawberry.type
class AutomationMutations:
    create_automation_rule: AutomationRuleResult = strawberry.field(
        resolver=r.create_automation_rule, description="Add a rule at the end of the list (admins)."
    )
    update_automation_rule: AutomationRuleResult = strawberry.field(
        resolver=r.update_automation_rule,
        description="Rename, enable or disable, or change trigger, conditions or actions (admins).",
    )
    reorder_automation_rules: AutomationRulesResult = strawberry.field(
        resolver=r.reorder_automation_rules, description="Set the order rules run in (admins)."
    )
    delete_automation_rule: DeleteResult = strawberry.field(
        resolver=r.delete_automation_rule, description="Delete a rule (admins)."
    )
    test_automation_rule: TestAutomationRuleResult = strawberry.field(
        resolver=r.test_automation_rule,
        description="Dry run: which conditions hold for a ticket and what the actions would change; "
        "changes nothing (admins).",
    )
