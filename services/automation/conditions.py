"""Evaluating a rule's conditions against one ticket: what each condition found, and whether the rule
matches (every ``all`` condition, and at least one ``any`` condition when there are some).

``Facts`` reads what the conditions ask for, once per ticket and pass, so that 200 rules cost the reads of
the fields they name, not 200 times the ticket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from models.activity import Activity
from models.clock import utcnow
from models.conversation import Comment
from models.enums import ActivityKind, BuiltInField, RuleField, RuleOperator
from models.forms import CustomField, TicketFieldValue
from models.people import Requester
from models.sla import BusinessCalendar, SlaPolicy
from models.tickets import Ticket, TicketStatus, TicketTag
from services import field_values, sla, sla_engine

Op = RuleOperator
_NOT_A_COLUMN = object()
_COLUMNS: dict[RuleField, Callable[[Ticket], Any]] = {
    RuleField.STATUS: lambda t: t.status_id,
    RuleField.PRIORITY: lambda t: t.priority,
    RuleField.TYPE: lambda t: t.ticket_type,
    RuleField.IMPACT: lambda t: t.impact,
    RuleField.ACTIVITY_STATUS: lambda t: t.activity_status,
    RuleField.CHANNEL: lambda t: t.channel,
    RuleField.ASSIGNEE: lambda t: t.assignee_id,
    RuleField.TEAM: lambda t: t.team_id,
    RuleField.REQUESTER: lambda t: t.requester_id,
    RuleField.TITLE: lambda t: t.title,
    RuleField.DESCRIPTION: lambda t: t.description,
}


@dataclass(frozen=True)
class Outcome:
    """One condition's result, with its path in the rule (``conditions.all[0]``)."""

    path: str
    field: str
    operator: str
    result: bool


