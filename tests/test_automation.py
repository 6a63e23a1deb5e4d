"""Automation rules: managed by admins, run after commit in order, once per change, as the rule."""

from __future__ import annotations

import pytest

from app.database import Database
from models.automation import AutomationRun, AutomationWork
from models.conversation import Comment
from models.enums import BuiltInField, CommentKind, NotificationKind, Priority, StatusCategory
from models.forms import CustomField
from models.mail import OutboundMail
from models.notifications import Notification
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import people, teams
from services.automation import engine, ruleset
from tests.api import Api
from tests.factories import as_viewer, make_world
from tests.support.automation import (
    LIST,
    TEST,
    UPDATE,
    by_rules,
    condition,
    create_rule,
    rule_made,
    status_id,
)
from tests.support.conversation import note, reply
from tests.support.tickets import update

CREATED = {"kind": "TICKET_CREATED"}


@pytest.fixture
def api(db: Database) -> Api:
    return Api(db, smtp_url="smtp://127.0.0.1:9")


async def test_a_rule_acts_after_the_change_commits_through_the_services_as_the_rule(api: Api) -> None:
    world = await make_world()
    await rule_made(
        api,
        world.admin_token,
        "Printers are urgent",
        CREATED,
        [
            {"kind": "SET_PRIORITY", "priority": "HIGH"},
            {"kind": "ADD_TAGS", "tags": ["printer"]},
            {"kind": "ADD_NOTE", "text": "Check the toner first."},
        ],
        conditions={"all": [condition("TITLE", "CONTAINS", "printer")]},
    )
    ticket = await world.ticket("Printer on floor 2 jams")
    other = await world.ticket("Mouse is broken")
    fresh = await Ticket.get(id=ticket.id)
    assert (fresh.priority, fresh.version) == (Priority.HIGH, 2)
    assert (await Ticket.get(id=other.id)).priority is Priority.MEDIUM
    assert await by_rules(ticket) == [
        ("Printers are urgent", "FIELD_CHANGED", "priority", "HIGH"),
        ("Printers are urgent", "TAG_ADDED", "tags", "printer"),
        ("Printers are urgent", "INTERNAL_NOTE_ADDED", None, None),
    ]
    assert await by_rules(other) == []
    assert await AutomationWork.all().count() == 0  # done work leaves nothing pending
    assert await AutomationRun.filter(ticket_id=ticket.id).count() == 1


async def test_rules_run_in_order_each_seeing_what_the_ones_before_changed(api: Api) -> None:
    world = await make_world()
    first = await rule_made(
        api, world.admin_token, "Tag VIPs", CREATED, [{"kind": "ADD_TAGS", "tags": ["vip"]}]
    )
    await rule_made(
        api,
        world.admin_token,
        "VIPs are critical",
        CREATED,
        [{"kind": "SET_PRIORITY", "priority": "CRITICAL"}],
        conditions={"all": [condition("TAGS", "CONTAINS", "vip")]},
    )
    ticket = await world.ticket()
    assert (await Ticket.get(id=ticket.id)).priority is Priority.CRITICAL
    # Turned off, the first rule no longer tags, so the second no longer matches.
    result = await api.data(UPDATE, {"input": {"id": first, "enabled": False}}, token=world.admin_token)
    assert result["updateAutomationRule"]["rule"]["enabled"] is False
    later = await world.ticket()
    assert (await Ticket.get(id=later.id)).priority is Priority.MEDIUM


