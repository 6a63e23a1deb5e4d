"""Attacks on tenant isolation and internal notes, tried the way an attacker would try them.

Every attack asserts that the attacker gets exactly what an object that never existed gives, and that no
secret text appears anywhere in the answer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.database import Database
from models.activity import Activity
from models.conversation import Attachment, Comment, ReplyTemplate
from models.forms import CustomField, FormTemplate
from models.notifications import Notification
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.sla import BusinessCalendar, SlaPolicy
from models.tickets import Ticket, TicketStatus
from models.timekeeping import Timer
from schema.ids import decode, encode
from services.html import render
from tests.api import Api, uploaded
from tests.clock import frozen_at
from tests.factories import World, fill_requester_panel, make_world
from tests.live import Live
from tests.support.conversation import note, reply
from tests.support.sla import FRIDAY_3PM_ROME, office_policy
from tests.waiting import received_until

MISSING = 999_999
SECRETS = ("hunter2", "salaries-2026", "globex", "difficult requester", "admin private")
PUBLIC_ACTIVITY = {"TICKET_CREATED", "STATUS_CHANGED", "PUBLIC_REPLY_ADDED"}
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }"
BY_NUMBER = "query($n: Int!) { ticketByNumber(number: $n) { title } }"


# --- the scene: two accounts, each with a ticket that has a secret internal note ---------------------


@dataclass
class Scene:
    ours: World
    theirs: World
    ticket: Ticket  # ours, requested by ours.requester: a public reply, then the note
    note_id: str  # with a file, a mention of the admin (a follower, a notification), marked as resolution
    foreign: Ticket  # theirs, with a note mentioning their admin


async def scene(api: Api) -> Scene:
    ours, theirs = await make_world("Acme IT"), await make_world("Globex MSP")
    ticket = await ours.ticket("Printer jams", assignee_id=ours.technician.id)
    await reply(api, ours.technician_token, ticket, body="<p>We are on it.</p>")
    file = await uploaded(api, ours.technician_token, "salaries-2026.xlsx", b"hunter2")
    body, admin = "<p>Difficult requester; root password hunter2</p>", [gid(ours.admin)]
    made = await note(api, ours.technician_token, ticket, body=body, attachmentIds=[file["id"]],
                      mentionTechnicianIds=admin, markAsResolution=True)  # fmt: skip
    foreign = await theirs.ticket("Globex merger")
    theirs_made = await note(
        api, theirs.technician_token, foreign, body="Globex hunter2", mentionTechnicianIds=[gid(theirs.admin)]
    )
    assert made["__typename"] == theirs_made["__typename"] == "AddCommentSuccess"
    return Scene(ours, theirs, ticket, made["comment"]["id"], foreign)


def clean(answer: Any) -> Any:
    """The answer, after checking that no secret of the scene appears anywhere in it."""
    text = json.dumps(answer).lower()
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked: {text[:500]}"
    return answer


async def same_answer(api: Api, token: str, query: str, hidden: Any, absent: Any) -> dict[str, Any]:
    """The whole response for a hidden object, asserted identical to the one for a missing object."""
    for_hidden = await api.run(query, hidden, token=token)
    assert for_hidden == await api.run(query, absent, token=token)
    return clean(for_hidden)


async def all_null(api: Api, token: str, ids: list[str]) -> None:
    body = await same_answer(api, token, NODES, {"ids": ids}, {"ids": missing(ids)})
    assert body == {"data": {"nodes": [None] * len(ids)}}


def gid(row: Any) -> str:
    return encode(type(row).__name__, row.id)


def missing(value: Any) -> Any:
    """The same kind of global ID (or list of them) for an object that never existed."""
    return [missing(v) for v in value] if isinstance(value, list) else encode(decode(value)[0], MISSING)


def mutation(name: str, extra: str = "", input_type: str | None = None) -> str:
    input_type = input_type or f"{name[0].upper()}{name[1:]}Input"
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename
      ... on Error {{ message code }} {extra} }} }}"""


async def template(account_id: int, owner_id: int | None, text: str = "x") -> str:
    return gid(await ReplyTemplate.create(account_id=account_id, owner_id=owner_id, name=text, body=text))


async def their_note(s: Scene) -> str:
    return encode("Comment", (await Comment.get(ticket_id=s.foreign.id)).id)


# --- end users and internal notes: every other path to a note ---------------------------------------


