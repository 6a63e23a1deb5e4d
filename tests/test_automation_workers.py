"""Automation rules across two real server processes on one PostgreSQL database: a process killed with
kill -9 in the middle of a rule's run neither loses the run nor has it done twice.

The rule tags a new ticket and writes a note. The test holds an uncommitted row of the same tag, so the
rule's run on server A waits on it, inside its transaction; A is killed there. Server B's recovery job
takes the run over once A's lease has run out (2 s) and does it once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import POSTGRES_URL, PostgresDatabases, require
from tests.processes import Cluster, cluster
from tests.servers import admin_of_new_account, deskql
from tests.waiting import eventually


@dataclass
class Setup:
    cluster: Cluster
    database_url: str
    admin: str
    requester_id: str
    account_id: int


async def graphql(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture(scope="module")
async def setup(
    postgres_databases: PostgresDatabases | None, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Setup]:
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create()
    folder = tmp_path_factory.mktemp("automation")
    with cluster(
        database_url, redis_url, folder, 2, automation_check_seconds="0.3", automation_lease_seconds="2"
    ) as running:
        assert deskql("migrate", env=running.env, cwd=folder).returncode == 0
        admin = admin_of_new_account(running.env, folder)
        base = running.servers[0].http
        people = await graphql(
            base,
            admin,
            """mutation { createRequester(input: {name: "Rita Requester", email: "rita@client.test"}) {
              ... on CreateRequesterSuccess { requester { id } } } }""",
        )
        rule = await graphql(
            base,
            admin,
            """mutation { createAutomationRule(input: {name: "Welcome", definition: {
              trigger: {kind: TICKET_CREATED},
              actions: [{kind: ADD_TAGS, tags: ["vip"]}, {kind: ADD_NOTE, text: "Welcome aboard."}]}}) {
              __typename } }""",
        )
        assert rule["createAutomationRule"]["__typename"] == "AutomationRuleSuccess"
        connection = await asyncpg.connect(database_url)
        account_id = await connection.fetchval("SELECT id FROM account")
        await connection.close()
        yield Setup(running, database_url, admin, people["createRequester"]["requester"]["id"], account_id)


async def _waiting_on_the_tag(connection: asyncpg.Connection) -> bool:
    waiting = await connection.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO \"tag\"%'"
    )
    return bool(waiting)


async def test_a_worker_killed_mid_run_has_its_rule_run_once_by_another(setup: Setup) -> None:
    a, b = setup.cluster.servers
    holder = await asyncpg.connect(setup.database_url)
    observer = await asyncpg.connect(setup.database_url)
    try:
        holding = holder.transaction()
        await holding.start()
        await holder.execute("INSERT INTO tag (account_id, name) VALUES ($1, 'vip')", setup.account_id)
        create = """mutation($input: CreateTicketInput!) { createTicket(input: $input) { __typename } }"""
        request = asyncio.create_task(
            graphql(
                a.http,
                setup.admin,
                create,
                {"input": {"title": "New laptop", "requesterId": setup.requester_id}},
            )
        )
        await eventually(lambda: _waiting_on_the_tag(observer), within=20)
        assert await observer.fetchval("SELECT count(*) FROM automation_work") == 1
        a.kill()
        request.cancel()
        await holding.rollback()

        async def done() -> bool:
            return await observer.fetchval("SELECT count(*) FROM automation_work") == 0

        await eventually(done, within=30)
        ticket_id = await observer.fetchval("SELECT id FROM ticket WHERE title = 'New laptop'")
        notes = "SELECT count(*) FROM comment WHERE ticket_id = $1 AND kind = 'INTERNAL_NOTE'"
        assert await observer.fetchval(notes, ticket_id) == 1
        assert (
            await observer.fetchval("SELECT count(*) FROM automation_run WHERE ticket_id = $1", ticket_id)
            == 1
        )
        tagged = (
            "SELECT count(*) FROM ticket_tag JOIN tag ON tag.id = ticket_tag.tag_id"
            " WHERE ticket_id = $1 AND tag.name = 'vip'"
        )
        assert await observer.fetchval(tagged, ticket_id) == 1
        # Another change on the surviving server runs the rule at once, and only for its own ticket.
        await graphql(
            b.http, setup.admin, create, {"input": {"title": "Second", "requesterId": setup.requester_id}}
        )
        assert await observer.fetchval("SELECT count(*) FROM comment WHERE kind = 'INTERNAL_NOTE'") == 2
    finally:
        await holder.close()
        await observer.close()
