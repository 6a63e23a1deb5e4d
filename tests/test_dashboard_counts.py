"""ticketCounts: every group of a hand-built data set, two-level groups, visibility, limits, statements, the
same answers with and without the fast path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.database import Database
from models.enums import Priority, StatusCategory
from models.people import Customer, Requester
from models.tickets import Ticket, TicketStatus
from services import teams, ticket_lifecycle, ticket_update
from services.ticket_update import TicketChanges
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import World, as_viewer, make_world
from tests.sql import recorded_statements

COUNTS = """query($by: [CountDimension!]!, $filter: TicketFilter) { ticketCounts(groupBy: $by, filter: $filter) {
  total groups { count status { id name } assignee { id name } team { id name } customer { id name } tag priority
  createdDay resolvedDay statusCategory } } }"""


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


async def _status(world: World, category: StatusCategory) -> TicketStatus:
    return await TicketStatus.get(account_id=world.account.id, category=category, built_in=True)


async def _desk(world: World) -> dict[str, Ticket]:
    """T1 Rita/Tom/HIGH/printer+floor2 open, created 2 Mar 10:00; T2 Rita/Tom/LOW/printer, created 2 Mar
    23:30, resolved 3 Mar 09:00; T3 Otto/unassigned/HIGH pending, created 3 Mar 08:00; T4 Otto/Ada/MEDIUM/
    vpn open, created 3 Mar 12:00. T1 and T3 are the Desk team's. Rita's customer is Contoso, Otto has none. A deleted and a spam ticket."""
    contoso = await Customer.create(account_id=world.account.id, name="Contoso")
    await Requester.filter(id=world.requester.id).update(customer_id=contoso.id)
    admin = as_viewer(world.admin)
    found: dict[str, Ticket] = {}
    plan: list[tuple[str, datetime, dict[str, Any], list[str]]] = [
        (
            "T1",
            at(2, 10),
            {"assignee_id": world.technician.id, "priority": Priority.HIGH},
            ["printer", "floor2"],
        ),
        ("T2", at(2, 23, 30), {"assignee_id": world.technician.id, "priority": Priority.LOW}, ["printer"]),
        ("T3", at(3, 8), {"requester_id": world.other_requester.id, "priority": Priority.HIGH}, []),
        ("T4", at(3, 12), {"requester_id": world.other_requester.id, "assignee_id": world.admin.id}, ["vpn"]),
        ("deleted", at(3, 13), {}, ["printer"]),
        ("spam", at(3, 14), {}, []),
    ]
    with frozen_at(at(2, 9)) as clock:
        for title, moment, fields, tags in plan:
            clock.to(moment)
            ticket = found[title] = await world.ticket(title, **fields)
            if tags:
                await ticket_update.update(admin, ticket.id, TicketChanges(add_tags=tags))
        clock.to(at(3, 9))
        desk = await teams.create_team(admin, name="Desk", member_ids=[world.technician.id])
        for title in ("T1", "T3"):
            await ticket_update.update(admin, found[title].id, TicketChanges(team_id=desk.id))
        resolved = await _status(world, StatusCategory.RESOLVED)
        await ticket_update.update(admin, found["T2"].id, TicketChanges(status_id=resolved.id))
        pending = await _status(world, StatusCategory.PENDING)
        await ticket_update.update(admin, found["T3"].id, TicketChanges(status_id=pending.id))
        await ticket_lifecycle.delete(admin, found["deleted"].id)
        await Ticket.filter(id=found["spam"].id).update(is_spam=True)
    return found


def _pairs(data: dict[str, Any], *fields: str) -> dict[tuple[Any, ...], int]:
    def key(group: dict[str, Any], field: str) -> Any:
        value = group[field]
        return value["name"] if isinstance(value, dict) else value

    return {tuple(key(g, f) for f in fields): g["count"] for g in data["ticketCounts"]["groups"]}


async def _counts(
    api: Api, token: str, by: list[str], filter: dict[str, Any] | None = None
) -> dict[str, Any]:
    return await api.data(COUNTS, {"by": by, "filter": filter}, token=token)


async def test_counts_by_each_dimension_match_the_hand_count(api: Api) -> None:
    world = await make_world()
    await _desk(world)
    other = await make_world("Globex")
    await other.ticket("Not ours", assignee_id=other.technician.id)
    token = world.technician_token

    data = await _counts(api, token, ["STATUS"])
    assert data["ticketCounts"]["total"] == 4
    assert _pairs(data, "status") == {("Open",): 2, ("Resolved",): 1, ("Pending",): 1}
    assert data["ticketCounts"]["groups"][0]["status"]["name"] == "Open"
    assert _pairs(await _counts(api, token, ["STATUS_CATEGORY"]), "statusCategory") == {
        ("OPEN",): 2,
        ("RESOLVED",): 1,
        ("PENDING",): 1,
    }
    assert _pairs(await _counts(api, token, ["CUSTOMER"]), "customer") == {("Contoso",): 2, (None,): 2}
    assert _pairs(await _counts(api, token, ["TEAM", "STATUS_CATEGORY"]), "team", "statusCategory") == {
        ("Desk", "OPEN"): 1,
        ("Desk", "PENDING"): 1,
        (None, "OPEN"): 1,
        (None, "RESOLVED"): 1,
    }
    assert _pairs(await _counts(api, token, ["PRIORITY"]), "priority") == {
        ("HIGH",): 2,
        ("LOW",): 1,
        ("MEDIUM",): 1,
    }
    tags = await _counts(api, token, ["TAG"])
    assert tags["ticketCounts"]["total"] == 4, "a ticket with two tags is counted once in the total"
    assert _pairs(tags, "tag") == {("printer",): 2, ("floor2",): 1, ("vpn",): 1, (None,): 1}
    days = await _counts(api, token, ["CREATED_DAY"])
    assert [(g["createdDay"], g["count"]) for g in days["ticketCounts"]["groups"]] == [
        ("2026-03-02", 2),
        ("2026-03-03", 2),
    ]
    assert _pairs(await _counts(api, token, ["RESOLVED_DAY"]), "resolvedDay") == {
        ("2026-03-03",): 1,
        (None,): 3,
    }
    assert _pairs(await _counts(api, token, ["STATUS"], {"isSpam": None}), "status") == {
        ("Open",): 3,
        ("Resolved",): 1,
        ("Pending",): 1,
    }


async def test_two_dimensions_give_one_group_per_pair_in_one_group_by(api: Api) -> None:
    world = await make_world()
    await _desk(world)
    await _counts(api, world.technician_token, ["STATUS"])
    with recorded_statements() as statements:
        data = await _counts(api, world.technician_token, ["ASSIGNEE", "STATUS"])
    assert _pairs(data, "assignee", "status") == {
        ("Tom Tech", "Open"): 1,
        ("Tom Tech", "Resolved"): 1,
        ("Ada Admin", "Open"): 1,
        (None, "Pending"): 1,
    }
    assert data["ticketCounts"]["total"] == 4
    assert sum("GROUP BY" in statement for statement in statements) == 1
    assert len(statements) == 4, statements  # the token, the GROUP BY, the technicians, the statuses

    with recorded_statements() as statements:
        data = await _counts(api, world.technician_token, ["TAG", "CUSTOMER"], {"priority": ["HIGH"]})
    assert _pairs(data, "tag", "customer") == {
        ("printer", "Contoso"): 1,
        ("floor2", "Contoso"): 1,
        (None, None): 1,
    }
    assert data["ticketCounts"]["total"] == 2
    assert sum("GROUP BY" in statement for statement in statements) == 1
    assert len(statements) == 4, statements  # the token, the GROUP BY, the total, the customers


async def test_counts_answer_the_same_with_and_without_the_fast_path(db: Database) -> None:
    world = await make_world()
    await _desk(world)
    groupings = [["STATUS", "ASSIGNEE"], ["TAG", "CUSTOMER"], ["CREATED_DAY", "PRIORITY"], ["RESOLVED_DAY"]]
    groupings += [["STATUS_CATEGORY", "TEAM"], ["CHANNEL", "ACTIVITY_STATUS"]]
    answers: dict[bool, list[Any]] = {}
    for fast in (False, True):
        api = Api(db, fast_path=fast)
        answers[fast] = [
            await _counts(api, token, by)
            for token in (world.technician_token, world.requester_token)
            for by in groupings
        ]
    assert answers[False] == answers[True]
    assert answers[True][0]["ticketCounts"]["total"] == 4


async def test_requesters_count_only_their_own_tickets_and_never_another_account(api: Api) -> None:
    world = await make_world()
    await _desk(world)
    other = await make_world("Globex")
    await other.ticket("Not ours")

    rita = await _counts(api, world.requester_token, ["STATUS"])
    assert rita["ticketCounts"]["total"] == 2
    assert _pairs(rita, "status") == {("Open",): 1, ("Resolved",): 1}
    otto = await _counts(api, world.other_requester_token, ["ASSIGNEE"])
    assert _pairs(otto, "assignee") == {("Ada Admin",): 1, (None,): 1}
    assert _pairs(await _counts(api, world.other_requester_token, ["TEAM"]), "team") == {
        ("Desk",): 1,
        (None,): 1,
    }
    outsider = await _counts(api, other.technician_token, ["TAG"])
    assert outsider["ticketCounts"]["total"] == 1
    assert _pairs(outsider, "tag") == {(None,): 1}
    errors = await api.errors(
        COUNTS, {"by": ["STATUS"], "filter": {"slaBreached": True}}, token=world.requester_token
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_groupings_are_refused_with_bad_user_input(api: Api) -> None:
    world = await make_world()
    for by in ([], ["STATUS", "STATUS"], ["STATUS", "TAG", "PRIORITY"]):
        errors = await api.errors(COUNTS, {"by": by}, token=world.technician_token)
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", by
        assert "groupBy" in errors[0]["message"]
    errors = await api.errors(COUNTS, {"by": ["STATUS"]})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
