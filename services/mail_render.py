"""The text of outgoing email: built-in templates, placeholders, and filling them in.

A template is a subject line and a plain-text body with ``{{placeholders}}``. The text part is the body
filled in; the HTML part is the same body escaped, with ``{{comment}}`` standing for the comment's
sanitised HTML instead of its text. Every subject starts with ``[#<number>]`` (added when a template
leaves it out), which is how people and mail programs recognise the ticket.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from models.enums import MailKind

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MAX_SUBJECT = 250
MAX_TEMPLATE_BODY = 20_000

DEFAULTS: dict[MailKind, tuple[str, str]] = {
    MailKind.TICKET_CREATED: (
        "{{ticket.title}}",
        "Hello {{recipient.firstName}},\n\n"
        "we have received your request and will get back to you soon. "
        "Reply to this email to add anything.\n\n"
        "{{ticket.title}}\n{{ticket.description}}\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
    MailKind.PUBLIC_REPLY: (
        "{{ticket.title}}",
        "{{author.name}} wrote:\n\n{{comment}}\n\n"
        "Status: {{ticket.status}}\n"
        "Reply to this email to answer.\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
    MailKind.INTERNAL_NOTE: (
        "Internal note: {{ticket.title}}",
        "{{author.name}} wrote an internal note:\n\n{{comment}}\n\n"
        "Replies to this email are added as internal notes, never shown to the requester.\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
    MailKind.TICKET_RESOLVED: (
        "Resolved: {{ticket.title}}",
        "Hello {{recipient.firstName}},\n\n"
        "your request has been resolved ({{ticket.status}}). "
        "If something is still wrong, reply to this email and we will pick it up again.\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
    MailKind.TICKET_CLOSED: (
        "Closed: {{ticket.title}}",
        "Hello {{recipient.firstName}},\n\n"
        "your request has been closed ({{ticket.status}}).\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
    MailKind.SATISFACTION_SURVEY: (
        "How did we do? {{ticket.title}}",
        "Hello {{recipient.firstName}},\n\n"
        "we have finished working on your request ({{ticket.status}}). "
        "Three quick ratings tell us how we handled it:\n\n"
        "{{survey.url}}\n\n"
        "Thank you!\n",
    ),
    MailKind.TICKET_UPDATED: (
        "Updated: {{ticket.title}}",
        "Hello {{recipient.firstName}},\n\n"
        "your request has been updated; its status is now {{ticket.status}}.\n\n"
        "Ticket #{{ticket.number}}: {{ticket.url}}\n",
    ),
}


@dataclass(frozen=True)
class Values:
    """What the placeholders of one email stand for."""

    ticket_number: int
    ticket_title: str
    ticket_description: str
    ticket_status: str
    ticket_url: str
    survey_url: str
    account_name: str
    requester_name: str
    recipient_name: str
    author_name: str = ""
    comment_text: str = ""
    comment_html: str = ""


def _first(name: str) -> str:
    return name.split()[0] if name.split() else ""


PLACEHOLDERS: dict[str, Callable[[Values], str]] = {
    "ticket.number": lambda v: str(v.ticket_number),
    "ticket.title": lambda v: v.ticket_title,
    "ticket.description": lambda v: v.ticket_description,
    "ticket.status": lambda v: v.ticket_status,
    "ticket.url": lambda v: v.ticket_url,
    "survey.url": lambda v: v.survey_url,
    "account.name": lambda v: v.account_name,
    "requester.name": lambda v: v.requester_name,
    "requester.firstName": lambda v: _first(v.requester_name),
    "recipient.name": lambda v: v.recipient_name,
    "recipient.firstName": lambda v: _first(v.recipient_name) or "there",
    "author.name": lambda v: v.author_name,
    "comment": lambda v: v.comment_text,
}


def unknown_placeholders(template: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _fill(template: str, values: Values, escape: Callable[[str], str], comment: str) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "comment":
            return comment
        known = PLACEHOLDERS.get(key)
        return escape(known(values)) if known else ""

    return PLACEHOLDER.sub(value, template)


def render(subject: str, body: str, values: Values) -> Rendered:
    """Fill a template in; placeholders retired since it was saved become empty."""
    filled_subject = " ".join(_fill(subject, values, str, values.comment_text).split())
    tag = f"[#{values.ticket_number}]"
    if tag not in filled_subject:
        filled_subject = f"{tag} {filled_subject}"
    text = _fill(body, values, str, values.comment_text)
    # Escape the template's own text and every value; only the comment's HTML (sanitised when it was
    # written) goes in as markup.
    marker = "\x00comment\x00"
    escaped = html.escape(_fill(body, values, lambda s: s.replace("\x00", ""), marker))
    lines = escaped.replace(marker, "\x00").split("\n")
    html_body = "<br>\n".join(lines).replace("\x00", f"</p><div>{values.comment_html}</div><p>")
    page = (
        '<!DOCTYPE html><html><body><div style="font-family: sans-serif; font-size: 14px">'
        f"<p>{html_body}</p></div></body></html>"
    )
    return Rendered(subject=filled_subject[:MAX_SUBJECT], text=text, html=page)
