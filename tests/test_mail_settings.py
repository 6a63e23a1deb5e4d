"""The mailbox setting and the inbound HTTP endpoint (raw MIME from an inbound-parse service)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from app.database import Database
from models.conversation import Comment
from models.enums import InboundOutcome
from models.mail import InboundMail
from tests.api import Api
from tests.factories import make_world
from tests.mailroom import mailroom

MAILBOX = """mutation($input: UpdateMailboxInput!) { updateMailbox(input: $input) { __typename
  ... on MailboxSuccess { mailbox { address } }
  ... on ValidationError { fields { field message } } ... on Error { message } } }"""
UNAVAILABLE = "This address cannot be used for a mailbox."
SECRET = "inbound-secret-0123456789abcdefghijklmnop"


async def test_admins_set_the_mailbox_and_bad_addresses_get_a_field_error(api: Api) -> None:
    world, other = await make_world(), await make_world("Globex MSP")
    variables = {"input": {"address": " Help@Acme.test "}}
    saved = await api.data(MAILBOX, variables, token=world.admin_token)
    assert saved["updateMailbox"]["mailbox"] == {"address": "help@acme.test"}
    assert (await api.data("{ mailbox { address } }", token=world.admin_token))["mailbox"] == {
        "address": "help@acme.test"
    }
    for address, message in (
        ("not an address", "Must be an email address such as name@example.com."),
        # Another account's address reads exactly like any address deskql keeps for itself.
        ("help@acme.test", UNAVAILABLE),
        ("HELP@acme.test", UNAVAILABLE),
        ("reply+1-pr1-0000@deskql.localhost", UNAVAILABLE),
        ("support@deskql.localhost", UNAVAILABLE),  # the From address of every account's mail
    ):
        refused = await api.data(MAILBOX, {"input": {"address": address}}, token=other.admin_token)
        assert refused["updateMailbox"]["fields"] == [{"field": "address", "message": message}]
        assert "another account" not in json.dumps(refused).lower()
    kept = await api.data(MAILBOX, variables, token=world.admin_token)  # one's own address again is fine
    assert kept["updateMailbox"]["mailbox"] == {"address": "help@acme.test"}
    denied = await api.data(MAILBOX, variables, token=world.technician_token)
    assert denied["updateMailbox"]["__typename"] == "PermissionDeniedError"
    forbidden = await api.run("{ mailbox { address } }", token=world.technician_token)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_inbound_endpoint_takes_raw_mime_only_with_the_shared_secret(
    db: Database, tmp_path: Path
) -> None:
    async with mailroom(db, tmp_path, mail_inbound_secret=SECRET, mail_max_bytes=50_000) as room:
        world = room.world
        ticket = await world.ticket()
        mail = (await room.mails_to(world.requester.email))[-1]
        answer = EmailMessage()
        answer["From"] = world.requester.email
        answer["To"] = "help@acme.test"
        answer["Subject"] = "Re: whatever"
        answer["Message-ID"] = make_msgid(domain="client.test")
        answer["In-Reply-To"] = str(mail.message["Message-ID"])
        answer.set_content("Sent through the inbound-parse service.")
        raw = answer.as_bytes()
        async with room.api.client() as client:
            missing = await client.post("/mail/inbound", content=raw)
            wrong = await client.post("/mail/inbound", content=raw, headers={"Authorization": "Bearer nope"})
            huge = await client.post(
                "/mail/inbound", content=b"x" * 60_000, headers={"Authorization": f"Bearer {SECRET}"}
            )
            taken = await client.post(
                "/mail/inbound",
                content=raw,
                params={"to": str(mail.message["Reply-To"])},
                headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "message/rfc822"},
            )
        assert (missing.status_code, wrong.status_code, huge.status_code) == (401, 401, 413)
        assert taken.status_code == 200
        assert taken.json()["outcome"] == "REPLY_POSTED"
        posted = await Comment.get(ticket_id=ticket.id)
        assert posted.text == "Sent through the inbound-parse service."
        assert await InboundMail.filter(outcome=InboundOutcome.REPLY_POSTED).count() == 1


async def test_the_inbound_endpoint_is_off_without_a_secret(api: Api) -> None:
    async with api.client() as client:
        response = await client.post("/mail/inbound", content=b"From: a@b.test\r\n\r\nhi")
    assert response.status_code == 404
