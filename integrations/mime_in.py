"""Reading a received email (raw MIME) into what services.mail_in needs. Never raises: what cannot be
read becomes a defect, and the mail is kept and not posted."""

from __future__ import annotations

import email
import email.utils
import re
from email import errors
from email.message import EmailMessage, Message
from email.policy import default

from services.incoming_mail import IncomingFile, IncomingMail

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_BROKEN_STRUCTURE = (
    errors.NoBoundaryInMultipartDefect,
    errors.StartBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.MissingHeaderBodySeparatorDefect,
)


def _addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    values = [str(value) for name in names for value in message.get_all(name, [])]
    return [
        (display, address.strip().lower()) for display, address in email.utils.getaddresses(values) if address
    ]


def _ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _text_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


def _files(message: EmailMessage) -> list[IncomingFile]:
    files = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and (part.get_filename() or payload):
            files.append(IncomingFile(part.get_filename() or "attachment", payload))
    return files


def _defects(message: Message) -> list[str]:
    found = []
    for part in message.walk():
        found += [type(d).__name__ for d in part.defects if isinstance(d, _BROKEN_STRUCTURE)]
    return found


def read(
    raw: bytes, *, recipients: list[str] | None = None, envelope_sender: str | None = None
) -> IncomingMail:
    try:
        message = email.message_from_bytes(raw, policy=default)
        assert isinstance(message, EmailMessage)
        defects = _defects(message)
        senders = _addresses(message, "From")
        if not senders or "@" not in senders[0][1]:
            defects.append("no From address")
        name, sender = senders[0] if senders else ("", "")
        if not recipients:
            recipients = [a for _, a in _addresses(message, "To", "Cc", "Delivered-To", "X-Original-To")]
        headers = {key.lower(): str(value) for key, value in reversed(message.items())}
        thread = _ids(message.get("In-Reply-To")) + list(reversed(_ids(message.get("References"))))
        message_ids = _ids(message.get("Message-ID"))
        return IncomingMail(
            raw=raw,
            recipients=tuple(recipients),
            sender=sender,
            sender_name=name,
            envelope_sender=envelope_sender,
            subject=" ".join(str(message.get("Subject", "")).split()),
            message_id=message_ids[0] if message_ids else "",
            thread=tuple(dict.fromkeys(thread)),
            headers=headers,
            text=_text_of(message, "plain"),
            html=_text_of(message, "html"),
            files=tuple(_files(message)),
            defects=tuple(defects),
        )
    except Exception as error:  # the email package raises on some broken headers and encodings
        return IncomingMail(
            raw=raw,
            recipients=tuple(recipients or ()),
            sender="",
            envelope_sender=envelope_sender,
            defects=(f"unreadable: {type(error).__name__}: {error}",),
        )
