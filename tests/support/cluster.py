"""One cluster of real deskql workers for the whole test run (conftest's ``cluster_of_workers``), shared by
the modules that need several workers: realtime across workers and many hosts behind one address.

Four single-worker servers share one PostgreSQL database, a Redis server of the cluster's own and an SMTP
server on loopback that takes 50 ms per mail. The account (Acme) has an admin (Ada Admin), a technician
(Tom Tech, with a token from `deskql create-token`) and a requester (Rita Requester). Tests may stop and
start the Redis server (it comes back empty), kill -9 ``servers[2]`` and SIGTERM ``servers[3]``; ``servers[0]``
and ``servers[1]`` stay up.

Presence runs with a 3 s TTL and a 0.5 s heartbeat, so that an entry removed within a second was removed,
not expired, and one left by a killed worker expires within seconds. A mail lease lasts 120 s, so that a
lease left behind would hold its mail far longer than any test waits. Subscribers may fall 100 events
behind: more than the events of the Redis outage test, far less than the slow reader's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.mailserver import MailServer
from tests.processes import Cluster, RedisServer, cluster
from tests.servers import admin_of_new_account, deskql

PRESENCE_TTL = 3.0
SERVERS = 4

PEOPLE = """mutation {
  createTechnician(input: {name: "Tom Tech", email: "tom@acme.test"}) { __typename }
  createRequester(input: {name: "Rita Requester", email: "rita@client.test"}) {
    ... on CreateRequesterSuccess { requester { id } } } }"""


@dataclass
class Workers:
    cluster: Cluster
    redis: RedisServer
    mail: MailServer
    database_url: str
    folder: Path
    admin: str
    tom: str
    requester_id: str

    def stop(self) -> None:
        """Every process and server of the cluster stopped (again: a no-op)."""
        self.cluster.stop()
        self.mail.stop()
        self.redis.stop()


async def graphql(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The data of one operation sent over a connection of its own (so that requests spread over workers)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@asynccontextmanager
async def workers(database_url: str, folder: Path) -> AsyncIterator[Workers]:
    """The cluster on ``database_url`` (an empty PostgreSQL database), migrated, with its people."""
    redis_server = RedisServer(folder / "redis")
    redis_server.folder.mkdir()
    mail_server = MailServer()
    mail_server.delay_seconds = 0.05
    redis_server.start()
    mail_server.start()
    try:
        with cluster(
            database_url,
            redis_server.url,
            folder,
            SERVERS,
            smtp_url=mail_server.url,
            mail_poll_seconds="0.1",
            mail_lease_seconds="120",
            presence_ttl_seconds=str(PRESENCE_TTL),
            presence_heartbeat_seconds="0.5",
            subscriber_queue_size="100",
        ) as running:
            env = running.env
            migrated = deskql("migrate", env=env, cwd=folder)
            assert migrated.returncode == 0, migrated.stderr
            admin = admin_of_new_account(env, folder)
            people = await graphql(running.servers[0].http, admin, PEOPLE)
            tom = deskql("create-token", "--email", "tom@acme.test", env=env, cwd=folder).stdout.strip()
            yield Workers(
                running,
                redis_server,
                mail_server,
                database_url,
                folder,
                admin,
                tom,
                people["createRequester"]["requester"]["id"],
            )
    finally:
        mail_server.stop()
        redis_server.stop()
