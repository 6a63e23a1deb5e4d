"""The rules the engine runs on a change, as this process last read them.

Every change that may trigger rules asks for its account's rules. Reading and decoding 200 rules per change
would cost more than the change, so each process keeps the last copy per account and checks it with one
aggregate query (how many rules, the sum of their revisions, the highest id). Every create, update and
reorder draws a new random ``revision`` for the rows it writes (so an id used again after a delete, or
changes within one clock tick, still change the sum); a delete changes the count. The copy is only ever a faster read of what the database says, never state of its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count, Max, Sum

from models.automation import AutomationRule
from models.enums import RuleTrigger
from services.automation.conditions import Compiled, compile_conditions

EVENT_TRIGGERS = (RuleTrigger.TICKET_CREATED, RuleTrigger.TICKET_UPDATED, RuleTrigger.COMMENT_ADDED)
MAIL_DEFAULTS = "mail."
"""default_key prefix of the default notification rules, which services.mail_out applies in the change's
own transaction (services.automation.defaults), not the engine."""
RUN_BY_ENGINE = Q(default_key__isnull=True) | ~Q(default_key__startswith=MAIL_DEFAULTS)
MAX_ACCOUNTS = 1000


@dataclass(frozen=True)
class Rule:
    id: int
    account_id: int
    name: str
    trigger: RuleTrigger
    options: dict[str, Any]
    conditions: dict[str, list[dict[str, Any]]]
    actions: list[dict[str, Any]]
    compiled: Compiled

    @classmethod
    def of(cls, row: AutomationRule) -> Rule:
        stored = row.conditions or {}
        return cls(
            row.id,
            row.account_id,
            row.name,
            row.trigger,
            row.trigger_options or {},
            stored,
            row.actions or [],
            compile_conditions(stored),
        )


def new_revision() -> int:
    return secrets.randbelow(2**31 - 1) + 1


_copies: dict[int, tuple[tuple[Any, ...], list[Rule]]] = {}


async def event_rules(account_id: int) -> list[Rule]:
    """The account's enabled rules with a change trigger, in the order they run."""
    version_row = (
        await AutomationRule.filter(account_id=account_id)
        .annotate(rules=Count("id"), revisions=Sum("revision"), top=Max("id"))
        .first()
        .values("rules", "revisions", "top")
    )
    version = tuple(version_row.values()) if version_row else ()
    copy = _copies.get(account_id)
    if copy is not None and copy[0] == version:
        return copy[1]
    rows = await AutomationRule.filter(
        RUN_BY_ENGINE, account_id=account_id, enabled=True, trigger__in=EVENT_TRIGGERS
    ).order_by("position", "id")
    rules = [Rule.of(row) for row in rows]
    if len(_copies) >= MAX_ACCOUNTS:
        _copies.clear()
    _copies[account_id] = (version, rules)
    return rules
