"""Every filter and sort of the ticket list, and the pages of a ticket, are served by an index.

Each statement the API sends for them is EXPLAINed on PostgreSQL with sequential scans priced out
(``enable_seqscan = off``): a plan that still reads the table from start to end has no index to use.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import asyncpg
import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from app.database import Database
from models.enums import CommentKind
from schema.ids import encode
from services import teams, ticket_update
from services.ticket_update import TicketChanges
from tests.api import Api
from tests.factories import World, add_comment, add_comments, as_viewer, make_world
from tests.sql import recorded_statements

TABLES = (
    "ticket",
    "comment",
    "activity",
    "time_entry",
    "ticket_tag",
    "attachment",
    "requester",
    "tag",
    "ticket_field_value",
    "notification",
)
LISTS = [
    "{ tickets(first: 20) { nodes { id } } }",
    "{ tickets(first: 20, orderBy: OLDEST_FIRST) { nodes { id } } }",
    "{ tickets(first: 20, orderBy: RECENTLY_UPDATED) { nodes { id } } }",
    "{ tickets(first: 20, orderBy: SLA_DUE) { nodes { id } } }",
    "{ tickets(first: 20, filter: {statusCategory: [OPEN, PENDING]}) { nodes { id } } }",
    "{ tickets(first: 20, filter: {priority: [HIGH]}) { nodes { id } } }",
    "{ tickets(first: 20, filter: {type: [INCIDENT]}) { nodes { id } } }",
    "{ tickets(first: 20, filter: {unassigned: true}) { nodes { id } } }",
    "{ tickets(first: 20, filter: {isSpam: true}) { nodes { id } } }",
    "{ tickets(first: 20, filter: {slaBreached: true}) { nodes { id } } }",
    '{ tickets(first: 20, filter: {text: "printer jams"}) { totalCount nodes { id } } }',
    '{ tickets(first: 20, orderBy: RELEVANCE, filter: {text: "printer"}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {createdAt: {from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z"}}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {updatedAt: {from: "2026-01-01T00:00:00Z"}}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {resolvedAt: {from: "2026-01-01T00:00:00Z"}}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {dueAt: {to: "2026-01-01T00:00:00Z"}}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {customerId: ["Q3VzdG9tZXI6MQ"], siteId: ["U2l0ZTox"]}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {departmentId: ["RGVwYXJ0bWVudDox"]}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {tags: {any: ["printer"], all: ["urgent"]}}) { nodes { id } } }',
    "{ tickets(first: 20, filter: {activityStatus: [UNREAD], channel: [EMAIL], merged: false}) { nodes { id } } }",
    '{ tickets(first: 20, filter: {productFamily: ["Hardware"]}) { nodes { id } } }',
    '{ tickets(first: 20, filter: {customFields: [{fieldId: "Q3VzdG9tRmllbGQ6MQ", value: 12}]}) { nodes { id } } }',
    "{ tickets(first: 20, filter: {hasUnreadNotifications: true}) { nodes { id } } }",
]


def _statement(logged: str) -> tuple[str, list[Any]]:
    sql, _, params = logged.rpartition(": [")
    names = {"datetime": datetime, "UUID": uuid.UUID, "tzutc": lambda: datetime.UTC}
    values = eval("[" + params, names)  # noqa: S307 - our own log lines
    return sql, values


EXPLAINED: list[str] = []


async def _sequential_scans(logged: list[str]) -> list[str]:
    found = []
    for line in logged:
        if not line.startswith("SELECT") or not any(f'FROM "{table}"' in line for table in TABLES):
            continue
        sql, values = _statement(line)
        EXPLAINED.append(sql)
        async with in_transaction() as connection:
            await connection.execute_script("SET LOCAL enable_seqscan = off")
            plan = await connection.execute_query_dict(f"EXPLAIN {sql}", values)
        text = "\n".join(row["QUERY PLAN"] for row in plan)
        found += [
            f"{table}: {sql[:200]}" for table in re.findall(r"Seq Scan on (\w+)", text) if table in TABLES
        ]
    return found


async def test_lists_and_pages_use_indexes(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    ticket = await world.ticket()
    for _ in range(3):
        await add_comment(ticket, world.requester)
        await add_comment(ticket, world.technician, kind=CommentKind.INTERNAL_NOTE)
    tid = encode("Ticket", ticket.id)
    pages = [
        f'{{ ticket(id: "{tid}") {{ conversation(first: 2) {{ pageInfo {{ endCursor }} nodes {{ id }} }} }} }}',
        f'{{ ticket(id: "{tid}") {{ activity(first: 20) {{ nodes {{ kind }} }} }} }}',
        f'{{ ticket(id: "{tid}") {{ timeEntries(first: 20) {{ nodes {{ id }} }} tags {{ name }} }} }}',
    ]
    scans = []
    for query in LISTS + pages:
        with recorded_statements() as logged:
            await api.data(query, token=world.technician_token)
        scans += await _sequential_scans(logged)
    cursor = (await api.data(pages[0], token=world.technician_token))["ticket"]["conversation"]["pageInfo"]
    deep = f'{{ ticket(id: "{tid}") {{ conversation(first: 2, after: "{cursor["endCursor"]}") {{ nodes {{ id }} }} }} }}'
    with recorded_statements() as logged:
        await api.data(deep, token=world.technician_token)
    scans += await _sequential_scans(logged)
    assert connections.get("default").capabilities.dialect == "postgres"
    assert len(EXPLAINED) >= len(LISTS) + len(pages) + 1, EXPLAINED
    probe = await _sequential_scans(['SELECT "id" FROM "ticket" WHERE "title"=$1: [\'x\']'])
    assert probe, "the check finds a table read from start to end"
    assert scans == []


async def _plans(logged: list[str], marker: str) -> list[str]:
    """The plans of the statements on comments that contain ``marker``."""
    plans = []
    for line in logged:
        if line.startswith("SELECT") and 'FROM "comment"' in line and marker in line:
            sql, values = _statement(line)
            async with in_transaction() as connection:
                # priced out, as in the test above: whether an index answers, not which plan is cheapest here
                await connection.execute_script(
                    "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"
                )
                rows = await connection.execute_query_dict(f"EXPLAIN {sql}", values)
            plans.append("\n".join(row["QUERY PLAN"] for row in rows))
    return plans


async def test_a_conversations_count_and_its_resolutions_are_read_from_indexes_alone(
    api: Api, backend: str, database: Database
) -> None:
    """The count of a long conversation reads the index, not the rows, and the resolutions read a partial
    index: both scanned the whole conversation before (966 buffers for a count of 5,000 comments)."""
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    ticket = await world.ticket()
    await add_comments(ticket, [world.technician, world.requester], 300)
    await add_comment(ticket, world.technician, is_resolution=True)
    connection = await asyncpg.connect(database.url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute('VACUUM ANALYZE "comment"')  # the visibility map an index-only scan needs
    finally:
        await connection.close()
    query = """query($id: ID!) { ticket(id: $id) { conversation(first: 1) { totalCount }
      publicOnly: conversation(first: 1, filter: PUBLIC_REPLIES) { totalCount } resolution { id } } }"""
    for token in (world.technician_token, world.requester_token):
        with recorded_statements() as logged:
            await api.data(query, {"id": encode("Ticket", ticket.id)}, token=token)
        counts, resolutions = await _plans(logged, "COUNT("), await _plans(logged, '"is_resolution"=')
        assert counts
        assert all("Index Only Scan using idx_comment_ticket__a300dd" in plan for plan in counts), counts
        assert resolutions
        assert all("comment_resolution" in plan for plan in resolutions), resolutions


async def _copies_without_team(ticket_id: int, copies: int) -> None:
    """``copies`` rows like the ticket's, with numbers of their own and no team, and fresh statistics."""
    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'ticket'"
        " AND column_name NOT IN ('id', 'number', 'team_id') AND is_generated = 'NEVER'"
    )
    columns = ", ".join(f'"{row["column_name"]}"' for row in rows)
    await connection.execute_query(
        f'INSERT INTO ticket ({columns}, "number") SELECT {columns}, "number" + g'
        " FROM ticket, generate_series(1, $2) AS g WHERE id = $1",
        [ticket_id, copies],
    )
    await connection.execute_script("ANALYZE ticket")


