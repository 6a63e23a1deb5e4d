"""Faults under load, with real processes: PostgreSQL restarted under a stream of mutations, and a worker
killed in the middle of one. (A Redis restart is in test_realtime_workers: mutations keep working and
subscribers get RESYNC.)

What must hold: every answer is a success or a clean, retryable ``SERVICE_UNAVAILABLE`` (HTTP 503 with
``Retry-After``), never an internal error; the service recovers by itself; every change that was
acknowledged is stored, and none is stored in part.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from models.enums import ActivityKind
from tests.conftest import POSTGRES_URL, PostgresDatabases, require
from tests.processes import PostgresServer, cluster
from tests.servers import admin_of_new_account, deskql, environment, free_port, migrate, serving
from tests.waiting import eventually
from tests.ws import WSClient

CREATE = """mutation($input: CreateTicketInput!) { createTicket(input: $input) { __typename
  ... on CreateTicketSuccess { ticket { title } } } }"""
CLIENTS = 6
SUBSCRIBE = "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind ticket { title } } }"


@dataclass
class Load:
    """What the clients were told: titles acknowledged, and every answer that was not a success."""

    acknowledged: set[str] = field(default_factory=set)
    unavailable: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    transport_errors: int = 0
    attempted: set[str] = field(default_factory=set)
    successes_at: list[float] = field(default_factory=list)


async def _client(
    base: Callable[[int], str], token: str, requester: str, name: int, load: Load, stop: asyncio.Event
) -> None:
    serial = 0
    async with httpx.AsyncClient(timeout=20) as client:
        while not stop.is_set():
            serial += 1
            title = f"load {name}-{serial}"
            load.attempted.add(title)
            variables = {"input": {"title": title, "requesterId": requester}}
            try:
                response = await client.post(
                    f"{base(serial)}/graphql",
                    json={"query": CREATE, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TransportError:
                load.transport_errors += 1
                await asyncio.sleep(0.05)
                continue
            body = response.json()
            if response.status_code == 200 and "errors" not in body:
                assert body["data"]["createTicket"]["ticket"]["title"] == title
                load.acknowledged.add(title)
                load.successes_at.append(time.monotonic())
            elif (
                response.status_code == 503
                and body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            ):
                assert response.headers["retry-after"] == "1"
                load.unavailable.append(time.monotonic())
                await asyncio.sleep(0.1)
            else:
                load.refused.append(f"{response.status_code} {response.text[:300]}")


async def _stored(database_url: str) -> dict[str, int]:
    """Each load ticket stored, with the number of TICKET_CREATED rows it has."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://"))
    try:
        rows = await connection.fetch(
            "SELECT t.title, count(a.id) AS created FROM ticket t LEFT JOIN activity a "
            "ON a.ticket_id = t.id AND a.kind = $1 WHERE t.title LIKE 'load %' GROUP BY t.title",
            ActivityKind.TICKET_CREATED.value,
        )
    finally:
        await connection.close()
    return {row["title"]: row["created"] for row in rows}


def _people(base: str, env: dict[str, str], folder: Path) -> tuple[str, str]:
    admin = admin_of_new_account(env, folder, admin="Ada")
    answer = httpx.post(
        f"{base}/graphql",
        json={
            "query": """mutation { createRequester(input: {name: "Rita", email: "rita@client.test"}) {
              ... on CreateRequesterSuccess { requester { id } } } }"""
        },
        headers={"Authorization": f"Bearer {admin}"},
        timeout=30,
    ).json()
    return admin, answer["data"]["createRequester"]["requester"]["id"]


