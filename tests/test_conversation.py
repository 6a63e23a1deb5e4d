"""The conversation: public replies, internal notes, cc, mentions, notifications, resolutions, templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from models.activity import Activity
from models.conversation import Comment
from models.enums import CommentKind
from models.notifications import Notification
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import notifications
from tests.api import Api
from tests.clock import frozen_at
from tests.factories import World, add_comment, make_world
from tests.sql import recorded_statements
from tests.support.conversation import note, reply
from tests.support.sla import office_policy


async def saved(ticket: Ticket) -> tuple[int, int, int, int]:
    return (
        await Comment.filter(ticket_id=ticket.id).count(),
        await Activity.filter(ticket_id=ticket.id).count(),
        await Notification.filter(ticket_id=ticket.id).count(),
        (await Ticket.get(id=ticket.id)).version,
    )


async def test_a_technician_replies_with_cc_and_the_ticket_waits_for_the_requester(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    result = await reply(
        api,
        world.technician_token,
        ticket,
        body='<p onclick="steal()">Please restart <b>now</b>.</p><script>alert(1)</script>',
        cc=["Boss@Client.test", world.other_requester.email, world.requester.email],
    )
    comment = result["comment"]
    assert comment["body"] == "<p>Please restart <b>now</b>.</p>"
    assert comment["text"] == "Please restart now."
    assert (comment["kind"], comment["channel"], comment["author"], comment["truncated"]) == (
        "PUBLIC_REPLY",
        "WEB",
        {"name": "Tom Tech"},
        False,
    )
    assert [c["email"] for c in comment["cc"]] == [
        "boss@client.test",
        world.other_requester.email,
        world.requester.email,
    ]
    assert sorted(c["email"] for c in result["ticket"]["ccRecipients"]) == [
        "boss@client.test",
        world.other_requester.email,
    ]
    assert result["ticket"]["activityStatus"] == "WAITING_FOR_REQUESTER"
    kinds = [row.kind.value for row in await Activity.filter(ticket_id=ticket.id).order_by("id")]
    assert kinds == ["TICKET_CREATED", "PUBLIC_REPLY_ADDED", "CC_ADDED", "CC_ADDED"]
    again = await reply(api, world.technician_token, ticket, cc=["boss@client.test"])
    assert len(again["ticket"]["ccRecipients"]) == 2


async def test_a_requester_replies_from_the_portal_and_the_ticket_waits_for_a_technician(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await reply(api, world.technician_token, ticket)
    result = await reply(api, world.requester_token, ticket, body="It works now, thanks!")
    assert result["comment"]["channel"] == "PORTAL"
    assert result["comment"]["author"] == {"name": "Rita Requester"}
    assert result["ticket"]["activityStatus"] == "WAITING_FOR_TECHNICIAN"


async def test_a_technicians_first_reply_meets_the_first_response_sla(api: Api) -> None:
    world = await make_world()
    await office_policy(api, world)
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        ticket = await world.ticket()
        clock.advance(minutes=20)
        await reply(api, world.requester_token, ticket, body="Any news?")
        clock.advance(minutes=20)
        await note(api, world.technician_token, ticket)
        assert (await Ticket.get(id=ticket.id)).first_responded_at is None
        clock.advance(minutes=5)
        await reply(api, world.technician_token, ticket)
        assert (await Ticket.get(id=ticket.id)).first_responded_at == datetime(
            2026, 11, 30, 8, 45, tzinfo=UTC
        )


async def test_the_status_beside_send_is_saved_with_the_reply(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    resolved = encode(
        "TicketStatus", (await TicketStatus.get(account_id=world.account.id, name="Resolved")).id
    )
    result = await reply(api, world.technician_token, ticket, setStatusId=resolved, markAsResolution=True)
    assert result["ticket"]["status"] == {"name": "Resolved"}
    assert result["comment"]["isResolution"] is True
    kinds = [row.kind.value for row in await Activity.filter(ticket_id=ticket.id).order_by("id")]
    assert kinds == ["TICKET_CREATED", "PUBLIC_REPLY_ADDED", "RESOLUTION_MARKED", "STATUS_CHANGED"]
    without = await reply(api, world.technician_token, ticket)
    assert without["ticket"]["status"] == {"name": "Resolved"}


async def test_bad_replies_and_notes_get_a_typed_error_and_save_nothing(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex MSP")
    ticket = await world.ticket()
    theirs_status = encode(
        "TicketStatus", (await TicketStatus.get(account_id=other.account.id, name="Closed")).id
    )
    archived = await TicketStatus.create(
        account_id=world.account.id, name="Old", category="OPEN", archived=True
    )
    cases: list[tuple[str, str, dict[str, Any], str, str]] = [
        ("reply", world.technician_token, {"body": ""}, "ValidationError", "body"),
        ("reply", world.technician_token, {"body": "   \n  "}, "ValidationError", "body"),
        (
            "reply",
            world.technician_token,
            {"body": "<script>alert(1)</script><style>p{}</style>"},
            "ValidationError",
            "body",
        ),
        (
            "reply",
            world.technician_token,
            {"body": '<img src="https://tracker.example/p.gif">'},
            "ValidationError",
            "body",
        ),
        ("reply", world.technician_token, {"cc": ["not an address"]}, "ValidationError", "cc"),
        ("reply", world.technician_token, {"setStatusId": theirs_status}, "NotFoundError", "setStatusId"),
        (
            "reply",
            world.technician_token,
            {"setStatusId": encode("TicketStatus", archived.id)},
            "ValidationError",
            "setStatusId",
        ),
        (
            "reply",
            world.technician_token,
            {"attachmentIds": [encode("Attachment", 999)]},
            "NotFoundError",
            "attachmentIds",
        ),
        ("reply", world.requester_token, {"setStatusId": theirs_status}, "ValidationError", "setStatusId"),
        ("reply", world.requester_token, {"markAsResolution": True}, "ValidationError", "markAsResolution"),
        ("reply", world.other_requester_token, {}, "NotFoundError", "ticketId"),
        ("note", world.requester_token, {}, "PermissionDeniedError", ""),
        (
            "note",
            world.technician_token,
            {"mentionTechnicianIds": [encode("Technician", other.technician.id)]},
            "NotFoundError",
            "mentionTechnicianIds",
        ),
        (
            "note",
            world.technician_token,
            {"mentionTechnicianIds": ["garbage"]},
            "ValidationError",
            "mentionTechnicianIds",
        ),
    ]
    before = await saved(ticket)
    for kind, token, fields, typename, field in cases:
        result = await (reply if kind == "reply" else note)(api, token, ticket, **fields)
        assert result["__typename"] == typename, (fields, result)
        named = [f["field"] for f in result.get("fields", [])] or [result.get("field", "")]
        assert named == [field], (fields, result)
        assert await saved(ticket) == before, fields


async def test_a_requester_is_told_that_requesters_set_no_status_and_mark_no_resolution(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    resolved = encode(
        "TicketStatus", (await TicketStatus.get(account_id=world.account.id, name="Resolved")).id
    )
    result = await reply(api, world.requester_token, ticket, setStatusId=resolved, markAsResolution=True)
    assert result["fields"] == [
        {"field": "setStatusId", "message": "Requesters cannot change the status."},
        {"field": "markAsResolution", "message": "Requesters cannot mark a resolution."},
    ]


async def test_a_body_over_64000_characters_is_cut_with_an_ellipsis(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    result = await reply(api, world.technician_token, ticket, body="x" * 70_000)
    comment = result["comment"]
    assert comment["truncated"] is True
    assert len(comment["text"]) == 64_000
    assert comment["text"].endswith("\u2026")
    assert len(comment["body"]) <= 64_000


async def test_mentions_make_followers_who_are_notified_of_later_notes(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    first = await note(
        api, world.admin_token, ticket, mentionTechnicianIds=[encode("Technician", world.technician.id)]
    )
    assert first["comment"]["mentions"] == [{"name": "Tom Tech"}]
    assert first["ticket"]["followers"] == [{"name": "Tom Tech"}]
    await note(api, world.admin_token, ticket, body="Another note")
    await note(api, world.technician_token, ticket, body="My own note")
    await reply(api, world.admin_token, ticket)
    query = "{ notifications { totalCount edges { node { kind readAt ticket { number title link } comment { text } } } } }"
    data = (await api.data(query, token=world.technician_token))["notifications"]
    assert data["totalCount"] == 2
    assert [(e["node"]["kind"], e["node"]["comment"]["text"]) for e in data["edges"]] == [
        ("NOTE_ON_FOLLOWED_TICKET", "Another note"),
        ("MENTION", "Checked the logs."),
    ]
    assert data["edges"][0]["node"]["ticket"] == {
        "number": 1,
        "title": "Printer on floor 2 jams",
        "link": "http://127.0.0.1:8000/tickets/1",
    }
    assert (await api.data(query, token=world.admin_token))["notifications"]["totalCount"] == 0


async def test_notifications_are_marked_read_and_expire_after_seven_days(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    start = datetime(2026, 11, 30, 8, tzinfo=UTC)
    with frozen_at(start) as clock:
        for _ in range(3):
            await note(
                api,
                world.admin_token,
                ticket,
                mentionTechnicianIds=[encode("Technician", world.technician.id)],
            )
            clock.advance(hours=1)
        unread = "{ notifications(unreadOnly: true) { totalCount edges { node { id } } } }"
        ids = [
            e["node"]["id"]
            for e in (await api.data(unread, token=world.technician_token))["notifications"]["edges"]
        ]
        mark = "mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { __typename ... on MarkNotificationsReadSuccess { count } ... on ValidationError { fields { field } } } }"
        assert (await api.data(mark, {"input": {"ids": ids[:1]}}, token=world.technician_token))[
            "markNotificationsRead"
        ]["count"] == 1
        assert (await api.data(unread, token=world.technician_token))["notifications"]["totalCount"] == 2
        assert (await api.data(mark, {"input": {"ids": ids[:1]}}, token=world.admin_token))[
            "markNotificationsRead"
        ]["count"] == 0
        refused = await api.data(mark, {"input": {}}, token=world.technician_token)
        assert refused["markNotificationsRead"]["__typename"] == "ValidationError"
        assert (await api.data(mark, {"input": {"all": True}}, token=world.technician_token))[
            "markNotificationsRead"
        ]["count"] == 2
        clock.to(start + timedelta(days=7, minutes=30))
        assert (await api.data("{ notifications { totalCount } }", token=world.technician_token))[
            "notifications"
        ]["totalCount"] == 2
        clock.to(start + timedelta(days=7, hours=3))
        assert (await api.data("{ notifications { totalCount } }", token=world.technician_token))[
            "notifications"
        ]["totalCount"] == 0
        assert await notifications.purge_expired() == 3
    assert await Notification.all().count() == 0


async def test_set_comment_resolution_marks_and_unmarks(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    comment = await add_comment(ticket, world.technician, body="Replaced the fuser")
    query = "mutation($id: ID!, $on: Boolean!) { setCommentResolution(input: {commentId: $id, isResolution: $on}) { __typename ... on CommentSuccess { comment { isResolution } } } }"
    page = "query($id: ID!) { ticket(id: $id) { resolution { text } } }"
    await api.data(query, {"id": encode("Comment", comment.id), "on": True}, token=world.technician_token)
    assert (await api.data(page, {"id": encode("Ticket", ticket.id)}, token=world.technician_token))[
        "ticket"
    ]["resolution"] == [{"text": "Replaced the fuser"}]
    await api.data(query, {"id": encode("Comment", comment.id), "on": False}, token=world.technician_token)
    assert (await api.data(page, {"id": encode("Ticket", ticket.id)}, token=world.technician_token))[
        "ticket"
    ]["resolution"] == []
    denied = await api.data(
        query, {"id": encode("Comment", comment.id), "on": True}, token=world.requester_token
    )
    assert denied["setCommentResolution"]["__typename"] == "PermissionDeniedError"


async def test_a_malformed_comment_id_gets_a_validation_error(api: Api) -> None:
    """Found by tests/test_fuzz.py: the result union had no ValidationError, so this was a masked crash."""
    world = await make_world()
    query = """mutation($id: ID!) { setCommentResolution(input: {commentId: $id, isResolution: true}) {
      __typename ... on ValidationError { fields { field } } } }"""
    for bad in ("nope", encode("Ticket", 1)):
        result = await api.data(query, {"id": bad}, token=world.technician_token)
        assert result["setCommentResolution"] == {
            "__typename": "ValidationError",
            "fields": [{"field": "commentId"}],
        }


async def test_cc_suggestions_match_names_and_emails_of_technicians_and_requesters(api: Api) -> None:
    world = await make_world()
    data = await api.data(
        '{ ccSuggestions(query: "t") { __typename ... on Technician { name } ... on Requester { name } } }',
        token=world.technician_token,
    )
    assert [(s["__typename"], s["name"]) for s in data["ccSuggestions"]] == [
        ("Technician", "Ada Admin"),
        ("Requester", "Otto Other"),
        ("Requester", "Rita Requester"),
        ("Technician", "Tom Tech"),
    ]
    data = await api.data(
        '{ ccSuggestions(query: "rita") { ... on Requester { email } } }', token=world.technician_token
    )
    assert data["ccSuggestions"] == [{"email": world.requester.email}]
    errors = await api.errors('{ ccSuggestions(query: "t") { __typename } }', token=world.requester_token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


TEMPLATE = """mutation($input: CreateReplyTemplateInput!) { createReplyTemplate(input: $input) { __typename
  ... on ReplyTemplateSuccess { template { id name shared } } ... on ValidationError { fields { field message } } } }"""


async def test_reply_templates_fill_placeholders_and_refuse_unknown_ones(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket("VPN <drops>")
    body = (
        "<p>Hi {{requester.firstName}}, about #{{ticket.number}} ({{ticket.title}}): {{technician.name}}</p>"
    )
    created = (
        await api.data(TEMPLATE, {"input": {"name": "Greeting", "body": body}}, token=world.technician_token)
    )["createReplyTemplate"]
    assert created["template"]["shared"] is False
    bad = (
        await api.data(
            TEMPLATE,
            {"input": {"name": "Bad", "body": "Hello {{requester.shoeSize}}"}},
            token=world.technician_token,
        )
    )["createReplyTemplate"]
    assert bad["__typename"] == "ValidationError"
    assert bad["fields"][0]["field"] == "body"
    assert "{{requester.shoeSize}}" in bad["fields"][0]["message"]
    shared = (
        await api.data(
            TEMPLATE, {"input": {"name": "Team", "body": "Hi", "shared": True}}, token=world.technician_token
        )
    )["createReplyTemplate"]
    assert shared["__typename"] == "PermissionDeniedError"
    await api.data(
        TEMPLATE,
        {"input": {"name": "Team", "body": "Thanks, {{account.name}}", "shared": True}},
        token=world.admin_token,
    )
    rendered = await api.data(
        "query($t: ID!, $k: ID!) { renderReplyTemplate(templateId: $t, ticketId: $k) { body text } }",
        {"t": created["template"]["id"], "k": encode("Ticket", ticket.id)},
        token=world.technician_token,
    )
    assert rendered["renderReplyTemplate"] == {
        "body": "<p>Hi Rita, about #1 (VPN &lt;drops&gt;): Tom Tech</p>",
        "text": "Hi Rita, about #1 (VPN <drops>): Tom Tech",
    }
    mine = await api.data("{ replyTemplates { name shared } }", token=world.technician_token)
    theirs = await api.data("{ replyTemplates { name shared } }", token=world.admin_token)
    assert mine["replyTemplates"] == [{"name": "Greeting", "shared": False}, {"name": "Team", "shared": True}]
    assert theirs["replyTemplates"] == [{"name": "Team", "shared": True}]


async def test_the_default_reply_type_is_an_admin_setting(api: Api) -> None:
    world = await make_world()
    assert (await api.data("{ ticketSettings { defaultReplyType } }", token=world.technician_token))[
        "ticketSettings"
    ] == {"defaultReplyType": "PUBLIC_REPLY"}
    update = "mutation($t: ReplyType) { updateTicketSettings(input: {defaultReplyType: $t}) { __typename ... on TicketSettingsSuccess { settings { defaultReplyType } } } }"
    assert (await api.data(update, {"t": "INTERNAL_NOTE"}, token=world.technician_token))[
        "updateTicketSettings"
    ]["__typename"] == "PermissionDeniedError"
    assert (await api.data(update, {"t": "INTERNAL_NOTE"}, token=world.admin_token))["updateTicketSettings"][
        "settings"
    ] == {"defaultReplyType": "INTERNAL_NOTE"}
    assert (await api.data("{ ticketSettings { defaultReplyType } }", token=world.technician_token))[
        "ticketSettings"
    ] == {"defaultReplyType": "INTERNAL_NOTE"}


CONVERSATION = """query($id: ID!) { ticket(id: $id) { conversation(first: 50) { edges { node {
  kind body text channel isResolution truncated createdAt
  author { ... on Technician { name } ... on Requester { name } }
  attachments { filename contentType size downloadUrl }
  cc { email person { ... on Technician { name } ... on Requester { name } } }
  mentions { name } } } } } }"""


async def _busy_ticket(api: Api, world: World, comments: int) -> Ticket:
    ticket = await world.ticket()
    await reply(api, world.technician_token, ticket, cc=["boss@client.test", world.other_requester.email])
    await note(
        api, world.admin_token, ticket, mentionTechnicianIds=[encode("Technician", world.technician.id)]
    )
    for i in range(comments):
        kind = CommentKind.INTERNAL_NOTE if i % 4 == 3 else CommentKind.PUBLIC_REPLY
        await add_comment(
            ticket, world.technician if i % 2 else world.requester, kind, f"update {i}", attachments=1 + i % 2
        )
    return ticket


async def test_the_conversation_with_attachments_cc_and_mentions_costs_the_same_statements_for_5_and_50_comments(
    api: Api,
) -> None:
    world = await make_world()
    small = await _busy_ticket(api, world, 5)
    large = await _busy_ticket(api, world, 50)
    await api.data("{ viewer { account { name } } }", token=world.technician_token)
    counts = []
    for ticket in (small, large):
        with recorded_statements() as statements:
            data = await api.data(
                CONVERSATION, {"id": encode("Ticket", ticket.id)}, token=world.technician_token
            )
        counts.append(len(statements))
    # token with its technician, ticket, conversation page with its authors joined (schema.planned), then
    # one batch each: attachments, cc, mentions, requesters (cc'd people, a later tick)
    assert counts == [7, 7]
    assert len(data["ticket"]["conversation"]["edges"]) == 50
