"""Email with real processes: `deskql serve` delivering and listening for mail, and a `deskql worker`
killed in the middle of a delivery."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.database import Database
from models.enums import OutboundStatus
from models.mail import OutboundMail
from tests.api import TEST_SECRET_KEY
from tests.mailroom import Mailroom, mailroom
from tests.mailserver import MailServer, deliver, reply_to
from tests.servers import DESKQL, deskql, environment, free_port, migrate, serving
from tests.waiting import eventually

CONVERSATION = """query { ticketByNumber(number: 200) { id requester { email }
  conversation(first: 50, order: NEWEST_FIRST) { nodes { kind channel text author { ... on Requester { email } } } } } }"""
REPLY = """mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) { __typename } }"""


async def graphql(base: str, token: str, query: str, variables: dict[str, object] | None = None) -> dict:  # type: ignore[type-arg]
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_a_reply_round_trips_through_a_running_server_over_real_smtp(tmp_path: Path) -> None:
    outgoing = MailServer()
    outgoing.start()
    listener = free_port()
    env = environment(
        database_url=f"sqlite://{tmp_path}/deskql.sqlite3",
        smtp_url=outgoing.url,
        smtp_in_port=str(listener),
        mail_poll_seconds="0.2",
        log_level="warning",
    )
    try:
        migrate(env, tmp_path)
        demo = deskql("demo", env=env, cwd=tmp_path)
        token = re.search(r"technician\s+\S+\s+(\S+)", demo.stdout)
        assert token, demo.stdout
        with serving(env, tmp_path, free_port()) as base:
            page = (await graphql(base, token.group(1), CONVERSATION))["ticketByNumber"]
            requester = page["requester"]["email"]
            variables = {"input": {"ticketId": page["id"], "body": "<p>Did the restart help?</p>"}}
            assert (await graphql(base, token.group(1), REPLY, variables))["addPublicReply"][
                "__typename"
            ] == "AddCommentSuccess"
            [mail] = [m for m in await asyncio.to_thread(_mails_to, outgoing, requester)]
            assert "Did the restart help?" in mail.text
            await deliver(listener, reply_to(mail, "Yes, all fine now."))
            latest = (await graphql(base, token.group(1), CONVERSATION))["ticketByNumber"]
            newest = latest["conversation"]["nodes"][0]
            assert newest == {
                "kind": "PUBLIC_REPLY",
                "channel": "EMAIL",
                "text": "Yes, all fine now.",
                "author": {"email": requester},
            }
    finally:
        outgoing.stop()


def _mails_to(server: MailServer, address: str) -> list:  # type: ignore[type-arg]
    deadline = time.monotonic() + 20
    while not server.to(address):
        assert time.monotonic() < deadline, "the server did not send the reply"
        time.sleep(0.1)
    return server.to(address)


@pytest.fixture
async def room(db: Database, tmp_path: Path) -> AsyncIterator[Mailroom]:
    async with mailroom(db, tmp_path) as running:
        yield running


def _worker(room: Mailroom, database_url: str, folder: Path) -> subprocess.Popen[bytes]:
    env = environment(
        database_url=database_url,
        smtp_url=room.server.url,
        secret_key=TEST_SECRET_KEY,
        attachments_dir=str(folder / "files"),
        mail_poll_seconds="0.1",
        mail_lease_seconds="2",
        log_level="warning",
    )
    return subprocess.Popen([DESKQL, "worker"], env=env, cwd=folder, stdout=subprocess.DEVNULL)


async def test_a_worker_killed_while_delivering_leaves_the_mail_to_be_sent_after_a_restart(
    room: Mailroom, db: Database, tmp_path: Path
) -> None:
    await room.world.ticket()
    row = await OutboundMail.get()
    room.server.mode = "stall"
    worker = _worker(room, db.url, tmp_path)
    try:
        assert await asyncio.to_thread(room.server.stalled.wait, 30), "the worker never reached DATA"
        worker.kill()  # kill -9 in the middle of the SMTP conversation
        worker.wait()
        leased = await OutboundMail.get(id=row.id)
        assert (leased.status, leased.lease_owner is not None) == (OutboundStatus.PENDING, True)
        room.server.mode = "accept"
        worker = _worker(room, db.url, tmp_path)
        [mail] = await room.server.wait(1, within=30)
        assert str(mail.message["Message-ID"]) == row.message_id
        await eventually(
            lambda: OutboundMail.filter(id=row.id, status=OutboundStatus.SENT).exists(), within=10
        )
        # Sent once, not again: the only worker sends due mail one at a time, oldest first, so a mail
        # queued now arrives after anything that worker was still going to send (a barrier).
        await room.world.ticket("Later")
        later = await OutboundMail.filter(id__gt=row.id).get()
        received = await room.server.wait(2, within=30)
        assert [str(mail.message["Message-ID"]) for mail in received] == [row.message_id, later.message_id]
    finally:
        worker.kill()
        worker.wait()
