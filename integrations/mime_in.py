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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_RECIPIENTS = 100
"""More recipients than this are not looked at (the envelope's first ones, or the headers')."""


def _line(value: str) -> str:
    """One line of text without control characters (names, subjects, ids)."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _text(value: str) -> str:
    """Text without NUL and other control characters, keeping line breaks and tabs."""
    return _CONTROL.sub("", value)


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
    try:
        content = part.get_content()
    except LookupError:  # a charset Python does not know (x-unknown, unknown-8bit): read it as UTF-8
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
    return _text(content if isinstance(content, str) else content.decode("utf-8", "replace"))


def _files(message: EmailMessage) -> list[IncomingFile]:
    files = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and (part.get_filename() or payload):
            files.append(IncomingFile(_line(part.get_filename() or "") or "attachment", payload))
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
        recipients = list(dict.fromkeys(address.strip().lower() for address in recipients))[:MAX_RECIPIENTS]
        headers = {key.lower(): str(value) for key, value in reversed(message.items())}
        thread = _ids(message.get("In-Reply-To")) + list(reversed(_ids(message.get("References"))))
        message_ids = _ids(message.get("Message-ID"))
        return IncomingMail(
            raw=raw,
            recipients=tuple(recipients),
            sender=_line(sender),
            sender_name=_line(name),
            envelope_sender=envelope_sender,
            subject=_line(str(message.get("Subject", ""))),
            message_id=_line(message_ids[0]) if message_ids else "",
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
            recipients=tuple(recipients or ())[:MAX_RECIPIENTS],
            sender="",
            envelope_sender=envelope_sender,
            defects=(f"unreadable: {type(error).__name__}: {error}",),
        )
