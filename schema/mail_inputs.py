"""Inputs for the account's email settings (admins)."""

from __future__ import annotations

import strawberry

from schema.enums import MailKind


@strawberry.input(description="Where new tickets arrive by email.")
class UpdateMailboxInput:
    address: str = strawberry.field(description="The address, unique across deskql.")


@strawberry.input(description="Your version of one kind of email.")
class UpdateMailTemplateInput:
    kind: MailKind = strawberry.field(description="Which email.")
    subject: str = strawberry.field(description="One line, at most 250 characters, with placeholders.")
    body: str = strawberry.field(description="Plain text, at most 20,000 characters, with placeholders.")


@strawberry.input(description="A kind of email to return to the built-in text.")
class ResetMailTemplateInput:
    kind: MailKind = strawberry.field(description="Which email.")


@strawberry.input(description="A FAILED email to try again.")
class SendMailAgainInput:
    id: strawberry.ID = strawberry.field(description="The OutboundMail.")


@strawberry.input(description="A held email (outcome UNVERIFIED_SENDER).")
class HeldMailInput:
    inbound_mail_id: strawberry.ID = strawberry.field(description="The InboundMail.")