async def test_rules_that_trigger_each_other_stop_each_firing_once_per_original_change(api: Api) -> None:
    world = await make_world()
    on = {"kind": "TICKET_UPDATED", "changedFields": ["priority", "tags"]}
    await rule_made(
        api,
        world.admin_token,
        "Ping",
        on,
        [{"kind": "ADD_TAGS", "tags": ["ping"]}, {"kind": "REMOVE_TAGS", "tags": ["pong"]}],
    )
    await rule_made(
        api,
        world.admin_token,
        "Pong",
        on,
        [{"kind": "ADD_TAGS", "tags": ["pong"]}, {"kind": "REMOVE_TAGS", "tags": ["ping"]}],
    )
    ticket = await world.ticket()
    assert (await update(api, world.technician_token, ticket, priority="HIGH"))[
        "__typename"
    ] == "UpdateTicketSuccess"
    names = [name for name, *_ in await by_rules(ticket)]
    assert names == ["Ping", "Pong", "Pong"]  # Ping adds ping; Pong adds pong and removes ping; then no more
    assert await AutomationRun.filter(ticket_id=ticket.id).count() == 2
    assert await AutomationWork.all().count() == 0


async def test_a_comment_trigger_filters_by_kind_author_and_channel(api: Api) -> None:
    world = await make_world()
    trigger = {
        "kind": "COMMENT_ADDED",
        "commentKind": "PUBLIC_REPLY",
        "author": "REQUESTER",
        "channels": ["PORTAL"],
    }
    await rule_made(
        api,
        world.admin_token,
        "Requester answered",
        trigger,
        [{"kind": "NOTIFY_TECHNICIANS", "technicianIds": [encode("Technician", world.technician.id)]}],
    )
    ticket = await world.ticket()
    await reply(api, world.technician_token, ticket)
    await note(api, world.technician_token, ticket)
    assert await Notification.filter(kind=NotificationKind.AUTOMATION).count() == 0
    await reply(api, world.requester_token, ticket, body="<p>Still broken.</p>")
    notified = await Notification.filter(kind=NotificationKind.AUTOMATION)
    assert [(n.recipient_id, n.ticket_id) for n in notified] == [(world.technician.id, ticket.id)]


async def test_a_rule_note_never_reaches_the_requester_by_query_or_mail(api: Api) -> None:
    world = await make_world()
    await rule_made(
        api, world.admin_token, "Secret", CREATED, [{"kind": "ADD_NOTE", "text": "Customer owes money."}]
    )
    ticket = await world.ticket()
    note_row = await Comment.get(ticket_id=ticket.id, kind=CommentKind.INTERNAL_NOTE)
    assert note_row.text == "Customer owes money."
    query = "query($id: ID!) { node(id: $id) { ... on Ticket { conversation(first: 50) { nodes { text } } activity(first: 50) { nodes { kind ruleName } } } } }"
    seen = await api.data(query, {"id": encode("Ticket", ticket.id)}, token=world.requester_token)
    assert "owes" not in str(seen)
    assert "Secret" not in str(seen)
    staff = await api.data(query, {"id": encode("Ticket", ticket.id)}, token=world.technician_token)
    assert {"kind": "INTERNAL_NOTE_ADDED", "ruleName": "Secret"} in staff["node"]["activity"]["nodes"]
    mailed = await OutboundMail.filter(ticket_id=ticket.id).values_list("recipient", "text")
    assert all("owes" not in text for _, text in mailed)


async def test_a_rule_of_one_account_never_touches_another(api: Api) -> None:
    acme, other = await make_world(), await make_world("Globex IT")
    await rule_made(
        api, acme.admin_token, "All high", CREATED, [{"kind": "SET_PRIORITY", "priority": "HIGH"}]
    )
    theirs = await other.ticket()
    assert (await Ticket.get(id=theirs.id)).priority is Priority.MEDIUM
    foreign = await status_id(other.account.id, "Closed")
    bad = await create_rule(
        api, acme.admin_token, "Close theirs", CREATED, [{"kind": "SET_STATUS", "statusId": foreign}]
    )
    assert bad["__typename"] == "ValidationError"
    assert bad["fields"] == [
        {"field": "actions[0].statusId", "message": "No status of this account has this id."}
    ]


