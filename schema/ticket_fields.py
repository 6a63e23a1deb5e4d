"""Fields computed by the domain: custom field values, SLA clocks, timers and totals."""

from __future__ import annotations

from models import tickets, timekeeping
from models.clock import utcnow
from schema.context import Info
from schema.types.actions import ItemTotals
from schema.types.forms import CustomField, TicketCustomField
from schema.types.sla import SlaClock, SlaPolicy, TicketSla
from schema.types.time import Timer, TimeTotals
from services import field_values, sla, ticket_items, time_entries, visibility
from services.timers import clock_of


async def custom_fields_of(info: Info, ticket: tickets.Ticket) -> list[TicketCustomField]:
    if ticket.form_template_id is None or not info.context.viewer.is_technician:
        return []
    loaders = info.context.loaders
    definitions = await loaders.fields_by_template.load(ticket.form_template_id)
    values = {
        row.field_id: field_values.load(row.value) for row in await loaders.values_by_ticket.load(ticket.id)
    }
    return [
        TicketCustomField(
            field=CustomField.from_model(definition),
            value=values.get(definition.id),
            display_value=field_values.display(values.get(definition.id)),
        )
        for definition in definitions
    ]


async def sla_of(info: Info, ticket: tickets.Ticket) -> TicketSla | None:
    if ticket.sla_policy_id is None:
        return None
    loaders = info.context.loaders
    policy = await loaders.sla_policy_by_id.load(ticket.sla_policy_id)
    if policy is None:
        return None
    calendar = await loaders.calendar_by_id.load(policy.calendar_id) if policy.calendar_id else None
    pauses = [
        (pause.started_at, pause.ended_at) for pause in await loaders.sla_pauses_by_ticket.load(ticket.id)
    ]
    state = sla.ticket_sla(ticket, policy, calendar, pauses, utcnow())
    return TicketSla(
        policy=SlaPolicy.from_model(policy),
        first_response=_clock(state.first_response),
        resolution=_clock(state.resolution),
    )


def _clock(state: sla.ClockState) -> SlaClock:
    return SlaClock(
        target_minutes=state.target_seconds // 60,
        due_at=state.due_at,
        completed_at=state.completed_at,
        breached=state.breached,
        remaining_seconds=state.remaining_seconds,
        paused=state.paused,
    )


def timer_of(row: timekeeping.Timer) -> Timer:
    return Timer.from_model(row, clock_of(row).seconds(utcnow()))


async def time_totals_of(info: Info, ticket: tickets.Ticket) -> TimeTotals | None:
    if not info.context.viewer.is_technician:
        return None
    found = time_entries.totals(await info.context.loaders.time_entries_by_ticket.load(ticket.id))
    return TimeTotals(
        total_seconds=found.total_seconds,
        billable_seconds=found.billable_seconds,
        non_billable_seconds=found.non_billable_seconds,
        amount=found.amount,
    )


async def item_totals_of(info: Info, ticket_id: int) -> ItemTotals | None:
    if not info.context.viewer.is_technician:
        return None
    found = ticket_items.totals(await info.context.loaders.items_by_ticket.load(ticket_id))
    return ItemTotals(
        products=found.products, expenses=found.expenses, billable=found.billable, total=found.total
    )


async def visibility_timers(info: Info) -> list[timekeeping.Timer]:
    """The viewer's timers, the running one first, then the most recently changed."""
    rows = await visibility.timers(info.context.viewer)
    return sorted(
        rows, key=lambda timer: (timer.running_since is None, -timer.updated_at.timestamp(), timer.id)
    )
