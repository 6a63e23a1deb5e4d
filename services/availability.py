"""Telling "the database cannot be reached right now" apart from a bug.

A restarted or unreachable PostgreSQL shows up as refused or reset sockets, asyncpg's connection errors,
its "shutting down" / "starting up" errors, or a connection found closed; the pool replaces such
connections by itself, so the request that met one may simply be retried. The API answers those with
``SERVICE_UNAVAILABLE`` (HTTP 503, ``Retry-After``) instead of an internal error. A transaction cut this
way is rolled back by the database: nothing of it is applied.
"""

from __future__ import annotations

import asyncpg.exceptions as pg
from tortoise.exceptions import DBConnectionError

RETRY_AFTER_SECONDS = 1
MESSAGE = "The database cannot be reached right now; nothing was changed. Retry in a moment."
_UNREACHABLE = (
    ConnectionError,
    TimeoutError,
    pg.PostgresConnectionError,
    pg.OperatorInterventionError,
    DBConnectionError,
)
_CLOSED = ("connection is closed", "connection was closed", "pool is closing", "cannot connect")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised from, means the database is out of reach."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _UNREACHABLE):
            return True
        if isinstance(error, pg.InterfaceError) and any(text in str(error) for text in _CLOSED):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
