"""Results of mutations. Mailboxes, mail templates and outbound mail."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.mail import InboundMail, Mailbox, MailTemplate, OutboundMail


@strawberry.type(description="The mailbox as saved.")
class MailboxSuccess:
    mailbox: Mailbox = strawberry.field(description="The mailbox.")


@strawberry.type(description="The template as it now is.")
class MailTemplateSuccess:
    template: MailTemplate = strawberry.field(description="The template.")


@strawberry.type(description="The email is queued again.")
class OutboundMailSuccess:
    mail: OutboundMail = strawberry.field(description="The email.")


MailboxResult = Annotated[
    MailboxSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("MailboxResult", description="The mailbox, or why not."),
]
MailTemplateResult = Annotated[
    MailTemplateSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("MailTemplateResult", description="The template, or why not."),
]
OutboundMailResult = Annotated[
    OutboundMailSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("OutboundMailResult", description="The email, or why not."),
]


@strawberry.type(description="The held email, released or discarded.")
class HeldMailSuccess:
    mail: InboundMail = strawberry.field(description="Its record as now (outcome REPLY_POSTED or DISCARDED).")


HeldMailResult = Annotated[
    HeldMailSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("HeldMailResult", description="The held email's record, or why not."),
]
