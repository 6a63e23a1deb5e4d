"""Loader statements kept per process: the same rows as the query built every time, per viewer, inside
transactions, and never kept for what they cannot stand for."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tortoise import connections
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.transactions import in_transaction

from app.database import Database
from fastpath import statements
from fastpath.statements import count_where, rows_where_in, values_where_in
from models.clock import utcnow
from models.conversation import Comment
from models.enums import Channel, CommentKind, TimeEntrySource
from models.people import Requester, Site
from models.sla import BusinessCalendar
from models.tickets import Ticket
from models.timekeeping import TimeEntry
from schema.loaders.conversation import conversation_query
from schema.pagination import Ordering, PageRequest, pages_by_parent
from services import authentication, visibility
from services.errors import Unauthenticated
from services.viewer import Viewer
from tests.conftest import PostgresDatabases, require
from tests.factories import add_comment, as_viewer, make_world


def _kept_for(code: object) -> list[statements.Statement | None]:
    """What is kept for the factory with this code, on the database of this test."""
    dialect = connections.get("default").capabilities.dialect
    return [kept for key, kept in statements._kept.items() if key[0][0] is code and key[-1] == dialect]


async def test_kept_statements_read_the_rows_the_built_query_reads_for_any_number_of_keys(
    db: Database,
) -> None:
    world = await make_world()
    tickets = [await world.ticket(f"Ticket {n}") for n in range(5)]
    for ticket in tickets:
        await add_comment(ticket, world.technician)
        await add_comment(ticket, world.requester)
    viewer = as_viewer(world.technician)

    def query():  # type: ignore[no-untyped-def]
        return visibility.comments(viewer)

    for count in (1, 2, 3, 5):
        keys = [t.id for t in tickets[:count]]
        for _ in range(2):  # built, then kept
            kept = await rows_where_in(query, "ticket_id", keys, ("-created_at", "id"))
            built = await query().filter(ticket_id__in=keys).order_by("-created_at", "id")
            assert [row.id for row in kept] == [row.id for row in built]
            assert len(kept) == 2 * count
            assert all(isinstance(row, Comment) and row.text for row in kept)
    # 1 key, 2 keys, 3 and then 5 keys padded to 4 and 8: one statement each
    assert len(_kept_for(query.__code__)) == 4
    assert all(kept is not None for kept in _kept_for(query.__code__))


async def test_each_viewer_gets_the_statement_of_its_own_visibility(db: Database) -> None:
    world = await make_world()
    technician, requester = as_viewer(world.technician), as_viewer(world.requester)
    everyone = [world.requester.id, world.other_requester.id]

    def requesters_for(viewer: Viewer):  # type: ignore[no-untyped-def]
        return lambda: visibility.requesters(viewer)

    seen_by_technician = await rows_where_in(requesters_for(technician), "id", everyone)
    assert {row.id for row in seen_by_technician} == set(everyone)
    # Same code, same number of keys, another viewer: the end user still sees only themselves.
    seen_by_requester = await rows_where_in(requesters_for(requester), "id", everyone)
    assert [row.id for row in seen_by_requester] == [world.requester.id]
    seen_again_by_technician = await rows_where_in(requesters_for(technician), "id", everyone)
    assert {row.id for row in seen_again_by_technician} == set(everyone)


async def test_a_kept_statement_reads_inside_the_callers_transaction(db: Database) -> None:
    world = await make_world()
    ticket = await world.ticket()
    viewer = as_viewer(world.technician)

    def query():  # type: ignore[no-untyped-def]
        return visibility.tickets(viewer)

    assert [row.title for row in await rows_where_in(query, "id", [ticket.id])] == [ticket.title]
    async with in_transaction():
        await Ticket.filter(id=ticket.id).update(title="Renamed, not committed yet")
        inside = await rows_where_in(query, "id", [ticket.id])
        assert [row.title for row in inside] == ["Renamed, not committed yet"]
        await Ticket.filter(id=ticket.id).update(title=ticket.title)


async def test_queries_that_capture_more_than_the_viewer_or_compare_with_a_time_are_built_every_time(
    db: Database,
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    viewer = as_viewer(world.technician)
    recent = utcnow() - timedelta(hours=1)

    def since():  # type: ignore[no-untyped-def]
        return visibility.tickets(viewer).filter(created_at__gte=recent)

    assert [row.id for row in await rows_where_in(since, "id", [ticket.id])] == [ticket.id]
    assert _kept_for(since.__code__) == []  # it captured a time

    def last_hour():  # type: ignore[no-untyped-def]
        return visibility.tickets(viewer).filter(created_at__gte=utcnow() - timedelta(hours=1))

    assert [row.id for row in await rows_where_in(last_hour, "id", [ticket.id])] == [ticket.id]
    assert _kept_for(last_hour.__code__) == [None]  # it compares with a time: built every time

    holder = {"viewer": viewer}

    def mutable():  # type: ignore[no-untyped-def]
        return visibility.requesters(holder["viewer"])

    assert len(await rows_where_in(mutable, "id", [world.requester.id, world.other_requester.id])) == 2
    holder["viewer"] = as_viewer(world.requester)
    assert [
        row.id for row in await rows_where_in(mutable, "id", [world.requester.id, world.other_requester.id])
    ] == [world.requester.id]
    assert _kept_for(mutable.__code__) == []

    def annotated():  # type: ignore[no-untyped-def]
        return visibility.requesters(viewer).annotate(ticket_total=Count("tickets"))

    assert len(await rows_where_in(annotated, "id", [world.requester.id])) == 1
    assert _kept_for(annotated.__code__) == [None]
    assert await Requester.filter(id=world.requester.id).exists()


async def test_bound_methods_and_default_arguments_are_never_kept_so_no_viewer_gets_anothers_statement(
    db: Database,
) -> None:
    world = await make_world()
    everyone = [world.requester.id, world.other_requester.id]

    class Reader:
        def __init__(self, viewer: Viewer) -> None:
            self.viewer = viewer

        def requesters(self):  # type: ignore[no-untyped-def]
            return visibility.requesters(self.viewer)

    def with_default(viewer: Viewer):  # type: ignore[no-untyped-def]
        return lambda v=viewer: visibility.requesters(v)

    for make in (lambda viewer: Reader(viewer).requesters, with_default):
        staff = await rows_where_in(make(as_viewer(world.technician)), "id", everyone)
        assert {row.id for row in staff} == set(everyone)
        own = await rows_where_in(make(as_viewer(world.requester)), "id", everyone)
        assert [row.id for row in own] == [world.requester.id]
    assert _kept_for(Reader.requesters.__code__) == []


async def test_the_tokens_of_one_person_share_statements_and_long_key_lists_are_built(db: Database) -> None:
    statements._kept.clear()
    world = await make_world()
    tickets = [await world.ticket(f"Ticket {n}") for n in range(3)]
    web = as_viewer(world.technician)
    api = replace(web, token_id=41, channel=Channel.API)

    def tickets_for(viewer: Viewer):  # type: ignore[no-untyped-def]
        return lambda: visibility.tickets(viewer)

    for viewer in (web, api):
        assert len(await rows_where_in(tickets_for(viewer), "id", [t.id for t in tickets])) == 3
    assert len(_kept_for(tickets_for(web).__code__)) == 1

    many = [t.id for t in tickets] + list(range(10**6, 10**6 + statements.MAX_KEPT_KEYS))
    assert len(await rows_where_in(tickets_for(web), "id", many)) == 3
    assert len(_kept_for(tickets_for(web).__code__)) == 1


async def test_kept_values_statements_read_what_the_built_values_query_reads(db: Database) -> None:
    world = await make_world()
    for n in range(3):
        await world.ticket(f"Ticket {n}", assignee_id=world.technician.id if n else world.admin.id)
    viewer = as_viewer(world.technician)

    def open_count(technician_ids: list[int]):  # type: ignore[no-untyped-def]
        return (
            visibility.tickets(viewer)
            .filter(assignee_id__in=technician_ids)
            .group_by("assignee_id")
            .annotate(count=Count("id"))
            .values_list("assignee_id", "count")
        )

    for keys in ([world.technician.id], [world.technician.id, world.admin.id, 10**6]):
        for _ in range(2):  # built, then kept
            kept = await values_where_in(open_count, keys)
            assert sorted(kept) == sorted(await open_count(keys))
    assert dict(kept) == {world.technician.id: 2, world.admin.id: 1}
    assert len(_kept_for(open_count.__code__)) == 2
    assert all(kept is not None and kept.columns for kept in _kept_for(open_count.__code__))


async def test_kept_statements_read_related_rows_as_select_related_does(db: Database) -> None:
    world = await make_world()
    viewer = as_viewer(world.technician)
    everyone = [world.requester.id, world.other_requester.id]
    site = await Site.create(account_id=world.account.id, name="Head office")
    await Requester.filter(id=world.requester.id).update(site_id=site.id)

    def with_site():  # type: ignore[no-untyped-def]
        return visibility.requesters(viewer).select_related("site", "customer")

    for _ in range(2):  # built, then kept
        kept = await rows_where_in(with_site, "id", everyone, ("id",))
        built = await with_site().filter(id__in=everyone).order_by("id")
        assert [(r.id, r.site and r.site.name, r.customer and r.customer.name) for r in kept] == [
            (r.id, r.site and r.site.name, r.customer and r.customer.name) for r in built
        ]
    assert [row.site and row.site.name for row in kept] == ["Head office", None]
    assert [kept is not None and bool(kept.related) for kept in _kept_for(with_site.__code__)] == [True]


async def test_first_pages_and_counts_are_kept_per_viewer_and_filter_and_never_show_a_requester_a_note(
    db: Database,
) -> None:
    world = await make_world()
    ticket = await world.ticket()
    for n in range(4):
        await add_comment(ticket, world.requester, body=f"Reply {n}")
        await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, f"Note {n}")
    ordering = Ordering((("created_at", False), ("id", False)))
    request = PageRequest(first=3)

    async def seen(viewer: Viewer, kinds: frozenset[CommentKind] | None) -> tuple[list[str], bool, int]:
        found = await pages_by_parent(
            lambda: conversation_query(viewer, kinds), "ticket_id", [ticket.id], ordering, request
        )
        page = found[ticket.id]
        count = await count_where(lambda: conversation_query(viewer, kinds), "ticket_id", ticket.id)
        return [row.text for row in page.rows], page.has_next, count

    technician, requester = as_viewer(world.technician), as_viewer(world.requester)
    notes = frozenset({CommentKind.INTERNAL_NOTE})
    for _ in range(2):  # built, then kept; each viewer and filter after the others
        assert await seen(technician, None) == (["Reply 0", "Note 0", "Reply 1"], True, 8)
        assert await seen(requester, None) == (["Reply 0", "Reply 1", "Reply 2"], True, 4)
        assert await seen(technician, notes) == (["Note 0", "Note 1", "Note 2"], True, 4)
        assert await seen(requester, notes) == ([], False, 0)
    kept = [statement for statement in statements._kept.values() if statement is not None]
    assert sum(statement.counts for statement in kept if statement.model is Comment) >= 4

    # A page after a cursor compares with a time: built, and still right.
    after = ordering.decode(ordering.cursor((await Comment.filter(ticket_id=ticket.id).order_by("id"))[1]))
    later = await pages_by_parent(
        lambda: conversation_query(requester, None), "ticket_id", [ticket.id], ordering, PageRequest(2, after)
    )
    assert [row.text for row in later[ticket.id].rows] == ["Reply 1", "Reply 2"]


def _joined(row: Model) -> dict[str, Any]:
    """The rows joined to ``row`` (select_related), as their own attributes, one level down."""
    return {name: vars(value) for name, value in vars(row).items() if isinstance(value, Model)}


async def test_kept_rows_are_the_instances_tortoise_makes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    ticket = await world.ticket("Printer", assignee_id=world.technician.id)
    await add_comment(ticket, world.requester, attachments=1)
    await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE)
    await BusinessCalendar.create(
        account_id=world.account.id,
        name="Office",
        timezone="Europe/Berlin",
        weekly_hours={"mon": [["08:00", "17:00"]]},
        holidays=["2026-12-25"],
    )
    await TimeEntry.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        technician_id=world.technician.id,
        source=TimeEntrySource.MANUAL,
        started_at=utcnow() - timedelta(hours=1),
        ended_at=utcnow(),
        duration_seconds=3600,
        rate=Decimal("95.50"),
    )
    made_by_tortoise: list[type[Model]] = []
    original = Model._init_from_db.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Model], **row: Any) -> Model:
        made_by_tortoise.append(cls)
        return original(cls, **row)

    monkeypatch.setattr(Model, "_init_from_db", classmethod(counted))
    viewer = as_viewer(world.technician)
    reads = {
        "tickets": (lambda: visibility.tickets(viewer), "account_id"),
        "comments": (lambda: visibility.comments(viewer), "ticket_id"),
        "activity": (lambda: visibility.activity(viewer), "ticket_id"),
        "attachments": (lambda: visibility.attachments(viewer), "account_id"),
        "requesters": (lambda: visibility.requesters(viewer), "account_id"),
        "technicians": (lambda: visibility.technicians(viewer), "account_id"),
        "calendars (JSON)": (lambda: visibility.calendars(viewer), "account_id"),
        "time entries (Decimal)": (lambda: visibility.time_entries(viewer), "ticket_id"),
        "comments with their authors joined": (lambda: visibility.comments_with_authors(viewer), "ticket_id"),
        "tickets with relations joined": (
            lambda: visibility.tickets_with(viewer, visibility.TICKET_JOINS_FOR_STAFF),
            "account_id",
        ),
    }
    for name, (query, field) in reads.items():
        keys = [ticket.id] if field == "ticket_id" else [world.account.id]
        built = await query().filter(**{f"{field}__in": keys}).order_by("id")
        await rows_where_in(query, field, keys, ("id",))  # built, and its statement kept
        made_by_tortoise.clear()
        kept = await rows_where_in(query, field, keys, ("id",))
        assert [vars(row) for row in kept] == [vars(row) for row in built], name
        assert [_joined(row) for row in kept] == [_joined(row) for row in built], name
        assert built, name
        assert made_by_tortoise == [], name  # fastpath.rows read them
        assert [statement is not None for statement in _kept_for(query.__code__)] == [True], name


async def test_kept_rows_are_read_for_the_database_in_use_when_one_process_reads_postgresql_then_sqlite(
    tmp_path: Path, postgres_databases: PostgresDatabases | None, repository_root: Path
) -> None:
    # Which columns the driver returns as Python values (dates, times) differs by dialect: PostgreSQL's
    # readers must not read SQLite's text dates afterwards (make bench runs both in one process).
    require("x" if postgres_databases else "", "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    urls = [await postgres_databases.create(), f"sqlite://{tmp_path}/switch.sqlite3"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.dialect_switch",
        *urls,
        cwd=repository_root,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    output, errors = await asyncio.wait_for(process.communicate(), timeout=300)
    assert process.returncode == 0, errors.decode()
    reports = [json.loads(line) for line in output.decode().splitlines()]
    assert reports == [
        {"url": "postgres", "differences": {}},
        {"url": "sqlite", "differences": {}},
    ]


async def test_tokens_are_read_with_a_kept_statement_by_hash_and_by_id(db: Database) -> None:
    world = await make_world()
    for _ in range(2):  # built, then kept
        technician = await authentication.authenticate(world.technician_token)
        requester = await authentication.authenticate(world.requester_token)
        assert (technician.technician_id, technician.requester_id) == (world.technician.id, None)
        assert (requester.technician_id, requester.requester_id) == (None, world.requester.id)
        assert (
            await authentication.viewer_for_token(technician.token_id)
        ).technician_id == world.technician.id
        with pytest.raises(Unauthenticated):
            await authentication.authenticate(world.technician_token[:-4] + "abcd")
    kept = _kept_for(authentication._tokens.__code__)
    assert len(kept) == 2  # by hash, by id
    assert all(statement is not None and statement.related for statement in kept)
