"""Fan-out: N websocket subscribers on one ticket, spread over 2 workers with Redis.

For 100 and then 1,000 subscribers in the same run, it measures:
- commit-to-receipt latency of 100 events (p50, p99): from each update's ``updatedAt`` (set in the
  committing transaction, same machine clock) to the moment each subscriber has that event;
- resident memory per idle subscription: the workers' RSS with the subscribers connected and idle, less
  their RSS before, divided by N.
It prints both rows and the growth from 100 to 1,000, and writes bench/results/fanout.json.
Needs PostgreSQL (DESKQL_BENCH_DATABASE_URL, default the test server) and redis-server on the PATH.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.processes import RedisServer, cluster
from tests.servers import deskql
from tests.ws import WSClient

SERVER_URL = os.environ.get("DESKQL_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
EVENTS = 100
SPACING_SECONDS = 0.25
SUBSCRIPTION = (
    "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes ticket { version priority } } }"
)
RESULTS = Path(__file__).parent / "results"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def graphql(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
    data: dict[str, Any] = response.json()["data"]
    return data


class Receiver:
    """Records when each priority change arrives; events arrive in commit order, one per update."""

    def __init__(self, client: WSClient) -> None:
        self.client = client
        self.received: list[float] = []
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            data = await self.client.next(within=3600)
            event = data["ticketUpdated"]
            # Only the updates this benchmark commits: background jobs (suggested tags) change tickets too.
            if event["kind"] == "TICKET_UPDATED" and "priority" in event["changes"]:
                self.received.append(time.time())


async def warm_up(servers: list[Any], token: str, ticket_id: str) -> None:
    """A few subscriptions first, so that caches filled by the first ones do not count as per-subscription."""
    clients = []
    for index in range(20):
        client = await WSClient.open(servers[index % 2].ws, token)
        await client.subscribe(SUBSCRIPTION, {"id": ticket_id})
        await client.next(within=60)
        clients.append(client)
    for client in clients:
        await client.close()
    await asyncio.sleep(1)


async def measure(servers: list[Any], token: str, ticket_id: str, count: int) -> dict[str, float]:
    await warm_up(servers, token, ticket_id)
    before = sum(rss_kib(server.process.pid) for server in servers)
    receivers: list[Receiver] = []
    for index in range(count):
        client = await WSClient.open(servers[index % 2].ws, token)
        await client.subscribe(SUBSCRIPTION, {"id": ticket_id})
        assert (await client.next(within=60))["ticketUpdated"]["kind"] == "SNAPSHOT"
        receivers.append(Receiver(client))
    await asyncio.sleep(2)  # idle
    after = sum(rss_kib(server.process.pid) for server in servers)
    for receiver in receivers:
        receiver.task = asyncio.create_task(receiver.run())
    committed: list[float] = []
    for i in range(EVENTS):
        saved = await graphql(
            servers[0].http,
            token,
            "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { ... on UpdateTicketSuccess { ticket { updatedAt } } } }",
            {"id": ticket_id, "p": ("LOW", "HIGH")[i % 2]},
        )
        committed.append(datetime.fromisoformat(saved["updateTicket"]["ticket"]["updatedAt"]).timestamp())
        await asyncio.sleep(SPACING_SECONDS)
    deadline = time.monotonic() + 60
    while any(len(r.received) < EVENTS for r in receivers) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    latencies = sorted(
        arrived - commit for r in receivers for arrived, commit in zip(r.received, committed, strict=False)
    )
    missing = count * EVENTS - len(latencies)
    for receiver in receivers:
        assert receiver.task is not None
        receiver.task.cancel()
        await receiver.client.close()
    await asyncio.sleep(2)
    return {
        "subscribers": count,
        "events": EVENTS,
        "missing": missing,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "kib_per_idle_subscription": (after - before) / count,
    }


async def main() -> None:
    name = f"deskql_bench_{uuid.uuid4().hex[:8]}"
    admin_url = SERVER_URL.replace("postgres://", "postgresql://", 1)
    connection = await asyncpg.connect(admin_url)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    database_url = SERVER_URL.rsplit("/", 1)[0] + "/" + name
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        redis_server = RedisServer(folder)
        redis_server.start()
        try:
            with cluster(database_url, redis_server.url, folder, 2, subscriber_queue_size="1000") as running:
                env = running.env
                deskql("migrate", env=env, cwd=folder)
                created = deskql(
                    "create-account",
                    "--name",
                    "Bench",
                    "--admin-email",
                    "ada@bench.test",
                    "--admin-name",
                    "Ada",
                    env=env,
                    cwd=folder,
                )
                token = created.stdout.strip().splitlines()[-1]
                servers = running.servers
                people = await graphql(
                    servers[0].http,
                    token,
                    'mutation { createRequester(input: {name: "Rita", email: "rita@bench.test"}) { ... on CreateRequesterSuccess { requester { id } } } }',
                )
                requester = people["createRequester"]["requester"]["id"]
                ticket = await graphql(
                    servers[0].http,
                    token,
                    'mutation($r: ID) { createTicket(input: {title: "Fan-out", requesterId: $r}) { ... on CreateTicketSuccess { ticket { id } } } }',
                    {"r": requester},
                )
                ticket_id = ticket["createTicket"]["ticket"]["id"]
                rows = [await measure(servers, token, ticket_id, count) for count in (100, 1000)]
        finally:
            redis_server.stop()
    connection = await asyncpg.connect(admin_url)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()
    small, large = rows
    print(
        "fan-out over 2 workers with Redis (commit-to-receipt latency, resident memory per idle subscription)"
    )
    for row in rows:
        print(
            f"  {row['subscribers']:5d} subscribers: p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  "
            f"{row['kib_per_idle_subscription']:6.1f} KiB/subscription  missing {row['missing']}"
        )
    print(
        f"  growth 100 -> 1000: p50 x{large['p50_ms'] / small['p50_ms']:.1f}, p99 x{large['p99_ms'] / small['p99_ms']:.1f}, "
        f"memory per subscription x{large['kib_per_idle_subscription'] / small['kib_per_idle_subscription']:.2f}"
    )
    print("  targets for 1000: p99 < 250 ms, < 30 KB (29.3 KiB) per idle subscription")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fanout.json").write_text(
        json.dumps({"date": time.strftime("%Y-%m-%d"), "rows": rows}, indent=2)
    )


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