NOTE_PATHS = """query($id: ID!) { ticket(id: $id) {
  all: conversation(filter: ALL) { totalCount edges { cursor node { ...C } } }
  notes: conversation(filter: INTERNAL_NOTES, order: NEWEST_FIRST) { totalCount nodes { ...C } }
  resolution { ...C }
  hidden: activity(kind: [INTERNAL_NOTE_ADDED, RESOLUTION_MARKED, FOLLOWER_ADDED, CC_ADDED]) {
    totalCount nodes { kind newValue } }
  activity { totalCount nodes { kind field newValue } }
  followers { name } ccRecipients { email } } }
fragment C on Comment { kind text body isResolution mentions { name } cc { email }
  attachments { filename downloadUrl } }"""


async def test_an_end_user_finds_no_note_through_aliases_fragments_kind_filters_or_counts(api: Api) -> None:
    s = await scene(api)
    variables = {"id": gid(s.ticket)}
    ticket = clean(await api.data(NOTE_PATHS, variables, token=s.ours.requester_token))["ticket"]
    assert ticket["all"]["totalCount"] == len(ticket["all"]["edges"]) == 1
    assert ticket["notes"] == ticket["hidden"] == {"totalCount": 0, "nodes": []}
    assert (ticket["resolution"], ticket["followers"]) == ([], [])
    assert {row["kind"] for row in ticket["activity"]["nodes"]} <= PUBLIC_ACTIVITY
    assert ticket["activity"]["totalCount"] == len(ticket["activity"]["nodes"])
    staff = (await api.data(NOTE_PATHS, variables, token=s.ours.technician_token))["ticket"]
    assert (staff["notes"]["totalCount"], len(staff["resolution"])) == (1, 1)  # the attack aims true


async def test_an_end_user_gets_null_for_every_id_behind_a_note_exactly_as_for_missing_ids(api: Api) -> None:
    s = await scene(api)
    hidden = [s.note_id, gid(await Attachment.get(comment_id=decode(s.note_id)[1]))]
    hidden += [gid(row) for row in await Activity.filter(ticket_id=s.ticket.id, kind__not_in=PUBLIC_ACTIVITY)]
    hidden += [gid(row) for row in await Notification.filter(ticket_id=s.ticket.id)]
    assert len(hidden) >= 5  # the note, its file, its activity rows, the admin's notification
    await all_null(api, s.ours.requester_token, hidden)


STAFF_ONLY = """{ technicians { name email } }
{ ccSuggestions(query: "o") { ... on Technician { name email } ... on Requester { name email } } }
{ tagSuggestions(prefix: "") { name ticketCount } }
{ customFields { name } }
{ formTemplates { name } }
{ slaPolicies { name } }
{ businessCalendars { name } }
{ replyTemplates { name body } }
{ notifications { totalCount edges { node { kind comment { text } } } } }""".splitlines()


async def test_an_end_user_is_refused_every_staff_only_list_with_nothing_in_the_answer(api: Api) -> None:
    s = await scene(api)
    shared = await template(s.ours.account.id, None, "Admin private: hunter2")
    render = "query($t: ID!, $id: ID!) { renderReplyTemplate(templateId: $t, ticketId: $id) { text } }"
    queries: list[tuple[str, dict[str, Any]]] = [(query, {}) for query in STAFF_ONLY] + [
        (render, {"t": shared, "id": gid(s.ticket)})
    ]
    for query, variables in queries:
        body = clean(await api.run(query, variables, token=s.ours.requester_token))
        assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"], query
        assert not any((body.get("data") or {}).values()), query


async def test_an_end_user_reaches_nothing_of_another_requester_of_their_own_account(api: Api) -> None:
    s = await scene(api)
    await fill_requester_panel(s.ours)  # Rita's customer, contract, site, department, device, survey
    account = s.ours.account.id
    panel = (Customer, Contract, Site, Department, Device, SatisfactionSurvey)
    hidden = [gid(await model.get(account_id=account)) for model in panel]
    hidden += [gid(s.ticket), gid(s.ours.requester)]
    hidden += [gid(row) for row in await Attachment.filter(account_id=account)]
    hidden += [gid(row) for row in await Activity.filter(ticket_id=s.ticket.id)]
    hidden += [gid(row) for row in await Comment.filter(ticket_id=s.ticket.id)]
    await all_null(api, s.ours.other_requester_token, hidden)
    await same_answer(api, s.ours.other_requester_token, BY_NUMBER, {"n": s.ticket.number}, {"n": MISSING})


