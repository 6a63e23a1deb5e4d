"""Where persisted queries' documents are kept, by the SHA-256 of their text.

- Without Redis: this process's memory, the 10,000 most recently used documents.
- With Redis (``DESKQL_BROADCAST_URL=redis://...``): one key per document (``deskql:pq:<hash>``) that lives
  for 30 days after its last use, and a sorted set of last uses (``deskql:pq:used``) trimmed to the 10,000
  most recent, so that every worker and host knows what any of them was sent, within a bound of its own
  whatever Redis's ``maxmemory`` policy. A small memory cache in front spares Redis a round trip for the
  documents a worker uses most; a document found there refreshes its Redis entry at most once a minute.

An outage of Redis fails no request: a document found in the memory cache is used, an unknown one is
asked of the client (``PERSISTED_QUERY_NOT_FOUND``) as when it was never sent, and a new one is kept in
memory only until Redis answers again.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

log = logging.getLogger("deskql.persisted_queries")

MAX_DOCUMENTS = 10_000
LOCAL_DOCUMENTS = 1_000
TTL_SECONDS = 30 * 86_400
TOUCH_SECONDS = 60.0
WARN_SECONDS = 10.0
PREFIX = "deskql:pq:"


class DocumentStore(Protocol):
    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, document: str) -> None: ...

    async def close(self) -> None: ...


class MemoryDocuments:
    """The most recently used documents of this process."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS) -> None:
        self.max_documents = max_documents
        self._documents: OrderedDict[str, str] = OrderedDict()

    def find(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    def keep(self, digest: str, document: str) -> None:
        self._documents[digest] = document
        self._documents.move_to_end(digest)
        while len(self._documents) > self.max_documents:
            self._documents.popitem(last=False)

    async def get(self, digest: str) -> str | None:
        return self.find(digest)

    async def put(self, digest: str, document: str) -> None:
        self.keep(digest, document)

    async def close(self) -> None:
        self._documents.clear()


# KEYS: the document's key, the set of last uses. ARGV: hash, document ('' to refresh only), ttl, now, max.
_KEEP = """
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
elseif redis.call('EXPIRE', KEYS[1], ARGV[3]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], excess)
  for i = 1, #oldest, 2 do
    redis.call('DEL', KEYS[1]:sub(1, #KEYS[1] - #ARGV[1]) .. oldest[i])
  end
end
return 1
"""


class RedisDocuments:
    """Documents shared by every worker through Redis, with a memory cache in front."""

    def __init__(
        self,
        url: str,
        *,
        max_documents: int = MAX_DOCUMENTS,
        ttl_seconds: int = TTL_SECONDS,
        timeout_seconds: float = 0.5,
        prefix: str = PREFIX,
    ) -> None:
        # redis is imported only where it is configured: every process would pay for it.
        from redis import asyncio as redis
        from redis.exceptions import RedisError

        self._out_of_reach = (RedisError, OSError)
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds
        )
        self._keep = self._redis.register_script(_KEEP)
        self.max_documents = max_documents
        self.ttl_seconds = ttl_seconds
        self.prefix = prefix
        self._local = MemoryDocuments(min(LOCAL_DOCUMENTS, max_documents))
        self._touched: dict[str, float] = {}
        self._warned = -WARN_SECONDS

    async def _record(self, digest: str, document: str) -> bool:
        """Store (or, with no document, refresh) the entry; whether it exists in Redis now."""
        args: list[str | int | float] = [digest, document, self.ttl_seconds, time.time(), self.max_documents]
        return bool(await self._keep(keys=[self.prefix + digest, self.prefix + "used"], args=args))

    async def get(self, digest: str) -> str | None:
        document = self._local.find(digest)
        if document is not None:
            await self._touch(digest, document)
            return document
        try:
            raw = await self._redis.get(self.prefix + digest)
            if raw is None:
                return None
            document = raw.decode() if isinstance(raw, bytes) else str(raw)
            await self._record(digest, "")
        except self._out_of_reach as error:
            self._warn(error)
            return None
        self._local.keep(digest, document)
        self._touched[digest] = time.monotonic()
        return document

    async def _touch(self, digest: str, document: str) -> None:
        """Refresh the Redis entry of a document used from memory, at most once every TOUCH_SECONDS; put it
        back when Redis lost it (trimmed, or kept only in memory during an outage)."""
        now = time.monotonic()
        if now - self._touched.get(digest, -TOUCH_SECONDS) < TOUCH_SECONDS:
            return
        self._touched[digest] = now
        if len(self._touched) > 2 * self._local.max_documents:
            self._touched = {digest: now}
        try:
            if not await self._record(digest, ""):
                await self._record(digest, document)
        except self._out_of_reach as error:
            self._touched.pop(digest, None)  # so that the next use tries again
            self._warn(error)

    async def put(self, digest: str, document: str) -> None:
        self._local.keep(digest, document)
        try:
            await self._record(digest, document)
            self._touched[digest] = time.monotonic()
        except self._out_of_reach as error:
            self._touched.pop(digest, None)  # so that the next use stores it, once Redis is back
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        """One warning every WARN_SECONDS at most, not one per request, while Redis is out of reach."""
        now = time.monotonic()
        if now - self._warned < WARN_SECONDS:
            return
        self._warned = now
        log.warning(
            "persisted queries: Redis is out of reach (%s); documents are kept in this process, "
            "unknown hashes are asked of the client",
            error,
        )

    async def close(self) -> None:
        await self._redis.aclose()


def document_store(broadcast_url: str) -> DocumentStore:
    """Redis when the broadcast goes through Redis, else this process's memory."""
    if broadcast_url.startswith(("redis://", "rediss://")):
        return RedisDocuments(broadcast_url)
    return MemoryDocuments()
