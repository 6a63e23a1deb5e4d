"""Composing email from what changed: outbox rows written in the transaction of the change itself.

Rules (per ticket, from the events of one unit of work):
- Ticket created: the requester gets TICKET_CREATED.
- Public reply: the requester and the cc list get PUBLIC_REPLY, and so do the technicians who follow
  the ticket and its assignee; never the author. A status chosen beside Send travels in that mail.
- Internal note: technicians who follow the ticket (mentioned ones follow it) get INTERNAL_NOTE, never
  the author. Whatever the routing, a recipient is mailed only the comments that services.visibility
  lets them read, so no note reaches a requester's or a cc'd person's mailbox.
- Status moved into a RESOLVED or CLOSED status without a public reply: the requester and the cc list
  get TICKET_RESOLVED or TICKET_CLOSED. With sendSurveyOnResolve or sendSurveyOnClose the requester
  also gets SATISFACTION_SURVEY (a signed link, services.survey_links) when it is resolved or closed
  (not when it is closed by a merge), once per ticket and never after the survey was answered.
Each of these mails is a default automation rule (services.automation.defaults) that an admin can turn off
or narrow with conditions. Each recipient gets a mail of their own: their own reply token in the Reply-To, and a Message-ID that
stays the same through every delivery attempt. Nothing is composed until the application has installed
a MailConfig.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from models.accounts import Account, Technician
from models.automation import AutomationRule
from models.conversation import Attachment, CcRecipient, Comment, TicketFollower
from models.enums import CommentKind, MailKind, StatusCategory
from models.mail import InboundMail, MailTemplate, OutboundMail
from models.people import Requester, SatisfactionSurvey
from models.settings import TicketSettings
from models.tickets import Ticket, TicketStatus
from services import visibility
from services.automation import conditions
from services.events import Event
from services.mail_config import MailConfig, mail_config
from services.mail_render import DEFAULTS, Values, render
from services.reply_tokens import CC, REQUESTER, TECHNICIAN, ReplyToken, thread_id
from services.survey_links import survey_url

_FINAL = {StatusCategory.RESOLVED: MailKind.TICKET_RESOLVED, StatusCategory.CLOSED: MailKind.TICKET_CLOSED}
_FINAL_RULES = {StatusCategory.RESOLVED: "mail.resolved", StatusCategory.CLOSED: "mail.closed"}


class _DefaultRules:
    """The account's default notification rules (services.automation.defaults): a mail goes out while its
    rule is enabled and its conditions hold for the ticket; an account without the rule mails as always."""

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.rules: dict[str, AutomationRule] | None = None

    async def __call__(self, key: str, comment: Comment | None = None) -> bool:
        if self.rules is None:
            rows = await AutomationRule.filter(
                account_id=self.ticket.account_id, default_key__startswith="mail."
            )
            self.rules = {str(row.default_key): row for row in rows}
        rule = self.rules.get(key)
        if rule is None:
            return True
        return rule.enabled and await conditions.matches(
            rule.conditions, conditions.Facts(self.ticket, comment)
        )


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    kind: str
    """reply_tokens.REQUESTER, TECHNICIAN or CC."""
    id: int

    @property
    def is_technician(self) -> bool:
        return self.kind == TECHNICIAN


class _Ticket:
    """One ticket and the people around it, loaded once for every mail about it."""

    def __init__(self, config: MailConfig, ticket: Ticket, status: TicketStatus) -> None:
        self.config, self.ticket, self.status = config, ticket, status
        self.account_name = ""
        self.requester_name = ""
        self.customers: list[Recipient] = []
        self.staff: list[Recipient] = []
        self.followers: list[Recipient] = []
        self.templates: dict[MailKind, tuple[str, str]] = dict(DEFAULTS)

    async def load(self) -> None:
        ticket = self.ticket
        self.account_name = (await Account.get(id=ticket.account_id)).name
        requester = await Requester.get(id=ticket.requester_id)
        self.requester_name = requester.name
        self.customers = [Recipient(requester.email, requester.name, REQUESTER, requester.id)]
        for cc in await CcRecipient.filter(ticket_id=ticket.id, comment_id__isnull=True).order_by("id"):
            self.customers.append(Recipient(cc.email, "", CC, cc.id))
        following = set(
            await TicketFollower.filter(ticket_id=ticket.id).values_list("technician_id", flat=True)
        )
        involved = following | ({ticket.assignee_id} if ticket.assignee_id else set())
        for technician in await Technician.filter(id__in=involved, active=True).order_by("id"):
            person = Recipient(technician.email, technician.name, TECHNICIAN, technician.id)
            self.staff.append(person)
            if technician.id in following:
                self.followers.append(person)
        for row in await MailTemplate.filter(account_id=ticket.account_id):
            self.templates[row.kind] = (row.subject, row.body)

    def values(self, recipient: Recipient, author: str = "", text: str = "", html: str = "") -> Values:
        ticket = self.ticket
        return Values(
            ticket_number=ticket.number,
            ticket_title=ticket.title,
            ticket_description=ticket.description,
            ticket_status=self.status.name,
            ticket_url=f"{self.config.app_url}/tickets/{ticket.number}",
            survey_url=survey_url(self.config.app_url, self.config.key, ticket.id),
            account_name=self.account_name,
            requester_name=self.requester_name,
            recipient_name=recipient.name,
            author_name=author,
            comment_text=text,
            comment_html=html,
        )


def _unique(people: Sequence[Recipient], leave_out: set[str]) -> list[Recipient]:
    seen = set(leave_out)
    chosen = []
    for person in people:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            chosen.append(person)
    return chosen


async def _author(comment: Comment) -> tuple[str, str]:
    """(name, email) of whoever wrote the comment."""
    if comment.author_technician_id is not None:
        technician = await Technician.get(id=comment.author_technician_id)
        return technician.name, technician.email
    if comment.author_requester_id is not None:
        requester = await Requester.get(id=comment.author_requester_id)
        return requester.name, requester.email
    return "", ""


async def _files(config: MailConfig, comment: Comment) -> tuple[list[int], str]:
    """The ids of the files to attach, and a line naming those too large to attach."""
    files = await Attachment.filter(comment_id=comment.id).order_by("id")
    if sum(file.size for file in files) <= config.max_attachment_bytes:
        return [file.id for file in files], ""
    names = ", ".join(file.filename for file in files)
    return [], f"Attachments (too large to send by email; open the ticket to download them): {names}"


class _Batch:
    def __init__(self, about: _Ticket) -> None:
        self.about = about
        self.rows: list[OutboundMail] = []

    def add(
        self,
        kind: MailKind,
        people: Sequence[Recipient],
        comment: Comment | None = None,
        *,
        author: str = "",
        files: Sequence[int] = (),
        references: Sequence[str] = (),
    ) -> None:
        about, config = self.about, self.about.config
        ticket = about.ticket
        scope = comment.kind if comment is not None else CommentKind.PUBLIC_REPLY
        subject, body = about.templates[kind]
        thread = thread_id(config.key, config.inbound_domain, ticket.id)
        for person in people:
            text, html = (comment.text, comment.body) if comment is not None else ("", "")
            mail = render(subject, body, about.values(person, author, text, html))
            token = ReplyToken(ticket.id, scope, person.kind, person.id)
            self.rows.append(
                OutboundMail(
                    account_id=ticket.account_id,
                    ticket_id=ticket.id,
                    comment_id=comment.id if comment is not None else None,
                    kind=kind,
                    recipient=person.email,
                    recipient_name=person.name,
                    message_id=f"<{uuid.uuid4().hex}@{config.inbound_domain}>",
                    reply_to=token.address(config.key, config.inbound_domain),
                    references=" ".join([thread, *references]),
                    subject=mail.subject,
                    text=mail.text,
                    html=mail.html,
                    attachment_ids=json.dumps(list(files)),
                )
            )


async def _comment_mails(batch: _Batch, comment: Comment) -> bool:
    """Queue the mails of one comment; True when it was a public reply."""
    about = batch.about
    name, email = await _author(comment)
    public = comment.kind is CommentKind.PUBLIC_REPLY
    routed = [*about.customers, *about.staff] if public else about.followers
    readers = [p for p in routed if comment.kind in visibility.mailed_comment_kinds(p.is_technician)]
    people = _unique(readers, {email.lower()} if email else set())
    if not people:
        return public
    files, too_large = await _files(about.config, comment)
    if too_large:
        comment.text += f"\n\n{too_large}"
        comment.body += f"<p>{too_large}</p>"
    received = [row.message_id for row in await InboundMail.filter(comment_id=comment.id) if row.message_id]
    kind = MailKind.PUBLIC_REPLY if public else MailKind.INTERNAL_NOTE
    batch.add(kind, people, comment, author=name, files=files, references=received)
    return public


async def _ticket_mails(config: MailConfig, ticket_id: int, events: list[Event]) -> list[OutboundMail]:
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None:
        return []
    status = await TicketStatus.get(id=ticket.status_id)
    about = _Ticket(config, ticket, status)
    await about.load()
    batch = _Batch(about)
    wanted = _DefaultRules(ticket)
    if any(event.type == "ticket.created" for event in events) and await wanted("mail.ticket_created"):
        batch.add(MailKind.TICKET_CREATED, _unique(about.customers[:1], set()))
    comment_ids = [event.ids["comment"] for event in events if event.type == "comment.added"]
    replied = False
    for comment in await Comment.filter(id__in=comment_ids).order_by("id"):
        if comment.kind is CommentKind.PUBLIC_REPLY and not await wanted("mail.public_reply", comment):
            replied = True  # a reply the admin chose not to mail still stands in for the status mail
            continue
        replied = await _comment_mails(batch, comment) or replied
    moved = any(event.type == "ticket.updated" and "status" in event.changes for event in events)
    final = moved and not replied and status.category in _FINAL and ticket.merged_into_id is None
    if final and await wanted(_FINAL_RULES[status.category]):
        batch.add(_FINAL[status.category], _unique(about.customers, set()))
    if moved and ticket.merged_into_id is None and await _survey_due(ticket, status.category):
        batch.add(MailKind.SATISFACTION_SURVEY, about.customers[:1])
    return batch.rows


async def _survey_due(ticket: Ticket, category: StatusCategory) -> bool:
    """Whether the ticket's move into ``category`` sends the survey: per ticket settings, once per ticket."""
    settings = await TicketSettings.get_or_none(account_id=ticket.account_id)
    wanted = settings is not None and (
        (category is StatusCategory.RESOLVED and settings.send_survey_on_resolve)
        or (category is StatusCategory.CLOSED and settings.send_survey_on_close)
    )
    return (
        wanted
        and not await OutboundMail.exists(ticket_id=ticket.id, kind=MailKind.SATISFACTION_SURVEY)
        and not await SatisfactionSurvey.exists(ticket_id=ticket.id)
    )


