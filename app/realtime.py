"""Building the realtime pieces from settings: the broadcast hub and the presence store."""

from __future__ import annotations

from broadcaster._backends.memory import MemoryBackend

from app.settings import Settings
from subscriptions.broadcast import Realtime
from subscriptions.hub import Hub
from subscriptions.presence import MemoryPresence, RedisPresence


def build_realtime(settings: Settings) -> Realtime:
    if settings.broadcast_url.startswith("memory://"):
        hub = Hub(MemoryBackend(settings.broadcast_url), queue_size=settings.subscriber_queue_size)
        presence: MemoryPresence | RedisPresence = MemoryPresence()
    else:
        # Imported only where Redis is configured: redis costs every process that starts.
        from subscriptions.redis_backend import ResilientRedisBackend

        hub = Hub(ResilientRedisBackend(settings.broadcast_url), queue_size=settings.subscriber_queue_size)
        presence = RedisPresence(
            settings.broadcast_url, key_seconds=int(settings.presence_ttl_seconds * 4) + 1
        )
    return Realtime(
        hub=hub,
        presence=presence,
        presence_ttl_seconds=settings.presence_ttl_seconds,
        heartbeat_seconds=settings.presence_heartbeat_seconds,
    )


async def start(realtime: Realtime) -> None:
    await realtime.hub.connect()
    await realtime.connections.start(realtime.hub)


async def stop(realtime: Realtime) -> None:
    await realtime.connections.stop()
    await realtime.hub.disconnect()
    await realtime.presence.close()
