"""The relational store: Tortoise configuration, migrations, connection lifetime."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

from models import APP_LABEL, MODEL_MODULES

MIGRATIONS_MODULE = "migrations"


async def keep_session(connection: object) -> None:
    """The pool's reset on release: nothing beyond asyncpg's own (roll back an open transaction, drop
    listeners). Its default also sends ``RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()``, a
    second round trip for every statement, and deskql keeps no session state (no session ``SET``, ``LISTEN``,
    cursors held across statements or session advisory locks; transaction-scoped ones end with it)."""


def connection_config(database_url: str) -> str | dict[str, Any]:
    if database_url.startswith("postgresql://"):
        database_url = "postgres://" + database_url.removeprefix("postgresql://")
    if not database_url.startswith("postgres://"):
        return database_url
    config = expand_db_url(database_url)
    config["credentials"].setdefault("reset", keep_session)
    return config


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file, not the folder it lives in."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every pending migration in a context of its own, closed afterwards."""
    ensure_sqlite_directory(database_url)
    async with TortoiseContext():
        await run_migrations(config=tortoise_config(database_url))


class Database:
    """One Tortoise context for the whole process, visible from every task (the global fallback)."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self._context: TortoiseContext | None = None

    async def open(self) -> None:
        ensure_sqlite_directory(self.url)
        context = TortoiseContext()
        # Initialising needs the context active in this task; afterwards every task of the process
        # reaches it through Tortoise's global fallback.
        with context:
            await context.init(config=tortoise_config(self.url), _enable_global_fallback=True)
        self._context = context

    async def close(self) -> None:
        if self._context is not None:
            await self._context.close_connections()
            self._context = None
        # Tortoise caches each model's INSERT statement per connection name, not per dialect: a process
        # that opens another kind of database next (the test suite does) must not reuse them.
        EXECUTOR_CACHE.clear()

    async def is_reachable(self) -> bool:
        if self._context is None:
            return False
        try:
            await self._context.db().execute_query("SELECT 1")
        except Exception:
            return False
        return True
