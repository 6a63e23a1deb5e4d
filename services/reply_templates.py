"""Quick-reply templates: texts with placeholders, personal or shared with the account.

Any technician keeps personal templates; shared ones are created and changed by admins. A template is
sanitised HTML like a comment body. Placeholders are written ``{{requester.firstName}}``; an unknown one
is refused when the template is saved. Rendering fills them for one ticket, HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import ReplyTemplate
from models.people import Requester
from models.tickets import Ticket, TicketStatus
from services import validation, visibility
from services.admin import require_technician
from services.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from services.html import render, to_text
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class _Values:
    def __init__(
        self, ticket: Ticket, requester: Requester, technician: Technician, status: str, account: str
    ) -> None:
        self.ticket, self.requester, self.technician = ticket, requester, technician
        self.status, self.account = status, account


def _first(name: str) -> str:
    return name.split()[0] if name.split() else ""


def _last(name: str) -> str:
    return name.split()[-1] if len(name.split()) > 1 else ""


PLACEHOLDERS: dict[str, Callable[[_Values], str]] = {
    "requester.name": lambda v: v.requester.name,
    "requester.firstName": lambda v: _first(v.requester.name),
    "requester.lastName": lambda v: _last(v.requester.name),
    "requester.email": lambda v: v.requester.email,
    "ticket.number": lambda v: str(v.ticket.number),
    "ticket.title": lambda v: v.ticket.title,
    "ticket.status": lambda v: v.status,
    "ticket.priority": lambda v: v.ticket.priority.value.title(),
    "technician.name": lambda v: v.technician.name,
    "technician.firstName": lambda v: _first(v.technician.name),
    "technician.email": lambda v: v.technician.email,
    "account.name": lambda v: v.account,
}


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def _checked(problems: Problems, name: str, body: str) -> tuple[str, str]:
    name = validation.text(problems, "name", name, max_length=100)
    rendered = render(body)
    if rendered.empty:
        problems.add("body", "Write the template's text.")
    elif rendered.truncated:
        problems.add("body", "Templates are limited to 64,000 characters.")
    unknown = unknown_placeholders(rendered.html)
    if unknown:
        known = ", ".join("{{" + key + "}}" for key in PLACEHOLDERS)
        problems.add("body", f"Unknown placeholder {{{{{unknown[0]}}}}}; use one of {known}.")
    return name, rendered.html


async def create(viewer: Viewer, *, name: str, body: str, shared: bool) -> ReplyTemplate:
    """Raises PermissionDenied (shared by a non-admin), ValidationFailed (name, body)."""
    require_technician(viewer)
    if shared and not viewer.is_admin:
        raise PermissionDenied("Only admins create shared templates; save it as personal.")
    problems = Problems()
    name, body = _checked(problems, name, body)
    problems.raise_if_any()
    async with unit_of_work():
        return await ReplyTemplate.create(
            account_id=viewer.account_id,
            owner_id=None if shared else viewer.technician_id,
            name=name,
            body=body,
        )


async def _editable(viewer: Viewer, template_id: int) -> ReplyTemplate:
    require_technician(viewer)
    template = await visibility.reply_templates(viewer).get_or_none(id=template_id)
    if template is None:
        raise NotFound("id")
    if template.owner_id is None and not viewer.is_admin:
        raise PermissionDenied("Only admins change shared templates.")
    return template


async def update(viewer: Viewer, template_id: int, *, name: str = UNSET, body: str = UNSET) -> ReplyTemplate:
    """Raises PermissionDenied, NotFound (id), ValidationFailed (name, body)."""
    template = await _editable(viewer, template_id)
    problems = Problems()
    new_name, new_body = _checked(
        problems, template.name if name is UNSET else name, template.body if body is UNSET else body
    )
    problems.raise_if_any()
    async with unit_of_work():
        await ReplyTemplate.filter(id=template.id).update(name=new_name, body=new_body, updated_at=utcnow())
    return await ReplyTemplate.get(id=template.id)


async def delete(viewer: Viewer, template_id: int) -> None:
    """Raises PermissionDenied, NotFound (id)."""
    template = await _editable(viewer, template_id)
    async with unit_of_work():
        await ReplyTemplate.filter(id=template.id).delete()


async def render_for(viewer: Viewer, template_id: int, ticket_id: int) -> tuple[str, str]:
    """The template filled in for a ticket: (HTML, text). Raises NotFound (templateId, ticketId)."""
    require_technician(viewer)
    template = await visibility.reply_templates(viewer).get_or_none(id=template_id)
    if template is None:
        raise NotFound("templateId")
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    values = _Values(
        ticket,
        await Requester.get(id=ticket.requester_id),
        await Technician.get(id=viewer.technician_id),
        (await TicketStatus.get(id=ticket.status_id)).name,
        (await Account.get(id=viewer.account_id)).name,
    )

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in PLACEHOLDERS:  # saved before the placeholder was retired
            raise ValidationFailed.one(
                "templateId", f"The template uses an unknown placeholder {{{{{key}}}}}."
            )
        return html.escape(PLACEHOLDERS[key](values))

    filled = _PLACEHOLDER.sub(fill, template.body)
    return filled, to_text(filled)