async def test_the_team_filter_of_the_ticket_list_uses_an_index(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    team = await teams.create_team(as_viewer(world.admin), name="Network")
    ticket = await world.ticket()
    await ticket_update.update(as_viewer(world.admin), ticket.id, TicketChanges(team_id=team.id))
    await _copies_without_team(ticket.id, 500)  # one ticket of 501 in the team: the planner has a choice
    query = (
        f'{{ tickets(first: 20, filter: {{teamId: ["{encode("Team", team.id)}"]}}) {{ nodes {{ id }} }} }}'
    )
    with recorded_statements() as logged:
        assert (await api.data(query, token=world.technician_token))["tickets"]["nodes"]
    listed = [line for line in logged if line.startswith("SELECT") and 'FROM "ticket"' in line]
    assert any('"team_id" IN' in line for line in listed), listed
    assert await _sequential_scans(listed) == []
    # not just any index of the ticket (account and creation time would do, filtering every row): the team's
    index = await connections.get("default").execute_query_dict(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'ticket' AND indexdef LIKE '%team_id%'"
    )
    assert len(index) == 1
    for line in listed:
        sql, values = _statement(line)
        async with in_transaction() as connection:
            await connection.execute_script("SET LOCAL enable_seqscan = off")
            plan = await connection.execute_query_dict(f"EXPLAIN {sql}", values)
        assert index[0]["indexname"] in "\n".join(row["QUERY PLAN"] for row in plan), sql


DASHBOARD_COUNTS = [
    """query($from: DateTime) { tickets(first: 25, filter: {statusCategory: [OPEN, PENDING],
         priority: [HIGH, CRITICAL], createdAt: {from: $from}}) { totalCount nodes { id } } }""",
    "{ ticketCounts(groupBy: [STATUS, ASSIGNEE]) { total groups { count } } }",
]


async def _many_tickets(world: World, database: Database, change: str, *arguments: Any) -> None:
    """2,000 copies of a ticket of the world's account, ``change`` applied to them all (``$1`` is the
    account), then vacuumed: the visibility map an index-only scan needs, and fresh statistics."""
    ticket = await world.ticket()
    await _copies_without_team(ticket.id, 2000)
    connection = await asyncpg.connect(database.url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(change, world.account.id, *arguments)
        await connection.execute('VACUUM ANALYZE "ticket"')
    finally:
        await connection.close()


async def _explained(logged: str, settings: str = "SET LOCAL enable_seqscan = off") -> tuple[str, str]:
    """A logged statement and its plan, with sequential scans priced out."""
    sql, values = _statement(logged)
    async with in_transaction() as transaction:
        await transaction.execute_script(settings)
        plan = await transaction.execute_query_dict(f"EXPLAIN {sql}", values)
    return sql, "\n".join(row["QUERY PLAN"] for row in plan)


async def test_a_dashboards_counts_are_read_from_an_index_alone(
    api: Api, backend: str, database: Database
) -> None:
    """The filtered list's total and the status x assignee counts read an index of the tickets not deleted,
    not the rows: at 200,000 tickets the total read the 45,000 rows of 90 days to count 4,449 of them."""
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    # spread over a year, every status, priority and assignee, as a dashboard's tickets are
    await _many_tickets(
        world,
        database,
        "UPDATE ticket SET priority = (ARRAY['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])[1 + id % 4],"
        " created_at = created_at - (id % 365) * interval '1 day', assignee_id = CASE WHEN id % 3 = 0"
        " THEN $2::int END, status_id = (SELECT s.id FROM ticket_status s WHERE s.account_id = $1"
        " ORDER BY s.id OFFSET ticket.id % (SELECT count(*) FROM ticket_status WHERE account_id = $1)"
        " LIMIT 1) WHERE account_id = $1",
        world.technician.id,
    )
    since = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=90)).isoformat()
    for query in DASHBOARD_COUNTS:
        with recorded_statements() as logged:
            await api.data(query, {"from": since}, token=world.technician_token)
        counts = [line for line in logged if line.startswith("SELECT") and "COUNT(" in line]
        assert counts, logged
        for line in counts:
            sql, text = await _explained(line)
            assert "Index Only Scan using ticket_listed_by_status_" in text, (sql, text)


