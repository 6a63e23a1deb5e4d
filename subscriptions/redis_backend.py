"""deskql's Redis backend for broadcaster: delivers with redis-py 8 and survives Redis restarts.

broadcaster 0.3.1's stock backend wakes its listener before redis-py records the channel (so it delivers
nothing with redis-py 8) and its listener dies silently when the connection drops. This one:

- runs one listener task that owns the pub/sub connection; it starts reading only once a channel is
  subscribed, and confirms each SUBSCRIBE to the caller, so a subscriber is live before it reads state;
- when the connection drops it reconnects with exponential backoff, subscribes every live channel again,
  and then sends ``channels.RESYNC`` on each of them, since events published meanwhile were lost;
- never makes a publisher wait for Redis: ``publish`` appends to a bounded buffer
  (subscriptions.publish_buffer) and a background task publishes it in order, in pipelined batches,
  retrying with backoff while Redis is out of reach. Channels whose messages the full buffer dropped hear
  RESYNC once publishing works again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from broadcaster import Event
from broadcaster._backends.base import BroadcastBackend
from redis import asyncio as redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from subscriptions.channels import RESYNC
from subscriptions.publish_buffer import PublishBuffer

log = logging.getLogger("deskql.broadcast")
DROPPED = (RedisConnectionError, RedisTimeoutError, OSError)
CONFIRM_SECONDS = 3.0
KEEPALIVE = "deskql:keepalive"
"""Always subscribed, so that the pub/sub connection is never without a subscription."""
BUFFER_SIZE = 10_000
"""Messages kept while Redis is out of reach (a few hundred bytes each)."""
BATCH = 100
RETRY_SECONDS = (0.05, 1.0)
"""The first and the longest wait between attempts to publish while Redis is out of reach."""
FLUSH_SECONDS = 2.0
"""How long stopping waits for the buffer to be published."""


class ResilientRedisBackend(BroadcastBackend):
    def __init__(self, url: str, *, buffer_size: int = BUFFER_SIZE) -> None:
        self._url = url
        self._commands = redis.Redis.from_url(
            url,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            socket_connect_timeout=2,
            health_check_interval=10,
        )
        # No retries for pub/sub: redis-py would reconnect and subscribe again by itself after a short
        # outage, and the listener would never learn that events were lost meanwhile (no RESYNC).
        self._subscriptions = redis.Redis.from_url(
            url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=2, health_check_interval=10
        )
        self.buffer = PublishBuffer(buffer_size)
        self._publisher: asyncio.Task[None] | None = None
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
        self._publisher = asyncio.create_task(self._publish_buffered(), name="deskql-redis-publisher")

    async def disconnect(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.buffer.emptied(), FLUSH_SECONDS)
        for task in (self._publisher, self._listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if len(self.buffer):
            log.warning("stopped with %d events not published", len(self.buffer))
        await self._commands.aclose()
        await self._subscriptions.aclose()

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
        """Buffered: returns at once, whether Redis is reachable or not."""
        self.buffer.put(channel, message)

    async def _publish_buffered(self) -> None:
        """Publish the buffer in order, a pipelined batch at a time; while that fails, wait and retry."""
        delay, longest = RETRY_SECONDS
        failing_since: float | None = None
        while True:
            await self.buffer.wait()
            batch = self.buffer.first(BATCH)
            resync = self.buffer.take_dropped()
            try:
                async with self._commands.pipeline(transaction=False) as pipe:
                    for _, channel, message in batch:
                        pipe.publish(channel, message)
                    for channel in resync:
                        pipe.publish(channel, RESYNC)
                    await pipe.execute()
            except asyncio.CancelledError:
                self.buffer.return_dropped(resync)
                raise
            except Exception as error:  # out of reach, or refusing (NOAUTH, READONLY...): wait and retry
                self.buffer.return_dropped(resync)
                if failing_since is None:
                    failing_since = time.monotonic()
                    log.warning("publishing to the broadcast failed (%s); events wait and are retried", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, longest)
                continue
            if batch:
                self.buffer.published(batch[-1][0])
            if failing_since is not None:
                log.warning(
                    "publishing to the broadcast works again after %.1fs",
                    time.monotonic() - failing_since,
                )
                failing_since = None
            delay = RETRY_SECONDS[0]

    async def next_published(self) -> Event:
        return await self._published.get()

    async def _listen(self) -> None:
        delay = 0.1
        first = True
        while True:
            await self._wanted.wait()
            pubsub = self._subscriptions.pubsub()
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
