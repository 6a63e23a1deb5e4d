"""Dashboard figures: ticketCounts and ticketMetrics (the filter is the one `tickets` takes)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.inputs import MetricsPeriod, TicketFilter
from schema.ticket_filter import checked
from schema.types.dashboards import TicketCounts, count_groups
from schema.types.metrics import TicketMetrics
from services import ticket_counts, ticket_metrics
from services.errors import ValidationFailed
from services.ticket_counts import CountDimension

FilterArgument = Annotated[
    TicketFilter | None,
    strawberry.argument(description="Conditions, all of which must hold (the filter of `tickets`)."),
]


def _refused(error: ValidationFailed) -> ClientError:
    return ClientError(
        " ".join(f"`{field}`: {message}" for field, message in error.fields.items()), BAD_USER_INPUT
    )


async def counts(
    info: Info,
    group_by: Annotated[
        list[CountDimension],
        strawberry.argument(description="One or two different dimensions; two give a group per pair."),
    ],
    filter: FilterArgument = None,
) -> TicketCounts:
    conditions = checked(info, filter)
    try:
        found = await ticket_counts.count(info.context.viewer, conditions, list(group_by))
    except ValidationFailed as error:
        raise _refused(error) from error
    return TicketCounts(total=found.total, groups=await count_groups(info, list(group_by), found))


async def metrics(
    info: Info,
    period: Annotated[
        MetricsPeriod, strawberry.argument(description="UTC instants [from, to), at most the metrics limit.")
    ],
    filter: FilterArgument = None,
) -> TicketMetrics:
    viewer = info.context.require_technician()
    conditions = checked(info, filter)
    try:
        window = ticket_metrics.period(period.start, period.end, info.context.environment.max_metrics_days)
    except ValidationFailed as error:
        raise _refused(error) from error
    return TicketMetrics(viewer=viewer, conditions=conditions, window=window)