async def test_a_text_search_reads_each_matching_ticket_once(api: Api, backend: str) -> None:
    """The page and total of a search read the matching tickets' rows once, through one bitmap of the title
    and description index ORed with the primary key of the tickets of matching comments: they read each
    matching row twice before (its account through ``id IN (... UNION ...)``, then the list's conditions
    by primary key: 10,000 heap pages and 10,000 probes per statement for 10,000 matches of 200,000)."""
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    await world.ticket("Quokka wombat")
    other = await world.ticket("Unrelated")
    await add_comment(other, world.technician, kind=CommentKind.INTERNAL_NOTE, body="quokka and wombat")
    await _copies_without_team(other.id, 2000)  # two matches of 2,002: an index is worth reading
    query = '{ tickets(first: 25, filter: {text: "quokka wombat"}) { totalCount nodes { title } } }'
    with recorded_statements() as logged:
        data = (await api.data(query, token=world.technician_token))["tickets"]
    assert data["totalCount"] == 2
    searched = [line for line in logged if line.startswith("SELECT") and "search_vector" in line]
    assert len(searched) == 2, logged  # the page and its total
    for line in searched:
        sql, values = _statement(line)
        async with in_transaction() as connection:
            plan = await connection.execute_query_dict(f"EXPLAIN {sql}", values)
        text = "\n".join(row["QUERY PLAN"] for row in plan)
        assert "BitmapOr" in text, text
        assert "Bitmap Index Scan on ticket_search_vector" in text, text
        assert "Bitmap Index Scan on ticket_pkey" in text, text
        assert re.findall(r"Scan(?: using \w+)? on (ticket)\b", text) == ["ticket"], text