# --- across accounts, and across colleagues ---------------------------------------------------------


async def test_another_accounts_numbers_and_filter_ids_answer_like_ones_never_issued(api: Api) -> None:
    s = await scene(api)
    for _ in range(3):
        await s.theirs.ticket("Globex payroll")
    status = gid(await TicketStatus.filter(account_id=s.theirs.account.id).first())
    tickets = (
        "query($f: TicketFilter) { tickets(filter: $f) { totalCount pageInfo { endCursor } nodes { id } } }"
    )
    filters = [("statusId", [status]), ("assigneeId", gid(s.theirs.technician))]
    filters.append(("requesterId", gid(s.theirs.requester)))
    for token in (s.ours.technician_token, s.ours.requester_token):
        for number in range(2, 6):  # ours has only #1
            await same_answer(api, token, BY_NUMBER, {"n": number}, {"n": MISSING})
        for key, value in filters:
            body = await same_answer(api, token, tickets, {"f": {key: value}}, {"f": {key: missing(value)}})
            assert body["data"]["tickets"]["totalCount"] == 0


async def test_another_accounts_settings_and_a_colleagues_notes_and_templates_are_missing(api: Api) -> None:
    s = await scene(api)
    await office_policy(api, s.theirs)
    theirs, ours, tech = s.theirs.account.id, s.ours.account.id, s.ours.technician_token
    shared = await template(theirs, None, "Globex greeting: hunter2")
    private, mine = (
        await template(ours, s.ours.admin.id, "Admin private"),
        await template(ours, s.ours.technician.id),
    )
    hidden = [shared, private, gid(await Notification.get(recipient_id=s.ours.admin.id))]
    for model in (CustomField, FormTemplate, SlaPolicy, BusinessCalendar, Notification):
        hidden.append(gid(await model.filter(account_id=theirs).first()))
    for token in (tech, s.ours.requester_token):
        await all_null(api, token, hidden)
    render = "query($t: ID!, $id: ID!) { renderReplyTemplate(templateId: $t, ticketId: $id) { body } }"
    ticket, foreign = gid(s.ticket), gid(s.foreign)
    for hidden_template in (private, shared):
        variables = [{"t": t, "id": ticket} for t in (hidden_template, missing(hidden_template))]
        assert await same_answer(api, tech, render, *variables) == {"data": {"renderReplyTemplate": None}}
    await same_answer(api, tech, render, {"t": mine, "id": foreign}, {"t": mine, "id": missing(foreign)})
    for name, extra in (("updateReplyTemplate", {"name": "Mine now"}), ("deleteReplyTemplate", {})):
        for token, hidden_template in ((tech, private), (s.ours.admin_token, shared)):
            hidden_input, absent = (
                {"input": {"id": i, **extra}} for i in (hidden_template, missing(hidden_template))
            )
            body = await same_answer(api, token, mutation(name), hidden_input, absent)
            assert body["data"][name]["__typename"] == "NotFoundError"
    assert await ReplyTemplate.all().count() == 3  # all left alone


# --- mutations with foreign, wrong-type and malformed IDs -------------------------------------------


async def _row_counts() -> list[int]:
    counts = [await model.all().count() for model in (Comment, Activity, Requester, Ticket)]
    versions = sum([ticket.version for ticket in await Ticket.all()])
    return [*counts, versions, await Notification.filter(read_at__isnull=False).count()]


