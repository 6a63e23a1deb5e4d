"""Fixtures: every database test runs on SQLite and, when DESKQL_TEST_DATABASE_URL is set, on PostgreSQL.

With DESKQL_REQUIRE_SERVICES=1 (CI) a missing PostgreSQL or Redis URL fails the run instead of
skipping those tests. Each test session creates a PostgreSQL database of its own and drops it at the end.
The summary says in one line which databases ran, and the tests that need a missing service fold into one
skip line per variable.
"""

from __future__ import annotations

import os
import shutil
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
from tests.servers import sqlite_template
from tests.support.cluster import Workers, workers

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


_last_of_the_cluster: list[pytest.Item] = []
_clusters: list[Workers] = []


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked one_database runs on the last of BACKENDS only (PostgreSQL where it is set up)."""
    items[:] = [
        item
        for item in items
        if item.get_closest_marker("one_database") is None
        or getattr(item, "callspec", None) is None
        or item.callspec.params.get("database", BACKENDS[-1]) == BACKENDS[-1]  # type: ignore[attr-defined]
    ]
    users = [item for item in items if "cluster_of_workers" in getattr(item, "fixturenames", ())]
    _last_of_the_cluster[:] = users[-1:]


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """The cluster of workers stops after the last test that uses it, not at the end of the run: its
    workers would poll the outbox and beat their presence through every test after it."""
    if item in _last_of_the_cluster:
        for running in _clusters:
            running.stop()


def _server_url(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


class PostgresDatabases:
    """Creates throwaway databases on the server of DESKQL_TEST_DATABASE_URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.created: list[str] = []
        self._template = ""

    async def create(self, *, migrated: bool = False) -> str:
        """A new database: empty, or ``migrated`` (a clone of one migrated once per test run, since the
        migrations take seconds of CPU each time and CREATE DATABASE ... TEMPLATE a fraction of one)."""
        if migrated and not self._template:
            template = await self.create()
            await migrate(template)
            self._template = template.rpartition("/")[2]
        name = f"deskql_test_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
        try:
            template = f' TEMPLATE "{self._template}"' if migrated else ""
            await connection.execute(f'CREATE DATABASE "{name}"{template}')
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
        url = await postgres_databases.create(migrated=True)
    else:
        path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
        shutil.copyfile(sqlite_template(), path)
        url = f"sqlite://{path}"
    db = Database(url)
    await db.open()
    yield db
    await db.close()


async def _empty_every_table(db: Database) -> None:
    """Every table of the app empty and every id counting from 1 again, as after TRUNCATE ... RESTART
    IDENTITY, in one transaction and touching only what the last test wrote: a TRUNCATE of every table costs
    a file sync per table (over a second per test on PostgreSQL), a DELETE of each in SQLite's autocommit
    a journal sync each."""
    context = get_current_context()
    assert context is not None
    assert context.apps is not None
    tables = [
        model._meta.db_table for model in context.apps.get_models_iterable() if model._meta.app == APP_LABEL
    ]
    connection = context.db()
    if db.url.startswith("sqlite"):
        await connection.execute_script(
            "PRAGMA foreign_keys=OFF; BEGIN;"
            + "".join(f'DELETE FROM "{table}";' for table in tables)
            + "DELETE FROM sqlite_sequence; COMMIT; PRAGMA foreign_keys=ON;"
        )
        return
    written = await connection.execute_query_dict(
        " UNION ALL ".join(
            f"SELECT '{table}' AS name WHERE EXISTS (SELECT FROM \"{table}\")" for table in tables
        )
    )
    # The sequences of the app's tables that have handed out an id since they were created or reset.
    used = await connection.execute_query_dict(
        "SELECT s.schemaname, s.sequencename FROM pg_sequences s"
        " JOIN pg_class sequence ON sequence.relname = s.sequencename"
        " AND sequence.relnamespace = s.schemaname::regnamespace"
        " JOIN pg_depend owned ON owned.objid = sequence.oid AND owned.classid = 'pg_class'::regclass"
        " AND owned.deptype IN ('a', 'i')"
        " JOIN pg_class owner ON owner.oid = owned.refobjid"
        " WHERE s.last_value IS NOT NULL AND owner.relname IN ("
        + ", ".join(f"'{table}'" for table in tables)
        + ")"
    )
    if not written and not used:
        return
    # Foreign keys are triggers, which a replica session does not fire: the tables empty in any order.
    await connection.execute_script(
        "BEGIN; SET LOCAL session_replication_role = replica;"
        + "".join(f'DELETE FROM "{row["name"]}";' for row in written)
        + "".join(
            f'SELECT setval(\'"{row["schemaname"]}"."{row["sequencename"]}"\', 1, false);' for row in used
        )
        + "COMMIT;"
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
async def cluster_of_workers(
    redis_url: str, postgres_databases: PostgresDatabases | None, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Workers]:
    """Four real deskql workers on PostgreSQL and a Redis of their own (tests.support.cluster), started
    once for every module that needs several workers."""
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create(migrated=True)
    async with workers(database_url, tmp_path_factory.mktemp("workers")) as running:
        _clusters.append(running)
        yield running


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
