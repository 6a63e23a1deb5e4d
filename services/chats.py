"""Live chat on a ticket between a technician and its requester.

- A technician starts it; a ticket in a CLOSED status (merged ones included) cannot be chatted on. A
  ticket has one open chat at a time: starting again returns it.
- The technicians of the account and the ticket's requester write to it (1..4,000 characters of text)
  while it is open; either side ends it.
- Ending appends the transcript to the conversation as a public reply by the technician who started it
  (channel CHAT), through services.conversation, so it is mailed and logged like any reply.
Emits ``chat.started``, ``chat.message`` and ``chat.ended`` (on the chat's channel), activity rows
CHAT_STARTED and CHAT_ENDED.
"""

from __future__ import annotations

import html

from models.accounts import Technician
from models.clock import utcnow
from models.enums import ActivityKind, Channel, StatusCategory
from models.people import Requester
from models.ticket_actions import Chat, ChatMessage
from models.tickets import TicketStatus
from services import activity, attachments, conversation, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

MAX_MESSAGE = 4000
_NO_FILES = attachments.Limits(max_file_bytes=0, max_comment_bytes=0)


def _event(kind: str, chat: Chat, **ids: int) -> Event:
    return Event(f"chat.{kind}", chat.account_id, chat.ticket_id, ids={"chat": chat.id, **ids})


async def start(viewer: Viewer, ticket_id: int) -> Chat:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (ticketId: closed)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        status = await TicketStatus.get(id=ticket.status_id)
        if status.category is StatusCategory.CLOSED:
            raise ValidationFailed.one("ticketId", f"#{ticket.number} is closed; reopen it to chat.")
        open_chat = await Chat.get_or_none(ticket_id=ticket.id, ended_at__isnull=True)
        if open_chat is not None:
            return open_chat
        chat = await Chat.create(
            account_id=viewer.account_id, ticket_id=ticket.id, technician_id=viewer.technician_id
        )
        await activity.record(viewer, ticket.id, ActivityKind.CHAT_STARTED, field="chat")
        work.emit(_event("started", chat))
        return chat


async def _open(viewer: Viewer, chat_id: int) -> Chat:
    chat = await visibility.chats(viewer).select_for_update(of=("chat",)).get_or_none(id=chat_id)
    if chat is None:
        raise NotFound("chatId")
    if chat.ended_at is not None:
        raise ValidationFailed.one("chatId", "The chat has ended.")
    return chat


async def send_message(viewer: Viewer, chat_id: int, text: str) -> ChatMessage:
    """Raises NotFound (chatId), ValidationFailed (chatId: ended; text)."""
    problems = Problems()
    text = validation.text(problems, "text", text, max_length=MAX_MESSAGE)
    problems.raise_if_any()
    async with unit_of_work() as work:
        chat = await _open(viewer, chat_id)
        message = await ChatMessage.create(
            chat_id=chat.id,
            author_technician_id=viewer.technician_id,
            author_requester_id=viewer.requester_id,
            text=text,
        )
        work.emit(_event("message", chat, message=message.id))
        return message


async def _transcript(chat: Chat) -> str:
    lines = []
    for message in await ChatMessage.filter(chat_id=chat.id).order_by("id"):
        author: Technician | Requester | None
        if message.author_technician_id is not None:
            author = await Technician.get_or_none(id=message.author_technician_id)
        else:
            author = await Requester.get_or_none(id=message.author_requester_id)
        name = author.name if author else "Someone"
        moment = message.created_at.strftime("%H:%M")
        lines.append(
            f"<p><strong>{html.escape(name)}</strong> ({moment} UTC): {html.escape(message.text)}</p>"
        )
    return "".join(lines)


async def end(viewer: Viewer, chat_id: int) -> Chat:
    """Either side. Raises NotFound (chatId), ValidationFailed (chatId: ended)."""
    async with unit_of_work() as work:
        chat = await _open(viewer, chat_id)
        now = utcnow()
        transcript = await _transcript(chat)
        await Chat.filter(id=chat.id).update(ended_at=now)
        if transcript:
            starter = await Technician.get_or_none(id=chat.technician_id) if chat.technician_id else None
            author = Viewer(
                chat.account_id,
                technician_id=starter.id if starter else None,
                role=starter.role if starter else None,
                channel=Channel.CHAT,
            )
            body = f"<p>Chat transcript</p>{transcript}"
            comment = await conversation.add_public_reply(
                author if starter else viewer, chat.ticket_id, conversation.Draft(body=body), _NO_FILES
            )
            await Chat.filter(id=chat.id).update(transcript_id=comment.id)
        await activity.record(viewer, chat.ticket_id, ActivityKind.CHAT_ENDED, field="chat")
        work.emit(_event("ended", chat))
        return await Chat.get(id=chat.id)
