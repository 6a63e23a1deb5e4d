"""Wiring rate limits from settings: counted in Redis when the broadcast is Redis (every worker and host
together), else in this process."""

from __future__ import annotations

import hashlib

from limits.aio.storage import MemoryStorage, Storage

from app.settings import Settings
from integrations.redis_rate_limiter import redis_rate_limit_storage
from services.rate_limits import Limits


def rate_limits_of(settings: Settings) -> Limits:
    return Limits(
        mutations_per_minute=settings.rate_limit_mutations_per_minute,
        failed_logins=settings.rate_limit_failed_logins,
        sign_ins_per_client=settings.rate_limit_sign_ins_per_client,
    )


def rate_limit_storage(settings: Settings) -> Storage:
    if settings.broadcast_url.startswith(("redis://", "rediss://")):
        # One namespace per database, so that deployments sharing a Redis never count together.
        namespace = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
        return redis_rate_limit_storage(settings.broadcast_url, namespace)
    return MemoryStorage()
