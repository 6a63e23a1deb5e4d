"""The broadcast hub: broadcaster's Broadcast with bounded subscriber queues and safe concurrent subscribes.

broadcaster 0.3.1 gives every subscriber an unbounded queue, blocks delivery on a full one, and can lose a
subscriber when two subscribe to a channel at once. Here each channel's subscribe and unsubscribe run under
that channel's lock, delivery never waits (a subscriber whose queue is full is cut off with
``SubscriberTooSlow`` and no longer grows memory), and the listener survives a failing backend call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from broadcaster import Broadcast, Event
from broadcaster._backends.base import BroadcastBackend

from services.telemetry import telemetry
from subscriptions.channels import sent_at

log = logging.getLogger("deskql.broadcast")


class SubscriberTooSlow(Exception):
    """The subscriber fell ``queue_size`` events behind and was cut off."""


class Subscriber:
    """The events waiting for one subscription. Light when idle (no queue, one pending future): an
    asyncio.Queue would keep four deques per open subscription."""

    __slots__ = ("_events", "_waiter", "overflowed", "queue_size")

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._events: deque[Event] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self.overflowed = False

    def offer(self, event: Event) -> None:
        if self.overflowed:
            return
        if self._events is None:
            self._events = deque()
        if len(self._events) >= self.queue_size:
            log.warning(
                "a subscriber of %s fell %d events behind and is cut off", event.channel, self.queue_size
            )
            self.overflowed = True
            telemetry().subscriber_dropped(event.channel)
            self._events = None  # free the memory, then wake the reader
        else:
            self._events.append(event)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self, within: float | None = None) -> Event | None:
        """The next event; None when ``within`` seconds pass first. Raises SubscriberTooSlow once cut off."""
        if not self._events and not self.overflowed:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                # asyncio.timeout, not wait_for: no task per wait, which every idle subscription would keep.
                async with asyncio.timeout(within):
                    await self._waiter
            except TimeoutError:
                return None
            finally:
                self._waiter = None
        if self.overflowed:
            raise SubscriberTooSlow("Too many events waited for this subscriber; it was disconnected.")
        assert self._events
        event = self._events.popleft()
        if not self._events:
            self._events = None
        return event


class Hub(Broadcast):
    def __init__(self, backend: BroadcastBackend, *, queue_size: int = 100) -> None:
        super().__init__(backend=backend)
        self.queue_size = queue_size
        self._channels: dict[str, set[Subscriber]] = {}
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def _channel_lock(self, channel: str) -> AsyncIterator[None]:
        """One lock per channel, forgotten when nobody holds or waits for it (channels come and go)."""
        lock, users = self._locks.get(channel, (asyncio.Lock(), 0))
        self._locks[channel] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[channel]
            if users == 1:
                del self._locks[channel]
            else:
                self._locks[channel] = (lock, users - 1)

    async def disconnect(self) -> None:
        self._listener_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._listener_task
        await self._backend.disconnect()

    async def _listener(self) -> None:
        while True:
            try:
                event = await self._backend.next_published()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reading the broadcast failed; going on")
                await asyncio.sleep(0.1)
                continue
            subscribers = list(self._channels.get(event.channel, ()))
            for subscriber in subscribers:
                subscriber.offer(event)
            sent = sent_at(event.message)
            telemetry().delivered(
                event.channel, len(subscribers), None if sent is None else max(0.0, time.time() - sent)
            )

    async def publish(self, channel: str, message: Any) -> None:
        await self._backend.publish(channel, message)
        telemetry().published(channel)

    @property
    def subscriber_count(self) -> int:
        return sum(len(subscribers) for subscribers in self._channels.values())

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscriber]:  # type: ignore[override]
        """A subscriber of ``channel``; the channel is subscribed on the backend before this yields."""
        subscriber = Subscriber(self.queue_size)
        async with self._channel_lock(channel):
            subscribers = self._channels.setdefault(channel, set())
            subscribers.add(subscriber)
            if len(subscribers) == 1:
                try:
                    await self._backend.subscribe(channel)
                except BaseException:
                    subscribers.discard(subscriber)
                    del self._channels[channel]
                    raise
        try:
            yield subscriber
        finally:
            async with self._channel_lock(channel):
                subscribers = self._channels.get(channel, set())
                subscribers.discard(subscriber)
                if not subscribers:
                    self._channels.pop(channel, None)
                    with contextlib.suppress(Exception):
                        await self._backend.unsubscribe(channel)
