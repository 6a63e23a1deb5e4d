"""Default rules (the notification mails, auto-close) and time-based rules under a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.database import Database
from models.automation import AutomationRule
from models.enums import MailKind, StatusCategory
from models.mail import OutboundMail
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import sla
from services.automation import defaults, timed
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import World, make_world
from tests.support.automation import LIST, UPDATE, by_rules, condition, rule_made, status_id
from tests.support.conversation import reply
from tests.support.sla import office_policy
from tests.support.tickets import update

AUTO_CLOSE = "Close tickets resolved for a while"


@pytest.fixture
def api(db: Database) -> Api:
    return Api(db, smtp_url="smtp://127.0.0.1:9")


async def mails(ticket: Ticket) -> list[tuple[MailKind, str]]:
    rows = await OutboundMail.filter(ticket_id=ticket.id).order_by("id")
    return [(row.kind, row.recipient) for row in rows]


async def default_rule(api: Api, world: World, key: str) -> dict[str, object]:
    rules = (await api.data(LIST, token=world.admin_token))["automationRules"]
    found: dict[str, object] = next(rule for rule in rules if rule["defaultKey"] == key)
    return found


async def change(api: Api, world: World, rule: dict[str, object], **fields: object) -> dict[str, object]:
    result: dict[str, object] = (
        await api.data(UPDATE, {"input": {"id": rule["id"], **fields}}, token=world.admin_token)
    )["updateAutomationRule"]
    return result


async def test_the_notification_mails_are_default_rules_an_admin_can_turn_off_or_narrow(api: Api) -> None:
    world = await make_world()
    rules = (await api.data(LIST, token=world.admin_token))["automationRules"]
    assert [(r["defaultKey"], r["enabled"]) for r in rules] == [
        ("mail.ticket_created", True),
        ("mail.public_reply", True),
        ("mail.resolved", True),
        ("mail.closed", True),
        ("notify.pending", False),
        ("close.resolved", True),
    ]
    first = await world.ticket()
    assert await mails(first) == [(MailKind.TICKET_CREATED, world.requester.email)]
    created = await default_rule(api, world, "mail.ticket_created")
    assert (await change(api, world, created, enabled=False))["__typename"] == "AutomationRuleSuccess"
    fixed = await change(api, world, created, actions=[{"kind": "ADD_TAGS", "tags": ["x"]}])
    assert fixed["__typename"] == "ValidationError"
    assert fixed["fields"][0]["field"] == "actions"  # type: ignore[index]
    second = await world.ticket()
    assert await mails(second) == []
    resolved = await default_rule(api, world, "mail.resolved")
    narrowed = await change(api, world, resolved, conditions={"all": [condition("PRIORITY", "IS", "HIGH")]})
    assert narrowed["__typename"] == "AutomationRuleSuccess"
    await update(api, world.technician_token, second, statusId=await status_id(world.account.id, "Resolved"))
    assert await mails(second) == []
    urgent = await world.ticket(priority="HIGH")  # type: ignore[arg-type]
    await update(api, world.technician_token, urgent, statusId=await status_id(world.account.id, "Resolved"))
    assert await mails(urgent) == [(MailKind.TICKET_RESOLVED, world.requester.email)]
    deleted = await api.data(
        "mutation($id: ID!) { deleteAutomationRule(input: {id: $id}) { __typename } }",
        {"id": created["id"]},
        token=world.admin_token,
    )
    assert deleted["deleteAutomationRule"]["__typename"] == "ValidationError"


async def test_the_pending_mail_goes_out_once_an_admin_turns_it_on(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    pending = await status_id(world.account.id, "Pending")
    await update(api, world.technician_token, ticket, statusId=pending)
    assert [kind for kind, _ in await mails(ticket)] == [MailKind.TICKET_CREATED]
    await change(api, world, await default_rule(api, world, "notify.pending"), enabled=True)
    await update(api, world.technician_token, ticket, statusId=await status_id(world.account.id, "Open"))
    await update(api, world.technician_token, ticket, statusId=pending)
    assert await mails(ticket) == [
        (MailKind.TICKET_CREATED, world.requester.email),
        (MailKind.TICKET_UPDATED, world.requester.email),
    ]
    row = await OutboundMail.get(ticket_id=ticket.id, kind=MailKind.TICKET_UPDATED)
    assert "its status is now Pending" in row.text


async def test_accounts_from_before_get_the_default_rules_at_start(api: Api) -> None:
    world = await make_world()
    await AutomationRule.filter(account_id=world.account.id).delete()
    assert await defaults.ensure_all() == 6
    assert await defaults.ensure_all() == 0
    assert await AutomationRule.filter(account_id=world.account.id, is_default=True).count() == 6


async def test_resolved_tickets_close_after_the_set_days_unless_the_requester_replied(api: Api) -> None:
    with frozen_at(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)):
        world = await make_world()
    settings = """mutation { updateTicketSettings(input: {autoCloseAfterDays: 2}) { __typename
      ... on TicketSettingsSuccess { settings { autoCloseAfterDays } } } }"""
    assert (await api.data(settings, token=world.admin_token))["updateTicketSettings"]["settings"] == {
        "autoCloseAfterDays": 2
    }
    assert (await default_rule(api, world, "close.resolved"))["trigger"]["hours"] == 48  # type: ignore[index]
    resolved = await status_id(world.account.id, "Resolved")
    with frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as clock:
        quiet, answered = await world.ticket(), await world.ticket()
        for ticket in (quiet, answered):
            await update(api, world.technician_token, ticket, statusId=resolved)
        # As after an upgrade: the rule came an hour after they were resolved, and counts from then.
        rule = AutomationRule.filter(account_id=world.account.id, default_key="close.resolved")
        await rule.update(created_at=clock.advance(hours=1))
        await reply(api, world.requester_token, answered, body="<p>Not fixed yet.</p>")
        clock.advance(hours=47, minutes=30)
        assert await timed.run_due() == 0
        clock.advance(hours=1)
        assert await timed.run_due() == 1
        assert await timed.run_due() == 0
    closed = await TicketStatus.get(id=(await Ticket.get(id=quiet.id)).status_id)
    assert closed.category is StatusCategory.CLOSED
    assert (await Ticket.get(id=answered.id)).status_id == (await Ticket.get(id=answered.id)).status_id
    assert (await TicketStatus.get(id=(await Ticket.get(id=answered.id)).status_id)).name == "Resolved"
    assert await by_rules(quiet) == [(AUTO_CLOSE, "STATUS_CHANGED", "status", "Closed")]
    assert (MailKind.TICKET_CLOSED, world.requester.email) in await mails(quiet)


async def test_business_hours_in_a_status_count_across_a_change_to_summer_time(api: Api) -> None:
    world = await make_world()
    # Friday 27 March 2026, 16:00 in Rome (UTC+1); summer time starts on Sunday 29 March (UTC+2).
    with frozen_at(datetime(2026, 3, 27, 15, 0, tzinfo=UTC)) as clock:
        await office_policy(api, world)
        await rule_made(
            api,
            world.admin_token,
            "Chase",
            {"kind": "PENDING_FOR", "hours": 4},
            [{"kind": "ADD_NOTE", "text": "Chase the requester."}],
        )
        ticket = await world.ticket()
        await update(
            api, world.technician_token, ticket, statusId=await status_id(world.account.id, "Pending")
        )
        # One business hour on Friday, three on Monday: due Monday 12:00 in Rome, 10:00 UTC in summer time.
        clock.to(datetime(2026, 3, 30, 9, 59, tzinfo=UTC))
        assert await timed.run_due() == 0
        clock.to(datetime(2026, 3, 30, 10, 1, tzinfo=UTC))
        assert await timed.run_due() == 1
        clock.advance(hours=5)
        assert await timed.run_due() == 0  # once per stay in the status
    assert await by_rules(ticket) == [("Chase", "INTERNAL_NOTE_ADDED", None, None)]


async def test_sla_due_soon_and_breached_rules_fire_once_each(api: Api) -> None:
    world = await make_world()
    me = [encode("Technician", world.technician.id)]
    # Monday 30 November 2026, 10:00 in Rome (UTC+1): first response due at 12:00 (11:00 UTC).
    with frozen_at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) as clock:
        await office_policy(api, world)
        await rule_made(
            api,
            world.admin_token,
            "Due soon",
            {"kind": "SLA_DUE_WITHIN", "minutes": 30},
            [{"kind": "NOTIFY_TECHNICIANS", "technicianIds": me}],
        )
        await rule_made(
            api,
            world.admin_token,
            "Breached",
            {"kind": "SLA_BREACHED"},
            [{"kind": "SET_PRIORITY", "priority": "CRITICAL"}],
        )
        ticket = await world.ticket()
        clock.to(datetime(2026, 11, 30, 10, 29, tzinfo=UTC))
        assert await timed.run_due() == 0
        clock.to(datetime(2026, 11, 30, 10, 31, tzinfo=UTC))
        assert await timed.run_due() == 1
        clock.to(datetime(2026, 11, 30, 11, 1, tzinfo=UTC))
        await sla.record_breaches()
        assert await timed.run_due() == 1
        assert await timed.run_due() == 0
    assert [name for name, *_ in await by_rules(ticket)] == ["Breached"]
