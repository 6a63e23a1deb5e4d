"""Teams of technicians: admins manage them, tickets are routed to one, lists filter by them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from models.activity import Activity
from models.teams import Team
from models.tickets import Ticket
from schema.ids import decode, encode
from services import consumers, people
from services.events import Event
from tests.api import Api
from tests.factories import as_viewer, make_world
from tests.support.tickets import update

RESULT = """__typename
  ... on TeamSuccess { team { id name archivedAt openTicketCount members { id name } } }
  ... on Error { message code }
  ... on ValidationError { fields { field message } }"""
FOUND = "... on NotFoundError { field }"
CREATE = f"mutation($input: CreateTeamInput!) {{ createTeam(input: $input) {{ {RESULT} }} }}"
UPDATE = f"mutation($input: UpdateTeamInput!) {{ updateTeam(input: $input) {{ {RESULT} {FOUND} }} }}"
ARCHIVE = f"mutation($input: ArchiveTeamInput!) {{ archiveTeam(input: $input) {{ {RESULT} {FOUND} }} }}"
RESTORE = f"mutation($input: RestoreTeamInput!) {{ restoreTeam(input: $input) {{ {RESULT} {FOUND} }} }}"
TEAMS = "query($all: Boolean!) { teams(includeArchived: $all) { id name members { name } openTicketCount } }"


def tid(who: Any) -> str:
    return encode("Technician", who.id)


async def create(api: Api, token: str, name: str, members: Sequence[str] = ()) -> dict[str, Any]:
    data = await api.data(CREATE, {"input": {"name": name, "memberIds": list(members)}}, token=token)
    result: dict[str, Any] = data["createTeam"]
    return result


async def change(api: Api, token: str, mutation: str, **fields: Any) -> dict[str, Any]:
    data = await api.data(mutation, {"input": fields}, token=token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


async def test_an_admin_creates_renames_staffs_and_archives_a_team(api: Api) -> None:
    world = await make_world()
    created = await create(api, world.admin_token, " Network ", [tid(world.technician), tid(world.admin)])
    assert created["__typename"] == "TeamSuccess"
    team = created["team"]
    assert team["name"] == "Network"
    assert team["archivedAt"] is None
    assert team["openTicketCount"] == 0
    assert [m["name"] for m in team["members"]] == ["Ada Admin", "Tom Tech"]

    renamed = await change(api, world.admin_token, UPDATE, id=team["id"], name="Networks")
    assert renamed["team"]["name"] == "Networks"
    removed = await change(api, world.admin_token, UPDATE, id=team["id"], removeMemberIds=[tid(world.admin)])
    assert [m["name"] for m in removed["team"]["members"]] == ["Tom Tech"]
    added = await change(api, world.admin_token, UPDATE, id=team["id"], addMemberIds=[tid(world.admin)])
    assert len(added["team"]["members"]) == 2
    replaced = await change(api, world.admin_token, UPDATE, id=team["id"], memberIds=[tid(world.admin)])
    assert [m["name"] for m in replaced["team"]["members"]] == ["Ada Admin"]

    # a technician may be in several teams; names are unique among teams in use, case-insensitively
    other = await create(api, world.admin_token, "Desk", [tid(world.admin)])
    assert other["__typename"] == "TeamSuccess"
    taken = await create(api, world.admin_token, "networks")
    assert taken["fields"] == [{"field": "name", "message": "A team with this name already exists."}]
    clash = await change(api, world.admin_token, UPDATE, id=other["team"]["id"], name="NETWORKS")
    assert clash["__typename"] == "ValidationError"
    assert clash["fields"][0]["field"] == "name"

    archived = await change(api, world.admin_token, ARCHIVE, id=team["id"])
    assert archived["team"]["archivedAt"] is not None
    again = await change(api, world.admin_token, ARCHIVE, id=team["id"])
    assert again["team"]["archivedAt"] == archived["team"]["archivedAt"]
    assert (await create(api, world.admin_token, "Networks"))["__typename"] == "TeamSuccess"
    # casefolding lengthens some names beyond the column (ß -> ss): still saved, still compared
    assert (await create(api, world.admin_token, "ß" * 100))["__typename"] == "TeamSuccess"
    assert (await create(api, world.admin_token, "SS" * 50))["fields"][0]["field"] == "name"

    listed = await api.data(TEAMS, {"all": False}, token=world.technician_token)
    assert [t["name"] for t in listed["teams"]] == ["Desk", "Networks", "ß" * 100]
    everything = await api.data(TEAMS, {"all": True}, token=world.technician_token)
    assert [t["name"] for t in everything["teams"]] == ["Desk", "Networks", "Networks", "ß" * 100]


async def test_each_bad_team_input_gets_a_typed_error_and_changes_nothing(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex")
    team = (await create(api, world.admin_token, "Network"))["team"]
    foreign = (await create(api, other.admin_token, "Foreign"))["team"]

    denied = await create(api, world.technician_token, "Desk")
    assert denied == {
        "__typename": "PermissionDeniedError",
        "message": "Only admins can do this.",
        "code": "PERMISSION_DENIED",
    }
    assert (await change(api, world.technician_token, UPDATE, id=team["id"], name="X"))[
        "__typename"
    ] == "PermissionDeniedError"
    assert (await change(api, world.technician_token, ARCHIVE, id=team["id"]))[
        "__typename"
    ] == "PermissionDeniedError"
    requester = await api.run(CREATE, {"input": {"name": "Desk"}}, token=world.requester_token)
    assert requester["data"]["createTeam"]["__typename"] == "PermissionDeniedError"

    for bad, field in (("", "name"), ("x" * 101, "name"), ("two\nlines", "name")):
        result = await create(api, world.admin_token, bad)
        assert result["__typename"] == "ValidationError"
        assert result["fields"][0]["field"] == field
    foreign_member = await create(api, world.admin_token, "Desk", [tid(other.technician)])
    assert foreign_member["fields"][0]["field"] == "memberIds"
    not_a_technician = await create(api, world.admin_token, "Desk", [encode("Requester", world.requester.id)])
    assert not_a_technician["fields"][0]["field"] == "memberIds"
    adding = await change(api, world.admin_token, UPDATE, id=team["id"], addMemberIds=[tid(other.admin)])
    assert adding["fields"][0]["field"] == "addMemberIds"

    for mutation in (UPDATE, ARCHIVE):
        across = await change(api, world.admin_token, mutation, id=foreign["id"])
        assert across["__typename"] == "NotFoundError"
        assert across["field"] == "id"
    assert await Team.filter(account_id=world.account.id).count() == 1
    assert (await Team.get(name="Foreign")).archived_at is None
    assert await Team.filter(name="Desk").count() == 0


async def test_requesters_see_a_tickets_team_by_name_only_and_never_list_teams(api: Api) -> None:
    world = await make_world()
    team = (await create(api, world.admin_token, "Network", [tid(world.technician)]))["team"]
    ticket = await world.ticket()
    assert (await update(api, world.technician_token, ticket, teamId=team["id"]))["__typename"] == (
        "UpdateTicketSuccess"
    )
    query = "query($id: ID!) { ticket(id: $id) { team { id name members { name } openTicketCount } } }"
    variables = {"id": encode("Ticket", ticket.id)}
    staff = (await api.data(query, variables, token=world.technician_token))["ticket"]["team"]
    assert staff == {
        "id": team["id"],
        "name": "Network",
        "members": [{"name": "Tom Tech"}],
        "openTicketCount": 1,
    }
    shown = (await api.data(query, variables, token=world.requester_token))["ticket"]["team"]
    assert shown == {"id": team["id"], "name": "Network", "members": [], "openTicketCount": None}
    # another requester of the account does not see the ticket at all
    assert (await api.data(query, variables, token=world.other_requester_token))["ticket"] is None

    errors = await api.errors("{ teams { id name } }", token=world.requester_token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    node = await api.data(
        "query($id: ID!) { node(id: $id) { id } }", {"id": team["id"]}, token=world.requester_token
    )
    assert node["node"] is None
    members = await api.errors(
        "query($t: ID!) { technicians(teamId: $t) { id } }", {"t": team["id"]}, token=world.requester_token
    )
    assert members[0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_tickets_team_is_set_through_update_ticket_with_its_activity_row_and_event(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    network = (await create(api, world.admin_token, "Network"))["team"]
    desk = (await create(api, world.admin_token, "Desk"))["team"]
    ticket = await world.ticket()
    published: list[Event] = []

    async def record(events: Sequence[Event]) -> None:
        published.extend(events)

    monkeypatch.setattr(consumers, "_registered", {})
    consumers.register("recorder", after_commit=record)
    await update(api, world.technician_token, ticket, teamId=network["id"])
    await update(api, world.technician_token, ticket, teamId=desk["id"])
    await update(api, world.technician_token, ticket, teamId=desk["id"])  # no change: nothing logged
    cleared = await update(api, world.technician_token, ticket, teamId=None)
    assert cleared["__typename"] == "UpdateTicketSuccess"
    assert cleared["ticket"]["version"] == 4
    rows = await Activity.filter(ticket_id=ticket.id, kind="TEAM_CHANGED").order_by("id")
    assert [(r.field, r.old_value, r.new_value, r.actor_technician_id) for r in rows] == [
        ("team", None, "Network", world.technician.id),
        ("team", "Network", "Desk", world.technician.id),
        ("team", "Desk", None, world.technician.id),
    ]
    updates = [e for e in published if e.type == "ticket.updated"]
    assert [(e.ticket_id, e.changes, e.internal) for e in updates] == [(ticket.id, ("team",), False)] * 3


async def test_a_team_of_another_account_or_an_archived_one_cannot_be_given_to_a_ticket(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex")
    foreign = (await create(api, other.admin_token, "Network"))["team"]
    old = (await create(api, world.admin_token, "Old"))["team"]
    await change(api, world.admin_token, ARCHIVE, id=old["id"])
    ticket = await world.ticket()
    for team_id, message in (
        (foreign["id"], "No such team in this account."),
        (old["id"], "The team 'Old' is archived."),
        (encode("Ticket", ticket.id), None),
    ):
        result = await update(api, world.technician_token, ticket, teamId=team_id)
        assert result["__typename"] == "ValidationError"
        assert result["fields"][0]["field"] == "teamId"
        if message:
            assert result["fields"][0]["message"] == message
    fresh = await Ticket.get(id=ticket.id)
    assert fresh.team_id is None
    assert fresh.version == 1
    denied = await update(api, world.requester_token, ticket, teamId=old["id"])
    assert denied["__typename"] == "PermissionDeniedError"


async def test_tickets_filter_by_team_and_technicians_by_team_with_their_workload(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex")
    third = await people.create_technician(as_viewer(world.admin), name="Zoe Zed", email="zoe@acme.test")
    network = (await create(api, world.admin_token, "Network", [tid(world.technician), tid(third)]))["team"]
    desk = (await create(api, world.admin_token, "Desk", [tid(world.admin)]))["team"]
    foreign = (await create(api, other.admin_token, "Network"))["team"]
    tickets = [await world.ticket(f"Ticket {n}") for n in range(3)]
    await update(api, world.technician_token, tickets[0], teamId=network["id"], assigneeId=tid(third))
    await update(api, world.technician_token, tickets[1], teamId=desk["id"])
    other_ticket = await other.ticket()
    await update(api, other.technician_token, other_ticket, teamId=foreign["id"])

    query = (
        "query($ids: [ID!]) { tickets(filter: {teamId: $ids}) { totalCount nodes { title team { name } } } }"
    )
    by_network = (await api.data(query, {"ids": [network["id"]]}, token=world.technician_token))["tickets"]
    assert by_network["nodes"] == [{"title": "Ticket 0", "team": {"name": "Network"}}]
    both = (await api.data(query, {"ids": [network["id"], desk["id"]]}, token=world.technician_token))[
        "tickets"
    ]
    assert both["totalCount"] == 2
    across = (await api.data(query, {"ids": [foreign["id"]]}, token=world.technician_token))["tickets"]
    assert across["totalCount"] == 0
    bad = await api.errors(query, {"ids": [tid(world.admin)]}, token=world.technician_token)
    assert "filter.teamId" in bad[0]["message"]

    staff = "query($t: ID) { technicians(teamId: $t) { name openTicketCount } }"
    members = (await api.data(staff, {"t": network["id"]}, token=world.technician_token))["technicians"]
    assert members == [{"name": "Tom Tech", "openTicketCount": 0}, {"name": "Zoe Zed", "openTicketCount": 1}]
    everyone = (await api.data(staff, {"t": None}, token=world.technician_token))["technicians"]
    assert [t["name"] for t in everyone] == ["Ada Admin", "Tom Tech", "Zoe Zed"]
    assert (await api.data(staff, {"t": foreign["id"]}, token=world.technician_token))["technicians"] == []


async def test_an_archived_team_is_restored_under_its_name_or_a_new_one(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex")
    old = (await create(api, world.admin_token, "Network", [tid(world.technician)]))["team"]
    await change(api, world.admin_token, ARCHIVE, id=old["id"])
    newer = (await create(api, world.admin_token, "NETWORK"))["team"]
    taken = await change(api, world.admin_token, RESTORE, id=old["id"])
    assert taken["fields"] == [
        {
            "field": "name",
            "message": "A team in use is called 'Network': restore this one under another name.",
        }
    ]
    assert (await Team.get(id=team_pk(newer))).archived_at is None
    for bad, answer in (
        (world.technician_token, "PermissionDeniedError"),
        (other.admin_token, "NotFoundError"),
    ):
        assert (await change(api, bad, RESTORE, id=old["id"]))["__typename"] == answer
    assert (await change(api, world.admin_token, RESTORE, id=old["id"], name=""))["fields"][0][
        "field"
    ] == "name"
    assert (await Team.get(id=team_pk(old))).archived_at is not None  # nothing changed so far

    restored = await change(api, world.admin_token, RESTORE, id=old["id"], name="Network (old)")
    assert restored["team"]["archivedAt"] is None
    assert restored["team"]["name"] == "Network (old)"
    assert restored["team"]["members"] == [{"id": tid(world.technician), "name": world.technician.name}]
    again = await change(api, world.admin_token, RESTORE, id=old["id"])
    assert again["team"] == restored["team"]
    ticket = await world.ticket()
    given = await update(api, world.technician_token, ticket, teamId=old["id"])
    assert given["__typename"] == "UpdateTicketSuccess", given
    # Its name is taken again: a team in use cannot be called that any more.
    assert (await create(api, world.admin_token, "network (OLD)"))["fields"][0]["field"] == "name"


def team_pk(team: dict[str, Any]) -> int:
    return decode(team["id"])[1]
