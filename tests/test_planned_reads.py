"""Planned reads (schema.planned) change the statements, never the answer or what a viewer may see: the
page through ``ticket``, ``ticketByNumber`` and ``node`` answers the same planned (fast path on) and read
relation by relation (off), for staff, for the ticket's requester and for an end user copied on it, with
the lists read as arrays (tags, SLA pauses, time entries, field values, a form's fields) and rows of
another account."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from app.database import Database
from fastpath import statements
from models.clock import utcnow
from models.conversation import CcRecipient
from models.enums import CommentKind, CustomFieldType, TagSource, TimeEntrySource
from models.forms import CustomField, FormTemplate, FormTemplateField, TicketFieldValue
from models.people import Requester, Site
from models.sla import SlaPause
from models.tickets import Tag, Ticket, TicketTag
from models.timekeeping import TimeEntry
from schema.ids import encode
from services import field_values
from tests.api import Api
from tests.factories import World, add_comment, fill_requester_panel, make_world
from tests.sql import recorded_statements
from tests.support.sla import office_policy
from tests.support.ticket_page import TICKET_PAGE

PANEL = """
  sla { policy { id name } firstResponse { targetMinutes dueAt breached } resolution { dueAt paused } }
  formTemplate { id name }
  timeTotals { totalSeconds billableSeconds nonBillableSeconds amount }
  customFields { field { id name type } value displayValue }
  requester { id site { id name } department { id name } customer { id name } }