async def test_mutations_answer_a_foreign_id_exactly_like_a_missing_one_and_change_nothing(api: Api) -> None:
    s = await scene(api)
    ours, theirs = s.ours, s.theirs
    ticket, foreign = gid(s.ticket), gid(s.foreign)
    others_ticket = gid(await ours.ticket("Otto's laptop", requester_id=ours.other_requester.id))
    status = gid(await TicketStatus.filter(account_id=theirs.account.id).first())
    form = gid(await FormTemplate.get(account_id=theirs.account.id))
    customer = gid(await Customer.create(account_id=theirs.account.id, name="Globex"))
    notification = gid(await Notification.get(account_id=theirs.account.id))
    tech, requester, admin = ours.technician_token, ours.requester_token, ours.admin_token
    on_ours, new = {"ticketId": ticket, "body": "x"}, {"title": "x", "requesterId": gid(ours.requester)}
    cases: list[tuple[str, str, dict[str, Any], str, Any]] = [
        # who, which mutation, the rest of its input, the field naming the hidden object, its ID
        (tech, "addPublicReply", {"body": "x"}, "ticketId", foreign),
        (requester, "addPublicReply", {"body": "x"}, "ticketId", others_ticket),
        (requester, "addPublicReply", on_ours, "setStatusId", status),
        (tech, "addInternalNote", {"body": "x"}, "ticketId", foreign),
        (tech, "addInternalNote", on_ours, "mentionTechnicianIds", [gid(theirs.admin)]),
        (tech, "addInternalNote", on_ours, "setStatusId", status),
        (tech, "setCommentResolution", {"isResolution": True}, "commentId", await their_note(s)),
        (tech, "markTicketRead", {}, "ticketId", foreign),
        (requester, "markTicketRead", {}, "ticketId", foreign),
        (requester, "markTicketRead", {}, "ticketId", others_ticket),
        (tech, "updateTicket", {"priority": "LOW"}, "id", foreign),
        (tech, "updateTicket", {"id": ticket}, "statusId", status),
        (tech, "updateTicket", {"id": ticket}, "assigneeId", gid(theirs.technician)),
        (tech, "updateTicket", {"id": ticket}, "requesterId", gid(theirs.requester)),
        (tech, "updateTicket", {"id": ticket}, "formTemplateId", form),
        (tech, "createTicket", new, "assigneeId", gid(theirs.admin)),
        (tech, "setPresenceState", {"state": "TYPING_NOTE"}, "ticketId", foreign),
        (admin, "createRequester", {"name": "x", "email": "x@x.test"}, "customerId", customer),
        (tech, "markNotificationsRead", {}, "ids", [notification]),
    ]
    before = await _row_counts()
    for token, name, rest, field, value in cases:
        query = mutation(name, "... on MarkNotificationsReadSuccess { count }" if field == "ids" else "")
        hidden, absent = {"input": {**rest, field: value}}, {"input": {**rest, field: missing(value)}}
        result = (await same_answer(api, token, query, hidden, absent))["data"][name]
        assert result.get("count", 0) == 0, (name, field)
        assert not result["__typename"].endswith("Success") or field == "ids", (name, field)
    assert await _row_counts() == before


TICKET_ARGUMENTS = (  # (document, its variables for an ID) of fields taking a ticket's ID
    ("query($id: ID!) { node(id: $id) { id } }", lambda i: {"id": i}),
    ("query($id: ID!) { ticket(id: $id) { title } }", lambda i: {"id": i}),
    (mutation("addPublicReply", "... on ValidationError { fields { field message } }"),
     lambda i: {"input": {"ticketId": i, "body": "x"}}),
)  # fmt: skip


async def test_an_id_of_another_type_is_refused_the_same_whether_or_not_it_exists(api: Api) -> None:
    s = await scene(api)
    activity = gid(await Activity.filter(ticket_id=s.ticket.id).first())
    for wrong in (s.note_id, activity, await their_note(s)):
        for token in (s.ours.requester_token, s.ours.technician_token):
            for query, variables in TICKET_ARGUMENTS[1:]:  # node takes any type
                seen = json.dumps(clean(await api.run(query, variables(wrong), token=token)))
                expected = json.dumps(await api.run(query, variables(missing(wrong)), token=token))
                assert seen.replace(wrong, "?") == expected.replace(missing(wrong), "?")
                assert "INTERNAL_SERVER_ERROR" not in seen


RAW_IDS = b"Ticket:0|Ticket:-1|Ticket:01|Ticket: 1|Ticket:1.0|Tick et:1|Ticket:1\x00|\xff\xfe:1".split(b"|")
MALFORMED = ["", "!!!", "VGlja2V0", "A" * 5000, encode("Ticket", 10**30), encode("Ticket", 2**31)]
MALFORMED += [encode("Ticket", 2**63 - 1)]
MALFORMED += [base64.urlsafe_b64encode(raw).decode() for raw in RAW_IDS]


async def test_malformed_ids_are_bad_input_and_never_an_internal_error(api: Api) -> None:
    s = await scene(api)
    for value in MALFORMED:
        for query, variables in TICKET_ARGUMENTS:
            body = clean(await api.run(query, variables(value), token=s.ours.requester_token))
            if "addPublicReply" in (body.get("data") or {}):
                assert body["data"]["addPublicReply"]["__typename"] == "ValidationError", (value, body)
            else:
                assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], (value, body)