@dataclass
class Facts:
    """One ticket as the conditions see it; ``comment`` is the comment that triggered the run, if any."""

    ticket: Ticket
    comment: Comment | None = None
    now: datetime = field(default_factory=utcnow)
    _cache: dict[Any, Any] = field(default_factory=dict)

    async def _once(self, key: Any, read: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._cache:
            self._cache[key] = await read()
        return self._cache[key]

    async def requester(self) -> Requester:
        return await self._once("requester", lambda: Requester.get(id=self.ticket.requester_id))

    async def status(self) -> TicketStatus:
        return await self._once("status", lambda: TicketStatus.get(id=self.ticket.status_id))

    async def custom_values(self) -> dict[int, Any]:
        async def read() -> dict[int, Any]:
            rows = await TicketFieldValue.filter(ticket_id=self.ticket.id)
            return {row.field_id: field_values.load(row.value) for row in rows}

        return await self._once("custom", read)

    async def product_family(self) -> Any:
        async def read() -> Any:
            pk: list[Any] = await CustomField.filter(
                account_id=self.ticket.account_id, built_in=BuiltInField.PRODUCT_FAMILY
            ).values_list("id", flat=True)
            values = await self.custom_values()
            return values.get(pk[0]) if pk else None

        return await self._once("family", read)

    async def tags(self) -> set[str]:
        async def read() -> set[str]:
            names = await TicketTag.filter(ticket_id=self.ticket.id).values_list("tag__name", flat=True)
            return {str(name) for name in names}

        return await self._once("tags", read)

    async def status_since(self) -> datetime:
        """When the ticket entered its current status."""

        async def read() -> datetime:
            last = (
                await Activity.filter(ticket_id=self.ticket.id, kind=ActivityKind.STATUS_CHANGED)
                .order_by("-created_at", "-id")
                .first()
            )
            return last.created_at if last is not None else self.ticket.created_at

        return await self._once("since", read)

    async def calendar(self) -> sla_engine.Calendar | None:
        async def read() -> sla_engine.Calendar | None:
            if self.ticket.sla_policy_id is None:
                return None
            policy = await SlaPolicy.get_or_none(id=self.ticket.sla_policy_id)
            if policy is None or policy.calendar_id is None:
                return None
            return sla.calendar_of(await BusinessCalendar.get_or_none(id=policy.calendar_id))

        return await self._once("calendar", read)

    async def business_seconds_since(self, start: datetime) -> int:
        return sla_engine.elapsed_seconds(await self.calendar(), start, self.now)

    def column(self, name: RuleField) -> Any:
        """A value read from the ticket's own row, without awaiting; _NOT_A_COLUMN for the others."""
        getter = _COLUMNS.get(name)
        return getter(self.ticket) if getter is not None else _NOT_A_COLUMN

    async def value(self, name: RuleField, custom_field_id: int | None) -> Any:
        ticket = self.ticket
        match name:
            case RuleField.STATUS:
                return ticket.status_id
            case RuleField.STATUS_CATEGORY:
                return (await self.status()).category
            case RuleField.PRIORITY:
                return ticket.priority
            case RuleField.TYPE:
                return ticket.ticket_type
            case RuleField.IMPACT:
                return ticket.impact
            case RuleField.ACTIVITY_STATUS:
                return ticket.activity_status
            case RuleField.CHANNEL:
                return ticket.channel
            case RuleField.ASSIGNEE:
                return ticket.assignee_id
            case RuleField.TEAM:
                return ticket.team_id
            case RuleField.REQUESTER:
                return ticket.requester_id
            case RuleField.REQUESTER_CUSTOMER:
                return (await self.requester()).customer_id
            case RuleField.REQUESTER_SITE:
                return (await self.requester()).site_id
            case RuleField.REQUESTER_DEPARTMENT:
                return (await self.requester()).department_id
            case RuleField.TAGS:
                return await self.tags()
            case RuleField.TITLE:
                return ticket.title
            case RuleField.DESCRIPTION:
                return ticket.description
            case RuleField.TEXT:
                comment = self.comment.text if self.comment is not None else ""
                return f"{ticket.title}\n{ticket.description}\n{comment}"
            case RuleField.PRODUCT_FAMILY:
                return await self.product_family()
            case RuleField.CUSTOM_FIELD:
                return (await self.custom_values()).get(custom_field_id or 0)
            case RuleField.WITHIN_BUSINESS_HOURS:
                calendar = await self.calendar()
                return sla_engine.elapsed_seconds(calendar, self.now, self.now + timedelta(seconds=1)) > 0
            case RuleField.REQUESTER_REPLIED_SINCE_STATUS_CHANGE:
                return await Comment.exists(
                    ticket_id=ticket.id,
                    author_requester_id__isnull=False,
                    created_at__gt=await self.status_since(),
                )
        raise AssertionError(name)


def _contains(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, set | list):
        return wanted in actual
    return isinstance(actual, str) and str(wanted).casefold() in actual.casefold()


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.casefold() == wanted.casefold()
    return bool(actual == wanted)


def compare(actual: Any, operator: RuleOperator, wanted: Any) -> bool:
    """Whether ``actual`` (a ticket's value) satisfies ``operator`` with the rule's ``wanted`` value."""
    match operator:
        case Op.IS:
            return _same(actual, wanted)
        case Op.IS_NOT:
            return not _same(actual, wanted)
        case Op.IN:
            if isinstance(actual, set | list):
                return any(item in actual for item in wanted)
            return any(_same(actual, item) for item in wanted)
        case Op.NOT_IN:
            return not compare(actual, Op.IN, wanted)
        case Op.CONTAINS:
            return _contains(actual, wanted)
        case Op.NOT_CONTAINS:
            return not _contains(actual, wanted)
        case Op.IS_EMPTY:
            return field_values.is_empty(actual) or actual == set()
        case Op.IS_NOT_EMPTY:
            return not compare(actual, Op.IS_EMPTY, wanted)
        case Op.GREATER_THAN | Op.LESS_THAN:
            try:
                difference = float(actual) - float(wanted)
            except (TypeError, ValueError):
                return False
            return difference > 0 if operator is Op.GREATER_THAN else difference < 0
    raise AssertionError(operator)


async def evaluate(conditions: dict[str, list[dict[str, Any]]], facts: Facts) -> tuple[bool, list[Outcome]]:
    """Every condition's outcome, and whether the rule matches. Stops at nothing: a dry run shows all."""
    outcomes: list[Outcome] = []
    for group in ("all", "any"):
        for i, condition in enumerate(conditions.get(group) or []):
            name, operator = RuleField(condition["field"]), RuleOperator(condition["operator"])
            actual = await facts.value(name, condition.get("customFieldId"))
            result = compare(actual, operator, condition.get("value"))
            outcomes.append(Outcome(f"conditions.{group}[{i}]", name.value, operator.value, result))
    every = all(o.result for o in outcomes if o.path.startswith("conditions.all"))
    some = [o.result for o in outcomes if o.path.startswith("conditions.any")]
    return every and (not some or any(some)), outcomes


Condition = tuple[RuleField, RuleOperator, Any, int | None]
Compiled = tuple[tuple[Condition, ...], tuple[Condition, ...]]


def compile_conditions(conditions: dict[str, list[dict[str, Any]]]) -> Compiled:
    """The stored conditions as (field, operator, value, custom field) tuples: ``all``, then ``any``."""

    def group(name: str) -> tuple[Condition, ...]:
        return tuple(
            (RuleField(c["field"]), RuleOperator(c["operator"]), c.get("value"), c.get("customFieldId"))
            for c in conditions.get(name) or []
        )

    return group("all"), group("any")


def rejects(compiled: Compiled, facts: Facts) -> bool:
    """True when the ticket's own columns already rule the rule out, without awaiting anything: the cheap
    first pass over many rules (``matches`` decides the others)."""
    every, some = compiled
    for name, operator, wanted, _ in every:
        actual = facts.column(name)
        if actual is not _NOT_A_COLUMN and not compare(actual, operator, wanted):
            return True
    if not some:
        return False
    for name, operator, wanted, _ in some:
        actual = facts.column(name)
        if actual is _NOT_A_COLUMN or compare(actual, operator, wanted):
            return False
    return True


async def matches(conditions: dict[str, list[dict[str, Any]]] | Compiled, facts: Facts) -> bool:
    """Whether the rule matches, reading no more than it must (``all`` first, stopping at a miss)."""
    every, some = compile_conditions(conditions) if isinstance(conditions, dict) else conditions
    for name, operator, wanted, custom in every:
        actual = facts.column(name)
        if actual is _NOT_A_COLUMN:
            actual = await facts.value(name, custom)
        if not compare(actual, operator, wanted):
            return False
    for name, operator, wanted, custom in some:
        actual = facts.column(name)
        if actual is _NOT_A_COLUMN:
            actual = await facts.value(name, custom)
        if compare(actual, operator, wanted):
            return True
    return not some
