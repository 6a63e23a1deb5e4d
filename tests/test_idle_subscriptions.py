"""What an idle subscription holds inside the server: real websockets through the whole application, as
``deskql serve`` runs it (uvicorn with app.websocket_protocol), measured with tracemalloc; and the middleware
that concern HTTP only, which websockets pass by (app.http_only)."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from starlette.middleware import Middleware
from starlette.types import Receive, Scope, Send

from app.database import Database
from app.http_only import HttpOnly
from app.websocket_protocol import WebSocketProtocol
from bench.fanout import Receiver
from schema.ids import encode
from subscriptions import channels
from subscriptions.broadcast import Realtime
from tests.factories import make_world
from tests.live import Live
from tests.servers import in_process

IDLE = 40
BOUND_BYTES = 36 * 1024
"""Per idle subscription, traced. Measured here: 41-43 KiB before websockets passed the HTTP middleware by,
Strawberry's operation context kept no empty exit stack, and the handshake's headers and the cancelled wait
for connection_init were let go; 31-33 KiB since."""
LEFT_OUT = (
    "*/bench/fanout.py",
    "*/tracemalloc.py",
    "*/tests/*",
    "<frozen importlib._bootstrap>",
    "*/threading.py",
)
"""The clients, the test, and background jobs (importing what they need, or in threads)."""


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


@asynccontextmanager
async def serving(live: Live) -> AsyncIterator[str]:
    """The application on a port, with the websocket settings of ``deskql serve`` (app.cli); Live runs its
    lifespan."""
    config = {"ws_ping_interval": 20, "ws_ping_timeout": 20, "ws_per_message_deflate": False}
    async with in_process(live.app, ws=WebSocketProtocol, **config) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


async def all_waiting(live: Live, channel: str, count: int) -> None:
    """Until ``count`` subscribers of ``channel`` wait for their next event (their snapshots sent)."""
    realtime = live.graphql.environment.realtime
    assert isinstance(realtime, Realtime)
    for _ in range(1000):
        subscribers = realtime.hub._channels.get(channel, set())
        if len(subscribers) == count and all(s._waiter is not None for s in subscribers):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{count} subscribers of {channel} never all waited")


async def test_an_idle_subscription_holds_less_than_its_bound(live: Live) -> None:
    world = await make_world()
    ticket = await world.ticket()
    ticket_id = encode("Ticket", ticket.id)
    channel = channels.ticket(ticket.id)
    async with serving(live) as url:
        warm = [await Receiver.open(url, world.technician_token, ticket_id) for _ in range(5)]
        await all_waiting(live, channel, 5)
        gc.collect()
        tracemalloc.start(32)
        try:
            before = tracemalloc.take_snapshot()
            idle = [await Receiver.open(url, world.technician_token, ticket_id) for _ in range(IDLE)]
            await all_waiting(live, channel, 5 + IDLE)
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
        for receiver in warm + idle:
            receiver.close()
        await all_waiting(live, channel, 0)
    server_side = [tracemalloc.Filter(False, pattern, all_frames=True) for pattern in LEFT_OUT]
    held = after.filter_traces(server_side).compare_to(before.filter_traces(server_side), "filename")
    per_subscription = sum(stat.size_diff for stat in held) / IDLE
    assert per_subscription < BOUND_BYTES, per_subscription


class Recorder:
    def __init__(self, name: str, seen: list[str]) -> None:
        self.name, self.seen = name, seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append(f"{self.name} {scope['type']} {scope['path']}")


class Around:
    def __init__(self, app: Any, seen: list[str]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append(f"around {scope['type']}")
        await self.app(scope, receive, send)


async def test_http_passes_the_http_middleware_and_a_websocket_goes_straight_to_its_endpoint() -> None:
    seen: list[str] = []
    dispatch = HttpOnly(
        Recorder("app", seen),
        middleware=[Middleware(Around, seen=seen)],
        sockets={"/graphql": Recorder("endpoint", seen)},
    )

    async def nothing() -> Any:
        raise AssertionError

    async def ignore(message: Any) -> None:
        raise AssertionError

    for scope_type, path in [("http", "/graphql"), ("websocket", "/graphql"), ("websocket", "/other")]:
        await dispatch({"type": scope_type, "path": path, "root_path": ""}, nothing, ignore)
    await dispatch({"type": "websocket", "path": "/api/graphql", "root_path": "/api"}, nothing, ignore)
    assert seen == [
        "around http",
        "app http /graphql",
        "endpoint websocket /graphql",
        "app websocket /other",  # the router closes it, as before
        "endpoint websocket /api/graphql",  # matched as Starlette's router matches it
    ]
