"""A real SMTP server on loopback that keeps what it receives (aiosmtpd, in a thread of its own), and
a helper that sends mail into deskql's listener with smtplib, the way another mail server does."""

from __future__ import annotations

import asyncio
import email
import smtplib
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.servers import free_port


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.recipients[0]

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None
        return str(part.get_content())


class _Keeper:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.server.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        mode = self.server.mode
        if mode == "stall":
            self.server.stalled.set()
            await asyncio.sleep(3600)
        if mode == "refuse":
            return "451 4.3.0 Try again later"
        if self.server.delay_seconds:
            await asyncio.sleep(self.server.delay_seconds)
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode(), policy=default)
        assert isinstance(message, EmailMessage)
        with self.server.lock:
            self.server.received.append(Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), message))
        return "250 OK"


class MailServer:
    """``mode``: "accept" keeps mail, "refuse" answers 451, "stall" never answers DATA."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mode = "accept"
        self.delay_seconds = 0.0
        """How long each mail takes to be accepted (a slow relay)."""
        self.refuse: set[str] = set()
        """Addresses refused at RCPT (550)."""
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(_Keeper(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop(no_assert=True)
            self._controller = None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [mail for mail in self.received if address in mail.recipients]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} mails arrived"
            time.sleep(0.05)

    async def wait(self, count: int, within: float = 20.0) -> list[Received]:
        return await asyncio.to_thread(self.wait_for, count, within)


def reply_to(
    original: Received,
    body: str,
    *,
    sender: str | None = None,
    subject: str | None = None,
    threading_headers: bool = True,
    quote: bool = True,
    **headers: str,
) -> EmailMessage:
    """What a person's mail program sends when they press Reply (Outlook: threading_headers=False)."""
    message = EmailMessage()
    message["From"] = sender or original.to
    message["To"] = str(original.message["Reply-To"])
    message["Subject"] = subject if subject is not None else "Re: " + str(original.message["Subject"])
    message["Message-ID"] = email.utils.make_msgid(domain="client.test")
    if threading_headers:
        message["In-Reply-To"] = str(original.message["Message-ID"])
        message["References"] = f"{original.message.get('References', '')} {original.message['Message-ID']}"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    quoted = "\n".join("> " + line for line in original.text.splitlines())
    tail = f"\n\nOn Mon, 30 Nov 2026 at 10:00, Helpdesk <{original.message['Reply-To']}> wrote:\n{quoted}\n"
    message.set_content(body + (tail if quote else ""))
    return message


def send(
    port: int, message: EmailMessage, *, envelope_to: list[str] | None = None, mail_from: str | None = None
) -> Any:
    """Deliver into deskql's SMTP listener like a mail server would; returns smtplib's refusals."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.send_message(message, from_addr=mail_from, to_addrs=envelope_to)


async def deliver(port: int, message: EmailMessage, **options: Any) -> Any:
    return await asyncio.to_thread(send, port, message, **options)
