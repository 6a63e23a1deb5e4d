"""Automatic persisted queries: a client sends the hash of a document, the document only when asked."""

from __future__ import annotations

import hashlib
import json
import uuid

from redis import asyncio as redis

from app.persisted_documents import RedisDocuments
from tests.api import Api
from tests.factories import make_world

QUERY = "query Me { viewer { technician { name } } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
PERSISTED = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}


async def test_a_hash_replaces_the_document_once_the_server_has_seen_it(api: Api) -> None:
    world = await make_world()
    headers = {"Authorization": f"Bearer {world.technician_token}"}
    async with api.client() as client:
        unknown = await client.post("/graphql", json={"extensions": PERSISTED}, headers=headers)
        assert unknown.status_code == 200
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        first = await client.post("/graphql", json={"query": QUERY, "extensions": PERSISTED}, headers=headers)
        assert first.json() == {"data": {"viewer": {"technician": {"name": "Tom Tech"}}}}
        by_hash = await client.post("/graphql", json={"extensions": PERSISTED}, headers=headers)
        assert by_hash.json() == first.json()
        by_get = await client.get(
            "/graphql", params={"extensions": json.dumps(PERSISTED), "operationName": "Me"}, headers=headers
        )
        assert by_get.json() == first.json()
        wrong = await client.post(
            "/graphql", json={"query": "{ __typename }", "extensions": PERSISTED}, headers=headers
        )
        assert wrong.status_code == 400
        assert wrong.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
        bad_version = {"persistedQuery": {"version": 2, "sha256Hash": HASH}}
        refused = await client.post("/graphql", json={"extensions": bad_version}, headers=headers)
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
        plain = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        assert plain.json() == {"data": {"__typename": "Query"}}
        assert plain.headers["content-type"] == "application/json"


async def test_redis_keeps_the_documents_used_last_within_its_bound_and_ttl(redis_url: str) -> None:
    prefix = f"deskql:test-pq:{uuid.uuid4().hex}:"
    documents = [f"query Q{i} {{ __typename }}" for i in range(4)]
    first, second, third, fourth = [hashlib.sha256(d.encode()).hexdigest() for d in documents]
    worker_a = RedisDocuments(redis_url, max_documents=3, ttl_seconds=60, prefix=prefix)
    worker_b = RedisDocuments(redis_url, max_documents=3, ttl_seconds=60, prefix=prefix)
    shared = redis.Redis.from_url(redis_url)
    try:
        for digest, document in zip([first, second, third], documents, strict=False):
            await worker_a.put(digest, document)
        assert await worker_b.get(first) == documents[0]  # B had never seen it; its use counts as recent
        await worker_a.put(fourth, documents[3])
        assert await worker_b.get(second) is None  # the one used longest ago made room
        assert [await worker_b.get(d) for d in (first, third, fourth)] == [documents[0], *documents[2:]]
        assert await shared.zcard(prefix + "used") == 3
        assert 0 < await shared.ttl(prefix + first) <= 60
    finally:
        await shared.delete(prefix + "used", *(prefix + d for d in (first, second, third, fourth)))
        await shared.aclose()
        await worker_a.close()
        await worker_b.close()