METRICS_OF_TICKETS = """query($from: DateTime!, $to: DateTime!) { ticketMetrics(period: {from: $from, to: $to}) {
  firstResponseTime { medianSeconds p90Seconds averageSeconds businessTimeCount }
  resolutionTime { medianSeconds p90Seconds averageSeconds businessTimeCount }
  sla { tickets firstResponse { met } } createdVsResolved { created resolved } } }"""


async def test_a_periods_durations_sla_and_days_are_read_from_indexes_alone(
    api: Api, backend: str, database: Database
) -> None:
    """ticketMetrics' statements on tickets (the two durations, SLA compliance, created and resolved per
    day) read index entries, not ticket rows (migration 0021): at 200,000 tickets each read the rows of the
    30,000 to 45,000 tickets of 90 days, the durations of the tickets met in the period with no index."""
    if backend != "postgres":
        pytest.skip("plans are checked on PostgreSQL")
    world = await make_world()
    await _many_tickets(
        world,
        database,
        "UPDATE ticket SET created_at = now() - (id % 365) * interval '1 day',"
        " first_responded_at = now() - (id % 365) * interval '1 day' + interval '1 hour',"
        " first_response_seconds = 3600, resolved_at = CASE WHEN id % 2 = 0"
        " THEN now() - (id % 365) * interval '1 day' + interval '1 day' END,"
        " resolution_seconds = CASE WHEN id % 2 = 0 THEN 86400 END WHERE account_id = $1",
    )
    now = datetime.datetime.now(datetime.UTC)
    period = {"from": (now - datetime.timedelta(days=90)).isoformat(), "to": now.isoformat()}
    with recorded_statements() as logged:
        await api.data(METRICS_OF_TICKETS, period, token=world.technician_token)
    statements = [line for line in logged if line.startswith("SELECT") and 'FROM "ticket"' in line]
    assert len(statements) == 5, statements
    for line in statements:
        sql, text = await _explained(
            line, "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"
        )
        assert "Index Only Scan" in text, (sql, text)
        for column, index in (
            ("first_response_seconds", "ticket_first_responses"),
            ("resolution_seconds", "ticket_resolutions"),
            ("first_response_due_at", "ticket_created_with_sla"),
        ):
            if column in sql:
                assert f"Index Only Scan using {index}" in text, (sql, text)
