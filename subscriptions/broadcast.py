"""Broadcast wiring: the event publisher services use, and the pieces subscriptions need at runtime."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from broadcaster import Event as BroadcastEvent

from fastpath.shared_reads import SharedReads
from schema.loaders import Loaders
from services.events import Event
from subscriptions import channels
from subscriptions.connections import Connections
from subscriptions.hub import Hub
from subscriptions.presence import PresenceStore
from subscriptions.view_watch import Watches

log = logging.getLogger("deskql.broadcast")


class BroadcastPublisher:
    """The after-commit consumer of events (app.main): committed events go out as JSON on their channels.

    Publishing never waits for Redis: the Redis backend buffers the events (bounded) and publishes them in
    the background, so a committed change is answered at once even while Redis is out of reach.
    Subscribers that may have missed events are told to refetch (RESYNC) once Redis is back.
    """

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            message = channels.encode(event)
            for channel in channels.of(event):
                try:
                    await self.hub.publish(channel, message)
                except Exception:
                    log.exception("publishing %s on %s failed", event.type, channel)


@dataclass
class SharedRead:
    """What the subscribers of one event in one audience share: loaders and the payloads built from them."""

    event: BroadcastEvent
    loaders: Loaders
    payloads: dict[str, Any] = field(default_factory=dict)
    message: channels.Message | None = None
    """The event decoded, once for all of them."""


@dataclass(frozen=True)
class Realtime:
    """What subscriptions use: the hub, the presence store and its timing, the open websockets."""

    hub: Hub
    presence: PresenceStore
    presence_ttl_seconds: float = 30.0
    heartbeat_seconds: float = 10.0
    revalidate_seconds: float = 30.0
    """How often a long subscription checks that its token and ticket are still good (a safety net:
    revocations are announced and end the token's websockets at once, see subscriptions.connections)."""
    shared_reads: SharedReads[SharedRead] = field(default_factory=SharedReads)
    connections: Connections = field(default_factory=Connections)
    view_watches: Watches = field(default_factory=Watches)
    """Which tickets each live view holds, per view and audience (subscriptions.view_watch)."""
