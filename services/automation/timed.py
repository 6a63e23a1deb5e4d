"""Time-based rules, run by a periodic job in every process (app.main.periodic_jobs).

- PENDING_FOR / RESOLVED_FOR: the ticket has been in a PENDING (RESOLVED) status for ``hours``, counted in
  the business hours of its SLA policy's calendar (time zone and DST included) unless ``businessHours`` is
  false; once per stay in the status. The hours count from the later of the move into the status and the
  rule's creation, so that a new rule (the auto-close rule an upgrade gives every account included) does
  not act at once on every ticket that has waited for years.
- SLA_DUE_WITHIN: the ticket's next SLA due time is less than ``minutes`` away; once per due time.
- SLA_BREACHED: an SLA target of an unresolved ticket was missed; once per clock.

Each run goes through services.automation.engine.fire with a key naming the ticket and the occasion, so
several processes running the job at once act once: the ledger row commits with the actions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from models.automation import AutomationRule, AutomationRun
from models.clock import NO_DUE_TIME, utcnow
from models.enums import RuleTrigger, StatusCategory
from models.tickets import Ticket
from services.automation import conditions, engine
from services.automation.ruleset import Rule

TIMED = (
    RuleTrigger.PENDING_FOR,
    RuleTrigger.RESOLVED_FOR,
    RuleTrigger.SLA_DUE_WITHIN,
    RuleTrigger.SLA_BREACHED,
)
_IN_STATUS = {
    RuleTrigger.PENDING_FOR: StatusCategory.PENDING,
    RuleTrigger.RESOLVED_FOR: StatusCategory.RESOLVED,
}
_UNRESOLVED = (StatusCategory.OPEN, StatusCategory.PENDING)


async def _occasions(rule: AutomationRule, now: datetime) -> AsyncIterator[tuple[conditions.Facts, str]]:
    """(ticket facts, ledger key) of each ticket the rule's trigger is due for now."""
    options = rule.trigger_options or {}
    live = Ticket.filter(account_id=rule.account_id, deleted_at__isnull=True, merged_into_id__isnull=True)
    if rule.trigger in _IN_STATUS:
        hours = float(options.get("hours") or 0)
        earliest = now - timedelta(hours=hours)  # business time never runs faster than the wall clock
        for ticket in await live.filter(status__category=_IN_STATUS[rule.trigger]):
            facts = conditions.Facts(ticket, now=now)
            since = await facts.status_since()
            counting = max(since, rule.created_at)
            if counting > earliest:
                continue
            business = options.get("businessHours", True)
            counted = await facts.business_seconds_since(counting) if business else None
            if counted is not None and counted < hours * 3600:
                continue
            yield facts, f"{rule.trigger.value}:{ticket.id}:{since.isoformat()}"
    elif rule.trigger is RuleTrigger.SLA_DUE_WITHIN:
        horizon = now + timedelta(minutes=int(options.get("minutes") or 0))
        for ticket in await live.filter(next_sla_due_at__gt=now, next_sla_due_at__lte=horizon).exclude(
            next_sla_due_at=NO_DUE_TIME
        ):
            yield (
                conditions.Facts(ticket, now=now),
                f"SLA_DUE_WITHIN:{ticket.id}:{ticket.next_sla_due_at.isoformat()}",
            )
    elif rule.trigger is RuleTrigger.SLA_BREACHED:
        unresolved = live.filter(status__category__in=_UNRESOLVED)
        for ticket in await unresolved.filter(first_response_breach_logged=True):
            yield conditions.Facts(ticket, now=now), f"SLA_BREACHED:{ticket.id}:first_response"
        for ticket in await unresolved.filter(resolution_breach_logged=True):
            yield conditions.Facts(ticket, now=now), f"SLA_BREACHED:{ticket.id}:resolution"


async def run_due(now: datetime | None = None) -> int:
    """Run every enabled time-based rule on the tickets it is due for. Returns how many runs acted."""
    now = now or utcnow()
    acted = 0
    rules = await AutomationRule.filter(enabled=True, trigger__in=TIMED).order_by(
        "account_id", "position", "id"
    )
    for rule in rules:
        async for facts, key in _occasions(rule, now):
            if await AutomationRun.exists(rule_id=rule.id, event_key=key):
                continue
            if not await conditions.matches(rule.conditions, facts):
                continue
            if await engine.fire(Rule.of(rule), facts.ticket, key):
                acted += 1
    return acted