async def compose(events: Sequence[Event]) -> None:
    """Write the outbox rows for the events of a unit of work (inside its transaction)."""
    config = mail_config()
    if config is None:
        return
    by_ticket: dict[int, list[Event]] = {}
    for event in events:
        if event.ticket_id is not None and event.type in (
            "ticket.created",
            "comment.added",
            "ticket.updated",
        ):
            by_ticket.setdefault(event.ticket_id, []).append(event)
    rows: list[OutboundMail] = []
    for ticket_id, ticket_events in by_ticket.items():
        if any(e.type != "ticket.updated" or "status" in e.changes for e in ticket_events):
            rows += await _ticket_mails(config, ticket_id, ticket_events)
    if rows:
        await OutboundMail.bulk_create(rows)


async def send_template(
    ticket_id: int, kind: MailKind, recipients: Sequence[str], team_emails: Sequence[Recipient] = ()
) -> list[OutboundMail]:
    """An automation rule's mail: template ``kind`` to the ticket's REQUESTER, CC, ASSIGNEE and TEAM (the
    caller names the team's members), each once, as outbox rows in the caller's transaction. A note is
    never mailed (definitions refuse INTERNAL_NOTE). Nothing is written until a MailConfig is installed."""
    config = mail_config()
    ticket = await Ticket.get_or_none(id=ticket_id)
    if config is None or ticket is None:
        return []
    about = _Ticket(config, ticket, await TicketStatus.get(id=ticket.status_id))
    await about.load()
    people: list[Recipient] = []
    if "REQUESTER" in recipients:
        people += about.customers[:1]
    if "CC" in recipients:
        people += about.customers[1:]
    if "ASSIGNEE" in recipients and ticket.assignee_id is not None:
        people += [p for p in about.staff if p.id == ticket.assignee_id]
    if "TEAM" in recipients:
        people += team_emails
    batch = _Batch(about)
    batch.add(kind, _unique(people, set()))
    if batch.rows:
        await OutboundMail.bulk_create(batch.rows)
    return batch.rows