def _ticket_id(base: str, token: str, requester: str) -> str:
    answer = httpx.post(
        f"{base}/graphql",
        json={
            "query": """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
              ... on CreateTicketSuccess { ticket { id } } } }""",
            "variables": {"input": {"title": "Watched", "requesterId": requester}},
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    ticket_id: str = answer["data"]["createTicket"]["ticket"]["id"]
    return ticket_id


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


async def test_a_postgresql_restart_under_load_fails_requests_cleanly_and_loses_nothing_acknowledged(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    env = environment(
        database_url=postgres_server.url,
        secret_key="f" * 40,
        log_level="warning",
        rate_limit_mutations_per_minute="1000000",
    )
    assert deskql("migrate", env=env, cwd=tmp_path).returncode == 0
    with serving(env, tmp_path, free_port()) as base:
        admin, requester = _people(base, env, tmp_path)
        load, stop = Load(), asyncio.Event()
        clients = [
            asyncio.create_task(_client(lambda _: base, admin, requester, n, load, stop))
            for n in range(CLIENTS)
        ]
        try:
            socket = await WSClient.open(base.replace("http://", "ws://") + "/graphql", admin)
            ticket = _ticket_id(base, admin, requester)
            await eventually(
                lambda: len(load.successes_at) >= CLIENTS, within=30, what="the load is under way"
            )
            await asyncio.to_thread(postgres_server.stop)
            stopped_at = time.monotonic()

            def refused_since_stop() -> int:
                return sum(at >= stopped_at for at in load.unavailable)

            await eventually(refused_since_stop, within=30, what="the server noticed the outage")
            await socket.subscribe(SUBSCRIBE, {"id": ticket})
            ended = await socket.receive()
            await socket.close()
            await eventually(lambda: refused_since_stop() >= 2 * CLIENTS, within=30, what="a longer outage")
            await asyncio.to_thread(postgres_server.start)
            restarted_at = time.monotonic()
            await eventually(
                lambda: any(at > restarted_at + 0.5 for at in load.successes_at),
                within=60,
                what="the service recovered by itself",
            )
        finally:
            stop.set()
            await asyncio.gather(*clients)
    log = "".join(path.read_text() for path in tmp_path.glob("server-*.log"))  # noqa: ASYNC240 (after the load)
    assert load.refused == [], load.refused[:3]
    assert load.transport_errors == 0
    # A subscription that meets the outage ends with the same retryable error, not an internal one.
    assert ended["type"] in {"next", "error"}, ended
    errors = ended["payload"]["errors"] if ended["type"] == "next" else ended["payload"]
    assert [error["extensions"]["code"] for error in errors] == ["SERVICE_UNAVAILABLE"], ended
    assert load.unavailable, "requests during the outage were answered SERVICE_UNAVAILABLE"
    assert any(stopped_at <= at <= restarted_at + 1 for at in load.unavailable)
    assert any(at > restarted_at + 0.5 for at in load.successes_at), "the service recovered by itself"
    assert "INTERNAL_SERVER_ERROR" not in log
    assert not re.search(r" ERROR deskql", log), "an outage is logged as warnings, not as failures"
    stored = await _stored(postgres_server.url)
    assert load.acknowledged <= set(stored), "every acknowledged ticket is stored"
    assert set(stored) <= load.attempted
    assert set(stored.values()) == {1}, "no ticket is stored without its activity row"


async def test_a_worker_killed_under_load_loses_no_acknowledged_change(
    postgres_databases: PostgresDatabases | None, redis_url: str, tmp_path: Path
) -> None:
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create(migrated=True)
    with cluster(database_url, redis_url, tmp_path, 2, rate_limit_mutations_per_minute="1000000") as running:
        env = running.env
        migrate(env, tmp_path)
        first, second = running.servers
        admin, requester = _people(first.http, env, tmp_path)
        load, stop = Load(), asyncio.Event()

        def spread(serial: int) -> str:
            return (first if serial % 2 else second).http

        clients = [
            asyncio.create_task(_client(spread, admin, requester, n, load, stop)) for n in range(CLIENTS)
        ]
        try:
            # Each client alternates between the workers: twice as many successes as clients is load on both.
            await eventually(lambda: len(load.successes_at) >= 2 * CLIENTS, within=30, what="load on both")
            await asyncio.to_thread(second.kill)
            killed_at = time.monotonic()
            await eventually(
                lambda: load.transport_errors > 0 and any(at > killed_at + 0.5 for at in load.successes_at),
                within=30,
                what="requests to the killed worker failed and the other one went on serving",
            )
        finally:
            stop.set()
            await asyncio.gather(*clients)
    assert load.refused == [], load.refused[:3]
    assert load.transport_errors > 0, "requests to the killed worker fail at the transport"
    assert any(at > killed_at + 0.5 for at in load.successes_at), "the other worker goes on serving"
    stored = await _stored(database_url)
    assert load.acknowledged <= set(stored), "every acknowledged ticket is stored"
    assert set(stored.values()) == {1}, "no ticket is stored without its activity row"
