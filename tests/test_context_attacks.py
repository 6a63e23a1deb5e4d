"""Attacks on the ticket's context panels by an anonymous caller, an end user and another account's
technician: survey links, remote-connect links, the calendar feed, alerts and their realtime events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from app.database import Database
from models.accounts import Account, Technician
from models.alerts import Alert
from models.calendar import CalendarEvent
from models.enums import StatusCategory
from models.people import Device, SatisfactionSurvey
from models.tickets import Ticket
from schema.ids import decode, encode
from services import merges, ticket_lifecycle
from services.mail_config import mail_config
from services.survey_links import survey_token
from tests.api import Api
from tests.factories import World, as_viewer, make_world
from tests.live import Live
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

VISIT = {"title": "Visit", "startsAt": "2026-12-01T09:00:00+00:00", "endsAt": "2026-12-01T10:00:00+00:00"}
MISSING = 999_999
HUGE = 2**31
NODE = "query($id: ID!) { node(id: $id) { id } }"
CANCEL = (
    "mutation($input: CancelTicketEventInput!) { cancelTicketEvent(input: $input) { __typename "
    + ERRORS
    + "}}"
)
RESOLVE = "mutation($input: AlertInput!) { resolveAlert(input: $input) { __typename " + ERRORS + " } }"


def token_for(ticket_id: int, key: bytes | None = None) -> str:
    config = mail_config()
    assert config is not None
    return survey_token(key or config.key, ticket_id)


async def call(api: Api, query: str, token: str | None = None, **input: Any) -> dict[str, Any]:
    """The result of a mutation taking ``input``, sent as ASCII JSON, whose escapes carry any string to the
    server (lone surrogates too, which httpx cannot encode)."""
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    async with api.client() as client:
        body = json.dumps({"query": query, "variables": {"input": input}})
        response = (await client.post("/graphql", content=body, headers=headers)).json()
    assert "errors" not in response, response
    result: dict[str, Any] = next(iter(response["data"].values()))
    return result


def renumbered(value: Any, number: int = MISSING) -> Any:
    """The same type of ID (or list of IDs) for another number."""
    if isinstance(value, list):
        return [renumbered(v, number) for v in value]
    return encode(decode(value)[0], number)


def fields(result: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in result.get("fields", [])]


async def same_answer(
    api: Api, token: str, query: str, hidden: dict[str, Any], absent: dict[str, Any]
) -> Any:
    """The result for a foreign object's ID, which must read exactly like the one for an ID never issued,
    message included; returned without the message."""
    query = query.replace("{ __typename", "{ __typename ... on Error { message code }", 1)
    seen = await api.run(query, {"input": hidden}, token)
    expected = await api.run(query, {"input": absent}, token)
    assert "errors" not in seen, seen
    assert json.dumps(seen) == json.dumps(expected)
    result: dict[str, Any] = next(iter(seen["data"].values()))
    assert result.pop("code") == "NOT_FOUND"
    result.pop("message")
    return result


async def resolved_ticket(api: Api, world: World, title: str = "Broken screen") -> Ticket:
    ticket = await world.ticket(title)
    await move_into(api, world, ticket, StatusCategory.RESOLVED)
    return ticket


# Satisfaction surveys ----------------------------------------------------------------------------------


async def test_survey_tokens_cannot_be_forged_crossed_stretched_or_replayed(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    ticket, foreign = await resolved_ticket(api, world), await resolved_ticket(api, other)
    token = token_for(ticket.id)
    number, signature = token.split("-")
    arabic, wide = ("".join(chr(base + int(d)) for d in number) for base in (0x0660, 0xFF10))
    for bad in (
        f"{number}-{'0' * 32}", f"{number}-{signature[:-1]}", f"{foreign.id}-{signature}",
        token_for(ticket.id, b"another deployment's key 0123456789"),
        token_for(HUGE), token_for(10**10 - 1),  # correctly signed, but beyond 32-bit keys
        f"{arabic}-{signature}", f"{wide}-{signature}", f"0{number}-{signature}",  # other spellings
        f"{number} -{signature}", f"{number}-{signature}\x00", "", "-", "1" * 100_000,
    ):  # fmt: skip
        assert await call(api, SUBMIT, surveyToken=bad, **RATINGS) == {
            "__typename": "NotFoundError",
            "field": "surveyToken",
        }, bad
    crossed = await call(api, SUBMIT, surveyToken=token_for(foreign.id), ticketId=gid(ticket), **RATINGS)
    assert crossed["__typename"] == "NotFoundError"
    assert await SatisfactionSurvey.all().count() == 0

    # The link is the credential: whoever is signed in, it answers as the ticket's own requester.
    answered = await call(api, SUBMIT, other.technician_token, surveyToken=f" {token.upper()}\n", **RATINGS)
    assert answered["__typename"] == "SatisfactionSurveySuccess"
    survey = await SatisfactionSurvey.get(ticket_id=ticket.id)
    assert (survey.account_id, survey.requester_id) == (world.account.id, world.requester.id)
    for replay in ({"surveyToken": token}, {"ticketId": gid(ticket)}):
        again = await call(api, SUBMIT, world.requester_token, **replay, **RATINGS)
        assert again["fields"] == [
            {"field": "ticketId", "message": "A survey was already submitted for this ticket."}
        ]
    assert await SatisfactionSurvey.all().count() == 1


async def test_a_survey_link_of_a_deleted_or_merged_ticket_is_refused(api: Api) -> None:
    world = await make_world()
    gone, merged, target = [await resolved_ticket(api, world, title) for title in "ABC"]
    await ticket_lifecycle.delete(as_viewer(world.admin), gone.id)
    answer = await call(api, SUBMIT, surveyToken=token_for(gone.id), **RATINGS)
    assert answer == {"__typename": "NotFoundError", "field": "surveyToken"}
    await merges.merge(as_viewer(world.admin), [merged.id], target.id)
    by_link = await call(api, SUBMIT, surveyToken=token_for(merged.id), **RATINGS)
    signed_in = await call(api, SUBMIT, world.requester_token, ticketId=gid(merged), **RATINGS)
    assert (fields(by_link), fields(signed_in)) == (["ticketId"], ["ticketId"])
    assert await SatisfactionSurvey.all().count() == 0


async def test_ratings_of_the_wrong_type_or_size_save_nothing_and_never_fail_inside(api: Api) -> None:
    world = await make_world()
    token = token_for((await resolved_ticket(api, world)).id)
    for wrong in ("5", 4.5, True, None, [5], HUGE, 2**53, "\uff15"):
        body = await api.run(SUBMIT, {"input": {"surveyToken": token, **RATINGS, "supportQuality": wrong}})
        assert body.get("errors"), (wrong, body)
        assert body.get("data") is None, (wrong, body)
        assert "INTERNAL_SERVER_ERROR" not in json.dumps(body)
    for rating in (-1, 0, 6, HUGE - 1, -HUGE):
        answer = await call(api, SUBMIT, surveyToken=token, **{**RATINGS, "supportQuality": rating})
        assert answer["fields"] == [{"field": "supportQuality", "message": "Must be a rating from 1 to 5."}]
    too_long = await call(api, SUBMIT, surveyToken=token, **{**RATINGS, "comment": "x" * 2001})
    assert fields(too_long) == ["comment"]
    assert await SatisfactionSurvey.all().count() == 0
    odd = "Great\x00 job\x1b[31m \u202eevil \U0001f600\ud800"  # no database takes NUL or a lone surrogate
    saved = await call(api, SUBMIT, surveyToken=token, **{**RATINGS, "comment": odd})
    assert saved["survey"]["comment"] == "Great job[31m \u202eevil \U0001f600"


async def test_only_the_requester_answers_by_ticket_id_and_foreign_tickets_read_as_missing(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    ticket = await resolved_ticket(api, world)
    hidden, absent = {"ticketId": gid(ticket), **RATINGS}, {"ticketId": encode("Ticket", MISSING), **RATINGS}
    for token in (other.technician_token, other.requester_token, world.other_requester_token):
        assert await same_answer(api, token, SUBMIT, hidden, absent) == {
            "__typename": "NotFoundError",
            "field": "ticketId",
        }
    assert (await call(api, SUBMIT, world.admin_token, **hidden))["__typename"] == "PermissionDeniedError"
    assert (await api.errors(SUBMIT, {"input": hidden}))[0]["extensions"]["code"] == "UNAUTHENTICATED"
    huge = await call(api, SUBMIT, world.requester_token, ticketId=encode("Ticket", HUGE), **RATINGS)
    assert fields(huge) == ["ticketId"]
    assert await SatisfactionSurvey.all().count() == 0


async def test_two_simultaneous_answers_make_one_survey_and_one_typed_error(api: Api, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    world = await make_world()
    for _ in range(3):
        ticket = await resolved_ticket(api, world)
        answers = await asyncio.gather(
            call(api, SUBMIT, surveyToken=token_for(ticket.id), **RATINGS),
            call(api, SUBMIT, world.requester_token, ticketId=gid(ticket), **RATINGS),
        )
        assert sorted(a["__typename"] for a in answers) == ["SatisfactionSurveySuccess", "ValidationError"]
        assert await SatisfactionSurvey.filter(ticket_id=ticket.id).count() == 1


# Devices and the remote-connect link --------------------------------------------------------------------


async def test_remote_connect_links_keep_a_safe_scheme_and_host_whatever_the_device_says(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    for template in (
        "javascript:alert(1)//{device.hostname}", "JavaScript:alert(1)", "\tjavascript:alert(1)",
        "java\nscript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
        "file:///etc/passwd", "//evil.example/{device.hostname}", "{device.hostname}://x", "rdp",
        "anydes\u212a:{device.id}",  # KELVIN SIGN: lower() makes it a k
        "\u017fsh://{device.hostname}",  # LONG S: matches s case-insensitively
    ):  # fmt: skip
        refused = await call(api, SETTINGS, world.admin_token, remoteConnectUrlTemplate=template)
        assert fields(refused) == ["remoteConnectUrlTemplate"], template
    for hostname in ("evil.example@x", "a/b", "a?b", "a#b", "a:3389", "a b", "p\u00e7", "javascript:x", "-a"):
        refused = await call(api, REGISTER, world.technician_token, name="x", hostname=hostname, online=True)
        assert fields(refused) == ["hostname"], hostname
    template = "RDP://{device.hostname}/?n={device.name}"
    saved = await call(api, SETTINGS, world.admin_token, remoteConnectUrlTemplate=f" {template} ")
    assert saved["settings"]["remoteConnectUrlTemplate"] == template
    # Rows written by other paths (imports, demo data) are not validated: the link must still hold.
    await Device.create(
        account_id=world.account.id,
        requester_id=world.requester.id,
        name='"><script>alert(1)</script>',
        hostname="evil.example@attacker.example:80/x?y#z",
        os="",
    )
    requester = encode("Requester", world.requester.id)
    [shown] = (await api.data(DEVICES, {"id": requester}, world.technician_token))["node"]["devices"]
    url = shown["remoteConnectUrl"]
    host, name = (
        "evil.example%40attacker.example%3A80%2Fx%3Fy%23z",
        "%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E",
    )
    assert url == f"RDP://{host}/?n={name}"
    parts = urlsplit(url)
    assert [parts.scheme, parts.username, parts.port, parts.path, parts.fragment] == [
        "rdp",
        None,
        None,
        "/",
        "",
    ]
    own = await api.data(DEVICES, {"id": requester}, world.requester_token)
    assert own["node"]["devices"][0]["remoteConnectUrl"] is None
    assert (await api.data(DEVICES, {"id": requester}, other.technician_token))["node"] is None


# The calendar feed -----------------------------------------------------------------------------------------


async def _schedule(api: Api, world: World, ticket: Ticket, token: str | None = None, **more: Any) -> str:
    variables = {**VISIT, "ticketId": gid(ticket), **more}
    made = await call(api, SCHEDULE, token or world.technician_token, **variables)
    event_id: str = made["event"]["id"]
    return event_id


async def _feed_url(api: Api, token: str) -> str:
    url: str = (await api.data(FEED, token=token))["createCalendarFeed"]["feed"]["url"]
    return url


async def test_the_feed_address_is_its_only_key_and_every_wrong_one_is_the_same_404(api: Api) -> None:
    world = await make_world()
    await _schedule(api, world, await world.ticket())
    url = await _feed_url(api, world.technician_token)
    base, secret = url.rsplit("/", 1)[0], url.rsplit("/", 1)[1].removesuffix(".ics")
    for wrong in ("x" * 43, secret[:-1], secret + "A", secret.swapcase(), secret + "%20", secret + "%00",
                  f"{secret}%0d%0a", "%2e%2e", "a", "x" * 20_000, "\u00e9" * 43):  # fmt: skip
        assert await fetch_feed(api, f"{base}/{wrong}.ics") == (404, "Not found."), wrong
    for elsewhere in ("%2e%2e%2f" * 5 + "etc/passwd", f"..%2F{secret}", f"{secret}.ics%2F"):
        status, text = await fetch_feed(api, f"{base}/{elsewhere}.ics")
        assert (status, "VEVENT" in text) == (404, False), elsewhere
    async with api.client() as client:
        assert (await client.head(url)).status_code == 200
        posted = await client.post(url, content=b"BEGIN:VCALENDAR")
        assert (posted.status_code, "VEVENT" in posted.text) == (405, False)
    status, body = await fetch_feed(api, url)
    assert status == 200
    assert len(IcsCalendarStream.calendar_from_ics(body).events) == 1
    await Technician.filter(id=world.technician.id).update(active=False)
    assert await fetch_feed(api, url) == (404, "Not found."), "a deactivated technician's feed is closed"


async def test_a_feed_holds_only_its_technicians_events_of_live_tickets_of_their_account(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    kept, deleted = await world.ticket("Kept"), await world.ticket("Deleted")
    await _schedule(api, world, kept, title="Mine")
    await _schedule(api, world, kept, world.admin_token, title="Admin's")
    await _schedule(api, world, deleted, title="On a deleted ticket")
    await _schedule(api, other, await other.ticket(), title="Theirs")
    foreign = await call(api, SCHEDULE, other.technician_token, **VISIT, ticketId=gid(kept))
    assert foreign == {"__typename": "NotFoundError", "field": "ticketId"}
    await ticket_lifecycle.delete(as_viewer(world.admin), deleted.id)
    status, body = await fetch_feed(api, await _feed_url(api, world.technician_token))
    assert status == 200
    assert [e.summary for e in IcsCalendarStream.calendar_from_ics(body).events] == [f"[#{kept.number}] Mine"]


async def test_text_in_an_event_cannot_break_or_add_to_the_icalendar_feed(api: Api) -> None:
    world = await make_world()
    await Account.filter(id=world.account.id).update(name="Acme\r\nBEGIN:VEVENT\r\nUID:x")
    await Technician.filter(id=world.admin.id).update(name='Ada "Admin"\r\nATTENDEE:mailto:evil@x.test;\x0b')
    injected = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x.test\r\nSUMMARY:Injected\r\n"
    await _schedule(
        api,
        world,
        await world.ticket(),
        title=f"Visit{injected}\x00\x0b\x1b\x7f\rEND:VEVENT\n",
        location=f"Room 1;2,3\\{injected}\rBEGIN:VALARM\x0c",
        notes=f"Bring cables{injected}BEGIN:VALARM\r\nACTION:AUDIO\r\nEND:VALARM\x08\x1f\udfff",
        attendeeIds=[encode("Technician", world.technician.id), encode("Technician", world.admin.id)],
    )
    assert "\x00" not in (await CalendarEvent.get()).title
    url = await _feed_url(api, world.technician_token)
    status, body = await fetch_feed(api, url)
    assert status == 200
    [strict] = IcsCalendarStream.calendar_from_ics(body).events
    assert strict.uid.endswith("@deskql")
    assert "END:VEVENT" in (strict.summary or "")
    assert "Injected" in (strict.description or "")
    assert len(strict.attendees) == 2
    lenient = Calendar.from_ical(body)
    [event] = lenient.walk("VEVENT")
    assert lenient.walk("VALARM") == []
    assert str(event["uid"]).endswith("@deskql")
    assert str(event["location"]).startswith("Room 1;2,3\\")
    await CalendarEvent.all().update(location="Stored by an older version\x0b\x1b")
    [old] = IcsCalendarStream.calendar_from_ics((await fetch_feed(api, url))[1]).events
    assert old.location == "Stored by an older version"


# Foreign IDs: every one reads exactly like an ID never issued ---------------------------------------------


async def test_another_accounts_devices_events_alerts_and_people_answer_like_missing_ones(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    tech, stranger = world.technician_token, other.technician_token
    ours, theirs = await world.ticket(), await other.ticket()
    me, them = encode("Requester", world.requester.id), encode("Requester", other.requester.id)
    device, their_device = (
        await register_device(api, world, "pc-001"),
        await register_device(api, other, "pc-001"),
    )
    event = await _schedule(api, world, ours)
    alert, their_alert = [
        (await call(api, CREATE_ALERT, who.technician_token, name="Disk", severity="CRITICAL"))["alert"]["id"]
        for who in (world, other)
    ]
    cases = (  # (who, mutation, the rest of its input, the field given a foreign ID, the ID)
        (tech, ASSIGN, {"requesterId": me}, "deviceId", their_device),
        (tech, ASSIGN, {"deviceId": device}, "requesterId", them),
        (tech, ASSIGN, {"requesterId": me, "deviceId": device}, "ticketId", gid(theirs)),
        (stranger, UPDATE_EVENT, {"title": "x"}, "id", event),
        (stranger, CANCEL, {}, "id", event),
        (tech, UPDATE_EVENT, {"id": event}, "attendeeIds", [encode("Technician", other.technician.id)]),
        (tech, LINK, {"ticketId": gid(ours)}, "alertId", their_alert),
        (tech, LINK, {"alertId": alert}, "ticketId", gid(theirs)),
        (tech, RESOLVE, {}, "alertId", their_alert),
        (tech, FROM_ALERT, {}, "alertId", their_alert),
        (tech, FROM_ALERT, {"alertId": alert}, "requesterId", them),
        (tech, CREATE_ALERT, {"name": "x", "severity": "WARNING"}, "deviceId", their_device),
    )
    tickets, alerts = await Ticket.all().count(), await Alert.all().count()
    for token, query, rest, field, value in cases:
        found = await same_answer(
            api, token, query, {**rest, field: value}, {**rest, field: renumbered(value)}
        )
        assert found == {"__typename": "NotFoundError", "field": field}, (query, field)
        beyond = await call(api, query, token, **rest, **{field: renumbered(value, HUGE)})
        assert fields(beyond) == [field], (query, field)
    assert (await Ticket.all().count(), await Alert.all().count()) == (tickets, alerts)
    assert await Alert.filter(ticket_id__isnull=False).count() == 0
    assert await Device.filter(requester_id__isnull=False).count() == 0
    unchanged = await CalendarEvent.get()
    assert (unchanged.title, unchanged.sequence) == ("Visit", 0)
    for hidden in (device, event, alert):
        for token in (stranger, *([world.requester_token] if hidden != device else [])):
            assert (await api.data(NODE, {"id": hidden}, token))["node"] is None, hidden


async def test_a_bad_ticket_id_is_refused_even_when_the_device_is_already_as_asked(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex IT")
    tech, me = world.technician_token, encode("Requester", world.requester.id)
    ticket, theirs = await world.ticket(), await other.ticket()
    device = await register_device(api, world, "pc-001")
    for bad in (gid(theirs), renumbered(gid(ticket))):
        unlinked = await call(api, UNASSIGN, tech, deviceId=device, ticketId=bad)
        assert (unlinked["__typename"], unlinked.get("field")) == ("NotFoundError", "ticketId")
    await call(api, ASSIGN, tech, requesterId=me, deviceId=device)
    for bad in (gid(theirs), renumbered(gid(ticket))):
        linked = await call(api, ASSIGN, tech, requesterId=me, deviceId=device, ticketId=bad)
        assert (linked["__typename"], linked.get("field")) == ("NotFoundError", "ticketId")
    assert await Device.filter(requester_id=world.requester.id).count() == 1


async def test_end_users_reach_no_alert_event_or_feed_and_an_alert_opens_one_ticket(api: Api) -> None:
    world = await make_world()
    ticket, tech = await world.ticket(), world.technician_token
    alert = (await call(api, CREATE_ALERT, tech, name="CPU", severity="WARNING"))["alert"]["id"]
    await call(api, LINK, tech, alertId=alert, ticketId=gid(ticket))
    await _schedule(api, world, ticket)
    requester = encode("Requester", world.requester.id)
    twice = await call(api, FROM_ALERT, tech, alertId=alert, requesterId=requester)
    assert fields(twice) == ["alertId"]
    assert await Ticket.all().count() == 1, "the refused ticket is rolled back"
    by_end_user = await call(api, CREATE_ALERT, world.requester_token, name="x", severity="WARNING")
    assert by_end_user["__typename"] == "PermissionDeniedError"
    for staff_only in ("{ alerts(unlinked: false) { name } }", "{ calendarFeed { createdAt } }"):
        errors = await api.errors(staff_only, token=world.requester_token)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await api.data(FEED, token=world.requester_token))["createCalendarFeed"]["__typename"] == (
        "PermissionDeniedError"
    )
    page = """query($id: ID!) { ticket(id: $id) { relatedAlerts { name }
      calendarEvents(includeCancelled: true) { id } } }"""
    seen = await api.data(page, {"id": gid(ticket)}, world.requester_token)
    assert seen["ticket"] == {"relatedAlerts": [], "calendarEvents": []}


# Realtime ---------------------------------------------------------------------------------------------------


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db) as running:
        yield running


async def test_the_requesters_subscription_hears_the_survey_but_no_internal_context_change(
    live: Live,
) -> None:
    world = await make_world()
    ticket, tech = await world.ticket(), world.technician_token
    document = "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes } }"
    staff = await live.subscribe(document, {"id": gid(ticket)}, tech)
    end_user = await live.subscribe(document, {"id": gid(ticket)}, world.requester_token)
    assert (await staff.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    assert (await end_user.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
    event = await _schedule(live, world, ticket)
    await call(live, UPDATE_EVENT, tech, id=event, title="Moved")
    device = await register_device(live, world, "pc-042")
    requester = encode("Requester", world.requester.id)
    assigned = await call(live, ASSIGN, tech, requesterId=requester, deviceId=device, ticketId=gid(ticket))
    assert assigned["__typename"] == "DeviceSuccess"
    alert = (await call(live, CREATE_ALERT, tech, name="CPU", severity="WARNING"))["alert"]["id"]
    await call(live, LINK, tech, alertId=alert, ticketId=gid(ticket))
    await move_into(live, world, ticket, StatusCategory.RESOLVED)
    answer = await call(live, SUBMIT, world.requester_token, ticketId=gid(ticket), **RATINGS)
    assert answer["__typename"] == "SatisfactionSurveySuccess"

    # The survey is the last change, on the channel of all the others: a barrier, so every earlier event
    # the end user was going to hear has arrived before it.
    heard: list[list[str]] = []
    while ["satisfactionSurvey"] not in heard:
        heard.append((await end_user.next())["ticketUpdated"]["changes"])
    internal = {"calendarEvents", "devices", "relatedAlerts"}
    assert not internal & {change for changes in heard for change in changes}, heard
    staff_heard: set[str] = set()
    while not internal | {"satisfactionSurvey"} <= staff_heard:
        staff_heard.update((await staff.next())["ticketUpdated"]["changes"])
    await staff.close()
    await end_user.close()
