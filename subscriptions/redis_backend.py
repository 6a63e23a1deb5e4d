"""deskql's Redis backend for broadcaster: delivers with redis-py 8 and survives Redis restarts.

broadcaster 0.3.1's stock backend wakes its listener before redis-py records the channel (so it delivers
nothing with redis-py 8) and its listener dies silently when the connection drops. This one:

- runs one listener task that owns the pub/sub connection; it starts reading only once a channel is
  subscribed, and confirms each SUBSCRIBE to the caller, so a subscriber is live before it reads state;
- when the connection drops it reconnects with exponential backoff, subscribes every live channel again,
  and then sends ``channels.RESYNC`` on each of them, since events published meanwhile were lost;
- publishes over a pooled connection, retrying with backoff when a pooled connection turns out dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from broadcaster import Event
from broadcaster._backends.base import BroadcastBackend
from redis import asyncio as redis
from redis.asyncio.client import PubSub
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from subscriptions.channels import RESYNC

log = logging.getLogger("deskql.broadcast")
DROPPED = (RedisConnectionError, RedisTimeoutError, OSError)
CONFIRM_SECONDS = 3.0
KEEPALIVE = "deskql:keepalive"
"""Always subscribed, so that the pub/sub connection is never without a subscription."""
PUBLISH_ATTEMPTS = 4


class ResilientRedisBackend(BroadcastBackend):
    def __init__(self, url: str) -> None:
        self._url = url
        self._commands = redis.Redis.from_url(
            url,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            socket_connect_timeout=2,
            health_check_interval=10,
        )
        self._channels: set[str] = set()
        self._confirmed: dict[str, asyncio.Event] = {}
        self._wanted = asyncio.Event()
        self._published: asyncio.Queue[Event] = asyncio.Queue()
        self._pubsub: PubSub | None = None
        self._listener: asyncio.Task[None] | None = None
        self._resync: set[str] = set()
        self.reconnects = 0

    async def connect(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="deskql-redis-listener")

    async def disconnect(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._commands.aclose()

    async def subscribe(self, channel: str) -> None:
        """Subscribe and wait (a few seconds at most) until Redis confirms; during an outage the channel is
        subscribed on reconnection and then receives RESYNC."""
        confirmed = self._confirmed.setdefault(channel, asyncio.Event())
        self._channels.add(channel)
        self._wanted.set()
        if self._pubsub is not None:
            with contextlib.suppress(*DROPPED):
                await self._pubsub.subscribe(channel)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(confirmed.wait(), CONFIRM_SECONDS)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        self._confirmed.pop(channel, None)
        if self._pubsub is not None:
            with contextlib.suppress(*DROPPED):
                await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        delay = 0.05
        for attempt in range(PUBLISH_ATTEMPTS):
            try:
                await self._commands.publish(channel, message)
                return
            except DROPPED:
                if attempt == PUBLISH_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(delay)
                delay *= 2

    async def next_published(self) -> Event:
        return await self._published.get()

    async def _listen(self) -> None:
        delay = 0.1
        first = True
        while True:
            await self._wanted.wait()
            pubsub = self._commands.pubsub()
            try:
                # Set before the snapshot of channels: a concurrent subscribe() either is in the snapshot
                # or sees this pub/sub and subscribes itself.
                self._pubsub = pubsub
                channels = list(self._channels)
                if not first:
                    # Each channel hears RESYNC once Redis confirms it again (see _read).
                    self._resync = set(channels)
                await pubsub.subscribe(KEEPALIVE, *channels)
                if not first:
                    self.reconnects += 1
                    log.warning("broadcast reconnected; %d channels subscribed again", len(channels))
                first = False
                delay = 0.1
                await self._read(pubsub)
            except asyncio.CancelledError:
                raise
            except DROPPED as error:
                log.warning("broadcast connection lost (%s); reconnecting in %.1fs", error, delay)
            except Exception:
                log.exception("broadcast listener failed; reconnecting in %.1fs", delay)
            finally:
                self._pubsub = None
                for confirmed in self._confirmed.values():
                    confirmed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _read(self, pubsub: PubSub) -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=False, timeout=1.0)
            if message is None:
                continue
            channel = (
                message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
            )
            if message["type"] == "subscribe" and channel in self._confirmed:
                self._confirmed[channel].set()
                if channel in self._resync:
                    self._resync.discard(channel)
                    await self._published.put(Event(channel=channel, message=RESYNC))
            elif message["type"] == "message":
                data = message["data"]
                await self._published.put(
                    Event(channel=channel, message=data.decode() if isinstance(data, bytes) else data)
                )
