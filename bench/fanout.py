"""Fan-out: N websocket subscribers on one ticket, spread over 2 workers with Redis.

For 100 and then 1,000 subscribers in the same run, it measures:
- commit-to-receipt latency of 100 events (p50, p99): from each update's ``updatedAt`` (set in the
  committing transaction, same machine clock) to the moment each subscriber has that event;
- resident memory per idle subscription: the workers' RSS with the subscribers connected and idle, less
  their RSS before, divided by N.
It prints both rows and the growth from 100 to 1,000, and writes bench/results/fanout.json.
Needs PostgreSQL and redis-server on the PATH: the database is ``<name>_fanout`` beside the seeded data set's
(DESKQL_BENCH_SEEDED_URL, see bench/seed.py), created empty for the run and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import struct
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import httpx

from bench.seed import beside_seeded, drop, recreate
from tests.processes import RedisServer, cluster
from tests.servers import deskql

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
    body = response.json()
    if body.get("errors"):
        raise AssertionError(f"{query[:80]}: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


class Receiver(asyncio.Protocol):
    """One subscriber on a bare socket, recording when each priority change arrives (events arrive in commit
    order, one per update).

    The 1,000 subscribers run on the two cores the servers use, so the client costs as little as it can:
    frames are cut by their length header as their bytes arrive and timestamped then, and only the
    TICKET_UPDATED ones are decoded. A websocket library would add its own CPU per message to the latency
    measured. Pings are answered, as any client does.
    """

    def __init__(self, token: str, ticket_id: str) -> None:
        self.start = json.dumps(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        ).encode()
        self.subscribe = json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIPTION, "variables": {"id": ticket_id}},
            }
        ).encode()
        self.buffer = bytearray()
        self.upgraded = False
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.received: list[float] = []
        self.transport: asyncio.Transport | None = None

    @classmethod
    async def open(cls, ws_url: str, token: str, ticket_id: str) -> Receiver:
        host, port = ws_url.removeprefix("ws://").split("/")[0].split(":")
        _, receiver = await asyncio.get_running_loop().create_connection(
            lambda: cls(token, ticket_id), host, int(port)
        )
        await asyncio.wait_for(receiver.ready, 60)  # the snapshot arrived
        return receiver

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not an asyncio.Transport subclass
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write(
            f"GET /graphql HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode()
        )

    def send(self, opcode: int, payload: bytes) -> None:
        assert self.transport is not None
        assert len(payload) < 65536
        mask = os.urandom(4)
        length = (
            bytes([0x80 | len(payload)])
            if len(payload) < 126
            else bytes([0xFE]) + struct.pack("!H", len(payload))
        )
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode]) + length + mask + masked)

    def data_received(self, data: bytes) -> None:
        arrived = time.time()
        self.buffer += data
        if not self.upgraded:
            head, found, rest = bytes(self.buffer).partition(b"\r\n\r\n")
            if not found:
                return
            assert b" 101 " in head, head
            self.upgraded, self.buffer = True, bytearray(rest)
            self.send(0x1, self.start)
        while len(self.buffer) >= 2:
            length, start = self.buffer[1] & 0x7F, 2
            if length >= 126:
                start = 4 if length == 126 else 10
                if len(self.buffer) < start:
                    return
                length = int.from_bytes(self.buffer[2:start], "big")
            if len(self.buffer) < start + length:
                return
            opcode, payload = self.buffer[0] & 0x0F, bytes(self.buffer[start : start + length])
            del self.buffer[: start + length]
            if opcode == 0x9:
                self.send(0xA, payload)
            elif opcode == 0x1:
                self.on_message(payload, arrived)

    def on_message(self, payload: bytes, arrived: float) -> None:
        if not self.ready.done():
            message = json.loads(payload)
            if message["type"] == "connection_ack":
                self.send(0x1, self.subscribe)
            elif (
                message["type"] == "next"
                and message["payload"]["data"]["ticketUpdated"]["kind"] == "SNAPSHOT"
            ):
                self.ready.set_result(None)
            else:
                self.ready.set_exception(AssertionError(message))
            return
        if b"TICKET_UPDATED" not in payload:
            return
        event = json.loads(payload)["payload"]["data"]["ticketUpdated"]
        # Only the updates this benchmark commits: background jobs (suggested tags) change tickets too.
        if event["kind"] == "TICKET_UPDATED" and "priority" in event["changes"]:
            self.received.append(arrived)

    def close(self) -> None:
        assert self.transport is not None
        self.transport.close()


async def warm_up(servers: list[Any], token: str, ticket_id: str) -> None:
    """A few subscriptions first, so that caches filled by the first ones do not count as per-subscription."""
    clients = [await Receiver.open(servers[index % 2].ws, token, ticket_id) for index in range(20)]
    for client in clients:
        client.close()
    await asyncio.sleep(1)


async def latencies_of_changes(
    servers: list[Any], token: str, ticket_id: str, receivers: Sequence[Any], priorities: tuple[str, str]
) -> list[float]:
    """EVENTS priority changes of the ticket (alternating ``priorities``), SPACING_SECONDS apart, on the first
    server; then, once every receiver has its EVENTS arrivals (or after 60 s), each arrival's seconds after
    its change committed, sorted. A receiver keeps its arrival times in ``received``."""
    committed: list[float] = []
    for i in range(EVENTS):
        saved = await graphql(
            servers[0].http,
            token,
            "mutation($id: ID!, $p: Priority) { updateTicket(input: {id: $id, priority: $p}) { ... on UpdateTicketSuccess { ticket { updatedAt } } } }",
            {"id": ticket_id, "p": priorities[i % 2]},
        )
        committed.append(datetime.fromisoformat(saved["updateTicket"]["ticket"]["updatedAt"]).timestamp())
        await asyncio.sleep(SPACING_SECONDS)
    deadline = time.monotonic() + 60
    while any(len(r.received) < EVENTS for r in receivers) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    return sorted(
        arrived - commit for r in receivers for arrived, commit in zip(r.received, committed, strict=False)
    )


async def measure(servers: list[Any], token: str, ticket_id: str, count: int) -> dict[str, float]:
    await warm_up(servers, token, ticket_id)
    before = sum(rss_kib(server.process.pid) for server in servers)
    receivers: list[Receiver] = []
    for index in range(count):
        receivers.append(await Receiver.open(servers[index % 2].ws, token, ticket_id))
    await asyncio.sleep(2)  # idle
    after = sum(rss_kib(server.process.pid) for server in servers)
    latencies = await latencies_of_changes(servers, token, ticket_id, receivers, ("LOW", "HIGH"))
    missing = count * EVENTS - len(latencies)
    for receiver in receivers:
        receiver.close()
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
    database_url = beside_seeded("fanout")
    await recreate(database_url)
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
    await drop(database_url)
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
