"""A hand-built week of tickets for ticketMetrics (docs/dashboards.md): replies, resolutions, a reopened
ticket, SLA clocks met and breached, surveys, time entries and items, with the query that reads every figure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from models.enums import ItemKind, Priority, StatusCategory
from models.people import Customer, Requester
from models.tickets import Ticket, TicketStatus
from services import conversation, sla_policies, surveys, ticket_items, ticket_update, time_entries
from services.attachments import Limits
from services.sla_policies import Hours, Target
from services.ticket_items import ItemFields
from services.ticket_update import TicketChanges
from tests.clock import TravelClock, frozen_at
from tests.factories import World, as_viewer, make_world

METRICS = """query($period: MetricsPeriod!, $filter: TicketFilter) { ticketMetrics(period: $period, filter: $filter) {
  period { from to }
  firstResponseTime { count medianSeconds p90Seconds averageSeconds businessTimeCount }
  resolutionTime { count medianSeconds p90Seconds averageSeconds businessTimeCount }
  sla { tickets firstResponse { met breached inProgress } resolution { met breached inProgress } }
  createdVsResolved { day created resolved }
  satisfaction { count supportQuality { average distribution } technicianKnowledge { average distribution }
    overallHelpfulness { average distribution } }
  timeByTechnician { technician { id name } billableSeconds nonBillableSeconds totalSeconds }
  timeByCustomer { customer { id name } billableSeconds nonBillableSeconds totalSeconds }
  money { products expenses billable total } } }"""
WEEK = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-05T00:00:00Z"}
LIMITS = Limits(10_000_000, 20_000_000)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


class Desk:
    def __init__(self, world: World, clock: TravelClock) -> None:
        self.world, self.clock = world, clock
        self.admin, self.tom = as_viewer(world.admin), as_viewer(world.technician)

    async def ticket(self, title: str, moment: datetime, **fields: Any) -> Ticket:
        self.clock.to(moment)
        return await self.world.ticket(title, **fields)

    async def reply(self, ticket: Ticket, moment: datetime) -> None:
        self.clock.to(moment)
        await conversation.add_public_reply(self.tom, ticket.id, conversation.Draft(body="On it."), LIMITS)

    async def move(self, ticket: Ticket, category: StatusCategory, moment: datetime) -> None:
        self.clock.to(moment)
        status = await TicketStatus.get(account_id=self.world.account.id, category=category, built_in=True)
        await ticket_update.update(self.admin, ticket.id, TicketChanges(status_id=status.id))


async def hand_built_week(world: World) -> None:
    """Mon 2 .. Wed 4 March 2026 (UTC). A, B, F have no SLA policy (wall-clock time); C, D, E have the
    default policy, business hours Mon-Fri 09:00-17:00 UTC, 60 minutes to respond, 480 to resolve.

    A  created Mon 08:00, reply 08:30 (1,800 s), resolved Mon 10:00 (7,200 s)
    B  created Mon 09:00, reply 12:00 (10,800 s)
    F  created Mon 08:00, resolved Mon 09:00, reopened 11:00, resolved Tue 08:00 (86,400 s)
    C  created Mon 16:30, reply Tue 09:30 (3,600 s business: met at its due time), resolved Tue 15:00
       (23,400 s business: met)
    D  created Tue 10:00 (Otto, no customer), reply Tue 12:00 (7,200 s business: breached, due 11:00),
       unresolved and past its resolution due time (Wed 10:00) at the reading, Wed 11:30
    E  created Wed 11:00: both clocks in progress at 11:30
    """
    with frozen_at(at(2, 7)) as clock:
        desk = Desk(world, clock)
        a = await desk.ticket("A", at(2, 8))
        b = await desk.ticket("B", at(2, 9))
        f = await desk.ticket("F", at(2, 8))
        clock.to(at(2, 8, 5))
        calendar = await sla_policies.create_calendar(
            desk.admin,
            name="Office",
            timezone="UTC",
            hours=[
                Hours(day, "09:00", "17:00")
                for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
            ],
            holidays=[],
        )
        await sla_policies.create_policy(
            desk.admin,
            name="Office hours",
            calendar_id=calendar.id,
            targets=[Target(priority, 60, 480) for priority in Priority],
            is_default=True,
        )
        await desk.reply(a, at(2, 8, 30))
        await desk.move(f, StatusCategory.RESOLVED, at(2, 9))
        await desk.move(a, StatusCategory.RESOLVED, at(2, 10))
        await desk.move(f, StatusCategory.OPEN, at(2, 11))
        await desk.reply(b, at(2, 12))
        c = await desk.ticket("C", at(2, 16, 30))
        await desk.move(f, StatusCategory.RESOLVED, at(3, 8))
        await desk.reply(c, at(3, 9, 30))
        d = await desk.ticket("D", at(3, 10), requester_id=world.other_requester.id)
        await desk.reply(d, at(3, 12))
        await desk.move(c, StatusCategory.RESOLVED, at(3, 15))
        await desk.ticket("E", at(4, 11))

        rita = as_viewer(world.requester)
        clock.to(at(2, 12))
        await surveys.submit(rita, surveys.Ratings(5, 4, 5), ticket_id=a.id)
        clock.to(at(3, 16))
        await surveys.submit(rita, surveys.Ratings(3, 4, 2), ticket_id=c.id)

        entries = [
            (desk.tom, a, at(2, 8, 10), at(2, 8, 40), True),
            (desk.tom, c, at(3, 9), at(3, 10), False),
            (desk.admin, d, at(3, 11), at(3, 11, 15), True),
            (desk.admin, a, datetime(2026, 3, 1, 10, tzinfo=UTC), datetime(2026, 3, 1, 11, tzinfo=UTC), True),
        ]
        clock.to(at(4, 11, 20))
        for viewer, ticket, start, end, billable in entries:
            await time_entries.add(viewer, ticket.id, started_at=start, ended_at=end, billable=billable)
        for ticket, kind, quantity, price, billable, day in (
            (a, ItemKind.PRODUCT, "2", "19.99", True, date(2026, 3, 2)),
            (c, ItemKind.EXPENSE, "1", "12.50", False, date(2026, 3, 4)),
            (d, ItemKind.PRODUCT, "3", "0.10", True, date(2026, 3, 5)),
        ):
            fields = ItemFields(
                kind=kind,
                name=f"{kind} of {ticket.title}",
                quantity=Decimal(quantity),
                unit_price=Decimal(price),
                billable=billable,
                date=day,
            )
            await ticket_items.add(desk.admin, ticket.id, fields)


async def world_with_customer() -> World:
    world = await make_world()
    contoso = await Customer.create(account_id=world.account.id, name="Contoso")
    await Requester.filter(id=world.requester.id).update(customer_id=contoso.id)
    return world
