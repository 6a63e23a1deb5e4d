"""Email settings and logs (admins): the mailbox, templates, and the mail sent and received."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import mail
from schema import ids
from schema.context import Info
from schema.enums import InboundOutcome, MailKind, OutboundStatus
from services.mail_render import PLACEHOLDERS
from services.mail_settings import Template

if TYPE_CHECKING:
    from schema.types.tickets import Ticket


@strawberry.type(description="Where the account receives new tickets by email.")
class Mailbox:
    address: str = strawberry.field(
        description="Mail to this address opens tickets (point your support address's forwarding at it)."
    )

    @classmethod
    def from_model(cls, row: mail.Mailbox) -> Mailbox:
        return cls(address=row.address)


@strawberry.type(description="The subject and plain-text body of one kind of email, with placeholders.")
class MailTemplate:
    kind: MailKind = strawberry.field(description="Which email.")
    subject: str = strawberry.field(description="One line; `[#<number>]` is put in front when missing.")
    body: str = strawberry.field(description="Plain text; the HTML part is made from it.")
    is_default: bool = strawberry.field(description="The built-in text (never changed, or reset).")

    @strawberry.field(description="The placeholders a template may use, such as {{ticket.number}}.")
    def placeholders(self) -> list[str]:
        return ["{{" + key + "}}" for key in PLACEHOLDERS]

    @classmethod
    def from_template(cls, template: Template) -> MailTemplate:
        return cls(
            kind=template.kind, subject=template.subject, body=template.body, is_default=template.is_default
        )


async def _ticket(info: Info, pk: int | None) -> Ticket | None:
    from schema.types.tickets import Ticket

    row = await info.context.loaders.ticket_by_id.load(pk) if pk else None
    return Ticket.from_model(row) if row else None


@strawberry.type(description="One email to one recipient, in the outbox or sent.")
class OutboundMail:
    id: strawberry.ID = strawberry.field(description="Opaque ID.")
    ticket_pk: strawberry.Private[int | None]
    kind: MailKind = strawberry.field(description="Which template wrote it.")
    recipient: str = strawberry.field(description="The address it goes to.")
    subject: str = strawberry.field(description="The subject line.")
    message_id: str = strawberry.field(description="Its Message-ID, the same on every attempt.")
    status: OutboundStatus = strawberry.field(description="PENDING, SENT or FAILED.")
    attempts: int = strawberry.field(description="Delivery attempts so far.")
    next_attempt_at: datetime | None = strawberry.field(description="When PENDING: the next attempt.")
    last_error: str = strawberry.field(description="What the mail server said the last time it failed.")
    created_at: datetime = strawberry.field(description="When it was written.")
    sent_at: datetime | None = strawberry.field(description="When the mail server took it.")

    @classmethod
    def from_model(cls, row: mail.OutboundMail) -> OutboundMail:
        pending = row.status.value == "PENDING"
        return cls(
            id=strawberry.ID(ids.encode("OutboundMail", row.id)),
            ticket_pk=row.ticket_id,
            kind=row.kind,
            recipient=row.recipient,
            subject=row.subject,
            message_id=row.message_id,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if pending else None,
            last_error=row.last_error,
            created_at=row.created_at,
            sent_at=row.sent_at,
        )

    @strawberry.field(description="The ticket it tells of.")
    async def ticket(self, info: Info) -> Annotated[Ticket, strawberry.lazy("schema.types.tickets")] | None:
        return await _ticket(info, self.ticket_pk)


@strawberry.type(description="One email received, and what became of it.")
class InboundMail:
    id: strawberry.ID = strawberry.field(description="Opaque ID.")
    ticket_pk: strawberry.Private[int | None]
    sender: str = strawberry.field(description="The From address.")
    subject: str = strawberry.field(description="The subject line.")
    message_id: str = strawberry.field(description="Its Message-ID.")
    outcome: InboundOutcome = strawberry.field(description="Posted, opened a ticket, or why not.")
    detail: str = strawberry.field(description="More on the outcome.")
    size: int = strawberry.field(description="Bytes received (the raw message is kept).")
    received_at: datetime = strawberry.field(description="When it arrived.")

    @classmethod
    def from_model(cls, row: mail.InboundMail) -> InboundMail:
        return cls(
            id=strawberry.ID(ids.encode("InboundMail", row.id)),
            ticket_pk=row.ticket_id,
            sender=row.sender,
            subject=row.subject,
            message_id=row.message_id,
            outcome=row.outcome,
            detail=row.detail,
            size=row.size,
            received_at=row.received_at,
        )

    @strawberry.field(description="The ticket it was posted to or opened.")
    async def ticket(self, info: Info) -> Annotated[Ticket, strawberry.lazy("schema.types.tickets")] | None:
        return await _ticket(info, self.ticket_pk)
