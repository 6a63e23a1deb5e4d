"""deskql's mail, wired for a test: outgoing mail lands in a real SMTP server on loopback, and mail comes
in through deskql's own SMTP listener, also on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from app.database import Database
from integrations import smtp_in
from integrations.smtp import SmtpSender
from models.mail import InboundMail, Mailbox
from services import outbox
from services.mail_config import MailConfig, mail_config
from tests.api import Api
from tests.factories import World, make_world
from tests.mailserver import MailServer, Received, deliver
from tests.servers import free_port

MAILBOX = "help@acme.test"
MAX_MAIL_BYTES = 300_000


@dataclass
class Mailroom:
    api: Api
    world: World
    server: MailServer
    """Where deskql's outgoing mail lands."""
    port: int
    """deskql's SMTP listener."""
    config: MailConfig

    async def send_out(self, worker: str = "test") -> int:
        """One pass of the outbox worker."""
        return await outbox.deliver_due(self.config, SmtpSender(self.server.url), worker, limit=100)

    async def mails_to(self, address: str) -> list[Received]:
        await self.send_out()
        return self.server.to(address)

    async def send_in(self, message: EmailMessage, **options: Any) -> InboundMail:
        """Deliver into deskql's listener; the record of what became of it."""
        await deliver(self.port, message, **options)
        row = await InboundMail.filter(message_id=str(message["Message-ID"])).order_by("-id").first()
        assert row is not None
        return row


@asynccontextmanager
async def mailroom(db: Database, folder: Path, **settings: Any) -> AsyncIterator[Mailroom]:
    server = MailServer()
    server.start()
    settings.setdefault("mail_retry_seconds", 0.2)
    api = Api(db, smtp_url=server.url, attachments_dir=folder / "files", **settings)
    config = mail_config()
    assert config is not None
    world = await make_world()
    await Mailbox.create(account_id=world.account.id, address=MAILBOX)
    port = free_port()
    listener = await smtp_in.start("127.0.0.1", port, MAX_MAIL_BYTES)
    try:
        yield Mailroom(api, world, server, port, config)
    finally:
        listener.close()
        await listener.wait_closed()
        await asyncio.to_thread(server.stop)