async def test_a_rule_is_a_node_for_its_account_s_admins_only(api: Api) -> None:
    acme, other = await make_world(), await make_world("Globex IT")
    rule = await rule_made(
        api, acme.admin_token, "All high", CREATED, [{"kind": "SET_PRIORITY", "priority": "HIGH"}]
    )
    query = "query($id: ID!) { node(id: $id) { id ... on AutomationRule { name enabled } } }"
    seen = await api.data(query, {"id": rule}, token=acme.admin_token)
    assert seen["node"] == {"id": rule, "name": "All high", "enabled": True}
    for token in (acme.technician_token, acme.requester_token, other.admin_token):
        assert await api.data(query, {"id": rule}, token=token) == {"node": None}


FAILURES = """query { automationRules { name failureCount lastFailure { message at ticket { number } } } }"""


async def test_a_rule_that_cannot_act_is_done_and_its_admins_see_why(api: Api) -> None:
    world = await make_world()
    waiting = await TicketStatus.create(
        account_id=world.account.id, name="Waiting", category=StatusCategory.PENDING, position=9
    )
    await rule_made(
        api,
        world.admin_token,
        "Park it",
        CREATED,
        [{"kind": "SET_STATUS", "statusId": encode("TicketStatus", waiting.id)}],
    )
    before = await api.data(FAILURES, token=world.admin_token)
    assert {"name": "Park it", "failureCount": 0, "lastFailure": None} in before["automationRules"]
    await TicketStatus.filter(id=waiting.id).update(archived=True)
    first, second = await world.ticket(), await world.ticket()
    assert await AutomationWork.all().count() == 0  # counted as done: nothing left to retry
    assert (await Ticket.get(id=second.id)).status_id != waiting.id
    [rule] = [
        r
        for r in (await api.data(FAILURES, token=world.admin_token))["automationRules"]
        if r["name"] == "Park it"
    ]
    assert rule["failureCount"] == 2
    assert rule["lastFailure"]["message"] == "statusId: The status 'Waiting' is archived."
    assert rule["lastFailure"]["ticket"] == {"number": second.number}
    assert first.number != second.number
    others = await make_world("Globex IT")
    theirs = await api.data(FAILURES, token=others.admin_token)
    assert all(r["failureCount"] == 0 for r in theirs["automationRules"])


async def test_bad_rules_are_refused_naming_the_path_in_the_rule(api: Api) -> None:
    world = await make_world()
    conditions = {
        "all": [
            condition("PRIORITY", "IS", "HIGH"),
            condition("TITLE", "GREATER_THAN", "x"),
            condition("PRIORITY", "IS", 5),
        ],
        "any": [condition("ASSIGNEE", "IN", "not-a-list")],
    }
    result = await create_rule(
        api,
        world.admin_token,
        "Broken",
        {"kind": "PENDING_FOR"},
        [
            {"kind": "ADD_NOTE"},
            {"kind": "SEND_MAIL", "mailTemplate": "INTERNAL_NOTE", "recipients": ["REQUESTER"]},
        ],
        conditions=conditions,
    )
    assert result["__typename"] == "ValidationError"
    assert {f["field"] for f in result["fields"]} == {
        "trigger.hours",
        "conditions.all[1].operator",
        "conditions.all[2].value",
        "conditions.any[0].value",
        "actions[0].text",
        "actions[1].mailTemplate",
    }
    listed = await api.data(LIST, token=world.admin_token)
    assert "Broken" not in str(listed)  # nothing half-saved
    denied = await create_rule(
        api, world.technician_token, "Mine", CREATED, [{"kind": "ADD_TAGS", "tags": ["x"]}]
    )
    assert denied["__typename"] == "PermissionDeniedError"
    errors = await api.errors(LIST, token=world.technician_token)
    assert "admins" in errors[0]["message"]


