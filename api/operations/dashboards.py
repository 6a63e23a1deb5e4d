"""Dashboard figures: counts by dimension and the metrics of a period."""

from __future__ import annotations

import strawberry

from resolvers import dashboard_queries
from schema.types.dashboards import TicketCounts
from schema.types.metrics import TicketMetrics


@strawberry.type
class DashboardQueries:
    ticket_counts: TicketCounts = strawberry.field(
        resolver=dashboard_queries.counts,
        description="How many visible tickets match a filter, grouped by one or two dimensions (requesters "
        "count their own tickets). Costs 1,000 nodes of the node budget.",
    )
    ticket_metrics: TicketMetrics = strawberry.field(
        resolver=dashboard_queries.metrics,
        description="Response and resolution times, SLA compliance, created vs resolved, satisfaction, "
        "time and money of a period (technicians only). Costs 2,000 nodes of the node budget.",
    )
