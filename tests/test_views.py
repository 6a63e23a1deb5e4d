"""Saved views: personal and shared, checked filters, the sidebar's counts in one statement, tickets(viewId:)."""

from __future__ import annotations

from typing import Any

from models.enums import Priority, StatusCategory
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from tests.api import Api
from tests.factories import World, make_world
from tests.sql import recorded_statements

RESULT = """__typename ... on ViewSuccess { view { id name shared filter orderBy columns position } }
  ... on ValidationError { fields { field message } } ... on Error { code message }"""
CREATE = f"mutation($input: CreateViewInput!) {{ createView(input: $input) {{ {RESULT} }} }}"
UPDATE = f"mutation($input: UpdateViewInput!) {{ updateView(input: $input) {{ {RESULT} }} }}"
DELETE = """mutation($id: ID!) { deleteView(input: {id: $id}) { __typename
  ... on DeleteSuccess { deletedId } ... on Error { code } } }"""
VIEWS = "{ views { id name shared count } }"
IN_VIEW = """query($view: ID!, $filter: TicketFilter, $order: TicketOrder) {
  tickets(viewId: $view, filter: $filter, orderBy: $order, first: 50) { totalCount nodes { id title } } }"""
IN_VIEW_DEFAULT_ORDER = (
    """query($view: ID!) { tickets(viewId: $view, first: 50) { totalCount nodes { id title } } }"""
)


async def create(api: Api, token: str, **input: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await api.data(CREATE, {"input": input}, token=token))["createView"]
    return result


async def created(api: Api, token: str, **input: Any) -> str:
    result = await create(api, token, **input)
    assert result["__typename"] == "ViewSuccess", result
    view_id: str = result["view"]["id"]
    return view_id


async def move(ticket: Ticket, category: StatusCategory) -> None:
    status = await TicketStatus.get(account_id=ticket.account_id, category=category, built_in=True)
    await Ticket.filter(id=ticket.id).update(status_id=status.id)


async def titles(api: Api, token: str, view: str, **variables: Any) -> list[str]:
    query = IN_VIEW if variables else IN_VIEW_DEFAULT_ORDER
    data = (await api.data(query, {"view": view, **variables}, token=token))["tickets"]
    assert data["totalCount"] == len(data["nodes"])
    return [node["title"] for node in data["nodes"]]


async def test_a_view_keeps_its_filter_as_the_api_takes_it_and_lists_its_tickets_in_its_order(
    api: Api,
) -> None:
    world = await make_world()
    await world.ticket("low", priority=Priority.LOW)
    await world.ticket("high", priority=Priority.HIGH, assignee_id=world.technician.id)
    await world.ticket("critical", priority=Priority.CRITICAL)
    result = await create(
        api,
        world.technician_token,
        name="Urgent",
        filter={"priority": ["HIGH", "CRITICAL"], "isSpam": False, "assigneeId": None},
        orderBy="OLDEST_FIRST",
        columns=["number", "title", "priority"],
    )
    view = result["view"]
    assert view["filter"] == {"priority": ["HIGH", "CRITICAL"]}  # defaults and nulls left out
    assert (view["shared"], view["orderBy"], view["columns"]) == (
        False,
        "OLDEST_FIRST",
        ["number", "title", "priority"],
    )

    assert await titles(api, world.technician_token, view["id"]) == ["high", "critical"]
    assert await titles(api, world.technician_token, view["id"], order="NEWEST_FIRST") == ["critical", "high"]
    mine = {"assigneeId": encode("Technician", world.technician.id)}
    assert await titles(api, world.technician_token, view["id"], filter=mine) == ["high"]  # both hold
    # The stored filter is the filter a client sends: it lists the same as tickets(filter:).
    data = await api.data(
        "query($f: TicketFilter) { tickets(filter: $f, orderBy: OLDEST_FIRST) { nodes { title } } }",
        {"f": view["filter"]},
        token=world.technician_token,
    )
    assert [node["title"] for node in data["tickets"]["nodes"]] == ["high", "critical"]


async def test_personal_views_are_their_owners_and_shared_ones_are_for_admins_to_change(api: Api) -> None:
    world = await make_world()
    personal = await created(api, world.technician_token, name="Mine")
    denied = await create(api, world.technician_token, name="Team", shared=True)
    assert denied == {
        "__typename": "PermissionDeniedError",
        "code": "PERMISSION_DENIED",
        "message": denied["message"],
    }
    shared = await created(api, world.admin_token, name="Everyone's", shared=True, position=-1)

    tom = (await api.data(VIEWS, token=world.technician_token))["views"]
    assert [(v["name"], v["shared"]) for v in tom] == [("Everyone's", True), ("Mine", False)]
    ada = (await api.data(VIEWS, token=world.admin_token))["views"]
    assert [v["name"] for v in ada] == ["Everyone's"]  # Tom's personal view is his own

    changed = (await api.data(UPDATE, {"input": {"id": shared, "name": "x"}}, token=world.technician_token))[
        "updateView"
    ]
    assert changed["__typename"] == "PermissionDeniedError"
    assert (await api.data(DELETE, {"id": shared}, token=world.technician_token))["deleteView"][
        "__typename"
    ] == "PermissionDeniedError"
    gone = (await api.data(UPDATE, {"input": {"id": personal, "name": "x"}}, token=world.admin_token))[
        "updateView"
    ]
    assert gone["__typename"] == "NotFoundError"
    renamed = (
        await api.data(
            UPDATE,
            {"input": {"id": personal, "name": "Renamed", "filter": {"unassigned": True}}},
            token=world.technician_token,
        )
    )["updateView"]
    assert (renamed["view"]["name"], renamed["view"]["filter"]) == ("Renamed", {"unassigned": True})
    assert (await api.data(DELETE, {"id": personal}, token=world.technician_token))["deleteView"] == {
        "__typename": "DeleteSuccess",
        "deletedId": personal,
    }
    assert [v["name"] for v in (await api.data(VIEWS, token=world.technician_token))["views"]] == [
        "Everyone's"
    ]


