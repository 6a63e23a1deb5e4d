"""What one idle subscription holds inside a worker, by source (tracemalloc), in one process.

A uvicorn server runs the application in this process (SQLite, in-memory broadcast, uvloop and the websocket
protocol as `deskql serve` has them); N bare-socket subscribers (bench.fanout.Receiver, the fan-out bench's own, with its subscription)
connect to it, each receives its snapshot, and the process's allocations before and after are compared,
grouped by the innermost frames of deskql, strawberry, graphql-core, uvicorn or websockets that made them
(the subscribers' own allocations are left out). It prints the bytes per subscription, the largest sources
first. Options: ``--subscribers N`` (300), ``--frames K`` (the frames of each source, 6), ``--top T`` (25).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import tracemalloc
from pathlib import Path

LEFT_OUT = (
    "*/bench/fanout.py",
    "*/tracemalloc.py",
    "<frozen importlib._bootstrap>",  # a background job importing what it needs
    "*/threading.py",  # background jobs in threads (the local AI models)
)


async def serve(folder: Path) -> tuple[object, str, str]:
    import uvicorn

    from app.main import create_app
    from app.settings import Settings
    from tests.servers import admin_of_new_account, environment, free_port, migrate

    url = f"sqlite://{folder / 'db.sqlite3'}"
    env = environment(database_url=url, secret_key="m" * 40, log_level="warning")
    migrate(env, folder)
    token = admin_of_new_account(env, folder)
    port = free_port()
    app = create_app(Settings(database_url=url, secret_key="m" * 40, log_level="warning"))
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="app.websocket_protocol:WebSocketProtocol",
        ws_ping_interval=20,
        ws_ping_timeout=20,
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)
    asyncio.get_running_loop().create_task(server.serve())
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return server, f"127.0.0.1:{port}", token


async def ticket_of(base: str, token: str) -> str:
    from bench.fanout import graphql

    people = await graphql(
        base,
        token,
        'mutation { createRequester(input: {name: "Rita", email: "rita@bench.test"}) '
        "{ ... on CreateRequesterSuccess { requester { id } } } }",
    )
    created = await graphql(
        base,
        token,
        'mutation($r: ID) { createTicket(input: {title: "Memory", requesterId: $r}) '
        "{ ... on CreateTicketSuccess { ticket { id } } } }",
        {"r": people["createRequester"]["requester"]["id"]},
    )
    ticket_id: str = created["createTicket"]["ticket"]["id"]
    return ticket_id


async def settle() -> None:
    await asyncio.sleep(1.5)  # each subscription goes back to waiting once its snapshot was sent
    gc.collect()


async def main(subscribers: int, frames: int, top: int, dump: str) -> None:
    from bench.fanout import Receiver

    with tempfile.TemporaryDirectory() as folder:
        server, address, token = await serve(Path(folder))
        ticket_id = await ticket_of(f"http://{address}", token)
        ws = f"ws://{address}/graphql"
        warm = [await Receiver.open(ws, token, ticket_id) for _ in range(20)]
        for receiver in warm:
            receiver.close()
        await settle()
        tracemalloc.start(32)
        before = tracemalloc.take_snapshot()
        receivers = [await Receiver.open(ws, token, ticket_id) for _ in range(subscribers)]
        await settle()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        left_out = [tracemalloc.Filter(False, pattern, all_frames=True) for pattern in LEFT_OUT]
        before, after = before.filter_traces(left_out), after.filter_traces(left_out)
        if dump:
            before.dump(f"{dump}.before")
            after.dump(f"{dump}.after")
        total = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        print(
            f"{subscribers} idle subscriptions: {total / subscribers / 1024:.1f} KiB each (traced by Python)"
        )
        stats = [s for s in after.compare_to(before, "traceback") if s.size_diff > 0]
        stats.sort(key=lambda stat: -stat.size_diff)
        for stat in stats[:top]:
            print(
                f"\n{stat.size_diff / subscribers:8.0f} B/subscription  {stat.count_diff / subscribers:5.1f} blocks"
            )
            for line in stat.traceback.format(limit=frames, most_recent_first=True):
                print("    " + line.strip())
        for receiver in receivers:
            receiver.close()
        server.should_exit = True  # type: ignore[attr-defined]
        await asyncio.sleep(1)


if __name__ == "__main__":
    import uvloop

    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", default="", help="write the two snapshots to DUMP.before and DUMP.after")
    options = parser.parse_args()
    uvloop.run(main(options.subscribers, options.frames, options.top, options.dump))