async def test_a_number_beyond_the_database_integer_range_is_bad_input_or_not_found(api: Api) -> None:
    """Ids are 32-bit in the database: a larger one is refused before it reaches a query (the IDs
    themselves are among MALFORMED)."""
    s = await scene(api)
    token = s.ours.technician_token
    for pk in (2**31, 2**63 - 1):
        after = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00+00:00", pk]).encode()).decode()
        page = await api.run("query($a: String) { tickets(after: $a) { nodes { id } } }", {"a": after}, token)
        assert [e["extensions"]["code"] for e in page["errors"]] == ["BAD_USER_INPUT"]
        async with api.client() as client:
            headers = {"Authorization": f"Bearer {token}"}
            response = await client.get(f"/attachments/{encode('Attachment', pk)}/x", headers=headers)
        assert response.status_code == 404


# --- time tracking: staff-only, and a timer is its technician's alone ---------------------------------


async def test_time_of_another_account_or_a_colleagues_timer_answers_like_missing(api: Api) -> None:
    s = await scene(api)
    ticket, foreign = gid(s.ticket), gid(s.foreign)
    tech, admin, requester = s.ours.technician_token, s.ours.admin_token, s.ours.requester_token
    add = mutation("addTimeEntry", "... on TimeEntrySuccess { timeEntry { id } }")
    spent = {"durationMinutes": 30, "description": "Globex audit, hunter2 reset"}
    theirs = await api.data(add, {"input": {"ticketId": foreign, **spent}}, token=s.theirs.technician_token)
    ours = await api.data(add, {"input": {"ticketId": ticket, **spent}}, token=tech)
    entry, own_entry = theirs["addTimeEntry"]["timeEntry"]["id"], ours["addTimeEntry"]["timeEntry"]["id"]
    await api.data(
        mutation("startTimer", input_type="TimerInput"), {"input": {"ticketId": ticket}}, token=admin
    )
    timer = gid(await Timer.get(technician_id=s.ours.admin.id))
    for token in (tech, requester):
        await all_null(api, token, [entry, timer])
    await all_null(api, requester, [own_entry])
    query = "query($id: ID!) { ticket(id: $id) { timeEntries { totalCount nodes { id } } timeTotals { amount } } }"
    data = clean(await api.data(query, {"id": ticket}, token=requester))
    assert data == {"ticket": {"timeEntries": {"totalCount": 0, "nodes": []}, "timeTotals": None}}
    for token, name, rest, field, value in (
        (tech, "startTimer", {}, "ticketId", foreign),
        (tech, "openTicket", {}, "ticketId", foreign),
        (tech, "addTimeEntry", {"durationMinutes": 5}, "ticketId", foreign),
        (
            admin,
            "addTimeEntry",
            {"ticketId": ticket, "durationMinutes": 5},
            "technicianId",
            gid(s.theirs.admin),
        ),
        (admin, "updateTimeEntry", {"description": "x"}, "id", entry),
        (admin, "deleteTimeEntry", {}, "id", entry),
    ):
        query = mutation(name, input_type="TimerInput" if name == "startTimer" else None)
        body = await same_answer(
            api, token, query, *({"input": {**rest, field: v}} for v in (value, missing(value)))
        )
        assert not body["data"][name]["__typename"].endswith("Success"), (name, field)
    untimed = gid(
        await s.ours.ticket("No timer here")
    )  # the admin's timer runs on ours, not the technician's
    pause = mutation("pauseTimer", input_type="TimerInput")
    await same_answer(api, tech, pause, {"input": {"ticketId": ticket}}, {"input": {"ticketId": untimed}})


# --- attachments: attaching and downloading what one cannot see -------------------------------------


@pytest.mark.parametrize("case", ["a note's file", "another requester's file", "a colleague's upload"])
async def test_attaching_a_file_one_cannot_see_answers_exactly_like_attaching_a_missing_one(
    api: Api, case: str
) -> None:
    s = await scene(api)
    ours = s.ours
    if case == "a note's file":
        token, ticket = ours.requester_token, s.ticket
        target = gid(await Attachment.get(comment_id=decode(s.note_id)[1]))
    elif case == "another requester's file":
        token, ticket = ours.other_requester_token, await ours.ticket(requester_id=ours.other_requester.id)
        target = (await uploaded(api, ours.technician_token, "rita-salaries-2026.pdf", b"%PDF-1.7"))["id"]
        await reply(api, ours.technician_token, s.ticket, attachmentIds=[target])  # public, on Rita's ticket
    else:
        token, ticket = ours.technician_token, s.ticket
        target = (await uploaded(api, ours.admin_token, "salaries-2026-draft.xlsx", b"hunter2"))["id"]
    query = mutation("addPublicReply", "... on ValidationError { fields { field message } }")
    base = {"ticketId": gid(ticket), "body": "see attached"}
    hidden, absent = ({"input": {**base, "attachmentIds": ids}} for ids in ([target], [missing(target)]))
    await same_answer(api, token, query, hidden, absent)


