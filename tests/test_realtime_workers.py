"""Realtime across real uvicorn workers with a real Redis: delivery, presence, crashes, outages, slow readers.

Three single-worker servers (A, B, C) share one PostgreSQL database and a Redis server of this module's
own, which the outage test stops and starts again. Presence runs with a 3 s TTL and a 0.5 s heartbeat;
subscribers may fall 50 events behind.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES_URL, PostgresDatabases, require
from tests.processes import Cluster, RedisServer, cluster
from tests.servers import deskql
from tests.ws import StalledClient, WSClient

UPDATES = (
    "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes ticket { priority version } } }"
)
PRESENCE = "subscription($id: ID!) { ticketPresence(ticketId: $id) { totalCount collaborators { technician { name } state } } }"
TTL = 3.0


@dataclass
class Setup:
    cluster: Cluster
    redis: RedisServer
    admin: str
    tom: str
    requester_id: str


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def setup(
    redis_server: RedisServer,
    postgres_databases: PostgresDatabases | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Setup]:
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create()
    folder = tmp_path_factory.mktemp("workers")
    with cluster(
        database_url,
        redis_server.url,
        folder,
        3,
        presence_ttl_seconds=str(TTL),
        presence_heartbeat_seconds="0.5",
        subscriber_queue_size="50",  # more than the events of the outage test, far less than the slow one's
    ) as running:
        env = running.env
        assert deskql("migrate", env=env, cwd=folder).returncode == 0
        created = deskql(
            "create-account",
            "--name",
            "Acme",
            "--admin-email",
            "ada@acme.test",
            "--admin-name",
            "Ada Admin",
            env=env,
            cwd=folder,
        )
        admin = created.stdout.strip().splitlines()[-1]
        people = await graphql(
            running.servers[0].http,
            admin,
            """mutation {
          createTechnician(input: {name: "Tom Tech", email: "tom@acme.test"}) { __typename }
          createRequester(input: {name: "Rita Requester", email: "rita@client.test"}) { ... on CreateRequesterSuccess { requester { id } } } }""",
        )
        tom = deskql("create-token", "--email", "tom@acme.test", env=env, cwd=folder).stdout.strip()
        yield Setup(running, redis_server, admin, tom, people["createRequester"]["requester"]["id"])


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


async def new_ticket(setup: Setup, title: str = "Laptop overheats", description: str = "") -> str:
    data = await graphql(
        setup.cluster.servers[0].http,
        setup.admin,
        """mutation($input: CreateTicketInput!) {
      createTicket(input: $input) { ... on CreateTicketSuccess { ticket { id } } } }""",
        {"input": {"title": title, "description": description, "requesterId": setup.requester_id}},
    )
    ticket_id: str = data["createTicket"]["ticket"]["id"]
    return ticket_id


async def set_priority(base: str, token: str, ticket_id: str, priority: str) -> None:
    await graphql(
        base,
        token,
        "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { __typename } }",
        {"id": ticket_id, "p": priority},
    )


async def until(client: WSClient, predicate: Any, within: float) -> dict[str, Any]:
    """Read results until one satisfies ``predicate``; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "the expected event did not arrive in time"
        data = await client.next(within=remaining)
        if predicate(data):
            return data


