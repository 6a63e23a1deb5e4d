"""Realtime across real uvicorn workers with a real Redis: delivery, presence, crashes, outages, slow readers.

Three single-worker servers (A, B, C) of the run's cluster of workers (tests.support.cluster) share one
PostgreSQL database and a Redis server of the cluster's own, which the outage test stops and starts again.
Presence runs with a 3 s TTL and a 0.5 s heartbeat; subscribers may fall 100 events behind.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import httpx
import pytest

from services.authentication import digest
from tests.processes import Server
from tests.support.cluster import PRESENCE_TTL, Workers, graphql
from tests.ws import LEGACY_WS, TRANSPORT_WS, Ended, StalledClient, WSClient

UPDATES = (
    "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes ticket { priority version } } }"
)
PRESENCE = "subscription($id: ID!) { ticketPresence(ticketId: $id) { totalCount collaborators { technician { name } state } } }"


@pytest.fixture
def setup(cluster_of_workers: Workers) -> Workers:
    return cluster_of_workers


def abc(setup: Workers) -> tuple[Server, Server, Server]:
    """A and B, which stay up, and C, which the crash test kills."""
    a, b, c, _ = setup.cluster.servers
    return a, b, c


async def new_ticket(setup: Workers, title: str = "Laptop overheats", description: str = "") -> str:
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


async def test_a_change_served_by_one_worker_reaches_a_subscriber_on_another(setup: Workers) -> None:
    a, b, _ = abc(setup)
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


async def test_presence_joins_and_leaves_are_seen_across_workers(setup: Workers) -> None:
    a, b, _ = abc(setup)
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
    assert time.monotonic() - left_at < PRESENCE_TTL  # removed at once, not by expiry
    await ada.close()


async def test_a_slow_subscriber_is_cut_off_without_hurting_the_others(setup: Workers) -> None:
    a, b, _ = abc(setup)
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


async def logins(setup: Workers, name: str, count: int, role: str = "TECHNICIAN") -> list[str]:
    """``count`` login tokens of a new technician."""
    email = f"{name.lower().replace(' ', '.')}@acme.test"
    password = "correct horse battery staple"
    base = setup.cluster.servers[0].http
    await graphql(
        base,
        setup.admin,
        "mutation($input: CreateTechnicianInput!) { createTechnician(input: $input) { __typename } }",
        {"input": {"name": name, "email": email, "role": role, "password": password}},
    )
    login = """mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) {
      ... on LoginSuccess { token } } }"""
    return [
        (await graphql(base, "", login, {"email": email, "password": password}))["login"]["token"]
        for _ in range(count)
    ]


def unauthenticated(operation: str, reason: str, protocol: str = TRANSPORT_WS) -> dict[str, Any]:
    """The message that ends an operation of a connection whose token is no longer good."""
    error = {"message": f"{reason} The subscription ended.", "extensions": {"code": "UNAUTHENTICATED"}}
    if protocol == TRANSPORT_WS:
        return {"id": operation, "type": "error", "payload": [error]}
    return {"id": operation, "type": "error", "payload": error}


def last_messages(ended: Ended) -> list[dict[str, Any]]:
    """What ended the connection: its messages other than results (a ticket's events may still be on
    their way, such as the tags the AI analysis job gives a new ticket)."""
    return [m for m in ended.messages if m["type"] not in ("next", "data")]


async def test_logout_of_all_sessions_ends_every_socket_of_its_tokens_on_every_worker_within_a_second(
    setup: Workers,
) -> None:
    a, b, _ = abc(setup)
    first, second = await logins(setup, "Lena Logout", 2)
    ticket = await new_ticket(setup)
    following_on_a = await WSClient.open(a.ws, first)
    await following_on_a.subscribe(UPDATES, {"id": ticket})
    assert (await following_on_a.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    legacy_on_b = await WSClient.open(b.ws, second, protocol=LEGACY_WS)
    await legacy_on_b.subscribe(UPDATES, {"id": ticket})
    assert (await legacy_on_b.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    idle_on_b = await WSClient.open(b.ws, first)
    bystander = await WSClient.open(b.ws, setup.tom)
    await bystander.subscribe(UPDATES, {"id": ticket})
    await bystander.next()

    await graphql(a.http, second, "mutation { logout(input: {allSessions: true}) { revoked } }")
    logged_out = time.monotonic()
    ended = [await socket.ended(within=5) for socket in (following_on_a, legacy_on_b, idle_on_b)]
    assert time.monotonic() - logged_out < 1.0
    revoked = "This token has been revoked."
    assert last_messages(ended[0]) == [unauthenticated("1", revoked)]
    assert last_messages(ended[1]) == [
        unauthenticated("1", revoked, LEGACY_WS),
        {"type": "complete", "id": "1"},
        {"type": "connection_error", "payload": {"message": revoked}},
    ]
    assert ended[2].messages == []
    assert {(end.code, end.reason) for end in ended} == {(4401, revoked)}

    await set_priority(a.http, setup.admin, ticket, "LOW")  # others' sockets are untouched
    await until(bystander, lambda d: d["ticketUpdated"]["kind"] == "TICKET_UPDATED", within=5)
    await bystander.close()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"active": False}, "The technician of this token is deactivated."),
        ({"role": "ADMIN"}, "The role of this token's technician changed: connect again."),
    ],
)
async def test_update_technician_ends_the_technicians_sockets_on_every_worker_within_a_second(
    setup: Workers, change: dict[str, Any], reason: str
) -> None:
    a, b, _ = abc(setup)
    first, second = await logins(setup, f"Uma {'Role' if 'role' in change else 'Off'}", 2)
    me = await graphql(a.http, first, "{ viewer { technician { id } } }")
    ticket = await new_ticket(setup)
    on_a = await WSClient.open(a.ws, first)
    await on_a.subscribe(UPDATES, {"id": ticket})
    assert (await on_a.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    idle_on_b = await WSClient.open(b.ws, second, protocol=LEGACY_WS)

    update = """mutation($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { __typename } }"""
    changed = {"input": {"technicianId": me["viewer"]["technician"]["id"], **change}}
    assert (await graphql(b.http, setup.admin, update, changed))["updateTechnician"] == {
        "__typename": "UpdateTechnicianSuccess"
    }
    updated = time.monotonic()
    ended = [await socket.ended(within=5) for socket in (on_a, idle_on_b)]
    assert time.monotonic() - updated < 1.0
    assert last_messages(ended[0]) == [unauthenticated("1", reason)]
    assert {(end.code, end.reason) for end in ended} == {(4401, reason)}


BEHIND_DESKQLS_BACK = {
    "revoked": (
        "UPDATE api_token SET revoked_at = now() WHERE token_hash = $1",
        "This token has been revoked.",
    ),
    "deactivated": (
        "UPDATE technician SET active = false FROM api_token t WHERE t.token_hash = $1 AND technician.id = t.technician_id",
        "The technician of this token is deactivated.",
    ),
    "demoted": (
        "UPDATE technician SET role = 'TECHNICIAN' FROM api_token t WHERE t.token_hash = $1 AND technician.id = t.technician_id",
        "The role of this token's technician changed: connect again.",
    ),
}


@pytest.mark.parametrize("change", list(BEHIND_DESKQLS_BACK))
async def test_every_subscribe_checks_the_token_afresh(setup: Workers, change: str) -> None:
    a, _, _ = abc(setup)
    [token] = await logins(setup, f"Sam {change.title()}", 1, role="ADMIN")
    ticket = await new_ticket(setup)
    socket = await WSClient.open(a.ws, token)
    await socket.subscribe(UPDATES, {"id": ticket})
    await socket.next()
    statement, reason = BEHIND_DESKQLS_BACK[change]
    # Changed in the database directly, so no event announces it: only the check at subscribe can notice.
    connection = await asyncpg.connect(setup.database_url.replace("postgres://", "postgresql://", 1))
    try:
        assert await connection.execute(statement, digest(token)) == "UPDATE 1"
    finally:
        await connection.close()
    await socket.subscribe(UPDATES, {"id": ticket})  # no snapshot for it: the socket is ended
    ended = await socket.ended(within=5)
    assert last_messages(ended) == [unauthenticated("2", reason), unauthenticated("1", reason)]
    assert (ended.code, ended.reason) == (4401, reason)


async def test_a_killed_workers_presence_disappears_within_the_ttl(setup: Workers) -> None:
    a, _, c = abc(setup)
    ticket = await new_ticket(setup)
    ada = await WSClient.open(a.ws, setup.admin)
    await ada.subscribe(PRESENCE, {"id": ticket})
    await ada.next()
    tom = await WSClient.open(c.ws, setup.tom)
    await tom.subscribe(PRESENCE, {"id": ticket})
    await until(ada, lambda d: "Tom Tech" in names(d), within=5)
    killed_at = time.monotonic()
    c.kill()
    await until(ada, lambda d: names(d) == ["Ada Admin"], within=PRESENCE_TTL + 3)
    assert time.monotonic() - killed_at <= PRESENCE_TTL + 2
    await ada.close()


async def priority_changes(base: str, token: str, ticket: str, count: int) -> list[float]:
    """How long each of ``count`` priority changes took to be answered."""
    times = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for i in range(count):
            started = time.monotonic()
            response = await client.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { __typename } }",
                    "variables": {"id": ticket, "p": ["HIGH", "LOW"][i % 2]},
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            times.append(time.monotonic() - started)
            assert response.json() == {"data": {"updateTicket": {"__typename": "UpdateTicketSuccess"}}}
    return times


async def test_while_redis_is_down_mutations_answer_at_once_and_subscribers_get_resync_once_it_is_back(
    setup: Workers,
) -> None:
    a, b, _ = abc(setup)
    ticket = await new_ticket(setup)
    subscriber = await WSClient.open(b.ws, setup.tom)
    await subscriber.subscribe(UPDATES, {"id": ticket})
    await subscriber.next()
    usual = await priority_changes(a.http, setup.admin, await new_ticket(setup), 20)
    setup.redis.stop()
    outage = await priority_changes(a.http, setup.admin, ticket, 20)  # committed while Redis is down
    setup.redis.start()
    # 200 ms each, or twice the slowest with Redis up when the machine is too busy for that (it took 6.5 s).
    assert max(outage) < max(0.2, 2 * max(usual)), f"with Redis down {outage}, with Redis up {usual}"
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