"""
PAGES = {
    "ticket": TICKET_PAGE.replace("  ticket(id: $id) {", "  ticket(id: $id) {" + PANEL, 1),
    "node": TICKET_PAGE.replace("  ticket(id: $id) {", "  node(id: $id) { id ... on Ticket {" + PANEL, 1)
    .rstrip()
    .removesuffix("}")
    + "} }",
    "number": TICKET_PAGE.replace("($id: ID!)", "($number: Int!)", 1).replace(
        "  ticket(id: $id) {", "  ticketByNumber(number: $number) {" + PANEL, 1
    ),
}


def _page(answer: dict[str, Any]) -> Any:
    return next(iter(answer["data"].values()))


async def _answers(db: Database, world: World, ticket: Ticket, tokens: list[str]) -> dict[bool, Any]:
    answers: dict[bool, Any] = {}
    for fast in (False, True):
        statements._kept.clear()
        api = Api(db, fast_path=fast)
        answers[fast] = [
            await api.run(
                PAGES[name],
                {"number": ticket.number} if name == "number" else {"id": encode("Ticket", ticket.id)},
                token=token,
            )
            for token in tokens
            for name in PAGES
        ]
    return answers


async def _tag(world: World, ticket: Ticket, name: str, source: TagSource = TagSource.MANUAL) -> None:
    tag = await Tag.create(account_id=world.account.id, name=name)
    await TicketTag.create(ticket_id=ticket.id, tag_id=tag.id, source=source)


async def _time_entry(world: World, ticket: Ticket, minutes: int, billable: bool = True) -> None:
    await TimeEntry.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        technician_id=world.technician.id,
        source=TimeEntrySource.MANUAL,
        started_at=utcnow() - timedelta(minutes=minutes),
        ended_at=utcnow(),
        duration_seconds=minutes * 60,
        billable=billable,
        rate=Decimal("95.50"),
    )


async def _lists(world: World, ticket: Ticket, template: FormTemplate) -> None:
    """The lists a planned read reads as arrays: tags, SLA pauses, time entries and field values."""
    await _tag(world, ticket, "printer")
    await _tag(world, ticket, "floor-2", TagSource.AI)
    now = utcnow()
    await SlaPause.create(
        ticket_id=ticket.id, started_at=now - timedelta(hours=3), ended_at=now - timedelta(hours=2)
    )
    await SlaPause.create(ticket_id=ticket.id, started_at=now - timedelta(minutes=30), ended_at=None)
    await _time_entry(world, ticket, 90)
    await _time_entry(world, ticket, 15, billable=False)
    for position, (name, kind, value) in enumerate(
        [("Asset tag", CustomFieldType.TEXT, "PC-42"), ("Cost", CustomFieldType.DECIMAL, 12.5)]
    ):
        field = await CustomField.create(account_id=world.account.id, name=name, field_type=kind)
        await FormTemplateField.create(template_id=template.id, field_id=field.id, position=position)
        await TicketFieldValue.create(ticket_id=ticket.id, field_id=field.id, value=field_values.dump(value))


async def _world_with_a_copied_end_user(db: Database) -> tuple[World, Ticket]:
    world = await make_world()
    await fill_requester_panel(world)
    await office_policy(Api(db), world)
    ticket = await world.ticket("Shared printer", assignee_id=world.technician.id)
    template = await FormTemplate.create(account_id=world.account.id, name="Hardware")
    await Ticket.filter(id=ticket.id).update(form_template_id=template.id)
    await _lists(world, ticket, template)
    # The other requester is copied on the ticket and replies; the ticket's requester has a site,
    # department and customer that the other requester may not see.
    await CcRecipient.create(
        ticket_id=ticket.id,
        comment_id=None,
        email=world.other_requester.email,
        requester_id=world.other_requester.id,
    )
    await add_comment(ticket, world.requester, body="It jams again", attachments=1)
    await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, body="Secret note: toner")
    await add_comment(ticket, world.other_requester, body="Mine too")
    await add_comment(ticket, world.technician, body="Replaced the roller", is_resolution=True)
    return world, ticket


async def test_planned_and_unplanned_pages_are_the_same_for_staff_the_requester_and_a_copied_end_user(
    db: Database,
) -> None:
    world, ticket = await _world_with_a_copied_end_user(db)
    tokens = [world.technician_token, world.requester_token, world.other_requester_token]
    answers = await _answers(db, world, ticket, tokens)
    assert answers[True] == answers[False]
    assert all("errors" not in answer for answer in answers[True])
    per_viewer = len(PAGES)
    staff, own, copied = (_page(answers[True][i * per_viewer]) for i in range(3))
    assert staff["requester"]["site"]["name"] == "Head office"
    assert staff["sla"]["policy"]["name"] == "Standard"
    assert staff["formTemplate"]["name"] == "Hardware"
    assert staff["tags"] == [
        {"name": "floor-2", "source": "AI"},
        {"name": "printer", "source": "MANUAL"},
    ]
    assert staff["sla"]["resolution"]["paused"] is True
    assert staff["timeTotals"]["totalSeconds"] == 105 * 60
    assert staff["timeTotals"]["nonBillableSeconds"] == 15 * 60
    assert [field["value"] for field in staff["customFields"]] == ["PC-42", 12.5]
    assert own["requester"]["site"]["name"] == "Head office"
    assert own["sla"] is None
    assert own["formTemplate"] is None
    # An end user copied on someone else's ticket: no internal note, not the requester's site,
    # department or customer, no SLA or form; the requester who copied them, and themselves, by name.
    assert "Secret note" not in str(copied)
    assert copied["requester"]["site"] is None
    assert copied["requester"]["department"] is None
    assert copied["requester"]["customer"] is None
    assert copied["sla"] is None
    assert copied["formTemplate"] is None
    assert copied["tags"] == staff["tags"]
    assert copied["timeTotals"] is None
    assert copied["customFields"] == []
    # The counts and the requester's lists read in the ticket's statement, with each viewer's rules.
    assert [page["conversation"]["totalCount"] for page in (staff, own, copied)] == [4, 3, 3]
    assert staff["assignee"]["openTicketCount"] == 1
    assert [len(page["requester"]["contracts"]) for page in (staff, own, copied)] == [1, 0, 0]
    assert [len(page["requester"]["devices"]) for page in (staff, own, copied)] == [1, 1, 0]
    assert [page["requester"]["satisfaction"]["count"] for page in (staff, own, copied)] == [1, 1, 0]
    authors = [edge["node"]["author"] for edge in copied["conversation"]["edges"]]
    assert authors == [{"name": "Rita Requester"}, {"name": "Otto Other"}, {"name": "Tom Tech"}]


async def test_a_forms_fields_and_values_are_read_in_the_tickets_statement(db: Database) -> None:
    world, ticket = await _world_with_a_copied_end_user(db)
    query = "query ($id: ID!) { ticket(id: $id) { customFields { field { name } value } } }"
    api = Api(db)
    await api.data("{ viewer { account { name } } }", token=world.technician_token)
    with recorded_statements() as sent:
        data = await api.data(query, {"id": encode("Ticket", ticket.id)}, token=world.technician_token)
    fields = data["ticket"]["customFields"]
    assert [(field["field"]["name"], field["value"]) for field in fields] == [
        ("Asset tag", "PC-42"),
        ("Cost", 12.5),
    ]
    assert len(sent) == 2  # the viewer's token, then the ticket with its form's fields and values


async def test_a_joined_row_of_another_account_is_never_shown_through_a_planned_read(db: Database) -> None:
    ours = await make_world("Acme IT")
    theirs = await make_world("Globex MSP")
    ticket = await ours.ticket("Tampered", assignee_id=ours.technician.id)
    foreign_site = await Site.create(account_id=theirs.account.id, name="Globex HQ")
    # Rows that point into another account (never written by the services): a planned read must not show
    # what the loaders' own reads would hide.
    await Ticket.filter(id=ticket.id).update(assignee_id=theirs.technician.id)
    await Requester.filter(id=ours.requester.id).update(site_id=foreign_site.id)
    await _tag(ours, ticket, "printer")
    await _tag(theirs, ticket, "globex-only")
    await _time_entry(ours, ticket, 30)
    await _time_entry(theirs, ticket, 45)
    answers = await _answers(db, ours, ticket, [ours.technician_token, ours.requester_token])
    assert answers[True] == answers[False]
    assert _page(answers[True][0])["timeTotals"]["totalSeconds"] == 30 * 60
    for answer in answers[True]:
        page = _page(answer)
        assert page["assignee"] is None
        assert page["requester"]["site"] is None
        assert page["tags"] == [{"name": "printer", "source": "MANUAL"}]
        assert "Globex" not in str(answer)
        assert "globex" not in str(answer)
