"""``aiDraft``: a reply draft or a rewrite, streamed as the language model writes it (technicians).

The checks (a technician, a visible ticket, valid input) run before the first chunk; a model that is not
configured or fails ends the subscription with an ``AI_UNAVAILABLE`` error after the text so far.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated

import strawberry

from schema.ai_inputs import AiDraftInput
from schema.arguments import object_id
from schema.context import BAD_USER_INPUT, FORBIDDEN, ClientError, Info
from schema.types.ai import AiDraftChunk
from services import ai_compose
from services.ai_provider import AiUnavailable
from services.errors import DomainError, PermissionDenied
from subscriptions.stream import guarded

AI_UNAVAILABLE = "AI_UNAVAILABLE"


async def _deltas(info: Info, input: AiDraftInput) -> AsyncIterator[str]:
    viewer = info.context.viewer
    try:
        if input.ticket_id is not None and input.text is None:
            ticket_id = object_id(input.ticket_id, "Ticket", "ticketId")
            return await ai_compose.stream_reply(viewer, ticket_id, input.instructions)
        if input.text is not None and input.tone is not None and input.ticket_id is None:
            return await ai_compose.stream_rewrite(viewer, input.text, input.tone, input.instructions)
    except PermissionDenied as error:
        raise ClientError(error.message, FORBIDDEN) from error
    except DomainError as error:
        raise ClientError(error.message, BAD_USER_INPUT) from error
    raise ClientError("Give ticketId for a reply draft, or text and tone for a rewrite.", BAD_USER_INPUT)


@guarded
async def ai_draft(
    info: Info, input: Annotated[AiDraftInput, strawberry.argument(description="What to draft.")]
) -> AsyncGenerator[AiDraftChunk, None]:
    deltas = await _deltas(info, input)
    text = ""
    try:
        async for delta in deltas:
            text += delta
            yield AiDraftChunk(delta=delta, text=text, done=False)
    except AiUnavailable as error:
        raise ClientError(error.reason, AI_UNAVAILABLE) from error
    yield AiDraftChunk(delta="", text=text, done=True)
