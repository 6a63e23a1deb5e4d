"""``chatMessages``: a chat's messages so far, then each new one, for its technicians and its requester.

The channel is subscribed before the messages are read, so none falls in between; each new message is
read back through visibility. The subscription completes when the chat ends.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from models.ticket_actions import ChatMessage as ChatMessageRow
from schema.arguments import object_id
from schema.context import ClientError, Info
from schema.types.actions import ChatMessage
from services import visibility
from subscriptions import channels
from subscriptions.stream import guarded, messages, realtime_of

GONE = "NOT_FOUND"


async def _visible(info: Info, chat_id: int) -> bool:
    """Whether the chat is still open; raises when it is no longer visible."""
    chat = await visibility.chats(info.context.viewer).get_or_none(id=chat_id)
    if chat is None:
        raise ClientError("The chat does not exist or is no longer visible to you.", GONE)
    return chat.ended_at is None


@guarded
async def chat_messages(
    info: Info, chat_id: Annotated[strawberry.ID, strawberry.argument(description="The chat to follow.")]
) -> AsyncGenerator[ChatMessage, None]:
    pk = object_id(chat_id, "Chat", "chatId")
    realtime = realtime_of(info)
    async with realtime.hub.subscribe(channels.chat(pk)) as subscriber:
        last = 0

        async def newer() -> list[ChatMessageRow]:
            return await ChatMessageRow.filter(chat_id=pk, id__gt=last).order_by("id")

        is_open = await _visible(info, pk)
        for row in await newer():
            last = row.id
            yield ChatMessage.from_model(row)
        if not is_open:
            return
        async for message in messages(info, subscriber, realtime.revalidate_seconds):
            is_open = await _visible(info, pk)
            if message is not None:
                for row in await newer():
                    last = row.id
                    yield ChatMessage.from_model(row)
            if not is_open:
                return
