"""Upgrading a database that already holds data, as `deskql migrate` does after a release."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

from app.database import migrate, tortoise_config
from models.forms import CustomField, FormTemplate
from models.tickets import Ticket
from tests.conftest import POSTGRES_URL, PostgresDatabases, require

OLD_ROWS = [
    "INSERT INTO account (id, name, ticket_number_seq, created_at) VALUES (1, 'Old account', 1, '2026-01-01 00:00:00+00:00')",
    "INSERT INTO ticket_status (id, account_id, name, category, built_in, position, archived) VALUES (1, 1, 'Open', 'OPEN', TRUE, 0, FALSE)",
    "INSERT INTO requester (id, account_id, name, email, job_title, phone, mobile, created_at)"
    " VALUES (1, 1, 'Rita', 'rita@old.test', '', '', '', '2026-01-01 00:00:00+00:00')",
    "INSERT INTO ticket (id, account_id, number, title, description, status_id, ticket_type, priority, impact,"
    " activity_status, requester_id, channel, created_at, updated_at, version)"
    " VALUES (1, 1, 1, 'Old ticket', '', 1, 'INCIDENT', 'LOW', 'NO_IMPACT', 'UNREAD', 1, 'WEB',"
    " '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1)",
]


async def _insert_a_ticket_as_0001_knew_it(url: str) -> None:
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://")) as connection:
            for statement in OLD_ROWS:
                connection.execute(statement)
        return
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for statement in OLD_ROWS:
            await connection.execute(statement)
        await connection.execute("SELECT setval('ticket_id_seq', 1), setval('account_id_seq', 1)")
    finally:
        await connection.close()


async def _migrate_to(url: str, target: str) -> None:
    async with TortoiseContext():
        await run_migrations(config=tortoise_config(url), target=target)


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"])
async def test_accounts_from_before_custom_fields_get_the_built_ins_and_their_tickets_the_template(
    backend_name: str, tmp_path: Path, postgres_databases: PostgresDatabases | None
) -> None:
    if backend_name == "postgres":
        require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
        assert postgres_databases is not None
        url = await postgres_databases.create()
    else:
        url = f"sqlite://{tmp_path}/old.sqlite3"
    await _migrate_to(url, "deskql.0001_initial")
    await _insert_a_ticket_as_0001_knew_it(url)
    await migrate(url)
    async with TortoiseContext() as context:  # its own context: the session's database stays untouched
        await context.init(config=tortoise_config(url))
        field = await CustomField.get(built_in="PRODUCT_FAMILY")
        template = await FormTemplate.get(is_default=True, account_id=field.account_id)
        assert (field.name, template.name) == ("Product family", "Standard")
        ticket = await Ticket.get(title="Old ticket")
        assert ticket.form_template_id == template.id
        assert ticket.sla_policy_id is None
