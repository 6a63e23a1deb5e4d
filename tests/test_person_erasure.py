"""Erasing a requester on request: no trace of their name or email stays in any table; tickets stay."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from tortoise.context import get_current_context

from app.database import Database
from models import APP_LABEL
from models.activity import Activity
from models.auth import ApiToken
from models.conversation import Attachment, CcRecipient, Comment
from models.enums import ActivityKind, Channel, CommentKind, InboundOutcome, MailKind, OutboundStatus
from models.mail import InboundMail, OutboundMail
from models.people import Device, Requester, SatisfactionSurvey
from models.tickets import Ticket
from schema.ids import encode
from services.storage import storage
from tests.api import Api, uploaded
from tests.factories import World, add_comment, make_world
from tests.support.conversation import reply

ERASE = """mutation($input: ErasePersonInput!) { erasePerson(input: $input) { __typename
  ... on ErasePersonSuccess { requester { id name email jobTitle phone } }
  ... on Error { message code } } }"""


async def _erase(api: Api, token: str, requester_id: int, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"requesterId": encode("Requester", requester_id), **fields}}
    result: dict[str, Any] = (await api.data(ERASE, variables, token))["erasePerson"]
    return result


async def traces_of(*needles: str) -> list[str]:
    """Every table, every column, every row: where any of ``needles`` still shows, whatever the case."""
    context = get_current_context()
    assert context is not None
    assert context.apps is not None
    connection = context.db()
    found = []
    for model in context.apps.get_models_iterable():
        if model._meta.app != APP_LABEL:
            continue
        table = model._meta.db_table
        for row in await connection.execute_query_dict(f'SELECT * FROM "{table}"'):
            for column, value in row.items():
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                found.extend(f"{table}.{column}" for n in needles if n.lower() in text.lower())
    return found


async def _person_everywhere(api: Api, world: World) -> tuple[Ticket, bytes]:
    rita, email = world.requester, world.requester.email
    ticket = await world.ticket(f"Laptop of {rita.name} will not boot", description=f"Reach me at {email}")
    content = uuid.uuid4().hex.encode() * 4
    attachment = await uploaded(api, world.requester_token, "boot.txt", content)
    assert (await reply(api, world.requester_token, ticket, attachmentIds=[attachment["id"]]))[
        "__typename"
    ] == "AddCommentSuccess"
    assert (await reply(api, world.technician_token, ticket, body=f"<p>Hello {rita.name.upper()}</p>"))[
        "__typename"
    ] == "AddCommentSuccess"
    await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, body=f"Called {email.upper()}")
    await CcRecipient.create(ticket_id=ticket.id, email=email, requester_id=rita.id)
    await OutboundMail.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        kind=MailKind.PUBLIC_REPLY,
        recipient=email,
        recipient_name=rita.name,
        message_id=f"<{uuid.uuid4().hex}@deskql.test>",
        reply_to="support@acme.test",
        subject=f"[#{ticket.number}] for {rita.name}",
        text=f"Dear {rita.name},",
        html=f"<p>Dear {rita.name},</p>",
        status=OutboundStatus.SENT,
    )
    await InboundMail.create(
        account_id=world.account.id,
        message_id=f"<{uuid.uuid4().hex}@client.test>",
        sender=email,
        subject="Still broken",
        outcome=InboundOutcome.REPLY_POSTED,
        detail=f"posted as {rita.name} <{email}>",
        ticket_id=ticket.id,
        author_requester_id=rita.id,
    )
    await Activity.create(
        account_id=world.account.id,
        ticket_id=ticket.id,
        kind=ActivityKind.REQUESTER_CHANGED,
        field="requester",
        old_value=f"{world.other_requester.name} <{world.other_requester.email}>",
        new_value=f"{rita.name} <{email}>",
        channel=Channel.WEB,
    )
    await SatisfactionSurvey.create(
        account_id=world.account.id,
        requester_id=rita.id,
        ticket_id=ticket.id,
        support_quality=5,
        technician_knowledge=4,
        overall_helpfulness=5,
        comment=f"Thanks, {rita.name}",
    )
    await Device.create(
        account_id=world.account.id, requester_id=rita.id, name="LT-7", hostname="lt-7", os="Windows 11"
    )
    return ticket, content


async def _kept(content: bytes) -> bool:
    try:
        async for _ in storage().read(hashlib.sha256(content).hexdigest()):
            pass
    except FileNotFoundError:
        return False
    return True


async def test_an_erased_requester_leaves_no_trace_of_name_or_email_in_any_table(
    db: Database, api: Api
) -> None:
    world = await make_world()
    rita = world.requester
    ticket, content = await _person_everywhere(api, world)
    assert sorted(set(await traces_of(rita.email, rita.name)))  # the scan sees them before
    assert await _kept(content)
    result = await _erase(api, world.admin_token, rita.id)
    assert result["__typename"] == "ErasePersonSuccess", result
    assert result["requester"]["name"] == f"Erased requester {rita.id}"
    assert result["requester"]["email"] == f"erased-{rita.id}@erased.invalid"
    assert await traces_of(rita.email, rita.name) == []
    assert not await _kept(content)
    assert await Attachment.filter(account_id=world.account.id).count() == 0
    assert await ApiToken.filter(requester_id=rita.id).count() == 0
    survey = await SatisfactionSurvey.get(requester_id=rita.id)
    assert (survey.support_quality, survey.comment) == (5, "")
    assert await Ticket.filter(id=ticket.id, requester_id=rita.id).exists()
    theirs = await Comment.filter(author_requester_id=rita.id).values_list("text", flat=True)
    assert theirs == ["On it."]  # kept by default
    erased = await Activity.get(ticket_id=ticket.id, kind=ActivityKind.REQUESTER_ERASED)
    assert (erased.actor_technician_id, erased.new_value) == (world.admin.id, f"Erased requester {rita.id}")
    other = world.other_requester
    assert sorted(set(await traces_of(other.email, other.name))) == [
        "activity.old_value",
        "requester.email",
        "requester.name",
    ]


async def test_comments_are_redacted_when_the_admin_asks(db: Database, api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    # Not hex: no token hash can hold the needle.
    await add_comment(ticket, world.requester, body="My badge number is QZ-4711.")
    result = await _erase(api, world.admin_token, world.requester.id, redactComments=True)
    assert result["__typename"] == "ErasePersonSuccess", result
    [comment] = await Comment.filter(ticket_id=ticket.id)
    assert (comment.text, comment.body) == ("[redacted]", "<p>[redacted]</p>")
    assert await traces_of("QZ-4711", world.requester.email) == []


async def test_only_admins_erase_and_only_requesters_of_their_account(db: Database, api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex IT")
    denied = await _erase(api, world.technician_token, world.requester.id)
    assert (denied["__typename"], denied["code"]) == ("PermissionDeniedError", "PERMISSION_DENIED")
    missing = await _erase(api, world.admin_token, other.requester.id)
    assert missing["__typename"] == "NotFoundError"
    assert await traces_of(other.requester.email) != []
    assert await traces_of(world.requester.email) != []


async def test_another_person_of_the_same_name_keeps_their_record(db: Database, api: Api) -> None:
    world = await make_world()
    await Requester.filter(id=world.other_requester.id).update(name=world.requester.name)
    result = await _erase(api, world.admin_token, world.requester.id)
    assert result["__typename"] == "ErasePersonSuccess", result
    assert (await Requester.get(id=world.other_requester.id)).name == world.requester.name
    assert await traces_of(world.requester.email) == []