async def test_download_links_cannot_be_forged_moved_to_another_file_or_crossed(api: Api) -> None:
    s = await scene(api)
    public = await uploaded(api, s.ours.technician_token, "invoice.pdf", b"%PDF-1.7 public")
    await reply(api, s.ours.technician_token, s.ticket, attachmentIds=[public["id"]])
    theirs = await uploaded(api, s.theirs.technician_token, "globex.txt", b"hunter2")
    await reply(api, s.theirs.technician_token, s.foreign, attachmentIds=[theirs["id"]])
    secret = gid(await Attachment.get(comment_id=decode(s.note_id)[1]))
    query = "query($id: ID!) { ticket(id: $id) { conversation { nodes { attachments { downloadUrl } } } } }"
    data = await api.data(query, {"id": gid(s.ticket)}, token=s.ours.requester_token)
    link = next(a for c in data["ticket"]["conversation"]["nodes"] for a in c["attachments"])["downloadUrl"]
    path, _, signed = link.partition("?")
    token_id, expires, signature = (part.split("=")[1] for part in signed.split("&"))
    flipped = signature[:-1] + ("1" if signature.endswith("0") else "0")

    async def get(url: str, token: str | None = None) -> httpx.Response:
        async with api.client() as client:
            return await client.get(url, headers={"Authorization": f"Bearer {token}"} if token else {})

    assert (await get(link)).status_code == 200  # the link itself works
    nothing = await get(f"/attachments/{encode('Attachment', MISSING)}/x?{signed}")
    for response in [
        await get(f"/attachments/{secret}/x?{signed}"),  # the requester's link moved onto the note's file
        await get(f"/attachments/{theirs['id']}/x?{signed}"),  # ... onto another account's file
        await get(f"{path}?token={token_id}&expires={int(expires) + 600}&signature={signature}"),
        await get(f"{path}?token={int(token_id) + 1}&expires={expires}&signature={signature}"),
        await get(f"{path}?token={token_id}&expires={expires}&signature={flipped}"),
        await get(f"{path}?signature={signature}"),
        await get(f"/attachments/{secret}/x", s.ours.requester_token),
        await get(f"/attachments/{theirs['id']}/x", s.ours.technician_token),
        await get(f"/attachments/{public['id']}/x", s.theirs.admin_token),
        await get(f"/attachments/{public['id']}/x", s.ours.other_requester_token),
    ]:
        assert (response.status_code, response.content) == (404, nothing.content)
        assert "hunter2" not in response.text


# --- staff-only details: SLA clocks, and technicians other than assignee or author -------------------


@pytest.mark.parametrize(
    "source",
    [
        "/attachments/../graphql?query={viewer{name}}",
        "/attachments/x/../../graphql",
        "/attachments/%2e%2e/graphql",
        "/attachments/.%2E/graphql",
        "/attachments/%252e%252e/graphql",
        "/attachments/..%2fgraphql",
        "/attachments/..\\graphql",
        "/attachments/.&#9;./graphql",
        "/attachments/.&#10;./graphql",
        " /attachments/../graphql",
        "/attachments/..",
        "/attachments/",
        "//evil.example/attachments/x.png",
        "/\\evil.example/attachments/x.png",
        "https://evil.example/attachments/x.png",
        "attachments/x.png",
    ],
)
def test_an_image_source_that_leaves_the_attachment_downloads_once_resolved_is_dropped(source: str) -> None:
    assert "<img" not in render(f'<p>hi <img src="{source}"></p>').html


def test_an_image_of_an_attachment_download_keeps_its_source() -> None:
    for source in ("/attachments/QXR0YWNobWVudDox/caf%C3%A9.png?token=1&amp;expires=2&amp;signature=ab",):
        assert f'<img src="{source}">' in render(f'<img src="{source}">').html


