"""Rate limits: mutations per token (or per address without one) and failed sign-ins per email address.

Moving windows of the ``limits`` package, kept in a storage the application installs: in this process
(the embedded default) or in Redis (``DESKQL_BROADCAST_URL=redis://``), so that every worker and host
counts together. Taking from an allowance is one atomic step (a Lua script in Redis): requests arriving
together cannot all slip under the limit, and the storage never drops live counts to make room. A
storage that cannot be reached lets requests through (and says so in the log) rather than taking the
service down with it.

Each root field of a mutation operation is one mutation, aliases included; an operation is counted and
refused whole. A sign-in takes one from its address's allowance *before* the password is checked and a
successful one gives the allowance back, so any number of wrong passwords sent at once get at most
``failed_logins`` real checks. Addresses are counted whether or not an account has them, so the limit
says nothing about which addresses exist. Every sign-in, successful or not, also takes one from its
client's allowance (``sign_ins_per_client``, the network address the server sees) before anything else:
each costs a password hash, also for an address nobody has, so one client trying many addresses once each
gets at most that many hashes. A success gives nothing back there (a known password would otherwise
reset the count of a client trying others), and a refused client takes nothing from the addresses.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from services.errors import DomainError
from services.telemetry import telemetry

log = logging.getLogger("deskql.rate_limits")

FAILED_LOGIN_WINDOW_SECONDS = 900
MUTATION_WINDOW_SECONDS = 60
INTROSPECTIONS_PER_MINUTE = 30
"""Introspection operations executed (not answered from the kept answers) per caller and minute."""


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    mutations_per_minute: int = 300
    failed_logins: int = 10
    """Per email address and FAILED_LOGIN_WINDOW_SECONDS."""
    sign_ins_per_client: int = 100
    """Sign-ins (successful ones too) per client address and FAILED_LOGIN_WINDOW_SECONDS."""


class _Allowances:
    def __init__(self, storage: Storage, limits: Limits) -> None:
        self.limiter = MovingWindowRateLimiter(storage)
        self.limits = limits
        self.mutations = RateLimitItemPerSecond(
            limits.mutations_per_minute, MUTATION_WINDOW_SECONDS, namespace="mutations"
        )
        self.logins = RateLimitItemPerSecond(
            limits.failed_logins, FAILED_LOGIN_WINDOW_SECONDS, namespace="login"
        )
        self.client_logins = RateLimitItemPerSecond(
            limits.sign_ins_per_client, FAILED_LOGIN_WINDOW_SECONDS, namespace="login-client"
        )
        self.introspections = RateLimitItemPerSecond(
            INTROSPECTIONS_PER_MINUTE, MUTATION_WINDOW_SECONDS, namespace="introspection"
        )

    async def take(self, item: RateLimitItem, key: str, cost: int = 1) -> int | None:
        """Take ``cost`` from the allowance of ``key``, all or nothing: None when granted, else the seconds
        until the oldest hit in the window leaves it."""
        try:
            if await self.limiter.hit(item, key, cost=cost):
                return None
            stats = await self.limiter.get_window_stats(item, key)
        except StorageError as error:
            log.warning("rate limits unavailable, not counting: %s", error.storage_error)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def give_back(self, item: RateLimitItem, key: str) -> None:
        try:
            await self.limiter.clear(item, key)
        except StorageError as error:
            log.warning("rate limits unavailable, not reset: %s", error.storage_error)


_allowances = _Allowances(MemoryStorage(), Limits())


def install_rate_limits(storage: Storage, limits: Limits) -> None:
    global _allowances
    _allowances = _Allowances(storage, limits)


async def count_mutation(caller: str, mutations: int = 1) -> None:
    """Count ``mutations`` changes of ``caller`` (a token or an address) in one go.

    Raises RateLimited (nothing counted) when they do not fit in the caller's allowance of the minute.
    """
    most = _allowances.limits.mutations_per_minute
    if mutations > most:
        telemetry().rate_limited("mutations")
        raise RateLimited(
            f"This operation makes {mutations} changes; at most {most} are allowed a minute.",
            MUTATION_WINDOW_SECONDS,
        )
    wait = await _allowances.take(_allowances.mutations, caller, mutations)
    if wait is not None:
        telemetry().rate_limited("mutations")
        raise RateLimited(f"Too many changes from this token; retry in {wait} seconds.", wait)


async def count_introspection(caller: str) -> None:
    """Count an introspection operation that has to be executed (a document and variables not asked
    before); raises RateLimited past INTROSPECTIONS_PER_MINUTE."""
    wait = await _allowances.take(_allowances.introspections, caller)
    if wait is not None:
        telemetry().rate_limited("introspection")
        raise RateLimited(f"Too many new introspection queries; retry in {wait} seconds.", wait)


def _login_key(email: str) -> str:
    return email.strip().lower()


async def count_login(email: str, client: str | None = None) -> None:
    """Count a sign-in from ``client`` (a network address; None: not counted per client), then to
    ``email`` as failed until ``login_succeeded`` says otherwise; call it before the password is checked.
    Raises RateLimited when the client had too many sign-ins or the address too many failures in the
    window."""
    if client is not None:
        wait = await _allowances.take(_allowances.client_logins, client)
        if wait is not None:
            telemetry().rate_limited("login_client")
            raise RateLimited(
                f"Too many sign-ins from this network address; try again in {wait} seconds.", wait
            )
    wait = await _allowances.take(_allowances.logins, _login_key(email))
    if wait is not None:
        telemetry().rate_limited("login")
        raise RateLimited(f"Too many failed sign-ins for this address; try again in {wait} seconds.", wait)


async def login_succeeded(email: str) -> None:
    """A successful sign-in clears the address's failures."""
    await _allowances.give_back(_allowances.logins, _login_key(email))
