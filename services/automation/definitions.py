"""What a rule may say: each condition field with its operators and value type, each action with its
parameters, each trigger with its options; and ``check``, which validates a whole definition against the
rule's account and names the path of every problem in the rule (``conditions.all[2].value``).

Stored form (JSON): a condition is ``{"field", "operator", "value", "customFieldId"}``; an action is
``{"kind", ...parameters}`` with the API's camelCase names; ids are primary keys of the rule's account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tortoise.models import Model

from models.accounts import Technician
from models.enums import (
    ActivityStatus,
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
    StatusCategory,
    TicketType,
)
from models.forms import CustomField
from models.people import Customer, Department, Requester, Site
from models.teams import Team
from models.tickets import TicketStatus
from services import field_values, tags
from services.errors import Problems

Op = RuleOperator
EQUALITY = (Op.IS, Op.IS_NOT, Op.IN, Op.NOT_IN)
NULLABLE = (*EQUALITY, Op.IS_EMPTY, Op.IS_NOT_EMPTY)
TEXTUAL = (Op.IS, Op.IS_NOT, Op.CONTAINS, Op.NOT_CONTAINS, Op.IS_EMPTY, Op.IS_NOT_EMPTY)
NO_VALUE = (Op.IS_EMPTY, Op.IS_NOT_EMPTY)
LISTED = (Op.IN, Op.NOT_IN)

ENUMS: dict[RuleField, type[StrEnum]] = {
    RuleField.STATUS_CATEGORY: StatusCategory,
    RuleField.PRIORITY: Priority,
    RuleField.TYPE: TicketType,
    RuleField.IMPACT: Impact,
    RuleField.ACTIVITY_STATUS: ActivityStatus,
    RuleField.CHANNEL: Channel,
}
REFERENCES: dict[RuleField, tuple[type[Model], str]] = {
    RuleField.STATUS: (TicketStatus, "TicketStatus"),
    RuleField.ASSIGNEE: (Technician, "Technician"),
    RuleField.TEAM: (Team, "team"),
    RuleField.REQUESTER: (Requester, "Requester"),
    RuleField.REQUESTER_CUSTOMER: (Customer, "Customer"),
    RuleField.REQUESTER_SITE: (Site, "Site"),
    RuleField.REQUESTER_DEPARTMENT: (Department, "Department"),
}
"""Fields whose value is an id of the account's rows, with the GraphQL type name of those ids."""
TEXTS = (RuleField.TITLE, RuleField.DESCRIPTION, RuleField.TEXT, RuleField.PRODUCT_FAMILY)
BOOLEANS = (RuleField.WITHIN_BUSINESS_HOURS, RuleField.REQUESTER_REPLIED_SINCE_STATUS_CHANGE)
OPERATORS: dict[RuleField, tuple[RuleOperator, ...]] = {
    **{name: EQUALITY for name in ENUMS},
    RuleField.STATUS: EQUALITY,
    RuleField.REQUESTER: EQUALITY,
    RuleField.ASSIGNEE: NULLABLE,
    RuleField.TEAM: NULLABLE,
    RuleField.REQUESTER_CUSTOMER: NULLABLE,
    RuleField.REQUESTER_SITE: NULLABLE,
    RuleField.REQUESTER_DEPARTMENT: NULLABLE,
    RuleField.TAGS: (Op.CONTAINS, Op.NOT_CONTAINS, Op.IN, Op.NOT_IN, Op.IS_EMPTY, Op.IS_NOT_EMPTY),
    RuleField.TITLE: TEXTUAL,
    RuleField.DESCRIPTION: TEXTUAL,
    RuleField.TEXT: (Op.CONTAINS, Op.NOT_CONTAINS),
    RuleField.PRODUCT_FAMILY: (*NULLABLE, Op.CONTAINS, Op.NOT_CONTAINS),
    RuleField.CUSTOM_FIELD: (*NULLABLE, Op.CONTAINS, Op.NOT_CONTAINS, Op.GREATER_THAN, Op.LESS_THAN),
    RuleField.WITHIN_BUSINESS_HOURS: (Op.IS,),
    RuleField.REQUESTER_REPLIED_SINCE_STATUS_CHANGE: (Op.IS,),
}
CHANGEABLE_FIELDS = (
    "title",
    "status",
    "assignee",
    "type",
    "priority",
    "impact",
    "activityStatus",
    "requester",
    "formTemplate",
    "customFields",
    "tags",
    "team",
)
MAX_CONDITIONS = 50
MAX_ACTIONS = 20
MAX_NOTE = 10_000


@dataclass
class Definition:
    """A rule's trigger, conditions and actions as stored."""

    trigger: RuleTrigger
    options: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"all": [], "any": []})
    actions: list[dict[str, Any]] = field(default_factory=list)


