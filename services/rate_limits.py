"""Rate limits: mutations per token (or per address without one) and failed sign-ins per email address.

Fixed windows counted by a limiter the application installs: in process (the embedded default) or in
Redis (``DESKQL_BROADCAST_URL=redis://``), so that every worker and host counts together. A limiter that
cannot reach its store lets requests through rather than taking the service down with it.
Failed sign-ins are counted per address whether or not an account has it, so the limit says nothing
about which addresses exist; a successful sign-in clears the count.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from services.errors import DomainError

FAILED_LOGIN_WINDOW_SECONDS = 900
MUTATION_WINDOW_SECONDS = 60


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimiter(Protocol):
    async def count(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Hits of ``key`` in the current window, and the seconds until the window ends."""
        ...

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one more hit; returns the same as ``count``, this hit included."""
        ...

    async def reset(self, key: str, window_seconds: int) -> None: ...


class MemoryRateLimiter:
    """Windows kept in this process (one process: the embedded default)."""

    MAX_KEYS = 100_000

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, key: str, window_seconds: int) -> tuple[float, int]:
        now = time.monotonic()
        started, hits = self._windows.get(key, (now, 0))
        if now - started >= window_seconds:
            started, hits = now, 0
        return started, hits

    def _left(self, started: float, window_seconds: int) -> int:
        return max(1, math.ceil(started + window_seconds - time.monotonic()))

    async def count(self, key: str, window_seconds: int) -> tuple[int, int]:
        started, hits = self._current(key, window_seconds)
        return hits, self._left(started, window_seconds)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        started, hits = self._current(key, window_seconds)
        if len(self._windows) >= self.MAX_KEYS and key not in self._windows:
            self._windows.clear()
        self._windows[key] = (started, hits + 1)
        return hits + 1, self._left(started, window_seconds)

    async def reset(self, key: str, window_seconds: int) -> None:
        self._windows.pop(key, None)


@dataclass(frozen=True)
class Limits:
    mutations_per_minute: int = 300
    failed_logins: int = 10
    """Per email address and FAILED_LOGIN_WINDOW_SECONDS."""


_limiter: RateLimiter = MemoryRateLimiter()
_limits = Limits()


def install_rate_limits(limiter: RateLimiter, limits: Limits) -> None:
    global _limiter, _limits
    _limiter, _limits = limiter, limits


async def count_mutation(caller: str) -> int | None:
    """Count a mutation of ``caller`` (a token id or an address); the seconds to wait when over the limit."""
    hits, left = await _limiter.hit(f"mutations:{caller}", MUTATION_WINDOW_SECONDS)
    return left if hits > _limits.mutations_per_minute else None


def _login_key(email: str) -> str:
    return f"login:{email.strip().lower()}"


async def check_login(email: str) -> None:
    """Raises RateLimited when the address had too many failed sign-ins in the window."""
    failures, left = await _limiter.count(_login_key(email), FAILED_LOGIN_WINDOW_SECONDS)
    if failures >= _limits.failed_logins:
        raise RateLimited(f"Too many failed sign-ins for this address; try again in {left} seconds.", left)


async def login_failed(email: str) -> None:
    await _limiter.hit(_login_key(email), FAILED_LOGIN_WINDOW_SECONDS)


async def login_succeeded(email: str) -> None:
    await _limiter.reset(_login_key(email), FAILED_LOGIN_WINDOW_SECONDS)
