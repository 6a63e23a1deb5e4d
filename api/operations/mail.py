"""Email (admins): the mailbox new tickets arrive at, templates, and the logs of mail out and in."""

from __future__ import annotations

import strawberry

from resolvers import mail as r
from schema.payloads.mail import HeldMailResult, MailboxResult, MailTemplateResult, OutboundMailResult
from schema.types.common import Connection
from schema.types.mail import InboundMail, Mailbox, MailTemplate, OutboundMail


@strawberry.type
class MailQueries:
    mailbox: Mailbox | None = strawberry.field(
        resolver=r.mailbox, description="Where new tickets arrive by email; null until set (admins)."
    )
    mail_templates: list[MailTemplate] = strawberry.field(
        resolver=r.mail_templates, description="Every kind of email with its current text (admins)."
    )
    outbound_mails: Connection[OutboundMail] = strawberry.field(
        resolver=r.outbound_mails, description="Email sent and waiting, newest first (admins)."
    )
    inbound_mails: Connection[InboundMail] = strawberry.field(
        resolver=r.inbound_mails, description="Email received and what became of it, newest first (admins)."
    )


@strawberry.type
class MailMutations:
    update_mailbox: MailboxResult = strawberry.field(
        resolver=r.update_mailbox, description="Set where new tickets arrive by email (admins)."
    )
    update_mail_template: MailTemplateResult = strawberry.field(
        resolver=r.update_mail_template, description="Change the text of one kind of email (admins)."
    )
    reset_mail_template: MailTemplateResult = strawberry.field(
        resolver=r.reset_mail_template, description="Return one kind of email to its built-in text (admins)."
    )
    send_mail_again: OutboundMailResult = strawberry.field(
        resolver=r.send_mail_again, description="Queue a FAILED email once more (admins)."
    )
    release_held_mail: HeldMailResult = strawberry.field(
        resolver=r.release_held_mail,
        description=(
            "Post a held email (UNVERIFIED_SENDER) into the ticket it was held for, as if its sender were "
            "verified (admins)."
        ),
    )
    discard_held_mail: HeldMailResult = strawberry.field(
        resolver=r.discard_held_mail,
        description="Discard a held email (UNVERIFIED_SENDER): nothing is posted (admins).",
    )