class _Check:
    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        self.problems = Problems()

    async def owned(self, path: str, model: type[Model], pk: Any, what: str) -> bool:
        if isinstance(pk, bool) or not isinstance(pk, int):
            self.problems.add(path, f"Must be the id of a {what}.")
            return False
        if not await model.exists(id=pk, account_id=self.account_id):
            self.problems.add(path, f"No {what} of this account has this id.")
            return False
        return True

    def enum(self, path: str, kind: type[StrEnum], value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            self.problems.add(path, f"Must be one of {', '.join(kind)}.")
            return None


async def _value(check: _Check, path: str, condition: dict[str, Any], custom: CustomField | None) -> Any:
    """The condition's value, checked against its field and operator; what is stored."""
    name, operator, value = condition["field"], condition["operator"], condition.get("value")
    if operator in NO_VALUE:
        return None
    if operator in LISTED:
        if not isinstance(value, list) or not value:
            check.problems.add(path, "Must be a non-empty list.")
            return None
        return [await _one(check, f"{path}[{i}]", name, item, custom) for i, item in enumerate(value)]
    return await _one(check, path, name, value, custom)


async def _one(check: _Check, path: str, name: RuleField, value: Any, custom: CustomField | None) -> Any:
    if value is None:
        check.problems.add(path, "A value is required.")
        return None
    if name in ENUMS:
        return check.enum(path, ENUMS[name], value)
    if name in REFERENCES:
        model, what = REFERENCES[name]
        await check.owned(path, model, value, what)
        return value
    if name in BOOLEANS:
        if not isinstance(value, bool):
            check.problems.add(path, "Must be true or false.")
        return value
    if name is RuleField.TAGS:
        cleaned = tags.clean(check.problems, path, [value] if isinstance(value, str) else [""])
        return cleaned[0] if cleaned else None
    if name is RuleField.CUSTOM_FIELD and custom is not None:
        try:
            return field_values.parse(custom.field_type, custom.options, value)
        except field_values.InvalidValue as error:
            check.problems.add(path, str(error))
            return None
    if not isinstance(value, str) or not value.strip():
        check.problems.add(path, "Must be non-empty text.")
        return None
    return value.strip()


async def _condition(check: _Check, path: str, raw: dict[str, Any]) -> dict[str, Any]:
    name = check.enum(f"{path}.field", RuleField, raw.get("field"))
    operator = check.enum(f"{path}.operator", RuleOperator, raw.get("operator"))
    if name is None or operator is None:
        return raw
    if operator not in OPERATORS[name]:
        allowed = ", ".join(OPERATORS[name])
        check.problems.add(f"{path}.operator", f"{name} takes the operators {allowed}.")
        return raw
    custom = None
    if name is RuleField.CUSTOM_FIELD:
        if not await check.owned(
            f"{path}.customFieldId", CustomField, raw.get("customFieldId"), "custom field"
        ):
            return raw
        custom = await CustomField.get(id=raw["customFieldId"])
    elif raw.get("customFieldId") is not None:
        check.problems.add(f"{path}.customFieldId", "Only CUSTOM_FIELD conditions name a custom field.")
    value = await _value(check, f"{path}.value", {**raw, "field": name, "operator": operator}, custom)
    return {
        "field": name.value,
        "operator": operator.value,
        "value": value,
        "customFieldId": raw.get("customFieldId"),
    }


def _options(check: _Check, trigger: RuleTrigger, options: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    if trigger is RuleTrigger.TICKET_UPDATED:
        changed = options.get("changedFields") or []
        for i, name in enumerate(changed):
            if name not in CHANGEABLE_FIELDS:
                check.problems.add(
                    f"trigger.changedFields[{i}]", f"Must be one of {', '.join(CHANGEABLE_FIELDS)}."
                )
        kept["changedFields"] = list(changed)
    if trigger is RuleTrigger.COMMENT_ADDED:
        if options.get("commentKind") is not None:
            kept["commentKind"] = check.enum("trigger.commentKind", CommentKind, options["commentKind"])
        if options.get("author") is not None:
            kept["author"] = check.enum("trigger.author", CommentAuthor, options["author"])
        kept["channels"] = [
            check.enum(f"trigger.channels[{i}]", Channel, c)
            for i, c in enumerate(options.get("channels") or [])
        ]
    if trigger in (RuleTrigger.PENDING_FOR, RuleTrigger.RESOLVED_FOR):
        hours = options.get("hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24 * 366:
            check.problems.add("trigger.hours", "Must be a number of hours above 0, at most a year.")
        kept["hours"] = hours
        kept["businessHours"] = bool(options.get("businessHours", True))
    if trigger is RuleTrigger.SLA_DUE_WITHIN:
        minutes = options.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 60 * 24 * 30:
            check.problems.add(
                "trigger.minutes", "Must be a whole number of minutes above 0, at most 30 days."
            )
        kept["minutes"] = minutes
    return kept


async def _action(check: _Check, path: str, raw: dict[str, Any]) -> dict[str, Any]:
    kind = check.enum(f"{path}.kind", RuleActionKind, raw.get("kind"))
    if kind is None:
        return raw
    kept: dict[str, Any] = {"kind": kind.value}
    K = RuleActionKind
    if kind is K.SET_STATUS:
        owned = await check.owned(f"{path}.statusId", TicketStatus, raw.get("statusId"), "status")
        if owned and await TicketStatus.exists(id=raw["statusId"], archived=True):
            check.problems.add(f"{path}.statusId", "This status is archived.")
        kept["statusId"] = raw.get("statusId")
    elif kind in (K.SET_PRIORITY, K.SET_TYPE, K.SET_IMPACT):
        name, enum = {K.SET_PRIORITY: ("priority", Priority), K.SET_TYPE: ("type", TicketType)}.get(
            kind, ("impact", Impact)
        )
        kept[name] = check.enum(f"{path}.{name}", enum, raw.get(name))
    elif kind in (K.SET_TEAM, K.ASSIGN_TEAM_MEMBER):
        # No team: SET_TEAM takes the ticket off its team; ASSIGN_TEAM_MEMBER picks in the ticket's team.
        if raw.get("teamId") is not None:
            owned = await check.owned(f"{path}.teamId", Team, raw.get("teamId"), "team")
            if owned and await Team.exists(id=raw["teamId"], archived_at__isnull=False):
                check.problems.add(f"{path}.teamId", "This team is archived.")
        kept["teamId"] = raw.get("teamId")
        if kind is K.ASSIGN_TEAM_MEMBER:
            kept["strategy"] = check.enum(
                f"{path}.strategy", AssignStrategy, raw.get("strategy") or "ROUND_ROBIN"
            )
    elif kind in (K.ADD_TAGS, K.REMOVE_TAGS):
        names = raw.get("tags")
        if not isinstance(names, list) or not names:
            check.problems.add(f"{path}.tags", "Name at least one tag.")
            names = []
        kept["tags"] = tags.clean(check.problems, f"{path}.tags", names)
    elif kind is K.SET_CUSTOM_FIELD:
        kept["customFieldId"] = raw.get("customFieldId")
        if await check.owned(f"{path}.customFieldId", CustomField, raw.get("customFieldId"), "custom field"):
            custom = await CustomField.get(id=raw["customFieldId"])
            try:
                kept["value"] = field_values.parse(custom.field_type, custom.options, raw.get("value"))
            except field_values.InvalidValue as error:
                check.problems.add(f"{path}.value", str(error))
    elif kind is K.ASSIGN_TECHNICIAN:
        if raw.get("technicianId") is not None:
            await check.owned(f"{path}.technicianId", Technician, raw.get("technicianId"), "technician")
        kept["technicianId"] = raw.get("technicianId")
    elif kind is K.ADD_NOTE:
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE:
            check.problems.add(f"{path}.text", f"Must be text of 1 to {MAX_NOTE} characters.")
        kept["text"] = text
    elif kind is K.SEND_MAIL:
        kept["mailTemplate"] = check.enum(f"{path}.mailTemplate", MailKind, raw.get("mailTemplate"))
        if kept["mailTemplate"] is MailKind.INTERNAL_NOTE:
            check.problems.add(f"{path}.mailTemplate", "Notes never go out by mail.")
        recipients = raw.get("recipients") or []
        if not recipients:
            check.problems.add(f"{path}.recipients", "Name at least one recipient.")
        kept["recipients"] = [
            check.enum(f"{path}.recipients[{i}]", MailRecipientKind, r) for i, r in enumerate(recipients)
        ]
    elif kind is K.NOTIFY_TECHNICIANS:
        ids = raw.get("technicianIds") or []
        if not ids:
            check.problems.add(f"{path}.technicianIds", "Name at least one technician.")
        for i, pk in enumerate(ids):
            await check.owned(f"{path}.technicianIds[{i}]", Technician, pk, "technician")
        kept["technicianIds"] = list(ids)
        kept["text"] = raw.get("text") or ""
    return kept


async def check(account_id: int, definition: Definition) -> Definition:
    """The definition as stored, or ValidationFailed naming each problem's path in the rule."""
    check = _Check(account_id)
    options = _options(check, definition.trigger, definition.options)
    conditions: dict[str, list[dict[str, Any]]] = {}
    for group in ("all", "any"):
        items = definition.conditions.get(group) or []
        if len(items) > MAX_CONDITIONS:
            check.problems.add(f"conditions.{group}", f"At most {MAX_CONDITIONS} conditions.")
        conditions[group] = [
            await _condition(check, f"conditions.{group}[{i}]", item) for i, item in enumerate(items)
        ]
    if not definition.actions:
        check.problems.add("actions", "Name at least one action.")
    if len(definition.actions) > MAX_ACTIONS:
        check.problems.add("actions", f"At most {MAX_ACTIONS} actions.")
    actions = [await _action(check, f"actions[{i}]", item) for i, item in enumerate(definition.actions)]
    check.problems.raise_if_any()
    return Definition(definition.trigger, options, conditions, actions)
