"""deskql's Redis broadcast backend against a Redis server of this module's own, which the tests stop, start
and pause: publishing never waits for Redis, and subscribers hear RESYNC whenever they may have missed
events (events dropped from the full buffer, a restart shorter than redis-py's own retries)."""

from __future__ import annotations

import time
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
import redis

from subscriptions.channels import RESYNC
from subscriptions.hub import Hub, Subscriber
from subscriptions.redis_backend import ResilientRedisBackend
from tests.processes import RedisServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[RedisServer]:
    running = RedisServer(tmp_path_factory.mktemp("redis"))
    running.start()
    yield running
    running.stop()


@asynccontextmanager
async def hub_of(backend: ResilientRedisBackend) -> AsyncIterator[Hub]:
    hub = Hub(backend)
    await hub.connect()
    try:
        yield hub
    finally:
        await hub.disconnect()


async def received(subscriber: Subscriber, until: str, within: float = 10.0) -> list[str]:
    """The messages of a subscriber up to and including ``until``; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    messages: list[str] = []
    while until not in messages:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{until} did not arrive; got {messages}"
        event = await subscriber.get(within=remaining)
        if event is not None:
            messages.append(event.message)
    return messages


def test_the_backend_gives_redis_py_the_asyncio_retry() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ResilientRedisBackend("redis://127.0.0.1:1/0")
    assert [str(w.message) for w in caught] == []


async def test_publishing_never_waits_for_redis_and_events_committed_meanwhile_follow_a_resync(
    server: RedisServer,
) -> None:
    async with (
        hub_of(ResilientRedisBackend(server.url)) as hub,
        hub.subscribe("deskql:test:outage") as subscriber,
    ):
        server.stop()
        for i in range(20):
            started = time.monotonic()
            await hub.publish("deskql:test:outage", f"during {i}")
            assert time.monotonic() - started < 0.01
        server.start()
        messages = await received(subscriber, RESYNC)
        await hub.publish("deskql:test:outage", "after")
        messages += await received(subscriber, "after")
    # Published late, in order; those published before this subscriber was back are what RESYNC stands for.
    late = [m for m in messages if m != RESYNC]
    assert late == [*sorted(late[:-1], key=lambda m: int(m.split()[1])), "after"]
    assert set(late[:-1]) <= {f"during {i}" for i in range(20)}


async def test_a_restart_shorter_than_redis_pys_own_retries_still_ends_in_a_resync(
    server: RedisServer,
) -> None:
    async with (
        hub_of(ResilientRedisBackend(server.url)) as hub,
        hub.subscribe("deskql:test:blink") as subscriber,
    ):
        server.stop()
        server.start()  # back before a retry of redis-py would have noticed anything
        assert await received(subscriber, RESYNC) == [RESYNC]


async def test_events_dropped_from_the_full_buffer_end_in_a_resync_on_their_channel(
    server: RedisServer,
) -> None:
    publisher = ResilientRedisBackend(server.url, buffer_size=3)
    reader = ResilientRedisBackend(server.url)
    async with (
        hub_of(publisher) as publishing,
        hub_of(reader) as reading,
        reading.subscribe("deskql:test:full") as subscriber,
    ):
        # Redis holds every PUBLISH for a second (its connections stay up): the buffer fills up.
        redis.Redis(port=server.port).client_pause(1000, all=False)
        for i in range(10):
            await publishing.publish("deskql:test:full", f"event {i}")
        messages = await received(subscriber, RESYNC)
    assert publisher.buffer.dropped > 0
    assert reader.reconnects == 0  # the RESYNC is the publisher's, not a reconnection's
    assert messages[-4:] == ["event 7", "event 8", "event 9", RESYNC]
