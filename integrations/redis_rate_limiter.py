"""Rate-limit windows in Redis, shared by every worker and host: INCR on a key per window, which expires
with it. When Redis cannot be reached the limiter lets the request through (and says so in the log):
an outage of the broadcast must not take the API down."""

from __future__ import annotations

import logging
import time

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger("deskql.rate_limits")


class RedisRateLimiter:
    def __init__(self, url: str, namespace: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = f"deskql:rate:{namespace}:"

    def _key(self, key: str, window_seconds: int) -> tuple[str, int]:
        now = int(time.time())
        window = now // window_seconds
        return f"{self._prefix}{key}:{window}", (window + 1) * window_seconds - now

    async def count(self, key: str, window_seconds: int) -> tuple[int, int]:
        name, left = self._key(key, window_seconds)
        try:
            value = await self._redis.get(name)
        except RedisError as error:
            log.warning("rate limits unavailable, not counting: %s", error)
            return 0, left
        return int(value or 0), max(1, left)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        name, left = self._key(key, window_seconds)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_seconds + 1)
                hits, _ = await pipe.execute()
        except RedisError as error:
            log.warning("rate limits unavailable, not counting: %s", error)
            return 0, left
        return int(hits), max(1, left)

    async def reset(self, key: str, window_seconds: int) -> None:
        try:
            await self._redis.delete(self._key(key, window_seconds)[0])
        except RedisError as error:
            log.warning("rate limits unavailable, not reset: %s", error)

    async def aclose(self) -> None:
        await self._redis.aclose()
