"""Messages waiting to be published: a bounded buffer between a committed change and the broadcast.

A request only appends to the buffer; a background task publishes from it (subscriptions.redis_backend).
When the buffer is full the oldest message is dropped and its channel remembered: once publishing works
again that channel hears ``channels.RESYNC``, so its subscribers refetch what they missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from services.telemetry import telemetry

log = logging.getLogger("deskql.broadcast")


class PublishBuffer:
    def __init__(self, size: int) -> None:
        self.size = size
        self._messages: deque[tuple[int, str, str]] = deque()
        self._serial = 0
        self._dropped: set[str] = set()
        self._ready = asyncio.Event()
        self._empty = asyncio.Event()
        self._empty.set()
        self.dropped = 0
        """How many messages were dropped since the start."""

    def __len__(self) -> int:
        return len(self._messages)

    def put(self, channel: str, message: str) -> None:
        """Append a message; never waits. A full buffer drops its oldest message."""
        if len(self._messages) >= self.size:
            _, lost, _ = self._messages.popleft()
            self.dropped += 1
            telemetry().publish_dropped()
            if len(self._dropped) < self.size:
                self._dropped.add(lost)
            if self.dropped == 1 or self.dropped % self.size == 0:
                log.warning("the broadcast buffer is full; %d events dropped so far", self.dropped)
        self._serial += 1
        self._messages.append((self._serial, channel, message))
        self._empty.clear()
        self._ready.set()

    async def wait(self) -> None:
        """Until there is something to publish."""
        while not self._messages and not self._dropped:
            self._ready.clear()
            await self._ready.wait()

    def first(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to ``limit`` of the oldest messages, left in the buffer until ``published``."""
        return [self._messages[i] for i in range(min(limit, len(self._messages)))]

    def published(self, serial: int) -> None:
        """Forget every message up to ``serial`` (some may have been dropped meanwhile)."""
        while self._messages and self._messages[0][0] <= serial:
            self._messages.popleft()
        if not self._messages:
            self._empty.set()

    async def emptied(self) -> None:
        """Until every message was published."""
        await self._empty.wait()

    def take_dropped(self) -> list[str]:
        """The channels that lost messages since the last call."""
        channels = sorted(self._dropped)
        self._dropped.clear()
        return channels

    def return_dropped(self, channels: list[str]) -> None:
        """Channels whose RESYNC could not be published: try again later."""
        self._dropped.update(channels)
        self._ready.set()