async def test_a_dry_run_says_which_conditions_hold_and_what_would_change_changing_nothing(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    draft = {
        "trigger": CREATED,
        "conditions": {
            "all": [condition("PRIORITY", "IS", "MEDIUM"), condition("TAGS", "CONTAINS", "vip")],
            "any": [condition("TITLE", "CONTAINS", "printer")],
        },
        "actions": [
            {"kind": "SET_STATUS", "statusId": await status_id(world.account.id, "Pending")},
            {"kind": "SET_PRIORITY", "priority": "HIGH"},
        ],
    }
    variables = {"input": {"draft": draft, "ticketId": encode("Ticket", ticket.id)}}
    result = (await api.data(TEST, variables, token=world.admin_token))["testAutomationRule"]
    assert result["test"] == {
        "trigger": "TICKET_CREATED",
        "matched": False,
        "conditions": [
            {"path": "conditions.all[0]", "field": "PRIORITY", "operator": "IS", "result": True},
            {"path": "conditions.all[1]", "field": "TAGS", "operator": "CONTAINS", "result": False},
            {"path": "conditions.any[0]", "field": "TITLE", "operator": "CONTAINS", "result": True},
        ],
        "changes": [
            {"path": "actions[0]", "kind": "SET_STATUS", "description": "status: Open -> Pending"},
            {"path": "actions[1]", "kind": "SET_PRIORITY", "description": "priority: MEDIUM -> HIGH"},
        ],
    }
    assert (await Ticket.get(id=ticket.id)).version == ticket.version
    stranger = await make_world("Globex IT")
    hidden = await api.data(
        TEST,
        {"input": {**variables["input"], "draft": {**draft, "actions": draft["actions"][1:]}}},
        token=stranger.admin_token,
    )
    assert hidden["testAutomationRule"] == {
        "__typename": "NotFoundError",
        "message": "ticketId: no such object.",
        "code": "NOT_FOUND",
        "field": "ticketId",
    }


async def test_tickets_route_by_product_family_to_a_team_and_round_robin_within_it(api: Api) -> None:
    world = await make_world()
    admin = as_viewer(world.admin)
    sam = await people.create_technician(admin, name="Sam Second", email="sam@acme.test")
    desk = await teams.create_team(admin, name="Hardware desk", member_ids=[world.technician.id, sam.id])
    family = await CustomField.get(account_id=world.account.id, built_in=BuiltInField.PRODUCT_FAMILY)
    await rule_made(
        api,
        world.admin_token,
        "Route hardware",
        {"kind": "TICKET_UPDATED", "changedFields": ["customFields"]},
        [{"kind": "SET_TEAM", "teamId": encode("Team", desk.id)}, {"kind": "ASSIGN_TEAM_MEMBER"}],
        conditions={
            "all": [condition("PRODUCT_FAMILY", "IS", "Hardware"), condition("ASSIGNEE", "IS_EMPTY")]
        },
    )
    routed = [await world.ticket() for _ in range(3)]
    software = await world.ticket()
    for ticket in [*routed, software]:
        value = "Software" if ticket is software else "Hardware"
        field = [{"fieldId": encode("CustomField", family.id), "value": value}]
        assert (await update(api, world.technician_token, ticket, customFields=field))["__typename"] == (
            "UpdateTicketSuccess"
        )
    rows = [await Ticket.get(id=ticket.id) for ticket in [*routed, software]]
    assert [(row.team_id, row.assignee_id) for row in rows] == [
        (desk.id, world.technician.id),
        (desk.id, sam.id),
        (desk.id, world.technician.id),
        (None, None),
    ]
    assert sorted(await by_rules(routed[1])) == [
        ("Route hardware", "ASSIGNEE_CHANGED", "assignee", "Sam Second"),
        ("Route hardware", "TEAM_CHANGED", "team", "Hardware desk"),
    ]


async def test_a_run_delivered_twice_acts_once(api: Api) -> None:
    world = await make_world()
    await rule_made(api, world.admin_token, "Tag", CREATED, [{"kind": "ADD_NOTE", "text": "Once."}])
    ticket = await world.ticket()
    rule = (await ruleset.event_rules(world.account.id))[0]
    run = await AutomationRun.get(rule_id=rule.id)
    assert await engine.fire(rule, ticket, run.event_key) is False  # the ledger has it: nothing more
    assert await Comment.filter(ticket_id=ticket.id, kind=CommentKind.INTERNAL_NOTE).count() == 1
