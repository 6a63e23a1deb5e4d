"""Several workers behind one address: what one worker learns the others know, and a worker that stops
(SIGTERM) loses nothing.

Two single-worker servers (A, B) of the run's cluster of workers (tests.support.cluster: one PostgreSQL
database, a Redis server of its own, an SMTP server on loopback that takes 50 ms per mail); B is stopped by
the last test. Presence runs with a 3 s TTL, so that an entry that leaves within a second was removed, not
expired; a mail lease lasts 120 s, so that a lease left behind would hold its mail far longer than the test
waits.
"""

from __future__ import annotations

import asyncio
import hashlib
import signal
import time
from typing import Any

import asyncpg
import httpx
import pytest
import redis

from tests.processes import Server
from tests.support.cluster import Workers
from tests.ws import WSClient

PRESENCE = (
    "subscription($id: ID!) { ticketPresence(ticketId: $id) { collaborators { technician { name } } } }"
)
REPLY = "mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) { __typename } }"
ME = "query Me { viewer { technician { name } } }"
ME_HASH = hashlib.sha256(ME.encode()).hexdigest()


@pytest.fixture
def setup(cluster_of_workers: Workers) -> Workers:
    return cluster_of_workers


def hosts(setup: Workers) -> tuple[Server, Server]:
    """A, which stays up, and B, which the last test stops (the cluster's fourth worker)."""
    return setup.cluster.servers[0], setup.cluster.servers[3]


async def post(base: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def graphql(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await post(base, token, {"query": query, "variables": variables or {}})
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def by_hash(digest: str) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


async def test_a_document_sent_to_one_worker_is_known_by_hash_to_another(setup: Workers) -> None:
    a, b = hosts(setup)
    assert code(await post(b.http, setup.tom, by_hash(ME_HASH))) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await post(a.http, setup.tom, {"query": ME, **by_hash(ME_HASH)})
    assert registered == {"data": {"viewer": {"technician": {"name": "Tom Tech"}}}}
    assert await post(b.http, setup.tom, by_hash(ME_HASH)) == registered


async def test_with_redis_down_persisted_queries_fall_back_to_the_worker_and_the_client(
    setup: Workers,
) -> None:
    a, b = hosts(setup)
    query = "query Again { viewer { technician { name } } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    known = await post(a.http, setup.tom, {"query": query, **by_hash(digest)})
    setup.redis.stop()
    try:
        started = time.monotonic()
        assert await post(a.http, setup.tom, by_hash(digest)) == known  # from A's own memory
        assert code(await post(b.http, setup.tom, by_hash(digest))) == "PERSISTED_QUERY_NOT_FOUND"
        assert await post(b.http, setup.tom, {"query": query, **by_hash(digest)}) == known
        assert await post(b.http, setup.tom, by_hash(digest)) == known
        assert time.monotonic() - started < 5
    finally:
        setup.redis.start()  # empty: nothing is persisted
    shared = redis.Redis.from_url(setup.redis.url)
    deadline = time.monotonic() + 10
    while not shared.exists(f"deskql:pq:{digest}"):  # B's next use of what it kept meanwhile shares it
        assert await post(b.http, setup.tom, by_hash(digest)) == known
        assert time.monotonic() < deadline, "B's document did not reach Redis once it was back"
        await asyncio.sleep(0.1)
    assert shared.get(f"deskql:pq:{digest}") == query.encode()
    shared.close()


def names(data: dict[str, Any]) -> list[str]:
    return [c["technician"]["name"] for c in data["ticketPresence"]["collaborators"]]


async def until(client: WSClient, predicate: Any, within: float) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "the expected event did not arrive in time"
        data = await client.next(within=remaining)
        if predicate(data):
            return data


async def test_sigterm_under_load_loses_no_request_and_no_mail_and_presence_leaves_at_once(
    setup: Workers,
) -> None:
    a, b = hosts(setup)
    ticket = (
        await graphql(
            a.http,
            setup.admin,
            """mutation($input: CreateTicketInput!) {
          createTicket(input: $input) { ... on CreateTicketSuccess { ticket { id } } } }""",
            {"input": {"title": "Printer jams", "requesterId": setup.requester_id}},
        )
    )["createTicket"]["ticket"]["id"]
    ada = await WSClient.open(a.ws, setup.admin)
    await ada.subscribe(PRESENCE, {"id": ticket})
    assert names(await ada.next()) == ["Ada Admin"]
    tom = await WSClient.open(b.ws, setup.tom)
    await tom.subscribe(PRESENCE, {"id": ticket})
    await until(ada, lambda d: names(d) == ["Ada Admin", "Tom Tech"], within=5)

    answered: list[str] = []
    failures: list[str] = []

    async def reply(number: int, base: str) -> None:
        variables = {"input": {"ticketId": ticket, "body": f"Update {number}"}}
        try:  # a connection of its own: a kept-alive one may be closed under a request that is being sent
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                response = await client.post(
                    "/graphql",
                    json={"query": REPLY, "variables": variables},
                    headers={"Authorization": f"Bearer {setup.tom}", "Connection": "close"},
                )
        except httpx.ConnectError:  # never accepted: the load balancer sends it elsewhere
            await reply(number, a.http)
            return
        except httpx.HTTPError as error:
            failures.append(f"{number}: {type(error).__name__} {error}")
            return
        if response.status_code != 200 or "errors" in response.json():
            failures.append(f"{number}: {response.status_code} {response.text}")
            return
        answered.append(response.json()["data"]["addPublicReply"]["__typename"])

    count = 60
    load = [asyncio.create_task(reply(number, b.http)) for number in range(count)]
    deadline = time.monotonic() + 30
    while not answered:  # B is busy: some answers are out, most are in flight
        assert not failures
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)
    terminated_at = time.monotonic()
    b.process.send_signal(signal.SIGTERM)

    await until(ada, lambda d: names(d) == ["Ada Admin"], within=5)
    assert time.monotonic() - terminated_at < 1.0  # removed at once, not after the 3 s TTL
    ended = await tom.ended(within=5)
    assert (ended.code, ended.reason) == (1001, "going away")

    await asyncio.gather(*load)
    assert failures == []
    assert answered == ["AddCommentSuccess"] * count
    await asyncio.to_thread(b.process.wait, 30)

    connection = await asyncpg.connect(setup.database_url)
    try:
        leased = await connection.fetchval(
            "SELECT count(*) FROM outbound_mail WHERE status = 'PENDING' AND lease_owner LIKE $1",
            f"%:{b.process.pid}:%",
        )
        assert leased == 0
    finally:
        await connection.close()
    deadline = time.monotonic() + 20
    while True:  # A sends what B left
        replies = {m.message["Message-ID"] for m in setup.mail.to("rita@client.test") if "Update " in m.text}
        if len(replies) == count:
            break
        assert time.monotonic() < deadline, f"{len(replies)} of {count} mails arrived"
        await asyncio.sleep(0.1)
    await ada.close()
