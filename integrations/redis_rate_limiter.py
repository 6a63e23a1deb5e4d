"""Rate-limit counts in Redis, shared by every worker and host: the ``limits`` package's storage over
redis-py, whose moving windows are lists of hit times updated by a Lua script (one atomic step per hit).
Its errors come out as ``limits.errors.StorageError``, which services.rate_limits answers by letting the
request through: an outage of the broadcast must not take the API down."""

from __future__ import annotations

from limits.aio.storage import RedisStorage


def redis_rate_limit_storage(url: str, namespace: str) -> RedisStorage:
    """The storage at ``url`` (redis:// or rediss://), its keys under ``deskql:rate:<namespace>:``."""
    return RedisStorage(
        f"async+{url}",
        wrap_exceptions=True,
        implementation="redispy",
        key_prefix=f"deskql:rate:{namespace}",
        socket_timeout=2,
        socket_connect_timeout=2,
    )
