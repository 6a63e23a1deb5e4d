"""ticketViewUpdated over a real websocket: one deskql server, PostgreSQL, and a Redis of this module's own,
which the outage test stops and starts again."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES_URL, PostgresDatabases, require
from tests.processes import Cluster, RedisServer, cluster
from tests.servers import admin_of_new_account, migrate
from tests.ws import WSClient

LIVE = """subscription($filter: TicketFilter) { ticketViewUpdated(filter: $filter, first: 10) {
  kind count ticketId ticket { id title priority } tickets { nodes { id title } } } }"""
CREATE = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  ... on CreateTicketSuccess { ticket { id } } } }"""
PRIORITY = "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { __typename } }"
URGENT = {"priority": ["HIGH", "CRITICAL"]}


@dataclass
class Setup:
    cluster: Cluster
    redis: RedisServer
    admin: str
    requester: str
    requester_id: str
    other_requester_id: str
    stranger: str
    """The admin of another account."""

    @property
    def http(self) -> str:
        return self.cluster.servers[0].http

    @property
    def ws(self) -> str:
        return self.cluster.servers[0].ws


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


async def graphql(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture(scope="module")
async def setup(
    redis_server: RedisServer,
    postgres_databases: PostgresDatabases | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Setup]:
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create(migrated=True)
    folder = tmp_path_factory.mktemp("live-views")
    with cluster(database_url, redis_server.url, folder, 1) as running:
        env = running.env
        migrate(env, folder)
        admin = admin_of_new_account(env, folder)
        stranger = admin_of_new_account(env, folder, name="Other", email="olga@other.test", admin="Olga")
        people = await graphql(
            running.servers[0].http,
            admin,
            """mutation {
          rita: createRequester(input: {name: "Rita", email: "rita@client.test", password: "rita-password-1"}) {
            ... on CreateRequesterSuccess { requester { id } } }
          otto: createRequester(input: {name: "Otto", email: "otto@client.test"}) {
            ... on CreateRequesterSuccess { requester { id } } } }""",
        )
        login = await graphql(
            running.servers[0].http,
            "",
            """mutation { login(input: {email: "rita@client.test", password: "rita-password-1"}) {
              ... on LoginSuccess { token } } }""",
        )
        yield Setup(
            running,
            redis_server,
            admin,
            login["login"]["token"],
            people["rita"]["requester"]["id"],
            people["otto"]["requester"]["id"],
            stranger,
        )


async def new_ticket(
    setup: Setup, title: str, requester_id: str, priority: str = "LOW", token: str = ""
) -> str:
    data = await graphql(
        setup.http,
        token or setup.admin,
        CREATE,
        {"input": {"title": title, "requesterId": requester_id, "priority": priority}},
    )
    ticket_id: str = data["createTicket"]["ticket"]["id"]
    return ticket_id


async def until(client: WSClient, predicate: Any, within: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "the expected event did not arrive in time"
        data: dict[str, Any] = (await client.next(within=remaining))["ticketViewUpdated"]
        if predicate(data):
            return data


async def test_a_view_lives_over_a_websocket_and_each_viewer_hears_only_what_they_may_see(
    setup: Setup,
) -> None:
    admin = await WSClient.open(setup.ws, setup.admin)
    rita = await WSClient.open(setup.ws, setup.requester)
    stranger = await WSClient.open(setup.ws, setup.stranger)
    for client in (admin, rita, stranger):
        await client.subscribe(LIVE, {"filter": URGENT})
    base = {client: (await client.next())["ticketViewUpdated"] for client in (admin, rita, stranger)}
    assert {snapshot["kind"] for snapshot in base.values()} == {"SNAPSHOT"}
    ritas = await new_ticket(setup, "Rita's printer", setup.requester_id)
    ottos = await new_ticket(setup, "Otto's secret server", setup.other_requester_id)
    await graphql(setup.http, setup.admin, PRIORITY, {"id": ottos, "p": "HIGH"})
    entered = await until(admin, lambda e: e["kind"] == "ENTERED")
    assert (entered["ticketId"], entered["count"]) == (ottos, base[admin]["count"] + 1)
    await graphql(setup.http, setup.admin, PRIORITY, {"id": ritas, "p": "CRITICAL"})
    entered = await until(admin, lambda e: e["ticketId"] == ritas)
    assert (entered["kind"], entered["count"]) == ("ENTERED", base[admin]["count"] + 2)
    seen = await until(rita, lambda e: True)
    assert (seen["kind"], seen["ticketId"], seen["count"]) == ("ENTERED", ritas, base[rita]["count"] + 1)
    await graphql(setup.http, setup.admin, PRIORITY, {"id": ritas, "p": "LOW"})
    left = await until(rita, lambda e: True)
    assert (left["kind"], left["ticket"]["priority"], left["count"]) == ("LEFT", "LOW", base[rita]["count"])
    left = await until(admin, lambda e: e["ticketId"] == ritas)
    assert (left["kind"], left["count"]) == ("LEFT", base[admin]["count"] + 1)
    # A change of Otto's ticket and a ticket of Olga's own account: Rita hears of neither, Olga only of hers.
    await graphql(setup.http, setup.admin, PRIORITY, {"id": ottos, "p": "CRITICAL"})
    changed = await until(admin, lambda e: e["ticketId"] == ottos)
    assert changed["kind"] == "CHANGED"
    olgas_requester = await graphql(
        setup.http,
        setup.stranger,
        """mutation { createRequester(input: {name: "Oscar", email: "oscar@other.test"}) {
          ... on CreateRequesterSuccess { requester { id } } } }""",
    )
    olgas = await new_ticket(
        setup, "Olga's own", olgas_requester["createRequester"]["requester"]["id"], "HIGH", setup.stranger
    )
    heard = await until(stranger, lambda e: True)
    assert (heard["kind"], heard["ticketId"]) == ("ENTERED", olgas)
    await graphql(setup.http, setup.admin, PRIORITY, {"id": ritas, "p": "HIGH"})  # a last event Rita may see
    last = await until(rita, lambda e: True)
    assert (last["kind"], last["ticketId"]) == ("ENTERED", ritas)  # nothing of Otto's came before it
    assert "secret" not in repr(last)
    for client in (admin, rita, stranger):
        await client.close()


async def test_after_a_redis_outage_subscribers_get_resync_with_the_page_and_count_read_again(
    setup: Setup,
) -> None:
    admin = await WSClient.open(setup.ws, setup.admin)
    await admin.subscribe(LIVE, {"filter": {"priority": ["CRITICAL"], "text": "outage"}})
    snapshot = (await admin.next())["ticketViewUpdated"]
    assert (snapshot["kind"], snapshot["count"]) == ("SNAPSHOT", 0)
    setup.redis.stop()
    missed = await new_ticket(setup, "Raised during the outage", setup.other_requester_id, "CRITICAL")
    setup.redis.start()
    resync = await until(admin, lambda e: e["kind"] == "RESYNC", within=20)
    assert resync["count"] == 1
    assert resync["tickets"]["nodes"] == [{"id": missed, "title": "Raised during the outage"}]
    await graphql(setup.http, setup.admin, PRIORITY, {"id": missed, "p": "LOW"})
    left = await until(admin, lambda e: e["kind"] == "LEFT")
    assert (left["ticketId"], left["count"]) == (missed, 0)
    await admin.close()
