"""Dashboards: every condition of TicketFilter, the text search and its ranking, what each bad input gets,
and that a requester's filter never reaches past their own tickets or into internal notes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.clock import utcnow
from models.conversation import Comment
from models.enums import ActivityStatus, BuiltInField, Channel, CommentKind, CustomFieldType, NotificationKind
from models.forms import CustomField, TicketFieldValue
from models.notifications import Notification
from models.people import Customer, Department, Requester, Site
from models.tickets import Tag, Ticket, TicketTag
from schema.ids import encode
from services import field_values
from tests.api import Api
from tests.factories import World, add_comment, make_world

LIST = """query($filter: TicketFilter, $order: TicketOrder, $after: String, $first: Int = 100) {
  tickets(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id title } } }"""


async def _titles(api: Api, token: str, filter: dict[str, Any], order: str = "OLDEST_FIRST") -> list[str]:
    data = (await api.data(LIST, {"filter": filter, "order": order}, token=token))["tickets"]
    titles = [node["title"] for node in data["nodes"]]
    assert data["totalCount"] == len(titles)
    return titles


async def _errors(api: Api, token: str, filter: dict[str, Any], order: str = "OLDEST_FIRST") -> list[Any]:
    return [
        (error["extensions"]["code"], error["message"])
        for error in await api.errors(LIST, {"filter": filter, "order": order}, token=token)
    ]


def _range(start: Any = None, end: Any = None) -> dict[str, Any]:
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


async def test_time_ranges_include_their_start_and_leave_out_their_end(api: Api) -> None:
    world = await make_world()
    now = utcnow().replace(microsecond=0)
    for index, title in enumerate(["old", "middle", "new"]):
        ticket = await world.ticket(title)
        moment = now - timedelta(days=3 - index)
        await Ticket.filter(id=ticket.id).update(
            created_at=moment,
            updated_at=moment + timedelta(hours=1),
            resolved_at=moment + timedelta(hours=2) if title != "new" else None,
            next_sla_due_at=moment + timedelta(hours=3),
        )
    token, day = world.technician_token, timedelta(days=1)
    assert await _titles(api, token, {"createdAt": _range(now - 2 * day, now)}) == ["middle", "new"]
    assert await _titles(api, token, {"createdAt": _range(now - 3 * day, now - 2 * day)}) == ["old"]
    assert await _titles(api, token, {"createdAt": _range(None, now - 2 * day)}) == ["old"]
    assert await _titles(api, token, {"updatedAt": _range(now - day + timedelta(hours=1))}) == ["new"]
    assert await _titles(api, token, {"resolvedAt": _range(now - 4 * day)}) == ["old", "middle"]
    due = now - 2 * day + timedelta(hours=3)
    assert await _titles(api, token, {"dueAt": _range(due, due + timedelta(seconds=1))}) == ["middle"]
    assert await _titles(api, token, {"createdAt": _range(now, now)}) == []

    backwards = {"createdAt": _range(now, now - day)}
    assert await _errors(api, token, backwards) == [
        ("BAD_USER_INPUT", "`filter.createdAt`: `from` must not be after `to`.")
    ]
    naive = {"resolvedAt": {"from": "2026-01-01T00:00:00"}}
    assert (await _errors(api, token, naive))[0][1].startswith("`filter.resolvedAt`: Times must carry")
    assert (await _errors(api, world.requester_token, {"dueAt": _range(now)}))[0][0] == "FORBIDDEN"


async def _people_world() -> tuple[World, Requester, dict[str, int]]:
    world = await make_world()
    account = world.account.id
    customer = await Customer.create(account_id=account, name="Contoso")
    site = await Site.create(account_id=account, name="Milan")
    department = await Department.create(account_id=account, name="Finance")
    await Requester.filter(id=world.requester.id).update(
        customer_id=customer.id, site_id=site.id, department_id=department.id
    )
    return world, world.requester, {"customer": customer.id, "site": site.id, "department": department.id}


async def test_customer_site_and_department_are_those_of_the_requester(api: Api) -> None:
    world, _, ids = await _people_world()
    await world.ticket("theirs")
    await world.ticket("other", requester_id=world.other_requester.id)
    token = world.technician_token
    for name, type_name in (("customer", "Customer"), ("site", "Site"), ("department", "Department")):
        wanted = {f"{name}Id": [encode(type_name, ids[name])]}
        assert await _titles(api, token, wanted) == ["theirs"]
    stranger, _, foreign = await _people_world()
    await stranger.ticket("foreign")
    assert await _titles(api, token, {"customerId": [encode("Customer", foreign["customer"])]}) == []
    assert await _titles(api, token, {"customerId": []}) == []
    assert (await _errors(api, token, {"siteId": ["nonsense"]}))[0][0] == "BAD_USER_INPUT"
    assert "`filter.siteId`" in (await _errors(api, token, {"siteId": [encode("Customer", 1)]}))[0][1]


async def test_tags_any_and_all_activity_status_channel_and_merged(api: Api) -> None:
    world = await make_world()
    a, b, c = (await world.ticket("A"), await world.ticket("B"), await world.ticket("C"))
    printer = await Tag.create(account_id=world.account.id, name="printer")
    urgent = await Tag.create(account_id=world.account.id, name="urgent")
    for ticket, tag in ((a, printer), (a, urgent), (b, printer), (c, urgent)):
        await TicketTag.create(ticket_id=ticket.id, tag_id=tag.id)
    await Ticket.filter(id=b.id).update(
        activity_status=ActivityStatus.WAITING_FOR_REQUESTER, channel=Channel.EMAIL
    )
    await Ticket.filter(id=c.id).update(merged_into_id=a.id, merged_at=utcnow())
    token = world.technician_token
    assert await _titles(api, token, {"tags": {"any": ["printer", "nothing"]}}) == ["A", "B"]
    assert await _titles(api, token, {"tags": {"all": ["printer", "urgent"]}}) == ["A"]
    assert await _titles(api, token, {"tags": {"any": ["urgent"], "all": ["printer"]}}) == ["A"]
    assert await _titles(api, token, {"activityStatus": ["WAITING_FOR_REQUESTER"]}) == ["B"]
    assert await _titles(api, token, {"channel": ["EMAIL", "CHAT"]}) == ["B"]
    assert await _titles(api, token, {}) == ["A", "B", "C"]
    assert await _titles(api, token, {"merged": False}) == ["A", "B"]
    assert await _titles(api, token, {"merged": True}) == ["C"]
    other = await make_world()
    await Tag.create(account_id=other.account.id, name="secret")
    await TicketTag.create(ticket_id=(await other.ticket("X")).id, tag_id=(await Tag.get(name="secret")).id)
    assert await _titles(api, token, {"tags": {"any": ["secret"]}}) == []


async def test_custom_fields_and_product_family_compare_stored_values_for_technicians_only(api: Api) -> None:
    world = await make_world()
    a, b, _ = (await world.ticket("A"), await world.ticket("B"), await world.ticket("C"))
    family = await CustomField.get(account_id=world.account.id, built_in=BuiltInField.PRODUCT_FAMILY)
    seats = await CustomField.create(
        account_id=world.account.id, name="Seats", field_type=CustomFieldType.NUMBER
    )
    apps = await CustomField.create(
        account_id=world.account.id,
        name="Apps",
        field_type=CustomFieldType.MULTI_SELECT,
        options=["Word", "Excel"],
    )
    for ticket, field, value in (
        (a, family, "Hardware"),
        (b, family, "Network"),
        (a, seats, 12),
        (b, seats, 120),
        (a, apps, ["Excel", "Word"]),
        (b, apps, ["Word"]),
    ):
        await TicketFieldValue.create(ticket_id=ticket.id, field_id=field.id, value=field_values.dump(value))
    token = world.technician_token
    seats_id, apps_id = encode("CustomField", seats.id), encode("CustomField", apps.id)
    assert await _titles(api, token, {"productFamily": ["Hardware", "Security"]}) == ["A"]
    assert await _titles(api, token, {"customFields": [{"fieldId": seats_id, "value": 12}]}) == ["A"]
    assert await _titles(api, token, {"customFields": [{"fieldId": seats_id, "value": "120"}]}) == ["B"]
    assert await _titles(api, token, {"customFields": [{"fieldId": seats_id, "value": None}]}) == ["C"]
    assert await _titles(api, token, {"customFields": [{"fieldId": apps_id, "value": ["Word"]}]}) == [
        "A",
        "B",
    ]
    both = [{"fieldId": apps_id, "value": ["Word", "Excel"]}, {"fieldId": seats_id, "value": 12}]
    assert await _titles(api, token, {"customFields": both}) == ["A"]
    foreign = await CustomField.create(
        account_id=(await make_world()).account.id, name="Seats", field_type=CustomFieldType.NUMBER
    )
    assert (
        await _titles(
            api, token, {"customFields": [{"fieldId": encode("CustomField", foreign.id), "value": 1}]}
        )
        == []
    )
    for staff_only in (
        {"productFamily": ["Hardware"]},
        {"customFields": [{"fieldId": seats_id, "value": 12}]},
    ):
        assert (await _errors(api, world.requester_token, staff_only))[0][0] == "FORBIDDEN"


async def test_unread_notifications_are_the_viewers_own(api: Api) -> None:
    world = await make_world()
    a, _ = await world.ticket("A"), await world.ticket("B")
    later = utcnow() + timedelta(days=7)
    await Notification.create(
        account_id=world.account.id,
        recipient_id=world.technician.id,
        kind=NotificationKind.MENTION,
        ticket_id=a.id,
        expires_at=later,
    )
    await Notification.create(
        account_id=world.account.id,
        recipient_id=world.admin.id,
        kind=NotificationKind.MENTION,
        ticket_id=a.id,
        expires_at=later,
        read_at=utcnow(),
    )
    assert await _titles(api, world.technician_token, {"hasUnreadNotifications": True}) == ["A"]
    assert await _titles(api, world.technician_token, {"hasUnreadNotifications": False}) == ["B"]
    assert await _titles(api, world.admin_token, {"hasUnreadNotifications": True}) == []
    assert await _titles(api, world.requester_token, {"hasUnreadNotifications": True}) == []


async def test_text_search_matches_every_word_stemmed_and_ranks_by_relevance(api: Api) -> None:
    world = await make_world()
    await world.ticket("Printer jams on floor 2", description="The printer jams every morning")
    await world.ticket("VPN drops", description="The printers are fine, the VPN is not")
    mail = await world.ticket("Mailbox full")
    await add_comment(mail, world.requester, body="Also the printer in room 4 jams")
    await world.ticket("Unrelated", description="Nothing to see")
    token = world.technician_token
    assert await _titles(api, token, {"text": "printers"}) == [
        "Printer jams on floor 2",
        "VPN drops",
        "Mailbox full",
    ]
    assert await _titles(api, token, {"text": "Printer JAMS!"}) == ["Printer jams on floor 2", "Mailbox full"]
    assert (await _titles(api, token, {"text": "printer"}, order="RELEVANCE"))[0] == "Printer jams on floor 2"
    pages, after = [], None
    while True:
        variables = {"filter": {"text": "printer"}, "order": "RELEVANCE", "first": 1, "after": after}
        data = (await api.data(LIST, variables, token=token))["tickets"]
        pages += [node["title"] for node in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == await _titles(api, token, {"text": "printer"}, order="RELEVANCE")
    assert sorted(pages) == sorted(["Printer jams on floor 2", "VPN drops", "Mailbox full"])
    assert await _errors(api, token, {"text": " !! "}) == [
        ("BAD_USER_INPUT", "`filter.text`: Give at least one word (letters or digits).")
    ]
    assert (await _errors(api, token, {}, order="RELEVANCE"))[0][0] == "BAD_USER_INPUT"
    await Ticket.filter(title="Unrelated").update(title="Scanner offline")
    await Comment.filter(ticket_id=mail.id).delete()
    assert await _titles(api, token, {"text": "scanners"}) == ["Scanner offline"]
    assert await _titles(api, token, {"text": "printer jams"}) == ["Printer jams on floor 2"]
    quotes = "\"printer' OR 1=1 -- ; NEAR( * ^"
    assert await _titles(api, token, {"text": quotes}) == []


async def test_a_requester_never_finds_a_ticket_by_the_words_of_an_internal_note(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket("Laptop slow")
    await add_comment(
        ticket, world.technician, kind=CommentKind.INTERNAL_NOTE, body="suspect zanzibarite malware"
    )
    await add_comment(ticket, world.technician, body="We are looking into it")
    other = await world.ticket("Someone else's zanzibarite", requester_id=world.other_requester.id)
    assert other.id
    assert await _titles(api, world.technician_token, {"text": "zanzibarite"}) == [
        "Laptop slow",
        "Someone else's zanzibarite",
    ]
    for order in ("OLDEST_FIRST", "RELEVANCE"):
        assert await _titles(api, world.requester_token, {"text": "zanzibarite"}, order) == []
        assert await _titles(api, world.requester_token, {"text": "looking"}, order) == ["Laptop slow"]
        assert await _titles(api, world.requester_token, {"text": "zanzibarite looking"}, order) == []
    stranger = await make_world()
    assert await _titles(api, stranger.technician_token, {"text": "zanzibarite"}) == []
    requester_filter = {"requesterId": encode("Requester", world.other_requester.id), "text": "zanzibarite"}
    assert await _titles(api, world.requester_token, requester_filter) == []
