"""ticketMetrics: every figure of a hand-built week checked against the hand computation, percentiles
against PostgreSQL's percentile_cont and Python's statistics, visibility, limits and the node budget."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from tortoise import connections

from app.database import Database
from schema.ids import encode
from services.metric_stats import BusinessClock, percentile, seconds_of
from services.sla import calendar_from
from services.sla_engine import elapsed_seconds
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import make_world
from tests.sql import recorded_statements
from tests.support.metrics_week import METRICS, WEEK, at, hand_built_week, world_with_customer


async def test_every_figure_of_a_hand_built_week(api: Api) -> None:
    world = await world_with_customer()
    await hand_built_week(world)
    other = await make_world("Globex")
    await other.ticket("Not ours")

    with frozen_at(at(4, 11, 30)):
        data = (await api.data(METRICS, {"period": WEEK}, token=world.technician_token))["ticketMetrics"]
    assert data["period"] == {"from": "2026-03-02T00:00:00+00:00", "to": "2026-03-05T00:00:00+00:00"}
    # A 1,800 and B 10,800 wall-clock; C 3,600 and D 7,200 business: sorted 1800 3600 7200 10800.
    assert data["firstResponseTime"] == {
        "count": 4,
        "medianSeconds": 5400.0,
        "p90Seconds": 9720.0,  # position 2.7: 7200 + 0.7 x 3600
        "averageSeconds": 5850.0,
        "businessTimeCount": 2,
    }
    # A 7,200 wall-clock, C 23,400 business, F 86,400 wall-clock to its second resolution.
    assert data["resolutionTime"] == {
        "count": 3,
        "medianSeconds": 23400.0,
        "p90Seconds": 73800.0,  # position 1.8: 23400 + 0.8 x 63000
        "averageSeconds": 39000.0,
        "businessTimeCount": 1,
    }
    assert data["sla"] == {
        "tickets": 3,
        "firstResponse": {"met": 1, "breached": 1, "inProgress": 1},
        "resolution": {"met": 1, "breached": 1, "inProgress": 1},
    }
    assert data["createdVsResolved"] == [
        {"day": "2026-03-02", "created": 4, "resolved": 1},
        {"day": "2026-03-03", "created": 1, "resolved": 2},
        {"day": "2026-03-04", "created": 1, "resolved": 0},
    ]
    assert data["satisfaction"] == {
        "count": 2,
        "supportQuality": {"average": 4.0, "distribution": [0, 0, 1, 0, 1]},
        "technicianKnowledge": {"average": 4.0, "distribution": [0, 0, 0, 2, 0]},
        "overallHelpfulness": {"average": 3.5, "distribution": [0, 1, 0, 0, 1]},
    }
    assert data["timeByTechnician"] == [
        {
            "technician": {"id": encode("Technician", world.technician.id), "name": "Tom Tech"},
            "billableSeconds": 1800,
            "nonBillableSeconds": 3600,
            "totalSeconds": 5400,
        },
        {
            "technician": {"id": encode("Technician", world.admin.id), "name": "Ada Admin"},
            "billableSeconds": 900,
            "nonBillableSeconds": 0,
            "totalSeconds": 900,
        },
    ]
    assert [
        (t["customer"] and t["customer"]["name"], t["billableSeconds"], t["nonBillableSeconds"])
        for t in data["timeByCustomer"]
    ] == [
        ("Contoso", 1800, 3600),
        (None, 900, 0),
    ]
    assert data["money"] == {"products": "39.98", "expenses": "12.50", "billable": "39.98", "total": "52.48"}

    otto = encode("Requester", world.other_requester.id)
    with frozen_at(at(4, 11, 30)):
        only_d = await api.data(
            METRICS, {"period": WEEK, "filter": {"requesterId": otto}}, token=world.admin_token
        )
    figures = only_d["ticketMetrics"]
    assert figures["firstResponseTime"]["medianSeconds"] == 7200.0
    assert figures["resolutionTime"]["count"] == 0
    assert figures["resolutionTime"]["medianSeconds"] is None
    assert figures["sla"]["firstResponse"] == {"met": 0, "breached": 1, "inProgress": 0}
    assert figures["satisfaction"]["count"] == 0
    assert figures["money"]["total"] == "0.00"
    assert [t["totalSeconds"] for t in figures["timeByCustomer"]] == [900]

    outsider = await api.data(METRICS, {"period": WEEK}, token=other.technician_token)
    assert outsider["ticketMetrics"]["firstResponseTime"]["count"] == 0
    assert outsider["ticketMetrics"]["timeByTechnician"] == []
    assert sum(day["created"] for day in outsider["ticketMetrics"]["createdVsResolved"]) == 0


async def test_each_figure_costs_its_own_statements(api: Api) -> None:
    world = await world_with_customer()
    query = """query($period: MetricsPeriod!) { ticketMetrics(period: $period) {
      firstResponseTime { medianSeconds } resolutionTime { p90Seconds } } }"""
    await api.data("{ viewer { account { name } } }", token=world.technician_token)
    with recorded_statements() as statements:
        await api.data(query, {"period": WEEK}, token=world.technician_token)
    assert len(statements) == 3, statements  # the token and one read of the tickets per duration
    with recorded_statements() as statements:
        await api.data(METRICS, {"period": WEEK}, token=world.technician_token)
    # the token, 2 durations, SLA, created, resolved, surveys, 2 x time, items
    assert len(statements) == 10, statements


async def test_requesters_and_bad_periods_are_refused(api: Api, db: Database) -> None:
    world = await world_with_customer()
    errors = await api.errors(METRICS, {"period": WEEK}, token=world.requester_token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    for period, wrong in (
        ({"from": "2026-03-05T00:00:00Z", "to": "2026-03-02T00:00:00Z"}, "period.to"),
        ({"from": "2025-01-01T00:00:00Z", "to": "2026-01-03T00:00:00Z"}, "period.to"),
        ({"from": "2026-03-02T00:00:00", "to": "2026-03-05T00:00:00Z"}, "period.from"),
    ):
        errors = await api.errors(METRICS, {"period": period}, token=world.technician_token)
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", period
        assert wrong in errors[0]["message"]
    year = {"from": "2025-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"}
    assert (await api.data(METRICS, {"period": year}, token=world.technician_token))["ticketMetrics"]
    two_days = Api(db, max_metrics_days=2)
    errors = await two_days.errors(METRICS, {"period": WEEK}, token=world.technician_token)
    assert errors[0]["message"] == "`period.to`: A period is at most 2 days long."


async def test_counts_and_metrics_spend_the_node_budget(api: Api) -> None:
    world = await world_with_customer()
    five = " ".join(
        f'm{i}: ticketMetrics(period: {{from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z"}}) {{ sla {{ tickets }} }}'
        for i in range(5)
    )
    counts = " ".join(f"c{i}: ticketCounts(groupBy: [STATUS]) {{ total }}" for i in range(11))
    assert await api.data("{ " + five + " }", token=world.technician_token)
    for document in ("{ " + five + " c: ticketCounts(groupBy: [STATUS]) { total } }", "{ " + counts + " }"):
        errors = await api.errors(document, token=world.technician_token)
        assert errors[0]["extensions"]["code"] == "QUERY_TOO_LARGE", errors
        assert "11000 nodes" in errors[0]["message"]


@given(st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=60))
def test_percentiles_are_those_of_the_statistics_module(durations: list[int]) -> None:
    ordered = sorted(durations)
    assert percentile(ordered, 0.5) == statistics.median(ordered)
    if len(ordered) > 1:
        deciles = statistics.quantiles(ordered, n=10, method="inclusive")
        assert abs((percentile(ordered, 0.9) or 0) - deciles[8]) <= 1e-6 * max(1, deciles[8])


async def test_percentiles_are_those_of_postgresql(backend: str, db: object) -> None:
    """On PostgreSQL the same figures as its percentile_cont, on random durations; on SQLite, as the
    statistics module (above)."""
    if backend != "postgres":
        return
    generator = random.Random(24)
    connection = connections.get("default")
    for _ in range(40):
        durations = [generator.randrange(0, 5_000_000) for _ in range(generator.randrange(1, 80))]
        rows = await connection.execute_query_dict(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS m, "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p FROM unnest($1::bigint[]) AS x",
            [durations],
        )
        ordered = sorted(durations)
        assert percentile(ordered, 0.5) == rows[0]["m"]
        assert percentile(ordered, 0.9) == rows[0]["p"]


CALENDARS = [
    None,
    calendar_from("UTC", {day: [["09:00", "17:00"]] for day in ("MONDAY", "TUESDAY", "FRIDAY")}, []),
    calendar_from(
        "Europe/Rome",
        {"MONDAY": [["00:00", "02:30"], ["08:00", "12:00"]], "SUNDAY": [["01:30", "03:30"]]},
        ["2026-10-26"],
    ),
    calendar_from("America/St_Johns", {"SATURDAY": [["00:00", "24:00"]]}, []),
]
ORIGIN = datetime(2026, 10, 1, tzinfo=UTC)
"""October: Rome and St John's leave summer time in the range."""


@given(
    st.sampled_from(range(len(CALENDARS))),
    st.lists(st.integers(min_value=0, max_value=60 * 86_400 * 10), min_size=2, max_size=12),
)
def test_the_business_clock_counts_as_the_sla_engine_does(which: int, tenths: list[int]) -> None:
    calendar = CALENDARS[which]
    moments = [ORIGIN + timedelta(seconds=tenth / 10) for tenth in tenths]
    clock = BusinessClock(calendar, seconds_of(min(moments)), seconds_of(max(moments)))
    for start, end in pairwise(moments):
        assert clock.elapsed(start, end) == elapsed_seconds(calendar, start, end)
