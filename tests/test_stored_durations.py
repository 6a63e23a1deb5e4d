"""Durations stored when a clock is met (services.ticket_durations) are what ticketMetrics measured at each
request before they were stored: the hand-built week, a reopened ticket, a calendar across a change of
summer time, the backfill of tickets written in bulk, a merge undone; and what a policy changed afterwards
does (nothing: a stored duration is a measurement)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from models.enums import Priority, StatusCategory
from models.sla import BusinessCalendar, SlaPolicy
from models.tickets import Ticket
from services import duration_backfill, merges, sla_policies
from services.metric_stats import BusinessClock, seconds_of
from services.sla import calendar_of
from services.sla_policies import Hours, Target
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import as_viewer, make_world
from tests.support.metrics_week import METRICS, WEEK, Desk, hand_built_week, world_with_customer

COLUMNS = (
    "first_response_seconds",
    "first_response_in_business_time",
    "resolution_seconds",
    "resolution_in_business_time",
)


async def measured_as_before(ticket: Ticket) -> tuple[Any, ...]:
    """What ticketMetrics computed at each request before durations were stored: the business clock of
    the calendar of the ticket's policy as it is now, over the floored seconds of both instants."""
    policy = await SlaPolicy.get_or_none(id=ticket.sla_policy_id) if ticket.sla_policy_id else None
    row = await BusinessCalendar.get_or_none(id=policy.calendar_id) if policy and policy.calendar_id else None
    calendar = calendar_of(row)
    found: list[Any] = []
    for met in (ticket.first_responded_at, ticket.resolved_at):
        if met is None:
            found += [None, False]
            continue
        start, stop = seconds_of(ticket.created_at), seconds_of(met)
        found += [BusinessClock(calendar, start, stop).between(start, stop), calendar is not None]
    return tuple(found)


async def stored(ticket_id: int) -> tuple[Any, ...]:
    return tuple((await Ticket.filter(id=ticket_id).values_list(*COLUMNS))[0])


async def assert_as_before(account_id: int) -> None:
    for ticket in await Ticket.filter(account_id=account_id):
        assert await stored(ticket.id) == await measured_as_before(ticket), ticket.title


async def test_the_hand_built_week_stores_what_was_measured_at_each_request(db: object) -> None:
    world = await world_with_customer()
    await hand_built_week(world)
    await assert_as_before(world.account.id)
    durations = {
        ticket.title: (ticket.first_response_seconds, ticket.resolution_seconds)
        for ticket in await Ticket.filter(account_id=world.account.id)
    }
    # docs/dashboards.md and tests/test_dashboard_metrics.py: F is measured to its second resolution.
    assert durations == {
        "A": (1800, 7200),
        "B": (10800, None),
        "F": (None, 86400),
        "C": (3600, 23400),
        "D": (7200, None),
        "E": (None, None),
    }


def at(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


async def test_reopening_clears_the_resolution_and_resolving_measures_again_across_summer_time(
    db: object,
) -> None:
    """Rome leaves summer time on Sunday 25 October 2026: the calendar's Sunday and Monday hours are
    counted in the new offset, as the SLA engine counts them."""
    world = await make_world()
    with frozen_at(at(10, 20, 8)) as clock:
        desk = Desk(world, clock)
        calendar = await sla_policies.create_calendar(
            desk.admin,
            name="Rome",
            timezone="Europe/Rome",
            hours=[
                Hours("FRIDAY", "08:00", "18:00"),
                Hours("SUNDAY", "01:30", "03:30"),
                Hours("MONDAY", "00:00", "02:30"),
                Hours("MONDAY", "08:00", "12:00"),
            ],
            holidays=[datetime(2026, 10, 27).date()],
        )
        await sla_policies.create_policy(
            desk.admin,
            name="Rome hours",
            calendar_id=calendar.id,
            targets=[Target(priority, 60, 480) for priority in Priority],
            is_default=True,
        )
        ticket = await desk.ticket("Across the change", at(10, 23, 15, 20))
        await desk.reply(ticket, at(10, 26, 9, 15))
        await desk.move(ticket, StatusCategory.RESOLVED, at(10, 26, 10, 40))
        first = await stored(ticket.id)
        assert first == await measured_as_before(await Ticket.get(id=ticket.id))
        assert first[0] is not None
        assert first[1:4:2] == (True, True)

        await desk.move(ticket, StatusCategory.OPEN, at(10, 27, 9))
        assert await stored(ticket.id) == (first[0], True, None, False)

        await desk.move(ticket, StatusCategory.RESOLVED, at(10, 30, 16, 45, 30))
        again = await stored(ticket.id)
        assert again == await measured_as_before(await Ticket.get(id=ticket.id))
        assert again[2] is not None
        assert again[2] > first[2]

        await desk.move(ticket, StatusCategory.CLOSED, at(11, 2, 9))
        assert await stored(ticket.id) == again, "closing a resolved ticket keeps its resolution"


async def test_a_policy_changed_afterwards_leaves_the_stored_durations_as_measured(api: Api) -> None:
    world = await world_with_customer()
    await hand_built_week(world)
    before = {
        ticket.id: await stored(ticket.id) for ticket in await Ticket.filter(account_id=world.account.id)
    }
    policy = await SlaPolicy.get(account_id=world.account.id, is_default=True)
    with frozen_at(at(3, 4, 11, 25)):
        await sla_policies.update_policy(as_viewer(world.admin), policy.id, calendar_id=None)
        after = {
            ticket.id: await stored(ticket.id) for ticket in await Ticket.filter(account_id=world.account.id)
        }
        assert after == before
        data = (await api.data(METRICS, {"period": WEEK}, token=world.technician_token))["ticketMetrics"]
    # C and D were measured in the calendar's business hours when they were met, and still are.
    assert data["firstResponseTime"]["businessTimeCount"] == 2
    assert data["firstResponseTime"]["medianSeconds"] == 5400.0
    assert data["resolutionTime"]["averageSeconds"] == 39000.0


async def test_the_backfill_measures_tickets_written_in_bulk_as_the_clocks_do(db: object) -> None:
    world = await world_with_customer()
    await hand_built_week(world)
    tickets = await Ticket.filter(account_id=world.account.id)
    measured = {ticket.id: await stored(ticket.id) for ticket in tickets}
    await Ticket.filter(account_id=world.account.id).update(
        first_response_seconds=None,
        first_response_in_business_time=False,
        resolution_seconds=None,
        resolution_in_business_time=False,
    )
    client = connections.get("default")
    # A, B, C, D answered, A, C, F resolved: five tickets; E was never met.
    assert await duration_backfill.backfill(client) == 5
    assert {ticket.id: await stored(ticket.id) for ticket in tickets} == measured
    assert await duration_backfill.backfill(client) == 0


async def test_a_merge_undone_gives_the_ticket_back_its_unresolved_durations(db: object) -> None:
    world = await world_with_customer()
    with frozen_at(at(3, 2, 8)) as clock:
        desk = Desk(world, clock)
        source = await desk.ticket("Source", at(3, 2, 8))
        target = await desk.ticket("Target", at(3, 2, 8, 30))
        await desk.reply(source, at(3, 2, 9))
        clock.to(at(3, 2, 10))
        await merges.merge(desk.tom, [source.id], target.id)
        assert await stored(source.id) == (3600, False, 7200, False)
        clock.to(at(3, 2, 11))
        await merges.unmerge(desk.tom, source.id)
    assert await stored(source.id) == (3600, False, None, False)
