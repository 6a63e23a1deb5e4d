"""A planned page of ``tickets`` (schema.planned_lists) changes the statements, never the answer or what a
viewer may see: the list answers the same planned (fast path on) and read relation by relation (off), for
staff, for a requester and for an end user copied on someone else's ticket, also with rows that point into
another account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.database import Database
from fastpath import statements
from models.clock import utcnow
from models.conversation import CcRecipient
from models.enums import Priority
from models.forms import FormTemplate
from models.people import Requester, Site
from models.tickets import Ticket
from resolvers import queries
from schema import planned_lists
from schema.pagination import Ordering
from tests.api import Api
from tests.factories import World, fill_requester_panel, make_world
from tests.sql import recorded_statements

LIST = """query($filter: TicketFilter) {
  tickets(first: 10, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id number title status { name category } assignee { name } } }
    nodes {
      id title priority
      requester { name site { name } department { name } customer { name } }
      formTemplate { name }
    }
  }
}"""
FILTERED = {"filter": {"priority": ["HIGH", "CRITICAL"], "statusCategory": ["OPEN", "PENDING"]}}


async def _answers(db: Database, tokens: list[str]) -> dict[bool, list[Any]]:
    answers: dict[bool, list[Any]] = {}
    for fast in (False, True):
        statements._kept.clear()
        statements._lists.clear()
        api = Api(db, fast_path=fast)
        answers[fast] = [
            await api.run(LIST, variables, token=token) for token in tokens for variables in ({}, FILTERED)
        ]
    return answers


async def _world_with_a_copied_end_user(db: Database) -> tuple[World, Ticket]:
    world = await make_world()
    await fill_requester_panel(world)
    template = await FormTemplate.create(account_id=world.account.id, name="Hardware")
    shared = await world.ticket("Shared printer", assignee_id=world.technician.id, priority=Priority.HIGH)
    await Ticket.filter(id=shared.id).update(form_template_id=template.id)
    await world.ticket("Unassigned laptop", priority=Priority.CRITICAL)
    await world.ticket("Low mouse", priority=Priority.LOW, requester_id=world.other_requester.id)
    await CcRecipient.create(
        ticket_id=shared.id,
        comment_id=None,
        email=world.other_requester.email,
        requester_id=world.other_requester.id,
    )
    return world, shared


def _nodes(answer: dict[str, Any]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = answer["data"]["tickets"]["nodes"]
    return nodes


async def test_planned_and_unplanned_lists_are_the_same_for_staff_a_requester_and_a_copied_end_user(
    db: Database,
) -> None:
    world, _ = await _world_with_a_copied_end_user(db)
    tokens = [world.technician_token, world.requester_token, world.other_requester_token]
    answers = await _answers(db, tokens)
    assert answers[True] == answers[False]
    assert all("errors" not in answer for answer in answers[True])
    staff, staff_filtered, own, _, copied, copied_filtered = answers[True]
    assert [node["title"] for node in _nodes(staff)] == ["Low mouse", "Unassigned laptop", "Shared printer"]
    assert staff_filtered["data"]["tickets"]["totalCount"] == 2
    shared = _nodes(staff)[2]
    assert shared["requester"]["site"] == {"name": "Head office"}
    assert shared["formTemplate"] == {"name": "Hardware"}
    assert staff["data"]["tickets"]["edges"][2]["node"]["assignee"] == {"name": "Tom Tech"}
    assert all(node["formTemplate"] is None for node in _nodes(own))
    assert _nodes(own)[-1]["requester"]["site"] == {"name": "Head office"}
    # An end user copied on someone else's ticket lists it, but not its form nor the requester's site,
    # department or customer.
    assert [node["title"] for node in _nodes(copied)] == ["Low mouse", "Shared printer"]
    copied_shared = _nodes(copied)[1]
    assert copied_shared["requester"] == {
        "name": "Rita Requester",
        "site": None,
        "department": None,
        "customer": None,
    }
    assert copied_shared["formTemplate"] is None
    assert [node["title"] for node in _nodes(copied_filtered)] == ["Shared printer"]


async def test_a_joined_row_of_another_account_is_never_shown_through_a_planned_list(db: Database) -> None:
    ours = await make_world("Acme IT")
    theirs = await make_world("Globex MSP")
    ticket = await ours.ticket("Tampered", assignee_id=ours.technician.id, priority=Priority.HIGH)
    foreign_site = await Site.create(account_id=theirs.account.id, name="Globex HQ")
    foreign_template = await FormTemplate.create(account_id=theirs.account.id, name="Globex form")
    # Rows that point into another account (never written by the services): a planned list must not show
    # what the loaders' own reads would hide.
    await Ticket.filter(id=ticket.id).update(
        assignee_id=theirs.technician.id, form_template_id=foreign_template.id
    )
    await Requester.filter(id=ours.requester.id).update(site_id=foreign_site.id)
    answers = await _answers(db, [ours.technician_token, ours.requester_token])
    assert answers[True] == answers[False]
    for answer in answers[True]:
        assert "errors" not in answer
        assert "Globex" not in str(answer)
        (node,) = _nodes(answer)
        assert node["requester"]["site"] is None
        assert node["formTemplate"] is None
        assert answer["data"]["tickets"]["edges"][0]["node"]["assignee"] is None


async def test_a_planned_list_reads_its_page_with_the_relations_in_one_statement(db: Database) -> None:
    world, _ = await _world_with_a_copied_end_user(db)
    counts = {}
    for fast in (False, True):
        statements._kept.clear()
        statements._lists.clear()
        api = Api(db, fast_path=fast)
        await api.data(LIST, FILTERED, token=world.technician_token)
        with recorded_statements() as sent:
            await api.data(LIST, FILTERED, token=world.technician_token)
        counts[fast] = len(sent)
    # The token, the page with its status, assignee, requester (with site, department and customer) and
    # form joined, and the count; read relation by relation, each relation is one more statement.
    assert counts == {False: 10, True: 3}


async def test_a_list_asked_again_keeps_its_statements_but_reads_its_rows_afresh(db: Database) -> None:
    world, _ = await _world_with_a_copied_end_user(db)
    statements._lists.clear()
    api = Api(db)
    since = {"createdAt": {"from": "2000-01-01T00:00:00Z"}}
    first = await api.data(LIST, {"filter": {**FILTERED["filter"], **since}}, token=world.technician_token)
    kept = len(statements._lists)
    assert kept == 2  # the page and the count
    await world.ticket("Server down", priority=Priority.CRITICAL)
    again = await api.data(LIST, {"filter": {**FILTERED["filter"], **since}}, token=world.technician_token)
    assert len(statements._lists) == kept
    assert again["tickets"]["totalCount"] == first["tickets"]["totalCount"] + 1
    assert again["tickets"]["nodes"][0]["title"] == "Server down"
    later = {"createdAt": {"from": "2999-01-01T00:00:00Z"}}
    none = await api.data(LIST, {"filter": {**FILTERED["filter"], **later}}, token=world.technician_token)
    assert none["tickets"]["totalCount"] == 0
    assert none["tickets"]["nodes"] == []
    # The same arguments for an end user copied on one of the tickets are a statement of their own.
    copied = await api.data(
        LIST, {"filter": {**FILTERED["filter"], **since}}, token=world.other_requester_token
    )
    assert [node["title"] for node in copied["tickets"]["nodes"]] == ["Shared printer"]
    # A condition that compares with the time now is never kept.
    before = len(statements._lists)
    await api.data(LIST, {"filter": {"slaBreached": False}}, token=world.technician_token)
    assert len(statements._lists) == before


RECENT = """query($filter: TicketFilter) { tickets(first: 10, filter: $filter, orderBy: OLDEST_FIRST) {
  totalCount nodes { title } } }"""


async def _days_old(world: World, days: dict[str, int]) -> None:
    now = utcnow()
    for title, age in days.items():
        ticket = await world.ticket(title, priority=Priority.HIGH)
        await Ticket.filter(id=ticket.id).update(created_at=now - timedelta(days=age))


def _since(days: int, until: int = -1) -> dict[str, Any]:
    now = utcnow()
    span = {"from": (now - timedelta(days=days)).isoformat(), "to": (now - timedelta(days=until)).isoformat()}
    return {"filter": {**FILTERED["filter"], "createdAt": span}}


async def test_a_list_asked_with_other_times_binds_them_into_the_statements_it_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    await _days_old(world, {"last year": 400, "last quarter": 80, "last week": 6, "today": 0})
    built: list[object] = []
    build = statements._statement_of
    monkeypatch.setattr(statements, "_statement_of", lambda query: built.append(query) or build(query))
    windows = [(90, -1), (30, -1), (500, 200), (10, 3)]
    answers = {}
    for on in (False, True):
        statements._lists.clear()
        built.clear()
        api = Api(db, fast_path=on)  # the switch is the process's: the last Api made sets it
        answers[on] = [
            await api.data(RECENT, _since(*window), token=world.technician_token) for window in windows
        ]
    assert answers[True] == answers[False]
    titles = [[node["title"] for node in answer["tickets"]["nodes"]] for answer in answers[True]]
    assert titles == [
        ["last quarter", "last week", "today"],
        ["last week", "today"],
        ["last year"],
        ["last week"],
    ]
    # "The last 90 days" asked at another moment is the same statement with other times: its page and its
    # count were built once, for the first request.
    assert len(statements._lists) == 2
    assert len(built) == 2
    # A range open at one end is another statement.
    since = {
        "filter": {**FILTERED["filter"], "createdAt": {"from": _since(7)["filter"]["createdAt"]["from"]}}
    }
    open_ended = await api.data(RECENT, since, token=world.technician_token)
    assert [node["title"] for node in open_ended["tickets"]["nodes"]] == ["last week", "today"]
    assert len(statements._lists) == 4


CURSORS = """query($first: Int!) { tickets(first: $first, orderBy: OLDEST_FIRST) { %s } } %s"""


async def _three_tickets() -> World:
    world = await make_world()
    for title in ("one", "two", "three"):
        await world.ticket(title)
    return world


async def test_no_cursor_is_encoded_for_a_page_that_asks_for_none(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await _three_tickets()
    encoded: list[Any] = []
    cursor = Ordering.cursor
    monkeypatch.setattr(Ordering, "cursor", lambda self, row: encoded.append(row) or cursor(self, row))

    async def encodes(api: Api, selection: str, fragment: str = "") -> tuple[int, dict[str, Any]]:
        encoded.clear()
        data = await api.data(CURSORS % (selection, fragment), {"first": 2}, token=world.technician_token)
        return len(encoded), data["tickets"]

    fast = Api(db)  # the switch is the process's: the last Api made sets it
    assert (await encodes(fast, "totalCount nodes { title }"))[0] == 0
    assert (await encodes(fast, "pageInfo { hasNextPage } edges { node { title } }"))[0] == 0
    count, with_edges = await encodes(fast, "edges { cursor } pageInfo { endCursor }")
    assert count == 2
    count, page_only = await encodes(fast, "pageInfo { startCursor endCursor }")
    assert count == 2
    assert page_only["pageInfo"] == {
        "startCursor": with_edges["edges"][0]["cursor"],
        "endCursor": with_edges["edges"][1]["cursor"],
    }
    fragment = "fragment page on TicketConnection { edges { cursor } }"
    count, through_fragment = await encodes(fast, "...page", fragment)
    assert count == 2
    assert through_fragment["edges"] == with_edges["edges"]
    # The reference path encodes every cursor, as it always did.
    assert (await encodes(Api(db, fast_path=False), "totalCount nodes { title }"))[0] == 2


async def test_a_total_count_is_read_beside_its_page_and_only_when_asked_for(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await _three_tickets()
    events: list[str] = []
    count_of, tickets_page = queries.count_of, planned_lists.tickets_page

    async def counted(*arguments: Any) -> int:
        events.append("count asked")
        return await count_of(*arguments)

    async def paged(*arguments: Any, **keywords: Any) -> Any:
        found = await tickets_page(*arguments, **keywords)
        events.append("page read")
        return found

    monkeypatch.setattr(queries, "count_of", counted)
    monkeypatch.setattr(planned_lists, "tickets_page", paged)
    answers = {}
    for fast in (False, True):
        api = Api(db, fast_path=fast)  # the switch is the process's: the last Api made sets it
        events.clear()
        answers[fast] = await api.data(
            CURSORS % ("totalCount nodes { title }", ""), {"first": 2}, token=world.technician_token
        )
        # With the fast path the count is on its way while the page is read; without it, asked afterwards.
        assert events == (["count asked", "page read"] if fast else ["page read", "count asked"])
        events.clear()
        await api.data(CURSORS % ("nodes { title }", ""), {"first": 2}, token=world.technician_token)
        assert events == ["page read"]
    assert answers[True] == answers[False]
    assert answers[True]["tickets"]["totalCount"] == 3