async def test_an_end_user_cannot_read_sla_due_times_out_of_ticket_cursors(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    with frozen_at(FRIDAY_3PM_ROME):
        ticket = await world.ticket()
        sla = "query($id: ID!) { ticket(id: $id) { sla { firstResponse { dueAt } } } }"
        staff = await api.data(sla, {"id": gid(ticket)}, token=world.technician_token)
        due = datetime.fromisoformat(staff["ticket"]["sla"]["firstResponse"]["dueAt"])
        query = "{ tickets(orderBy: SLA_DUE) { pageInfo { endCursor } edges { cursor } } }"
        body = await api.run(query, token=world.requester_token)
    cursors = [edge["cursor"] for edge in ((body.get("data") or {}).get("tickets") or {}).get("edges", [])]
    decoded = " ".join(base64.urlsafe_b64decode(cursor).decode(errors="replace") for cursor in cursors)
    assert due.astimezone(UTC).isoformat() not in decoded


async def test_an_end_user_cannot_sort_out_breached_tickets_with_the_sla_filter(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world, first=120, resolution=100_000)
    with frozen_at(FRIDAY_3PM_ROME) as clock:
        await world.ticket("Late")
        answered = await world.ticket("On time")
        clock.advance(minutes=30)
        await reply(api, world.technician_token, answered)
        clock.advance(hours=3)  # Late's first response was due at 17:00 Rome
        query = "query($b: Boolean) { tickets(filter: {slaBreached: $b}) { nodes { title } } }"
        breached = await api.run(query, {"b": True}, token=world.requester_token)
        fine = await api.run(query, {"b": False}, token=world.requester_token)
    assert ("errors" in breached and "errors" in fine) or breached == fine


async def test_an_end_user_sees_a_cc_d_technician_only_as_an_address(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket(assignee_id=world.technician.id)
    await reply(api, world.technician_token, ticket, cc=[world.admin.email])
    query = """query($id: ID!) { ticket(id: $id) { ccRecipients { email person { __typename } }
      conversation { nodes { cc { email person { __typename } } } } } }"""
    data = (await api.data(query, {"id": gid(ticket)}, token=world.requester_token))["ticket"]
    people = [cc["person"] for cc in data["ccRecipients"]]
    people += [cc["person"] for comment in data["conversation"]["nodes"] for cc in comment["cc"]]
    assert people == [None, None]


# --- subscriptions ----------------------------------------------------------------------------------


@pytest.fixture
async def live(db: Database) -> AsyncIterator[Live]:
    async with Live(db, presence_heartbeat_seconds=0.2, presence_ttl_seconds=1) as running:
        yield running


FOLLOW = """subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind changes
  ticket { version resolution { text } followers { name } conversation(filter: INTERNAL_NOTES) { totalCount }
    activity(kind: [INTERNAL_NOTE_ADDED, RESOLUTION_MARKED, FOLLOWER_ADDED]) { totalCount } }
  comment { kind text mentions { name } attachments { filename } } activity { kind newValue } } }"""


def replied(text: str) -> Callable[[dict[str, Any]], bool]:
    """Whether a ticketUpdated result is the comment with this text."""
    return lambda data: (data["ticketUpdated"]["comment"] or {}).get("text") == text


async def test_an_end_user_following_a_ticket_hears_nothing_of_notes_mentions_files_or_resolutions(
    live: Live,
) -> None:
    s = await scene(live)
    ours, variables = s.ours, {"id": gid(s.ticket)}
    # one document and the same variables for both: a result shared across audiences would show here
    watcher = await live.subscribe(FOLLOW, variables, ours.requester_token)
    staff = await live.subscribe(FOLLOW, variables, ours.technician_token)
    clean(await watcher.next())
    await staff.next()
    file = await uploaded(live, ours.admin_token, "salaries-2026-q2.xlsx", b"hunter2")
    written = await note(live, ours.admin_token, s.ticket, body="hunter2 again", attachmentIds=[file["id"]],
                         mentionTechnicianIds=[gid(ours.technician)], markAsResolution=True)  # fmt: skip
    assert written["__typename"] == "AddCommentSuccess"
    unmark = {"input": {"commentId": s.note_id, "isResolution": False}}
    await live.run(mutation("setCommentResolution"), unmark, ours.technician_token)
    heard = await received_until(staff, lambda data: data["ticketUpdated"]["kind"] == "COMMENT_UPDATED")
    assert "COMMENT_ADDED" in {data["ticketUpdated"]["kind"] for data in heard}  # the notes did happen
    await reply(live, ours.technician_token, s.ticket, body="<p>Fixed, please check.</p>")
    # The reply's comment is the last event it emits, on the channel of the notes' events: a barrier. Up
    # to it the watcher heard the reply alone, nothing of the notes.
    events = [
        data["ticketUpdated"] for data in await received_until(watcher, replied("Fixed, please check."))
    ]
    clean(events)
    assert [(event["kind"], (event["activity"] or {}).get("kind")) for event in events] == [
        ("ACTIVITY_ADDED", "PUBLIC_REPLY_ADDED"),
        ("COMMENT_ADDED", None),
    ]
    for event in events:
        assert event["ticket"]["conversation"] == event["ticket"]["activity"] == {"totalCount": 0}
        assert (event["ticket"]["resolution"], event["ticket"]["followers"]) == ([], [])
        assert (event["comment"] or {}).get("kind", "PUBLIC_REPLY") == "PUBLIC_REPLY"
        assert (event["activity"] or {}).get("kind", "PUBLIC_REPLY_ADDED") in PUBLIC_ACTIVITY
    await watcher.close()
    await staff.close()


async def test_following_a_hidden_ticket_fails_exactly_like_following_a_missing_one(live: Live) -> None:
    s = await scene(live)
    others = await s.ours.ticket(requester_id=s.ours.other_requester.id)
    presence = "subscription($id: ID!) { ticketPresence(ticketId: $id) { totalCount } }"
    for query, hidden, token in (
        (FOLLOW, gid(s.foreign), s.ours.technician_token),
        (FOLLOW, gid(others), s.ours.requester_token),
        (presence, gid(s.foreign), s.ours.technician_token),
    ):
        errors = []
        for value in (hidden, missing(hidden)):
            stream = await live.subscribe(query, {"id": value}, token)
            errors.append(clean(await stream.error()))
            await stream.close()
        assert errors[0] == errors[1]
        assert errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_new_notifications_reach_only_their_recipient(live: Live) -> None:
    s = await scene(live)
    added = "subscription { notificationAdded { kind comment { text } ticket { title } } }"
    tokens = (s.ours.admin_token, s.ours.technician_token, s.theirs.admin_token, s.ours.requester_token)
    recipient, colleague, foreigner, requester = [await live.subscribe(added, {}, token) for token in tokens]
    assert clean(await requester.error())["extensions"]["code"] == "FORBIDDEN"
    await note(live, s.ours.technician_token, s.ticket, body="ping", mentionTechnicianIds=[gid(s.ours.admin)])
    assert (await recipient.next())["notificationAdded"]["kind"] == "MENTION"
    # Barriers: a later mention of each, published after the ping (one hub, in order), is the first they hear.
    await note(live, s.ours.admin_token, s.ticket, body="pong", mentionTechnicianIds=[gid(s.ours.technician)])
    await note(
        live, s.theirs.technician_token, s.foreign, body="pong", mentionTechnicianIds=[gid(s.theirs.admin)]
    )
    for stream in (colleague, foreigner):
        assert (await stream.next())["notificationAdded"]["comment"]["text"] == "pong"
    for stream in (recipient, colleague, foreigner, requester):
        await stream.close()


async def _escaped(api: Api, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """Posted as JSON with \\u escapes, the only way a lone surrogate travels."""
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    async with api.client() as client:
        response = await client.post(
            "/graphql",
            content=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
    answer: dict[str, Any] = response.json()
    assert "errors" not in answer, answer
    return answer["data"]  # type: ignore[no-any-return]


async def test_control_characters_and_lone_surrogates_are_dropped_not_a_server_error(api: Api) -> None:
    world = await make_world()
    created = await _escaped(
        api,
        """mutation($input: CreateTicketInput!) { createTicket(input: $input) { __typename
          ... on CreateTicketSuccess { ticket { id title } } } }""",
        {"input": {"title": "VPN\u0000 \ud800down\u001b", "description": "a\u0000b\nc"}},
        world.requester_token,
    )
    ticket = created["createTicket"]["ticket"]
    assert ticket["title"] == "VPN down"
    replied = await _escaped(
        api,
        """mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) { __typename
          ... on AddCommentSuccess { comment { text } } } }""",
        {"input": {"ticketId": ticket["id"], "body": "still\u0000 down\ud800"}},
        world.requester_token,
    )
    assert replied["addPublicReply"]["comment"]["text"] == "still down"
