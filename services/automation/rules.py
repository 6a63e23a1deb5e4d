"""Managing automation rules (admins): list, create, update (enable/disable included), reorder, delete, and
the dry run, which says which conditions match a ticket and what the actions would change, changing nothing.

The default notification rules (``default_key`` ``mail.*``, services.automation.defaults) keep their
trigger and actions: an admin renames them, turns them off or narrows them with conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.functions import Max

from models.automation import AutomationRule
from models.clock import utcnow
from models.conversation import Comment
from models.enums import RuleTrigger
from services import validation, visibility
from services.admin import require_admin
from services.automation import actions, conditions, ruleset
from services.automation.definitions import Definition, check
from services.automation.ruleset import MAIL_DEFAULTS
from services.errors import NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_NAME = 120


@dataclass(frozen=True)
class DryRun:
    """What a rule would do to a ticket now."""

    trigger: RuleTrigger
    matched: bool
    outcomes: list[conditions.Outcome]
    planned: list[actions.Planned]


def listed(viewer: Viewer) -> Any:
    """The account's rules in the order they run. Admins only."""
    require_admin(viewer)
    return visibility.automation_rules(viewer).order_by("position", "id")


async def _rule(viewer: Viewer, rule_id: int, field: str = "id") -> AutomationRule:
    rule = await AutomationRule.get_or_none(id=rule_id, account_id=viewer.account_id)
    if rule is None:
        raise NotFound(field)
    return rule


def _name(name: str) -> str:
    problems = Problems()
    cleaned = validation.text(problems, "name", name, max_length=MAX_NAME, one_line=True)
    problems.raise_if_any()
    return cleaned


async def create(
    viewer: Viewer, *, name: str, definition: Definition, enabled: bool = True
) -> AutomationRule:
    """A rule at the end of the list. Raises PermissionDenied, ValidationFailed (name, trigger.*,
    conditions.*, actions.*: the path in the rule)."""
    require_admin(viewer)
    name = _name(name)
    stored = await check(viewer.account_id, definition)
    async with unit_of_work():
        last = (
            await AutomationRule.filter(account_id=viewer.account_id)
            .annotate(top=Max("position"))
            .first()
            .values_list("top", flat=True)
        )
        return await AutomationRule.create(
            account_id=viewer.account_id,
            name=name,
            position=(last if isinstance(last, int) else -1) + 1,
            enabled=enabled,
            revision=ruleset.new_revision(),
            trigger=stored.trigger,
            trigger_options=stored.options,
            conditions=stored.conditions,
            actions=stored.actions,
            created_by_id=viewer.technician_id,
        )


def _definition(rule: AutomationRule) -> Definition:
    return Definition(rule.trigger, rule.trigger_options, rule.conditions, rule.actions)


async def update(
    viewer: Viewer,
    rule_id: int,
    *,
    name: str = UNSET,
    enabled: bool = UNSET,
    trigger: RuleTrigger = UNSET,
    options: dict[str, Any] = UNSET,
    conditions_: dict[str, list[dict[str, Any]]] = UNSET,
    actions_: list[dict[str, Any]] = UNSET,
) -> AutomationRule:
    """Change what is given; a changed trigger comes with its options. Raises PermissionDenied, NotFound
    (id), ValidationFailed (name, trigger, conditions.*, actions.*)."""
    require_admin(viewer)
    rule = await _rule(viewer, rule_id)
    changes: dict[str, Any] = {}
    if name is not UNSET:
        changes["name"] = _name(name)
    if enabled is not UNSET:
        changes["enabled"] = enabled
    fixed = (rule.default_key or "").startswith(MAIL_DEFAULTS)
    if fixed and (trigger is not UNSET or actions_ is not UNSET):
        raise ValidationFailed.one(
            "trigger" if trigger is not UNSET else "actions",
            "A default notification rule keeps its trigger and actions: rename it, turn it off or add "
            "conditions, or create a rule of your own.",
        )
    if any(given is not UNSET for given in (trigger, options, conditions_, actions_)):
        current = _definition(rule)
        wanted = Definition(
            current.trigger if trigger is UNSET else trigger,
            (current.options if trigger is UNSET else {}) if options is UNSET else options,
            current.conditions if conditions_ is UNSET else conditions_,
            current.actions if actions_ is UNSET else actions_,
        )
        stored = await check(viewer.account_id, wanted)
        changes |= {
            "trigger": stored.trigger,
            "trigger_options": stored.options,
            "conditions": stored.conditions,
            "actions": stored.actions,
        }
    if changes:
        async with unit_of_work():
            await AutomationRule.filter(id=rule.id).update(
                **changes, revision=ruleset.new_revision(), updated_at=utcnow()
            )
    return await AutomationRule.get(id=rule.id)


async def reorder(viewer: Viewer, rule_ids: list[int]) -> list[AutomationRule]:
    """Set the order rules run in: ``rule_ids`` lists every rule of the account once.

    Raises PermissionDenied, ValidationFailed (ids)."""
    require_admin(viewer)
    existing = set(await AutomationRule.filter(account_id=viewer.account_id).values_list("id", flat=True))
    if len(rule_ids) != len(set(rule_ids)) or set(rule_ids) != existing:
        raise ValidationFailed.one("ids", "List every rule of the account exactly once.")
    async with unit_of_work():
        for position, rule_id in enumerate(rule_ids):
            await AutomationRule.filter(id=rule_id).update(position=position, revision=ruleset.new_revision())
    return list(await listed(viewer))


async def delete(viewer: Viewer, rule_id: int) -> None:
    """Raises PermissionDenied, NotFound (id), ValidationFailed (id: a default rule is turned off instead,
    so that the account keeps the full set, which every start ensures)."""
    require_admin(viewer)
    rule = await _rule(viewer, rule_id)
    if rule.is_default:
        raise ValidationFailed.one("id", "Default rules cannot be deleted; turn this one off instead.")
    async with unit_of_work():
        await AutomationRule.filter(id=rule.id).delete()


async def dry_run(
    viewer: Viewer, ticket_id: int, *, rule_id: int | None = None, draft: Definition | None = None
) -> DryRun:
    """Evaluate a stored rule (``rule_id``) or a ``draft`` against a ticket the admin sees, changing nothing.
    The ticket's latest comment stands in for the triggering one. Raises PermissionDenied, NotFound (ruleId,
    ticketId), ValidationFailed (ruleId or draft missing; the draft's paths)."""
    require_admin(viewer)
    if (rule_id is None) == (draft is None):
        raise ValidationFailed.one("ruleId", "Give either ruleId or draft.")
    definition = _definition(await _rule(viewer, rule_id, "ruleId")) if rule_id is not None else None
    if draft is not None:
        draft.actions = draft.actions or []
        definition = await check(viewer.account_id, draft)
    assert definition is not None
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    comment = await Comment.filter(ticket_id=ticket.id).order_by("-id").first()
    matched, outcomes = await conditions.evaluate(definition.conditions, conditions.Facts(ticket, comment))
    planned = await actions.describe(ticket, definition.actions)
    return DryRun(definition.trigger, matched, outcomes, planned)
