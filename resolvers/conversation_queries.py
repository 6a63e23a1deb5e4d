"""Reading what the reply box needs: cc suggestions, templates, notifications, ticket settings."""

from __future__ import annotations

from typing import Annotated

import strawberry
from tortoise.expressions import Q

from schema.arguments import object_id, page_request
from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.loaders.base import ConnectionKey
from schema.pagination import Ordering
from schema.types.common import Connection, connection
from schema.types.conversation import Author
from schema.types.notifications import Notification
from schema.types.people import Requester, Technician
from schema.types.replies import RenderedReply, ReplyTemplate, TicketSettings
from services import reply_templates, ticket_settings, visibility
from services.errors import DomainError
from services.validation import printable

NEWEST_FIRST = Ordering((("created_at", True), ("id", True)))


async def cc_suggestions(
    info: Info,
    query: Annotated[str, strawberry.argument(description="Part of a name or email address.")],
    first: Annotated[int, strawberry.argument(description="At most this many, up to 50.")] = 10,
) -> list[Author]:
    viewer = info.context.require_technician()
    if not 1 <= first <= 50:
        raise ClientError(f"`first` must be between 1 and 50 (got {first}).", BAD_USER_INPUT)
    text = printable(query).strip()
    if not text:
        return []
    matches = Q(name__icontains=text) | Q(email__icontains=text)
    technicians = (
        await visibility.technicians(viewer).filter(matches, active=True).order_by("name", "id").limit(first)
    )
    requesters = await visibility.requesters(viewer).filter(matches).order_by("name", "id").limit(first)
    people: list[Author] = [Technician.from_model(t) for t in technicians] + [
        Requester.from_model(r) for r in requesters
    ]
    return sorted(people, key=lambda person: person.name.lower())[:first]


async def reply_templates_list(info: Info) -> list[ReplyTemplate]:
    viewer = info.context.require_technician()
    rows = await visibility.reply_templates(viewer).order_by("name", "id")
    return [ReplyTemplate.from_model(row) for row in rows]


async def render_reply_template(
    info: Info,
    template_id: Annotated[strawberry.ID, strawberry.argument(description="The template.")],
    ticket_id: Annotated[strawberry.ID, strawberry.argument(description="The ticket to fill it in for.")],
) -> RenderedReply | None:
    viewer = info.context.require_technician()
    try:
        body, text = await reply_templates.render_for(
            viewer,
            object_id(template_id, "ReplyTemplate", "templateId"),
            object_id(ticket_id, "Ticket", "ticketId"),
        )
    except DomainError:
        return None
    return RenderedReply(body=body, text=text)


async def notifications_list(
    info: Info,
    unread_only: Annotated[bool, strawberry.argument(description="Only those not marked read.")] = False,
    first: Annotated[int, strawberry.argument(description="Page size, at most 100.")] = 20,
    after: Annotated[str | None, strawberry.argument(description="endCursor of the previous page.")] = None,
) -> Connection[Notification]:
    viewer = info.context.require_technician()
    assert viewer.technician_id is not None
    request = page_request(info, NEWEST_FIRST, first, after)
    page = await info.context.loaders.notifications.load(
        ConnectionKey(viewer.technician_id, NEWEST_FIRST, request, unread_only)
    )

    async def count() -> int:
        query = visibility.notifications(viewer)
        return await (query.filter(read_at__isnull=True) if unread_only else query).count()

    return connection(page, Notification.from_model, count)


async def ticket_settings_of(info: Info) -> TicketSettings:
    return TicketSettings.from_model(await ticket_settings.settings_of(info.context.viewer.account_id))
