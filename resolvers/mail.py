"""Email settings and logs (admins): the mailbox, templates, outgoing and received mail."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models import mail as models_mail
from models.enums import InboundOutcome, OutboundStatus
from resolvers.results import attempt, pk
from schema.arguments import page_request
from schema.context import Info
from schema.mail_inputs import (
    HeldMailInput,
    ResetMailTemplateInput,
    SendMailAgainInput,
    UpdateMailboxInput,
    UpdateMailTemplateInput,
)
from schema.pagination import Ordering, page
from schema.payloads.mail import (
    HeldMailResult,
    HeldMailSuccess,
    MailboxResult,
    MailboxSuccess,
    MailTemplateResult,
    MailTemplateSuccess,
    OutboundMailResult,
    OutboundMailSuccess,
)
from schema.types.common import Connection, connection
from schema.types.mail import InboundMail, Mailbox, MailTemplate, OutboundMail
from services import held_mail, mail_settings, outbox, visibility

NEWEST_FIRST = Ordering((("id", True),))
First = strawberry.argument(description="Page size, at most 100.")
After = strawberry.argument(description="endCursor of the previous page.")
Described = strawberry.argument(description="What to set or do.")


async def mailbox(info: Info) -> Mailbox | None:
    row = await visibility.mailboxes(info.context.require_admin()).first()
    return Mailbox.from_model(row) if row else None


async def mail_templates(info: Info) -> list[MailTemplate]:
    return [
        MailTemplate.from_template(t) for t in await mail_settings.templates(info.context.require_admin())
    ]


async def outbound_mails(
    info: Info,
    status: Annotated[OutboundStatus | None, strawberry.argument(description="Only these.")] = None,
    first: Annotated[int, First] = 25,
    after: Annotated[str | None, After] = None,
) -> Connection[OutboundMail]:
    query = visibility.outbound_mails(info.context.require_admin())
    if status is not None:
        query = query.filter(status=status)
    found = await page(query, NEWEST_FIRST, page_request(info, NEWEST_FIRST, first, after))
    return connection(found, OutboundMail.from_model, query.count)


async def inbound_mails(
    info: Info,
    outcome: Annotated[InboundOutcome | None, strawberry.argument(description="Only these.")] = None,
    first: Annotated[int, First] = 25,
    after: Annotated[str | None, After] = None,
) -> Connection[InboundMail]:
    query = visibility.inbound_mails(info.context.require_admin())
    if outcome is not None:
        query = query.filter(outcome=outcome)
    found = await page(query, NEWEST_FIRST, page_request(info, NEWEST_FIRST, first, after))
    return connection(found, InboundMail.from_model, query.count)


async def update_mailbox(info: Info, input: Annotated[UpdateMailboxInput, Described]) -> MailboxResult:
    return await attempt(
        lambda: mail_settings.set_mailbox(info.context.viewer, address=input.address),
        lambda row: MailboxSuccess(mailbox=Mailbox.from_model(row)),
    )


async def update_mail_template(
    info: Info, input: Annotated[UpdateMailTemplateInput, Described]
) -> MailTemplateResult:
    return await attempt(
        lambda: mail_settings.set_template(
            info.context.viewer, input.kind, subject=input.subject, body=input.body
        ),
        lambda template: MailTemplateSuccess(template=MailTemplate.from_template(template)),
    )


async def reset_mail_template(
    info: Info, input: Annotated[ResetMailTemplateInput, Described]
) -> MailTemplateResult:
    return await attempt(
        lambda: mail_settings.reset_template(info.context.viewer, input.kind),
        lambda template: MailTemplateSuccess(template=MailTemplate.from_template(template)),
    )


async def send_mail_again(info: Info, input: Annotated[SendMailAgainInput, Described]) -> OutboundMailResult:
    async def call() -> models_mail.OutboundMail:
        return await outbox.send_again(info.context.viewer, pk(input.id, "OutboundMail", "id"))

    return await attempt(call, lambda row: OutboundMailSuccess(mail=OutboundMail.from_model(row)))


async def release_held_mail(info: Info, input: Annotated[HeldMailInput, Described]) -> HeldMailResult:
    async def call() -> models_mail.InboundMail:
        return await held_mail.release(
            info.context.viewer, pk(input.inbound_mail_id, "InboundMail", "inboundMailId")
        )

    return await attempt(call, lambda row: HeldMailSuccess(mail=InboundMail.from_model(row)))


async def discard_held_mail(info: Info, input: Annotated[HeldMailInput, Described]) -> HeldMailResult:
    async def call() -> models_mail.InboundMail:
        return await held_mail.discard(
            info.context.viewer, pk(input.inbound_mail_id, "InboundMail", "inboundMailId")
        )

    return await attempt(call, lambda row: HeldMailSuccess(mail=InboundMail.from_model(row)))
