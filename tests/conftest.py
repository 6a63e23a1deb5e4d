"""Fixtures: every database test runs on SQLite and, when DESKQL_TEST_DATABASE_URL is set, on PostgreSQL.

With DESKQL_REQUIRE_SERVICES=1 (CI) a missing PostgreSQL or Redis URL fails the run instead of
skipping those tests. Each test session creates a PostgreSQL database of its own and drops it at the end.
The summary says in one line which databases ran, and the tests that need a missing service fold into one
skip line per variable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path

import asyncpg
import pytest
from tortoise.context import get_current_context

from app.database import Database, migrate
from models import APP_LABEL
from tests.api import Api
from tests.openai_server import OpenAIServer

POSTGRES_URL = os.environ.get("DESKQL_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("DESKQL_TEST_REDIS_URL", "")
REQUIRE_SERVICES = os.environ.get("DESKQL_REQUIRE_SERVICES") == "1"
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL or REQUIRE_SERVICES else ["sqlite"]
"""The databases every database test runs on: PostgreSQL is left out, not skipped, when its URL is unset
(a skip per test would bury the summary); the summary says which ran."""


def require(url: str, variable: str) -> str:
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail(f"{variable} is not set and DESKQL_REQUIRE_SERVICES=1", pytrace=False)
        pytest.skip(f"{variable} is not set")
    return url


UNSET = {
    f"Skipped: {variable} is not set"
    for variable, url in (("DESKQL_TEST_DATABASE_URL", POSTGRES_URL), ("DESKQL_TEST_REDIS_URL", REDIS_URL))
    if not url
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A skip for a missing service is reported at require(), so that pytest's summary folds them all."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2] in UNSET:
        report.longrepr = (__file__, require.__code__.co_firstlineno, report.longrepr[2])
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line on the databases the tests ran on and the services they lacked."""
    line = "databases: sqlite, postgres" if POSTGRES_URL else "databases: sqlite"
    if not POSTGRES_URL:
        line += " (PostgreSQL: DESKQL_TEST_DATABASE_URL not set)"
    if not REDIS_URL:
        line += "; Redis: DESKQL_TEST_REDIS_URL not set"
    terminalreporter.write_line(line)


def _server_url(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


class PostgresDatabases:
    """Creates throwaway databases on the server of DESKQL_TEST_DATABASE_URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.created: list[str] = []

    async def create(self) -> str:
        name = f"deskql_test_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        self.created.append(name)
        return _server_url(self.url, name)

    async def drop_all(self) -> None:
        connection = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
        try:
            for name in self.created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


@pytest.fixture(scope="session")
async def postgres_databases() -> AsyncIterator[PostgresDatabases | None]:
    if not POSTGRES_URL:
        yield None
        return
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    await databases.drop_all()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return require(REDIS_URL, "DESKQL_TEST_REDIS_URL")


@pytest.fixture(scope="session", params=BACKENDS)
async def database(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_databases: PostgresDatabases | None,
) -> AsyncIterator[Database]:
    if request.param == "postgres":
        require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
        assert postgres_databases is not None
        url = await postgres_databases.create()
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('sqlite')}/test.sqlite3"
    await migrate(url)
    db = Database(url)
    await db.open()
    yield db
    await db.close()


async def _empty_every_table(db: Database) -> None:
    context = get_current_context()
    assert context is not None
    assert context.apps is not None
    tables = [
        model._meta.db_table for model in context.apps.get_models_iterable() if model._meta.app == APP_LABEL
    ]
    connection = context.db()
    if db.url.startswith("sqlite"):
        await connection.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f'DELETE FROM "{table}";' for table in tables)
            + "DELETE FROM sqlite_sequence; PRAGMA foreign_keys=ON;"
        )
    else:
        await connection.execute_script(
            "TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " RESTART IDENTITY CASCADE"
        )


@pytest.fixture
async def db(database: Database) -> Database:
    """A database with no rows; the backend is the session's current one."""
    await _empty_every_table(database)
    return database


@pytest.fixture
def api(db: Database) -> Api:
    return Api(db)


@pytest.fixture
def backend(database: Database) -> str:
    return "sqlite" if database.url.startswith("sqlite") else "postgres"


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def openai_process() -> Iterator[OpenAIServer]:
    """A real OpenAI-compatible server on loopback (tests.openai_server), one per test run."""
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def openai_server(openai_process: OpenAIServer) -> Iterator[OpenAIServer]:
    """The server with an empty script and record; a scripted reply nobody asked for fails the test."""
    openai_process.reset()
    yield openai_process
    assert openai_process.unused == 0, "a scripted reply was never asked for"
