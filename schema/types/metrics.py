"""The metrics of a period, for dashboards: each field computes its own figure (services.ticket_metrics),
so a request runs only the statements of what it selects."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from schema.context import Info
from schema.types.actions import ItemTotals
from schema.types.people import Customer, Technician
from services import metric_stats, ticket_metrics
from services.metric_stats import Period
from services.ticket_filters import TicketConditions
from services.viewer import Viewer


@strawberry.type(description="Order statistics of durations, in seconds (null when there are none).")
class DurationStats:
    count: int = strawberry.field(description="Tickets measured.")
    median_seconds: float | None = strawberry.field(description="The median (percentile_cont 0.5).")
    p90_seconds: float | None = strawberry.field(description="The 90th percentile (percentile_cont 0.9).")
    average_seconds: float | None = strawberry.field(description="The mean.")
    business_time_count: int = strawberry.field(
        description="How many were measured in business time (their SLA policy has a business calendar)."
    )


@strawberry.type(description="One SLA clock's outcome over the tickets with an SLA policy.")
class ClockCompliance:
    met: int = strawberry.field(description="Met by the due time.")
    breached: int = strawberry.field(description="Met late, or not met and past the due time.")
    in_progress: int = strawberry.field(description="Not met and not past the due time (or paused).")


@strawberry.type(description="SLA compliance of the tickets with an SLA policy created in the period.")
class SlaCompliance:
    tickets: int = strawberry.field(description="Tickets with an SLA policy created in the period.")
    first_response: ClockCompliance = strawberry.field(description="The first-response clock.")
    resolution: ClockCompliance = strawberry.field(description="The resolution clock.")


@strawberry.type(description="One UTC day of the period.")
class DayFlow:
    day: date = strawberry.field(description="The UTC day.")
    created: int = strawberry.field(description="Tickets created that day.")
    resolved: int = strawberry.field(description="Tickets resolved that day (and still resolved).")


@strawberry.type(description="The answers to one survey question.")
class RatingStats:
    average: float | None = strawberry.field(description="Mean rating, 1 to 5; null without answers.")
    distribution: list[int] = strawberry.field(
        description="How many answers gave 1, 2, 3, 4 and 5 (five numbers)."
    )


@strawberry.type(description="Satisfaction surveys answered in the period.")
class SatisfactionMetrics:
    count: int = strawberry.field(description="Surveys answered.")
    support_quality: RatingStats = strawberry.field(description="'How was the support?'")
    technician_knowledge: RatingStats = strawberry.field(description="'Did the technician know?'")
    overall_helpfulness: RatingStats = strawberry.field(description="'How helpful was it overall?'")


@strawberry.type(description="Time tracked by one technician in the period.")
class TechnicianTime:
    technician_pk: strawberry.Private[int]
    billable_seconds: int = strawberry.field(description="Billable seconds.")
    non_billable_seconds: int = strawberry.field(description="Seconds not billable.")
    total_seconds: int = strawberry.field(description="All seconds.")

    @strawberry.field(description="The technician.")
    async def technician(self, info: Info) -> Technician | None:
        row = await info.context.loaders.technician_by_id.load(self.technician_pk)
        return Technician.from_model(row) if row else None


@strawberry.type(description="Time tracked on one customer's tickets in the period.")
class CustomerTime:
    customer_pk: strawberry.Private[int | None]
    billable_seconds: int = strawberry.field(description="Billable seconds.")
    non_billable_seconds: int = strawberry.field(description="Seconds not billable.")
    total_seconds: int = strawberry.field(description="All seconds.")

    @strawberry.field(description="The customer; null for the tickets of requesters without one.")
    async def customer(self, info: Info) -> Customer | None:
        if self.customer_pk is None:
            return None
        row = await info.context.loaders.customer_by_id.load(self.customer_pk)
        return Customer.from_model(row) if row else None


@strawberry.type(description="The period metrics were computed over: UTC instants [from, to).")
class TicketMetricsPeriod:
    start: datetime = strawberry.field(name="from", description="First instant (included).")
    end: datetime = strawberry.field(name="to", description="Last instant (excluded).")


def _durations(found: metric_stats.DurationStats) -> DurationStats:
    return DurationStats(
        count=found.count,
        median_seconds=found.median,
        p90_seconds=found.p90,
        average_seconds=found.average,
        business_time_count=found.business_count,
    )


def _rating(found: ticket_metrics.Rating) -> RatingStats:
    return RatingStats(average=found.average, distribution=list(found.distribution))


def _clock(found: ticket_metrics.ClockCompliance) -> ClockCompliance:
    return ClockCompliance(met=found.met, breached=found.breached, in_progress=found.in_progress)


@strawberry.type(
    description="Metrics of the tickets a filter keeps over a period; docs/dashboards.md defines each figure."
)
class TicketMetrics:
    viewer: strawberry.Private[Viewer]
    conditions: strawberry.Private[TicketConditions]
    window: strawberry.Private[Period]

    @strawberry.field(description="The period: UTC instants [from, to).")
    def period(self) -> TicketMetricsPeriod:
        return TicketMetricsPeriod(start=self.window.start, end=self.window.end)

    @strawberry.field(
        description="Creation to first public reply of a technician, for tickets first answered in the period."
    )
    async def first_response_time(self) -> DurationStats:
        return _durations(
            await ticket_metrics.durations(self.viewer, self.conditions, self.window, "first_response")
        )

    @strawberry.field(description="Creation to resolution, for tickets resolved in the period.")
    async def resolution_time(self) -> DurationStats:
        return _durations(
            await ticket_metrics.durations(self.viewer, self.conditions, self.window, "resolution")
        )

    @strawberry.field(description="SLA outcomes of the tickets with an SLA policy created in the period.")
    async def sla(self) -> SlaCompliance:
        found = await ticket_metrics.sla_compliance(self.viewer, self.conditions, self.window)
        return SlaCompliance(
            tickets=found.tickets,
            first_response=_clock(found.first_response),
            resolution=_clock(found.resolution),
        )

    @strawberry.field(description="Every UTC day of the period: tickets created and resolved.")
    async def created_vs_resolved(self) -> list[DayFlow]:
        found = await ticket_metrics.created_and_resolved(self.viewer, self.conditions, self.window)
        return [DayFlow(day=flow.day, created=flow.created, resolved=flow.resolved) for flow in found]

    @strawberry.field(description="Surveys answered in the period about the tickets.")
    async def satisfaction(self) -> SatisfactionMetrics:
        found = await ticket_metrics.satisfaction(self.viewer, self.conditions, self.window)
        return SatisfactionMetrics(
            count=found.count,
            support_quality=_rating(found.ratings["support_quality"]),
            technician_knowledge=_rating(found.ratings["technician_knowledge"]),
            overall_helpfulness=_rating(found.ratings["overall_helpfulness"]),
        )

    @strawberry.field(description="Time entries started in the period, per technician, most time first.")
    async def time_by_technician(self) -> list[TechnicianTime]:
        found = await ticket_metrics.time_tracked(self.viewer, self.conditions, self.window, "technician_id")
        return [
            TechnicianTime(
                technician_pk=int(entry.key or 0),
                billable_seconds=entry.billable_seconds,
                non_billable_seconds=entry.non_billable_seconds,
                total_seconds=entry.total_seconds,
            )
            for entry in found
        ]

    @strawberry.field(description="Time entries started in the period, per customer, most time first.")
    async def time_by_customer(self) -> list[CustomerTime]:
        found = await ticket_metrics.time_tracked(
            self.viewer, self.conditions, self.window, "ticket__requester__customer_id"
        )
        return [
            CustomerTime(
                customer_pk=entry.key,
                billable_seconds=entry.billable_seconds,
                non_billable_seconds=entry.non_billable_seconds,
                total_seconds=entry.total_seconds,
            )
            for entry in found
        ]

    @strawberry.field(description="Products and expenses dated on a UTC day of the period, in Decimal.")
    async def money(self) -> ItemTotals:
        found = await ticket_metrics.money(self.viewer, self.conditions, self.window)
        return ItemTotals(
            products=found.products, expenses=found.expenses, billable=found.billable, total=found.total
        )
