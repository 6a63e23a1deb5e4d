"""Mail out: building the MIME message and handing it to an SMTP server (aiosmtplib) or a folder.

``DESKQL_SMTP_URL`` chooses: ``smtp://[user:password@]host[:port]`` (STARTTLS when the server offers
it; ``?starttls=required`` insists), ``smtps://...`` (TLS from the start, port 465). Without one, mail
is written as ``.eml`` files into a folder, which is what the embedded default does.
"""

from __future__ import annotations

import email.utils
import os
import re
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from services.outbox import DeliveryFailed, MailSender, OutgoingMail

ORIGIN_HEADER = "X-Deskql-Origin"
TIMEOUT_SECONDS = 60.0


def _name(value: str) -> str:
    """A display name on one line: control characters (line breaks above all) become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def mime(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Message-ID"] = mail.message_id
    message["Date"] = email.utils.format_datetime(mail.date)
    message["From"] = email.utils.formataddr((_name(mail.from_name), mail.from_address))
    message["To"] = email.utils.formataddr((_name(mail.to_name), mail.to)) if mail.to_name else mail.to
    message["Reply-To"] = mail.reply_to
    message["Subject"] = _name(mail.subject)
    if mail.references:
        message["In-Reply-To"] = mail.references[-1]
        message["References"] = " ".join(mail.references)
    # Ask auto-responders (vacation replies, Exchange's out-of-office) not to answer, and mark the
    # mail as ours so that it is recognised if it comes back.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message[ORIGIN_HEADER] = mail.origin
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for file in mail.files:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(
            file.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=file.filename,
        )
    return message


class SmtpSender:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        options = parse_qs(parts.query)
        self.hostname = parts.hostname or "127.0.0.1"
        self.implicit_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.start_tls: bool | None = True if options.get("starttls") == ["required"] else None
        if self.implicit_tls:
            self.start_tls = False

    async def send(self, mail: OutgoingMail) -> None:
        try:
            await aiosmtplib.send(
                mime(mail),
                sender=mail.from_address,
                recipients=[mail.to],
                hostname=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.implicit_tls,
                start_tls=self.start_tls,
                timeout=TIMEOUT_SECONDS,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            refusal = error.recipients[0] if error.recipients else None
            permanent = refusal is not None and refusal.code >= 500
            raise DeliveryFailed(f"recipient refused: {refusal}", permanent=permanent) from error
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"{error.code} {error.message}", permanent=error.code >= 500) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class DirectorySender:
    """Writes each mail to ``<folder>/<message id>.eml``; sending again rewrites the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, mail: OutgoingMail) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / (_UNSAFE.sub("_", mail.message_id.strip("<>")) + ".eml")
            partial = path.with_suffix(".partial")
            partial.write_bytes(mime(mail).as_bytes())
            os.replace(partial, path)
        except OSError as error:
            raise DeliveryFailed(f"cannot write {self.folder}: {error}") from error


def build_sender(smtp_url: str, folder: Path) -> MailSender:
    return SmtpSender(smtp_url) if smtp_url else DirectorySender(folder)
