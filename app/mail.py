"""Wiring email from settings: the mail configuration, the outbox delivery job, the SMTP listener and
the inbound HTTP endpoint."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.jobs import Job
from app.settings import Settings
from integrations.mime_in import read
from integrations.smtp import build_sender
from services import mail_in, outbox
from services.mail_config import MailConfig

BATCH = 20


def mail_config(settings: Settings) -> MailConfig:
    return MailConfig(
        from_address=settings.mail_from,
        inbound_domain=settings.mail_inbound_domain,
        # A key of its own, so that a reply token can never pass for a download link or the reverse.
        key=hmac.new(settings.signing_key, b"deskql mail", hashlib.sha256).digest(),
        app_url=settings.app_url,
        max_attempts=settings.mail_max_attempts,
        retry_seconds=settings.mail_retry_seconds,
        lease_seconds=settings.mail_lease_seconds,
        max_inbound_file_bytes=settings.max_attachment_bytes,
        max_inbound_comment_bytes=settings.max_comment_attachment_bytes,
        trusted_authserv_id=settings.mail_trusted_authserv_id.strip().lower(),
        reader=read,
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def delivery_job(settings: Settings, config: MailConfig) -> Job:
    """Send what the outbox holds, batch after batch while batches come back full."""
    sender = build_sender(settings.smtp_url, settings.mail_dir)
    worker = worker_name()
    stopping = asyncio.Event()

    async def deliver() -> None:
        while not stopping.is_set():
            sent = await outbox.deliver_due(config, sender, worker, limit=BATCH, stopping=stopping.is_set)
            if sent < BATCH:
                return

    async def release() -> None:
        await outbox.release(worker)

    return Job("mail-delivery", settings.mail_poll_seconds, deliver, release, stopping)


@asynccontextmanager
async def listening(settings: Settings) -> AsyncIterator[None]:
    """The SMTP listener, when DESKQL_SMTP_IN_PORT is set (every worker shares the port)."""
    if settings.smtp_in_port is None:
        yield
        return
    from integrations import smtp_in  # aiosmtpd, imported only where the listener runs

    server = await smtp_in.start(settings.smtp_in_host, settings.smtp_in_port, settings.mail_max_bytes)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


def inbound_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """POST /mail/inbound: raw MIME from an inbound-parse service, ``Authorization: Bearer <secret>``;
    ``?to=`` (repeatable) gives the envelope recipients, else the To and Cc headers are used."""
    expected = f"Bearer {settings.mail_inbound_secret}".encode()

    async def endpoint(request: Request) -> Response:
        if not settings.mail_inbound_secret:
            return JSONResponse({"error": "The inbound mail endpoint is not enabled."}, status_code=404)
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return JSONResponse({"error": "Wrong or missing inbound mail secret."}, status_code=401)
        raw = await request.body()
        if not raw:
            return JSONResponse(
                {"error": "The body must be the raw email (message/rfc822)."}, status_code=400
            )
        mail = await asyncio.to_thread(read, raw, recipients=request.query_params.getlist("to"))
        row = await mail_in.receive(mail)
        return JSONResponse({"id": row.id, "outcome": row.outcome.value, "detail": row.detail})

    return endpoint
