"""An admin releases held mail (UNVERIFIED_SENDER) into the ticket it was held for, through the path
received mail takes, or discards it; admins only, within their account, each held mail once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from models.conversation import Comment
from models.enums import InboundOutcome
from models.mail import InboundMail
from schema.ids import encode
from tests.factories import make_world
from tests.mailroom import Mailroom, mailroom
from tests.support.mail import fresh, texts

HELD = """{ inboundMails(outcome: UNVERIFIED_SENDER) { totalCount nodes { id sender outcome ticket { number } } } }"""
RESULT = """{ __typename ... on HeldMailSuccess { mail { id outcome detail ticket { number } } }
  ... on Error { message code } ... on ValidationError { fields { field message } } }"""
RELEASE = "mutation($input: HeldMailInput!) { releaseHeldMail(input: $input) " + RESULT + " }"
DISCARD = "mutation($input: HeldMailInput!) { discardHeldMail(input: $input) " + RESULT + " }"


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path) as running:
        yield running


def held(row: InboundMail) -> dict[str, Any]:
    return {"input": {"inboundMailId": encode("InboundMail", row.id)}}


async def test_an_admin_releases_a_held_mail_into_its_ticket_as_a_reply_by_email(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket(assignee_id=world.technician.id)
    forged = fresh(
        world.technician.email, subject=f"Re: [#{ticket.number}] {ticket.title}", body="Reboot it."
    )
    row = await room.send_in(forged)
    assert (row.outcome, row.ticket_id) == (InboundOutcome.UNVERIFIED_SENDER, ticket.id)
    listed = (await room.api.data(HELD, token=world.admin_token))["inboundMails"]
    assert listed["nodes"] == [
        {
            "id": encode("InboundMail", row.id),
            "sender": world.technician.email,
            "outcome": "UNVERIFIED_SENDER",
            "ticket": {"number": ticket.number},
        }
    ]
    assert await texts(ticket) == []

    released = (await room.api.data(RELEASE, held(row), token=world.admin_token))["releaseHeldMail"]
    assert released["__typename"] == "HeldMailSuccess"
    assert released["mail"]["outcome"] == "REPLY_POSTED"
    assert "released by an admin" in released["mail"]["detail"]
    assert await texts(ticket) == ["Reboot it."]
    posted = await Comment.filter(ticket_id=ticket.id).get()
    assert (posted.author_technician_id, posted.channel.value) == (world.technician.id, "EMAIL")
    kept = await InboundMail.get(id=row.id)
    assert (kept.comment_id, kept.author_technician_id) == (posted.id, world.technician.id)
    # The reply is mailed on to the requester as any reply by email is.
    assert any("Reboot it." in mail.text for mail in await room.mails_to(world.requester.email))
    assert (await room.api.data(HELD, token=world.admin_token))["inboundMails"]["totalCount"] == 0
    again = (await room.api.data(RELEASE, held(row), token=world.admin_token))["releaseHeldMail"]
    assert again["__typename"] == "NotFoundError"
    assert await texts(ticket) == ["Reboot it."]


async def test_a_discarded_held_mail_posts_nothing_and_leaves_the_held_list(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket()
    row = await room.send_in(fresh(world.technician.email, subject=f"[#{ticket.number}]", body="Forged."))
    discarded = (await room.api.data(DISCARD, held(row), token=world.admin_token))["discardHeldMail"]
    assert discarded["mail"]["outcome"] == "DISCARDED"
    assert await texts(ticket) == []
    assert (await room.api.data(HELD, token=world.admin_token))["inboundMails"]["totalCount"] == 0
    released = (await room.api.data(RELEASE, held(row), token=world.admin_token))["releaseHeldMail"]
    assert released["__typename"] == "NotFoundError"


async def test_two_admins_releasing_at_once_post_the_mail_once(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket()
    row = await room.send_in(fresh(world.technician.email, subject=f"[#{ticket.number}]", body="Only once."))
    answers = await asyncio.gather(
        *[room.api.data(RELEASE, held(row), token=world.admin_token) for _ in range(3)]
    )
    kinds = sorted(answer["releaseHeldMail"]["__typename"] for answer in answers)
    assert kinds == ["HeldMailSuccess", "NotFoundError", "NotFoundError"]
    assert await texts(ticket) == ["Only once."]


async def test_only_admins_of_its_account_release_or_discard_held_mail(room: Mailroom) -> None:
    world = room.world
    other = await make_world("Globex Support")
    ticket = await world.ticket()
    row = await room.send_in(fresh(world.technician.email, subject=f"[#{ticket.number}]", body="Forged."))
    for mutation, field in ((RELEASE, "releaseHeldMail"), (DISCARD, "discardHeldMail")):
        for token in (world.technician_token, world.requester_token):
            refused = (await room.api.data(mutation, held(row), token=token))[field]
            assert refused["__typename"] == "PermissionDeniedError"
        across = (await room.api.data(mutation, held(row), token=other.admin_token))[field]
        assert across["__typename"] == "NotFoundError"
    others_list = (await room.api.data(HELD, token=other.admin_token))["inboundMails"]
    assert others_list["totalCount"] == 0
    assert (await InboundMail.get(id=row.id)).outcome is InboundOutcome.UNVERIFIED_SENDER
    assert await texts(ticket) == []


async def test_a_held_mail_whose_sender_left_the_ticket_cannot_be_released(room: Mailroom) -> None:
    world = room.world
    ticket = await world.ticket()
    row = await room.send_in(fresh(world.technician.email, subject=f"[#{ticket.number}]", body="Late."))
    await ticket.__class__.filter(id=ticket.id).update(deleted_at=ticket.created_at)
    refused = (await room.api.data(RELEASE, held(row), token=world.admin_token))["releaseHeldMail"]
    assert [f["field"] for f in refused["fields"]] == ["inboundMailId"]
    assert (await InboundMail.get(id=row.id)).outcome is InboundOutcome.UNVERIFIED_SENDER
