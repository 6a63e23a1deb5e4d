"""A live view's update reaching 100 subscribers: ``ticketViewUpdated`` over 2 workers with Redis.

100 technicians' subscriptions follow one shared saved view ("HIGH priority", among 500 other tickets of the
account), spread over two workers. One ticket's priority goes from LOW to HIGH and back 100 times, so each
change is an ENTERED or a LEFT with a new count. It measures commit-to-receipt latency (p50, p99) from each
update's ``updatedAt`` (set in the committing transaction, same machine clock) to the moment each
subscriber has that event, prints it and writes bench/results/view_fanout.json. Target: p99 under 250 ms.
Needs PostgreSQL and redis-server on the PATH: the database is ``<name>_view_fanout`` beside the seeded data
set's (DESKQL_BENCH_SEEDED_URL, see bench/seed.py), created empty for the run and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.fanout import EVENTS, Receiver, graphql, latencies_of_changes
from bench.seed import beside_seeded, drop, recreate
from tests.processes import RedisServer, cluster
from tests.servers import deskql

SUBSCRIBERS = 100
OTHER_TICKETS = 500
SUBSCRIPTION = "subscription($view: ID!) { ticketViewUpdated(viewId: $view, first: 25) { kind count ticketId ticket { id priority } } }"
RESULTS = Path(__file__).parent / "results"


class ViewReceiver(Receiver):
    """bench.fanout's bare-socket subscriber, following a view and timing each ENTERED and LEFT."""

    def __init__(self, token: str, view_id: str) -> None:
        super().__init__(token, view_id)
        self.subscribe = json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIPTION, "variables": {"view": view_id}},
            }
        ).encode()

    def on_message(self, payload: bytes, arrived: float) -> None:
        if not self.ready.done():
            message = json.loads(payload)
            if message["type"] == "connection_ack":
                self.send(0x1, self.subscribe)
            elif (
                message["type"] == "next"
                and message["payload"]["data"]["ticketViewUpdated"]["kind"] == "SNAPSHOT"
            ):
                self.ready.set_result(None)
            else:
                self.ready.set_exception(AssertionError(message))
            return
        if b'"ENTERED"' in payload or b'"LEFT"' in payload:
            self.received.append(arrived)


async def measure(servers: list[Any], token: str, view_id: str, ticket_id: str) -> dict[str, float]:
    receivers = [await ViewReceiver.open(servers[i % 2].ws, token, view_id) for i in range(SUBSCRIBERS)]
    await asyncio.sleep(1)
    latencies = await latencies_of_changes(servers, token, ticket_id, receivers, ("HIGH", "LOW"))
    for receiver in receivers:
        receiver.close()
    return {
        "subscribers": SUBSCRIBERS,
        "events": EVENTS,
        "other_tickets": OTHER_TICKETS,
        "missing": SUBSCRIBERS * EVENTS - len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def prepare(base: str, token: str) -> tuple[str, str]:
    """The shared view and the ticket that moves in and out of it, among OTHER_TICKETS others."""
    people = await graphql(
        base,
        token,
        'mutation { createRequester(input: {name: "Rita", email: "rita@bench.test"}) { ... on CreateRequesterSuccess { requester { id } } } }',
    )
    requester = people["createRequester"]["requester"]["id"]
    create = 'mutation($r: ID, $p: Priority) { createTicket(input: {title: "Printer", requesterId: $r, priority: $p}) { ... on CreateTicketSuccess { ticket { id } } } }'
    for i in range(OTHER_TICKETS):
        await graphql(
            base, token, create, {"r": requester, "p": ("HIGH", "LOW", "MEDIUM", "CRITICAL")[i % 4]}
        )
    moving = await graphql(base, token, create, {"r": requester, "p": "LOW"})
    view = await graphql(
        base,
        token,
        'mutation { createView(input: {name: "High", shared: true, filter: {priority: [HIGH]}}) { ... on ViewSuccess { view { id } } } }',
    )
    return view["createView"]["view"]["id"], moving["createTicket"]["ticket"]["id"]


async def main() -> None:
    database_url = beside_seeded("view_fanout")
    await recreate(database_url)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        redis_server = RedisServer(folder)
        redis_server.start()
        try:
            # its OTHER_TICKETS tickets are made by one token: past the default mutations per minute
            with cluster(
                database_url,
                redis_server.url,
                folder,
                2,
                subscriber_queue_size="1000",
                rate_limit_mutations_per_minute="100000",
            ) as running:
                env = running.env
                deskql("migrate", env=env, cwd=folder)
                created = deskql(
                    "create-account", "--name", "Bench", "--admin-email", "ada@bench.test", "--admin-name", "Ada",
                    env=env, cwd=folder,
                )  # fmt: skip
                token = created.stdout.strip().splitlines()[-1]
                view_id, ticket_id = await prepare(running.servers[0].http, token)
                row = await measure(running.servers, token, view_id, ticket_id)
        finally:
            redis_server.stop()
    await drop(database_url)
    print("live view fan-out over 2 workers with Redis (commit-to-receipt latency of ENTERED/LEFT)")
    print(
        f"  {row['subscribers']} subscribers of one view, {row['events']} events: p50 {row['p50_ms']:.1f} ms  "
        f"p99 {row['p99_ms']:.1f} ms  missing {row['missing']}  (target: p99 < 250 ms)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "view_fanout.json").write_text(
        json.dumps({"date": time.strftime("%Y-%m-%d"), "row": row}, indent=2)
    )


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
