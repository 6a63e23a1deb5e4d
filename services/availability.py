"""Telling "the database (or Redis) cannot be reached right now" apart from a bug.

A restarted or unreachable PostgreSQL shows up as refused or reset sockets, asyncpg's connection errors,
its "shutting down" / "starting up" errors, or a connection found closed; the pool replaces such
connections by itself, so the request that met one may simply be retried. The API answers those with
``SERVICE_UNAVAILABLE`` (HTTP 503, ``Retry-After``) instead of an internal error. A transaction cut this
way is rolled back by the database: nothing of it is applied.

Redis out of reach is the same kind of answer with its own message: only presence reads and writes it on
a request's way (the shared rate limiter lets requests through without it, and events are published after
the commit, their failure logged).
"""

from __future__ import annotations

import sys

import asyncpg.exceptions as pg
from tortoise.exceptions import DBConnectionError

RETRY_AFTER_SECONDS = 1
MESSAGE = "The database cannot be reached right now; nothing was changed. Retry in a moment."
REDIS_MESSAGE = "The realtime service cannot be reached right now; nothing was changed. Retry in a moment."
_UNREACHABLE = (
    ConnectionError,
    TimeoutError,
    pg.PostgresConnectionError,
    pg.OperatorInterventionError,
    DBConnectionError,
)
_CLOSED = ("connection is closed", "connection was closed", "pool is closing", "cannot connect")


def unreachable(error: BaseException | None) -> str | None:
    """What to tell a client when the error, or one it was raised from, means the database or Redis is out
    of reach (MESSAGE or REDIS_MESSAGE, whichever comes first in the chain); None for anything else."""
    seen = 0
    while error is not None and seen < 10:
        if _redis_unreachable(error):
            return REDIS_MESSAGE
        if isinstance(error, _UNREACHABLE):
            return MESSAGE
        if isinstance(error, pg.InterfaceError) and any(text in str(error) for text in _CLOSED):
            return MESSAGE
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _redis_unreachable(error: BaseException) -> bool:
    """redis is imported only where Redis is configured; where it is not, no error can be one of its."""
    exceptions = sys.modules.get("redis.exceptions")
    return exceptions is not None and isinstance(error, exceptions.ConnectionError | exceptions.TimeoutError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised from, means the database is out of reach."""
    return unreachable(error) == MESSAGE