async def test_a_change_served_by_one_worker_reaches_a_subscriber_on_another(setup: Setup) -> None:
    a, b, _ = setup.cluster.servers
    ticket = await new_ticket(setup)
    subscriber = await WSClient.open(b.ws, setup.tom)
    await subscriber.subscribe(UPDATES, {"id": ticket})
    assert (await subscriber.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    await set_priority(a.http, setup.admin, ticket, "CRITICAL")
    event = await until(subscriber, lambda d: d["ticketUpdated"]["kind"] == "TICKET_UPDATED", within=5)
    assert event["ticketUpdated"]["ticket"]["priority"] == "CRITICAL"
    await subscriber.close()


def names(data: dict[str, Any]) -> list[str]:
    return [c["technician"]["name"] for c in data["ticketPresence"]["collaborators"]]


async def test_presence_joins_and_leaves_are_seen_across_workers(setup: Setup) -> None:
    a, b, _ = setup.cluster.servers
    ticket = await new_ticket(setup)
    ada = await WSClient.open(a.ws, setup.admin)
    await ada.subscribe(PRESENCE, {"id": ticket})
    assert names(await ada.next()) == ["Ada Admin"]
    tom = await WSClient.open(b.ws, setup.tom)
    await tom.subscribe(PRESENCE, {"id": ticket})
    await until(ada, lambda d: names(d) == ["Ada Admin", "Tom Tech"], within=5)
    left_at = time.monotonic()
    await tom.close()
    await until(ada, lambda d: names(d) == ["Ada Admin"], within=2)
    assert time.monotonic() - left_at < TTL  # removed at once, not by expiry
    await ada.close()


async def test_a_slow_subscriber_is_cut_off_without_hurting_the_others(setup: Setup) -> None:
    a, b, _ = setup.cluster.servers
    ticket = await new_ticket(setup, "Huge logs", description="x" * 60_000)
    heavy = "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind ticket { description version } } }"
    slow = StalledClient.open(b.ws, setup.tom)
    slow.send({"id": "1", "type": "subscribe", "payload": {"query": heavy, "variables": {"id": ticket}}})
    fast = await WSClient.open(b.ws, setup.admin)
    await fast.subscribe(UPDATES, {"id": ticket})
    await fast.next()
    priorities = ["LOW", "HIGH"]
    for i in range(120):  # two events each, 60 kB apiece for the slow reader: megabytes it never reads
        await set_priority(a.http, setup.admin, ticket, priorities[i % 2])
    kinds = [(await fast.next(within=10))["ticketUpdated"]["kind"] for _ in range(240)]
    assert (
        kinds.count("TICKET_UPDATED") == kinds.count("ACTIVITY_ADDED") == 120
    )  # missed nothing, not held up
    received = 0
    while True:  # now the slow one reads: what was buffered, then the reason it was cut off
        message = await asyncio.to_thread(slow.receive)
        assert message["type"] == "next", message
        if "errors" not in message["payload"]:
            received += 1
            continue
        assert message["payload"]["errors"][0]["extensions"]["code"] == "TOO_SLOW"
        assert (await asyncio.to_thread(slow.receive))["type"] == "complete"
        break
    assert received < 240
    slow.close()
    await fast.close()


async def test_a_killed_workers_presence_disappears_within_the_ttl(setup: Setup) -> None:
    a, _, c = setup.cluster.servers
    ticket = await new_ticket(setup)
    ada = await WSClient.open(a.ws, setup.admin)
    await ada.subscribe(PRESENCE, {"id": ticket})
    await ada.next()
    tom = await WSClient.open(c.ws, setup.tom)
    await tom.subscribe(PRESENCE, {"id": ticket})
    await until(ada, lambda d: "Tom Tech" in names(d), within=5)
    killed_at = time.monotonic()
    c.kill()
    await until(ada, lambda d: names(d) == ["Ada Admin"], within=TTL + 3)
    assert time.monotonic() - killed_at <= TTL + 2
    await ada.close()


async def test_while_redis_is_down_mutations_answer_at_once_and_subscribers_get_resync_once_it_is_back(
    setup: Setup,
) -> None:
    a, b, _ = setup.cluster.servers
    ticket = await new_ticket(setup)
    subscriber = await WSClient.open(b.ws, setup.tom)
    await subscriber.subscribe(UPDATES, {"id": ticket})
    await subscriber.next()
    setup.redis.stop()
    priorities = ["HIGH", "LOW"]
    async with httpx.AsyncClient(base_url=a.http, timeout=30) as client:
        for i in range(20):  # committed while the broadcast is down
            started = time.monotonic()
            response = await client.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { __typename } }",
                    "variables": {"id": ticket, "p": priorities[i % 2]},
                },
                headers={"Authorization": f"Bearer {setup.admin}"},
            )
            took = time.monotonic() - started
            assert response.json() == {"data": {"updateTicket": {"__typename": "UpdateTicketSuccess"}}}
            assert took < 0.2, f"mutation {i} took {took:.2f}s with Redis down"
    setup.redis.start()
    resync = await until(subscriber, lambda d: d["ticketUpdated"]["kind"] == "RESYNC", within=15)
    assert resync["ticketUpdated"]["ticket"]["priority"] == "LOW"  # the refetch shows the missed changes
    await set_priority(a.http, setup.admin, ticket, "CRITICAL")
    event = await until(
        subscriber,
        lambda d: (
            d["ticketUpdated"]["kind"] == "TICKET_UPDATED"
            and d["ticketUpdated"]["ticket"]["priority"] == "CRITICAL"
        ),
        within=10,
    )
    assert event["ticketUpdated"]["ticket"]["priority"] == "CRITICAL"
    await subscriber.close()
