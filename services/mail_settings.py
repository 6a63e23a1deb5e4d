"""An account's email settings (admins): the mailbox new tickets arrive at, and the mail templates.

- The mailbox address is unique across deskql: it says which account a new email belongs to. The first
  account to set an address holds it until it sets another one (or is deleted); deskql cannot tell who
  owns an address, and an address brings mail only when its owner forwards it to deskql. An address
  another account holds, deskql's own From address and reply addresses of the inbound domain are all
  refused with the one UNAVAILABLE message, so no account learns another's address from the error.
  Whether strangers may open tickets by email is a ticket setting (services.ticket_settings).
- A template has a one-line subject (at most 250 characters) and a plain-text body (at most 20,000)
  with placeholders from services.mail_render; an unknown placeholder is refused naming the field.
  Resetting a template returns it to the built-in text.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from models.clock import utcnow
from models.enums import MailKind
from models.mail import Mailbox, MailTemplate
from services import validation, visibility
from services.admin import require_admin
from services.errors import Problems, ValidationFailed
from services.mail_config import mail_config
from services.mail_render import DEFAULTS, MAX_SUBJECT, MAX_TEMPLATE_BODY, PLACEHOLDERS, unknown_placeholders
from services.unit_of_work import unit_of_work
from services.viewer import Viewer


async def mailbox_of(viewer: Viewer) -> Mailbox | None:
    """Raises PermissionDenied."""
    require_admin(viewer)
    return await visibility.mailboxes(viewer).first()


UNAVAILABLE = "This address cannot be used for a mailbox."


def _reserved(address: str) -> bool:
    """deskql's own addresses: the From address of every mail and the reply addresses."""
    config = mail_config()
    if config is None:
        return False
    reply = address.startswith("reply+") and address.endswith("@" + config.inbound_domain.lower())
    return reply or address == config.from_address.lower()


async def set_mailbox(viewer: Viewer, *, address: str) -> Mailbox:
    """Raises PermissionDenied, ValidationFailed (address: not an address, or UNAVAILABLE)."""
    require_admin(viewer)
    problems = Problems()
    address = validation.email(problems, "address", address)
    problems.raise_if_any()
    if _reserved(address):
        raise ValidationFailed.one("address", UNAVAILABLE)
    try:
        async with unit_of_work():
            if await Mailbox.filter(address=address).exclude(account_id=viewer.account_id).exists():
                raise ValidationFailed.one("address", UNAVAILABLE)
            await Mailbox.update_or_create(
                account_id=viewer.account_id, defaults={"address": address, "updated_at": utcnow()}
            )
    except IntegrityError as error:  # another account took it at the same moment: the unique key refuses
        raise ValidationFailed.one("address", UNAVAILABLE) from error
    mailbox = await visibility.mailboxes(viewer).first()
    assert mailbox is not None
    return mailbox


@dataclass(frozen=True)
class Template:
    kind: MailKind
    subject: str
    body: str
    is_default: bool


async def templates(viewer: Viewer) -> list[Template]:
    """Every kind, the account's version or the built-in one. Raises PermissionDenied."""
    require_admin(viewer)
    saved = {row.kind: row for row in await visibility.mail_templates(viewer)}
    return [
        Template(kind, saved[kind].subject, saved[kind].body, False)
        if kind in saved
        else Template(kind, *DEFAULTS[kind], True)
        for kind in MailKind
    ]


def _known(problems: Problems, field: str, text: str) -> None:
    unknown = unknown_placeholders(text)
    if unknown:
        known = ", ".join("{{" + key + "}}" for key in PLACEHOLDERS)
        problems.add(field, f"Unknown placeholder {{{{{unknown[0]}}}}}; use one of {known}.")


async def set_template(viewer: Viewer, kind: MailKind, *, subject: str, body: str) -> Template:
    """Raises PermissionDenied, ValidationFailed (subject, body)."""
    require_admin(viewer)
    problems = Problems()
    subject = validation.text(problems, "subject", subject, max_length=MAX_SUBJECT)
    if "\n" in subject or "\r" in subject:
        problems.add("subject", "A subject is one line.")
    body = validation.text(problems, "body", body, max_length=MAX_TEMPLATE_BODY)
    _known(problems, "subject", subject)
    _known(problems, "body", body)
    problems.raise_if_any()
    async with unit_of_work():
        await MailTemplate.update_or_create(
            account_id=viewer.account_id,
            kind=kind,
            defaults={"subject": subject, "body": body, "updated_at": utcnow()},
        )
    return Template(kind, subject, body, False)


async def reset_template(viewer: Viewer, kind: MailKind) -> Template:
    """Back to the built-in text. Raises PermissionDenied."""
    require_admin(viewer)
    async with unit_of_work():
        await visibility.mail_templates(viewer).filter(kind=kind).delete()
    return Template(kind, *DEFAULTS[kind], True)
