"""Results of the automation rule mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.automation import AutomationRule, AutomationRuleTest


@strawberry.type(description="The rule as saved.")
class AutomationRuleSuccess:
    rule: AutomationRule = strawberry.field(description="The rule.")


@strawberry.type(description="The rules in their new order.")
class AutomationRulesSuccess:
    rules: list[AutomationRule] = strawberry.field(description="Every rule of the account, in order.")


@strawberry.type(description="What the rule would do; nothing was changed.")
class TestAutomationRuleSuccess:
    test: AutomationRuleTest = strawberry.field(description="The dry run.")


AutomationRuleResult = Annotated[
    AutomationRuleSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("AutomationRuleResult", description="The rule, or why not."),
]
AutomationRulesResult = Annotated[
    AutomationRulesSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("AutomationRulesResult", description="The rules, or why not."),
]
TestAutomationRuleResult = Annotated[
    TestAutomationRuleSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TestAutomationRuleResult", description="The dry run, or why not."),
]
