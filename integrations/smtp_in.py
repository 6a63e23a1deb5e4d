"""Mail in over SMTP (aiosmtpd): a listener that takes mail for reply tokens and account mailboxes.

Unknown recipients are refused at RCPT (550), so the listener never accepts mail it would have to
bounce; mail over the size limit is refused by aiosmtpd (552). Every accepted message goes to
services.mail_in; when that cannot reach the database the sender is told to try again later (451).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from integrations.mime_in import MAX_RECIPIENTS, read
from services import mail_in

log = logging.getLogger("deskql.mail")


class InboundHandler:
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        try:
            accepted = await mail_in.accepts(address)
        except Exception:
            log.exception("cannot check recipient %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if not accepted:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        sender = envelope.mail_from or ""
        # Parsing a large message takes a while: off the event loop, so other requests go on.
        mail = await asyncio.to_thread(
            read, raw, recipients=list(envelope.rcpt_tos), envelope_sender="" if sender == "<>" else sender
        )
        try:
            await mail_in.receive(mail)
        except Exception:
            log.exception("cannot take mail from %s", sender)
            return "451 4.3.0 Temporary failure, try again later"
        return "250 2.0.0 Message accepted"


async def start(host: str, port: int, max_bytes: int) -> asyncio.Server:
    """Listen on host:port in the running event loop."""
    handler = InboundHandler()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line at INFO

    def protocol() -> Any:
        return SMTP(
            handler,
            data_size_limit=max_bytes,
            enable_SMTPUTF8=True,
            hostname="deskql",
            command_call_limit={"RCPT": MAX_RECIPIENTS, "*": 200},
        )

    return await asyncio.get_running_loop().create_server(protocol, host, port, reuse_port=True)
