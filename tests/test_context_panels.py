"""The ticket's side panels: devices and remote connect, satisfaction surveys, calendar events and the
iCalendar feed, related alerts. Each bad input gets a typed error naming the field and saves nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ical.calendar_stream import IcsCalendarStream

from app.database import Database
from models.activity import Activity
from models.alerts import Alert
from models.calendar import CalendarAttendee, CalendarEvent
from models.enums import ActivityKind, MailKind, StatusCategory
from models.mail import OutboundMail
from models.people import Device, SatisfactionSurvey
from models.tickets import Ticket
from schema.ids import encode
from tests.api import Api
from tests.factories import make_world
from tests.live import Live
from tests.mailroom import mailroom
from tests.support.context_panels import (
    ASSIGN,
    CREATE_ALERT,
    DEVICES,
    ERRORS,
    FEED,
    FROM_ALERT,
    LINK,
    RATINGS,
    REGISTER,
    SCHEDULE,
    SETTINGS,
    SUBMIT,
    UNASSIGN,
    UPDATE_EVENT,
    fetch_feed,
    gid,
    move_into,
    register_device,
)
from tests.support.conversation import reply
from tests.waiting import received_until

# Devices ----------------------------------------------------------------------------------------------


async def test_devices_are_linked_to_requesters_and_connect_through_the_account_template(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    device = await register_device(api, world, "pc-007")
    foreign = await register_device(api, other, "pc-900")
    again = await api.data(
        REGISTER,
        {"input": {"name": "PC 007", "hostname": "PC-007", "os": "Windows 11 Pro 24H2", "online": False}},
        token=world.technician_token,
    )
    assert again["registerDevice"]["device"] == {
        "id": device,
        "name": "PC 007",
        "hostname": "pc-007",
        "os": "Windows 11 Pro 24H2",
        "online": False,
    }
    bad = await api.data(
        REGISTER,
        {"input": {"name": "", "hostname": "evil host/..", "online": True}},
        token=world.technician_token,
    )
    assert {f["field"] for f in bad["registerDevice"]["fields"]} == {"name", "hostname"}

    requester = encode("Requester", world.requester.id)
    ticket = await world.ticket()
    refused = await api.data(
        ASSIGN, {"input": {"requesterId": requester, "deviceId": foreign}}, token=world.technician_token
    )
    assert refused["assignAgent"] == {"__typename": "NotFoundError", "field": "deviceId"}
    assert (await Device.get(hostname="pc-900")).requester_id is None
    by_requester = await api.data(
        ASSIGN, {"input": {"requesterId": requester, "deviceId": device}}, token=world.requester_token
    )
    assert by_requester["assignAgent"]["__typename"] == "PermissionDeniedError"
    linked = await api.data(
        ASSIGN,
        {"input": {"requesterId": requester, "deviceId": device, "ticketId": gid(ticket)}},
        token=world.technician_token,
    )
    assert linked["assignAgent"] == {"__typename": "DeviceSuccess", "device": {"name": "PC 007"}}
    logged = await Activity.get(ticket_id=ticket.id, kind=ActivityKind.DEVICE_ASSIGNED)
    assert logged.new_value == "PC 007 -> Rita Requester"

    panel = await api.data(DEVICES, {"id": requester}, token=world.technician_token)
    [shown] = panel["node"]["devices"]
    assert shown["name"] == "PC 007"
    assert shown["online"] is False
    assert shown["remoteConnectUrl"] is None  # no template yet

    for template, message in (
        ("javascript:alert(1)//{device.hostname}", "Must start with one of these schemes"),
        ("rdp://{device.password}", "Unknown placeholder {device.password}"),
    ):
        rejected = await api.data(
            SETTINGS, {"input": {"remoteConnectUrlTemplate": template}}, token=world.admin_token
        )
        [problem] = rejected["updateTicketSettings"]["fields"]
        assert problem["field"] == "remoteConnectUrlTemplate"
        assert problem["message"].startswith(message)
    template = "https://rmm.example.com/connect?host={device.hostname}&label={device.name}"
    saved = await api.data(
        SETTINGS, {"input": {"remoteConnectUrlTemplate": template}}, token=world.admin_token
    )
    assert saved["updateTicketSettings"]["settings"]["remoteConnectUrlTemplate"] == template
    panel = await api.data(DEVICES, {"id": requester}, token=world.technician_token)
    assert panel["node"]["devices"][0]["remoteConnectUrl"] == (
        "https://rmm.example.com/connect?host=pc-007&label=PC%20007"
    )
    own = await api.data(DEVICES, {"id": requester}, token=world.requester_token)
    assert own["node"]["devices"][0]["remoteConnectUrl"] is None
    assert (await api.errors("{ devices { id } }", token=world.requester_token))[0]["extensions"]["code"] == (
        "FORBIDDEN"
    )
    picker = await api.data('{ devices(search: "007") { hostname } }', token=world.technician_token)
    assert picker["devices"] == [{"hostname": "pc-007"}]

    unlinked = await api.data(
        UNASSIGN, {"input": {"deviceId": device, "ticketId": gid(ticket)}}, token=world.technician_token
    )
    assert unlinked["unassignAgent"]["__typename"] == "DeviceSuccess"
    assert (await api.data(DEVICES, {"id": requester}, token=world.technician_token))["node"]["devices"] == []
    assert await Activity.exists(ticket_id=ticket.id, kind=ActivityKind.DEVICE_UNASSIGNED)
    end_user_log = await api.data(
        "query($id: ID!) { ticket(id: $id) { activity(first: 50) { nodes { kind } } } }",
        {"id": gid(ticket)},
        token=world.requester_token,
    )
    assert {row["kind"] for row in end_user_log["ticket"]["activity"]["nodes"]} == {"TICKET_CREATED"}


# Satisfaction surveys ----------------------------------------------------------------------------------


async def test_the_survey_link_is_mailed_on_resolve_and_answered_once(db: Database, tmp_path: Path) -> None:
    async with mailroom(db, tmp_path) as room:
        world, api = room.world, room.api
        saved = await api.data(SETTINGS, {"input": {"sendSurveyOnResolve": True}}, token=world.admin_token)
        assert saved["updateTicketSettings"]["settings"]["sendSurveyOnResolve"] is True
        ticket = await world.ticket("Laptop will not boot")
        early = await api.data(
            SUBMIT, {"input": {"ticketId": gid(ticket), **RATINGS}}, token=world.requester_token
        )
        assert early["submitSatisfactionSurvey"]["fields"] == [
            {"field": "ticketId", "message": "The ticket is not resolved or closed yet."}
        ]
        await move_into(api, world, ticket, StatusCategory.RESOLVED)
        await move_into(api, world, ticket, StatusCategory.CLOSED)
        received = await room.mails_to(world.requester.email)
        mails = [m for m in received if "How did we do?" in m.message["Subject"]]
        assert len(mails) == 1, "one survey per ticket, not one per resolve and close"
        link = re.search(r"http://\S+/survey/(\S+)", mails[0].text)
        assert link is not None
        token = link.group(1)

        forged = token[:-1] + ("0" if token[-1] != "0" else "1")
        other_ticket = await world.ticket("Other")
        for bad_token in (forged, f"{other_ticket.id}-{token.split('-')[1]}", "garbage"):
            answer = await api.data(SUBMIT, {"input": {"surveyToken": bad_token, **RATINGS}})
            assert answer["submitSatisfactionSurvey"] == {
                "__typename": "NotFoundError",
                "field": "surveyToken",
            }
        for rating in (0, 6):
            out_of_range = {**RATINGS, "supportQuality": rating, "overallHelpfulness": rating}
            answer = await api.data(SUBMIT, {"input": {"surveyToken": token, **out_of_range}})
            assert answer["submitSatisfactionSurvey"]["fields"] == [
                {"field": "supportQuality", "message": "Must be a rating from 1 to 5."},
                {"field": "overallHelpfulness", "message": "Must be a rating from 1 to 5."},
            ]
        not_theirs = await api.data(
            SUBMIT, {"input": {"ticketId": gid(ticket), **RATINGS}}, token=world.technician_token
        )
        assert not_theirs["submitSatisfactionSurvey"]["__typename"] == "PermissionDeniedError"
        assert not await SatisfactionSurvey.exists(ticket_id=ticket.id)

        answered = await api.data(SUBMIT, {"input": {"surveyToken": token, **RATINGS}})  # no login
        assert answered["submitSatisfactionSurvey"]["survey"] == {
            "supportQuality": 5,
            "technicianKnowledge": 4,
            "overallHelpfulness": 3,
            "comment": "Quick, thanks",
        }
        twice = await api.data(
            SUBMIT, {"input": {"ticketId": gid(ticket), **RATINGS}}, token=world.requester_token
        )
        assert twice["submitSatisfactionSurvey"]["fields"] == [
            {"field": "ticketId", "message": "A survey was already submitted for this ticket."}
        ]
        assert await SatisfactionSurvey.filter(ticket_id=ticket.id).count() == 1
        page = """query($id: ID!) { ticket(id: $id) { satisfactionSurvey { supportQuality }
          requester { satisfaction { count average } } } }"""
        for token_of in (world.requester_token, world.technician_token):
            seen = await api.data(page, {"id": gid(ticket)}, token=token_of)
            assert seen["ticket"]["satisfactionSurvey"] == {"supportQuality": 5}
            assert seen["ticket"]["requester"]["satisfaction"] == {"count": 1, "average": 4.0}
        assert await Activity.exists(ticket_id=ticket.id, kind=ActivityKind.SURVEY_SUBMITTED)
        await move_into(api, world, ticket, StatusCategory.RESOLVED)
        assert await OutboundMail.filter(ticket_id=ticket.id, kind=MailKind.SATISFACTION_SURVEY).count() == 1


async def test_a_cc_requester_cannot_answer_the_requesters_survey(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await move_into(api, world, ticket, StatusCategory.RESOLVED)
    stranger = await api.data(
        SUBMIT, {"input": {"ticketId": gid(ticket), **RATINGS}}, token=world.other_requester_token
    )
    assert stranger["submitSatisfactionSurvey"] == {"__typename": "NotFoundError", "field": "ticketId"}
    anonymous = await api.errors(SUBMIT, {"input": {"ticketId": gid(ticket), **RATINGS}})
    assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not await SatisfactionSurvey.exists(ticket_id=ticket.id)


# Calendar events and the feed -----------------------------------------------------------------------------

CANCEL_EVENT = """mutation($id: ID!) { cancelTicketEvent(input: {id: $id}) { __typename
  ... on CalendarEventSuccess { event { cancelledAt sequence } } ... on ValidationError { fields { field } } } }"""


async def test_events_are_scheduled_and_technicians_subscribe_to_them_as_icalendar(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    ticket = await world.ticket("Replace the office switch")
    visit = {
        "ticketId": gid(ticket),
        "title": "On-site visit",
        "startsAt": "2026-12-01T09:00:00+01:00",
        "endsAt": "2026-12-01T10:30:00+01:00",
        "location": "Head office; 2nd floor",
        "notes": "Bring the spare switch, and a console cable.",
    }
    backwards = await api.data(
        SCHEDULE, {"input": {**visit, "endsAt": "2026-12-01T08:00:00+01:00"}}, token=world.technician_token
    )
    assert backwards["scheduleTicketEvent"]["fields"] == [
        {"field": "endsAt", "message": "Must be after startsAt."}
    ]
    stranger = encode("Technician", other.technician.id)
    foreign = await api.data(
        SCHEDULE, {"input": {**visit, "attendeeIds": [stranger]}}, token=world.technician_token
    )
    assert foreign["scheduleTicketEvent"] == {"__typename": "NotFoundError", "field": "attendeeIds"}
    by_requester = await api.data(SCHEDULE, {"input": visit}, token=world.requester_token)
    assert by_requester["scheduleTicketEvent"]["__typename"] == "PermissionDeniedError"
    assert not await CalendarEvent.exists(ticket_id=ticket.id)

    invited = [encode("Technician", world.technician.id), encode("Technician", world.admin.id)]
    made = await api.data(
        SCHEDULE, {"input": {**visit, "attendeeIds": invited}}, token=world.technician_token
    )
    event = made["scheduleTicketEvent"]["event"]
    assert event["startsAt"] == "2026-12-01T08:00:00+00:00"
    assert event["sequence"] == 0
    assert sorted(a["name"] for a in event["attendees"]) == ["Ada Admin", "Tom Tech"]

    feed = (await api.data(FEED, token=world.technician_token))["createCalendarFeed"]["feed"]
    assert feed["webcalUrl"] == feed["url"].replace("http://", "webcal://")
    status, body = await fetch_feed(api, feed["url"])
    assert status == 200
    assert "\r\n" in body
    calendar = IcsCalendarStream.calendar_from_ics(body)  # a strict RFC 5545 parser
    [entry] = calendar.events
    assert entry.dtstart == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert entry.dtend == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert entry.summary == f"[#{ticket.number}] On-site visit"
    assert entry.location == "Head office; 2nd floor"
    assert sorted(a.common_name for a in entry.attendees) == ["Ada Admin", "Tom Tech"]

    moved = await api.data(
        UPDATE_EVENT,
        {
            "input": {
                "id": event["id"],
                "startsAt": "2026-12-01T14:00:00-05:00",
                "endsAt": "2026-12-01T15:00:00-05:00",
            }
        },
        token=world.technician_token,
    )
    assert moved["updateTicketEvent"]["event"] == {"startsAt": "2026-12-01T19:00:00+00:00", "sequence": 1}
    half = await api.data(
        UPDATE_EVENT,
        {"input": {"id": event["id"], "endsAt": "2026-12-01T18:00:00+00:00"}},
        token=world.technician_token,
    )
    assert half["updateTicketEvent"]["fields"] == [{"field": "endsAt", "message": "Must be after startsAt."}]
    cancelled = await api.data(CANCEL_EVENT, {"id": event["id"]}, token=world.technician_token)
    assert cancelled["cancelTicketEvent"]["event"]["sequence"] == 2
    [entry] = IcsCalendarStream.calendar_from_ics((await fetch_feed(api, feed["url"]))[1]).events
    assert entry.dtstart == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert entry.sequence == 2
    assert entry.status is not None
    assert entry.status.value == "CANCELLED"
    again = await api.data(CANCEL_EVENT, {"id": event["id"]}, token=world.technician_token)
    assert again["cancelTicketEvent"]["fields"] == [{"field": "id"}]

    listed = """query($id: ID!, $all: Boolean!) { ticket(id: $id) { calendarEvents(includeCancelled: $all) { title } } }"""
    assert (await api.data(listed, {"id": gid(ticket), "all": False}, token=world.technician_token))[
        "ticket"
    ]["calendarEvents"] == []
    assert (await api.data(listed, {"id": gid(ticket), "all": True}, token=world.technician_token))["ticket"][
        "calendarEvents"
    ] == [{"title": "On-site visit"}]
    assert (await api.data(listed, {"id": gid(ticket), "all": True}, token=world.requester_token))["ticket"][
        "calendarEvents"
    ] == []

    wrong = feed["url"].rsplit("/", 1)[0] + "/" + "x" * 43 + ".ics"
    renewed = (await api.data(FEED, token=world.technician_token))["createCalendarFeed"]["feed"]
    assert await fetch_feed(api, wrong) == (404, "Not found.")
    assert await fetch_feed(api, feed["url"]) == (404, "Not found."), "the replaced address stops working"
    assert (await fetch_feed(api, renewed["url"]))[0] == 200
    revoked = await api.data(
        "mutation { revokeCalendarFeed { ... on CalendarFeedRevokedSuccess { revoked } } }",
        token=world.technician_token,
    )
    assert revoked["revokeCalendarFeed"] == {"revoked": True}
    assert await fetch_feed(api, renewed["url"]) == (404, "Not found.")
    assert (await api.data("{ calendarFeed { createdAt } }", token=world.technician_token))[
        "calendarFeed"
    ] is None


# Related alerts -------------------------------------------------------------------------------------------

UNLINK = (
    """mutation($input: AlertTicketInput!) { unlinkAlertFromTicket(input: $input) { __typename
  ... on AlertSuccess { alert { ticketId } } """
    + ERRORS
    + " } }"
)
RELATED = """query($id: ID!) { ticket(id: $id) { relatedAlerts { name severity } } }"""


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


async def test_an_event_changes_sequence_only_when_its_attendees_change(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    alone = {
        "ticketId": gid(ticket),
        "title": "Call",
        "startsAt": "2026-12-01T09:00:00Z",
        "endsAt": "2026-12-01T09:30:00Z",
    }
    made = await api.data(SCHEDULE, {"input": alone}, token=world.technician_token)
    event = made["scheduleTicketEvent"]["event"]
    assert [a["name"] for a in event["attendees"]] == ["Tom Tech"]

    # No attendees means the technician alone, which the event already has: nothing changes.
    same = await api.data(
        UPDATE_EVENT, {"input": {"id": event["id"], "attendeeIds": []}}, token=world.technician_token
    )
    assert same["updateTicketEvent"]["event"]["sequence"] == 0
    both = [encode("Technician", world.technician.id), encode("Technician", world.admin.id)]
    more = await api.data(
        UPDATE_EVENT, {"input": {"id": event["id"], "attendeeIds": both}}, token=world.technician_token
    )
    assert more["updateTicketEvent"]["event"]["sequence"] == 1
    back = await api.data(
        UPDATE_EVENT, {"input": {"id": event["id"], "attendeeIds": []}}, token=world.technician_token
    )
    assert back["updateTicketEvent"]["event"]["sequence"] == 2
    stored = await CalendarEvent.get(ticket_id=ticket.id)
    assert [row.technician_id for row in await CalendarAttendee.filter(event_id=stored.id)] == [
        world.technician.id
    ]


async def test_times_at_the_ends_of_the_calendar_get_a_validation_error(api: Api) -> None:
    """Found by tests/test_fuzz.py: moving these to UTC overflowed datetime (a masked INTERNAL_SERVER_ERROR)."""
    world = await make_world()
    ticket = await world.ticket()
    out_of_range = "Must be between the years 1970 and 2999."
    for moment in ("0001-01-01T00:00:00+05:00", "9999-12-31T20:00:00-05:00"):
        event = {
            "ticketId": gid(ticket),
            "title": "Visit",
            "startsAt": moment,
            "endsAt": "2026-12-01T10:00:00Z",
        }
        refused = await api.data(SCHEDULE, {"input": event}, token=world.technician_token)
        assert refused["scheduleTicketEvent"]["fields"] == [{"field": "startsAt", "message": out_of_range}]
        device = {"name": "PC 1", "hostname": "pc-1", "lastSeenAt": moment}
        refused = await api.data(REGISTER, {"input": device}, token=world.technician_token)
        assert refused["registerDevice"]["fields"] == [{"field": "lastSeenAt", "message": out_of_range}]
    assert not await CalendarEvent.exists(ticket_id=ticket.id)
    assert not await Device.exists(hostname="pc-1")


async def test_alerts_are_related_to_tickets_and_technicians_see_it_live(live: Live) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    device = await register_device(live, world, "srv-01")
    foreign_device = await register_device(live, other, "srv-99")
    await live.data(
        ASSIGN,
        {"input": {"requesterId": encode("Requester", world.requester.id), "deviceId": device}},
        token=world.technician_token,
    )
    disk = {"name": "Disk C: 95% full", "severity": "CRITICAL", "deviceId": device, "source": "agent"}
    wrong_device = await live.data(
        CREATE_ALERT, {"input": {**disk, "deviceId": foreign_device}}, token=world.technician_token
    )
    assert wrong_device["createAlert"] == {"__typename": "NotFoundError", "field": "deviceId"}
    empty = await live.data(CREATE_ALERT, {"input": {**disk, "name": " "}}, token=world.technician_token)
    assert empty["createAlert"]["fields"] == [{"field": "name", "message": "Must not be empty."}]
    assert await Alert.all().count() == 0
    alert = (await live.data(CREATE_ALERT, {"input": disk}, token=world.technician_token))["createAlert"][
        "alert"
    ]
    assert alert["device"] == {"hostname": "srv-01"}
    foreign_alert = (
        await live.data(
            CREATE_ALERT, {"input": {**disk, "deviceId": foreign_device}}, token=other.technician_token
        )
    )["createAlert"]["alert"]

    ticket = await world.ticket("Server slow")
    staff = await live.subscribe(
        "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes ticket { relatedAlerts { name } } } }",
        {"id": gid(ticket)},
        world.technician_token,
    )
    end_user = await live.subscribe(
        "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes } }",
        {"id": gid(ticket)},
        world.requester_token,
    )
    assert (await staff.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    assert (await end_user.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    crossed = await live.data(
        LINK,
        {"input": {"alertId": foreign_alert["id"], "ticketId": gid(ticket)}},
        token=world.technician_token,
    )
    assert crossed["linkAlertToTicket"] == {"__typename": "NotFoundError", "field": "alertId"}
    linked = await live.data(
        LINK, {"input": {"alertId": alert["id"], "ticketId": gid(ticket)}}, token=world.technician_token
    )
    assert linked["linkAlertToTicket"]["alert"]["ticketId"] == gid(ticket)
    pushed = [(await staff.next())["ticketUpdated"] for _ in range(2)]
    assert {
        "kind": "TICKET_UPDATED",
        "changes": ["relatedAlerts"],
        "ticket": {"relatedAlerts": [{"name": disk["name"]}]},
    } in pushed
    # A barrier: a public reply's comment, its last event on the same channel; the end user heard the reply
    # alone, nothing of the link.
    await reply(live, world.technician_token, ticket)
    heard = await received_until(end_user, lambda data: data["ticketUpdated"]["kind"] == "COMMENT_ADDED")
    assert [data["ticketUpdated"] for data in heard] == [
        {"kind": "ACTIVITY_ADDED", "changes": []},
        {"kind": "TICKET_UPDATED", "changes": ["activityStatus"]},
        {"kind": "COMMENT_ADDED", "changes": []},
    ]
    await staff.close()
    await end_user.close()

    second = await world.ticket("Another")
    taken = await live.data(
        LINK, {"input": {"alertId": alert["id"], "ticketId": gid(second)}}, token=world.technician_token
    )
    assert taken["linkAlertToTicket"]["fields"] == [
        {"field": "alertId", "message": f"Already related to ticket #{ticket.number}; unlink it there first."}
    ]
    assert (await live.data(RELATED, {"id": gid(ticket)}, token=world.technician_token))["ticket"][
        "relatedAlerts"
    ] == [{"name": "Disk C: 95% full", "severity": "CRITICAL"}]
    assert (await live.data(RELATED, {"id": gid(ticket)}, token=world.requester_token))["ticket"][
        "relatedAlerts"
    ] == []
    assert (
        await live.data(
            "query($id: ID!) { node(id: $id) { id } }", {"id": alert["id"]}, token=world.requester_token
        )
    )["node"] is None
    assert (await live.errors("{ alerts { id } }", token=world.requester_token))[0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    not_there = await live.data(
        UNLINK, {"input": {"alertId": alert["id"], "ticketId": gid(second)}}, token=world.technician_token
    )
    assert not_there["unlinkAlertFromTicket"]["fields"][0]["field"] == "alertId"
    unlinked = await live.data(
        UNLINK, {"input": {"alertId": alert["id"], "ticketId": gid(ticket)}}, token=world.technician_token
    )
    assert unlinked["unlinkAlertFromTicket"]["alert"]["ticketId"] is None
    kinds = [row.kind for row in await Activity.filter(ticket_id=ticket.id).order_by("id")]
    alerts = [kind for kind in kinds if kind in {ActivityKind.ALERT_LINKED, ActivityKind.ALERT_UNLINKED}]
    assert alerts == [ActivityKind.ALERT_LINKED, ActivityKind.ALERT_UNLINKED]
    assert kinds[-1] is ActivityKind.ALERT_UNLINKED

    opened = await live.data(FROM_ALERT, {"input": {"alertId": alert["id"]}}, token=world.technician_token)
    made = opened["createTicketFromAlert"]
    assert made["ticket"]["title"] == "Critical: Disk C: 95% full on SRV-01"
    assert made["ticket"]["priority"] == "HIGH"
    assert made["ticket"]["requester"] == {"name": "Rita Requester"}
    assert made["ticket"]["relatedAlerts"] == [{"name": "Disk C: 95% full"}]
    other_account = await live.data(
        FROM_ALERT, {"input": {"alertId": foreign_alert["id"]}}, token=world.technician_token
    )
    assert other_account["createTicketFromAlert"] == {"__typename": "NotFoundError", "field": "alertId"}
    orphan = (
        await live.data(
            CREATE_ALERT,
            {"input": {"name": "Backup failed", "severity": "WARNING"}},
            token=world.technician_token,
        )
    )["createAlert"]["alert"]
    tickets_before = await Ticket.filter(account_id=world.account.id).count()
    nobody = await live.data(FROM_ALERT, {"input": {"alertId": orphan["id"]}}, token=world.technician_token)
    assert nobody["createTicketFromAlert"]["fields"] == [
        {"field": "requesterId", "message": "The alert's device has no requester; choose one."}
    ]
    assert await Ticket.filter(account_id=world.account.id).count() == tickets_before
    resolved = await live.data(
        "mutation($id: ID!) { resolveAlert(input: {alertId: $id}) { ... on AlertSuccess { alert { status } } } }",
        {"id": orphan["id"]},
        token=world.technician_token,
    )
    assert resolved["resolveAlert"]["alert"] == {"status": "RESOLVED"}
    open_only = await live.data("{ alerts(status: OPEN) { name } }", token=world.technician_token)
    assert open_only["alerts"] == [{"name": "Disk C: 95% full"}]