async def test_requesters_have_no_views(api: Api) -> None:
    world = await make_world()
    shared = await created(api, world.admin_token, name="Everyone's", shared=True)
    assert (await api.data(VIEWS, token=world.requester_token))["views"] == []
    refused = await create(api, world.requester_token, name="Mine", filter={"priority": ["LOW"]})
    assert refused["__typename"] == "PermissionDeniedError"
    errors = await api.errors(IN_VIEW_DEFAULT_ORDER, {"view": shared}, token=world.requester_token)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "viewId" in errors[0]["message"]
    assert (
        await api.data(
            "query($id: ID!) { node(id: $id) { id } }", {"id": shared}, token=world.requester_token
        )
    )["node"] is None


async def test_a_bad_filter_or_column_is_a_validation_error_naming_it_and_nothing_is_saved(api: Api) -> None:
    world = await make_world()
    token = world.technician_token
    cases = [
        ({"filter": {"statusId": ["nonsense"]}}, "filter.statusId"),
        ({"filter": {"assigneeId": encode("Requester", world.requester.id)}}, "filter.assigneeId"),
        ({"columns": ["title", "password"]}, "columns.1"),
        ({"columns": ["title", "title"]}, "columns"),
        ({"name": "  "}, "name"),
        ({"name": "two\nlines"}, "name"),
    ]
    for input, field in cases:
        result = await create(api, token, **{"name": "A view", **input})
        assert result["__typename"] == "ValidationError", (input, result)
        assert [problem["field"] for problem in result["fields"]] == [field], (input, result)
    view = await created(api, token, name="Fine")
    bad = (
        await api.data(
            UPDATE, {"input": {"id": view, "filter": {"statusId": ["x"]}, "name": "Changed"}}, token=token
        )
    )["updateView"]
    assert bad["__typename"] == "ValidationError"
    assert bad["fields"][0]["field"] == "filter.statusId"
    nulled = (await api.data(UPDATE, {"input": {"id": view, "name": None}}, token=token))["updateView"]
    assert nulled["__typename"] == "ValidationError"
    assert nulled["fields"][0]["field"] == "name"
    assert [v["name"] for v in (await api.data(VIEWS, token=token))["views"]] == ["Fine"]


async def count_statements(api: Api, world: World) -> int:
    with recorded_statements() as statements:
        await api.data(VIEWS, token=world.technician_token)
    return sum(
        1 for statement in statements if "ticket" in statement.lower() and "count" in statement.lower()
    )


async def test_the_sidebar_counts_every_view_in_one_statement_and_each_count_is_right(api: Api) -> None:
    world = await make_world()
    other = await make_world("Other IT")
    await other.ticket("another tenant's", priority=Priority.HIGH)
    await world.ticket("low", priority=Priority.LOW)
    await world.ticket("high", priority=Priority.HIGH, assignee_id=world.technician.id)
    closed = await world.ticket("closed high", priority=Priority.HIGH)
    await move(closed, StatusCategory.CLOSED)
    token = world.technician_token
    await created(api, token, name="1 all")
    await created(api, token, name="2 high", filter={"priority": ["HIGH"]})
    await created(
        api,
        world.admin_token,
        name="3 open high",
        shared=True,
        filter={"priority": ["HIGH"], "statusCategory": ["OPEN"]},
    )
    await created(api, token, name="4 mine", filter={"assigneeId": encode("Technician", world.technician.id)})
    await created(api, token, name="5 breached", filter={"slaBreached": True}, orderBy="SLA_DUE")
    data = (await api.data(VIEWS, token=token))["views"]
    assert [(v["name"], v["count"]) for v in data] == [
        ("1 all", 3),
        ("2 high", 2),
        ("3 open high", 1),
        ("4 mine", 1),
        ("5 breached", 0),
    ]
    assert await count_statements(api, world) == 1
    for n in range(6, 12):
        await created(api, token, name=f"{n} more", filter={"priority": ["LOW"]})
    assert await count_statements(api, world) == 1


async def test_every_kind_of_condition_is_kept_and_read_back_as_the_list_reads_it(api: Api) -> None:
    world = await make_world()
    await world.ticket("Printer jams on floor 2", priority=Priority.HIGH)
    await world.ticket("VPN drops", priority=Priority.HIGH)
    filter = {
        "text": "printer",
        "createdAt": {"from": "2020-01-01T00:00:00Z", "to": None},
        "tags": {"any": None, "all": []},
        "priority": ["HIGH"],
        "merged": False,
        "isSpam": None,
    }
    view = (await create(api, world.technician_token, name="Printers", filter=filter, orderBy="RELEVANCE"))[
        "view"
    ]
    assert view["filter"] == {
        "text": "printer",
        "createdAt": {"from": "2020-01-01T00:00:00+00:00"},
        "tags": {"all": []},
        "priority": ["HIGH"],
        "merged": False,
        "isSpam": None,
    }
    assert await titles(api, world.technician_token, view["id"]) == ["Printer jams on floor 2"]
    count = (await api.data(VIEWS, token=world.technician_token))["views"][0]["count"]
    assert count == 1
    refused = await create(
        api,
        world.technician_token,
        name="x",
        filter={"createdAt": {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}},
    )
    assert refused["fields"] == [{"field": "filter.createdAt", "message": refused["fields"][0]["message"]}]
    refused = await create(api, world.technician_token, name="x", filter={"text": "  "})
    assert [problem["field"] for problem in refused["fields"]] == ["filter.text"]
