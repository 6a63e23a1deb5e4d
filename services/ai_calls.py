"""Calling the language model for a feature: every call is recorded per account (AiUsage), answered or not.

The answer is untrusted text: callers sanitise it before it is stored or shown as HTML.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from models.ai import AiUsage
from models.enums import AiFeature
from services.ai_provider import AiUnavailable, ChatMessage, Completion, chat_model
from services.telemetry import telemetry
from services.viewer import Viewer


async def _record(viewer: Viewer, feature: AiFeature, completion: Completion | None, model: str) -> None:
    await AiUsage.create(
        account_id=viewer.account_id,
        technician_id=viewer.technician_id,
        feature=feature,
        model=(completion.model if completion else model)[:200],
        prompt_tokens=completion.prompt_tokens if completion else 0,
        completion_tokens=completion.completion_tokens if completion else 0,
        succeeded=completion is not None,
    )
    telemetry().ai_call(
        feature.value,
        completion is not None,
        completion.prompt_tokens if completion else 0,
        completion.completion_tokens if completion else 0,
    )


async def ask(
    viewer: Viewer, feature: AiFeature, prompt: Sequence[ChatMessage], *, max_tokens: int = 800
) -> Completion:
    """The model's answer. Raises AiUnavailable (recorded as a failed request)."""
    model = chat_model()
    try:
        completion = await model.complete(prompt, max_tokens=max_tokens)
    except AiUnavailable:
        await _record(viewer, feature, None, model.model)
        raise
    await _record(viewer, feature, completion, model.model)
    return completion


async def stream(
    viewer: Viewer, feature: AiFeature, prompt: Sequence[ChatMessage], *, max_tokens: int = 800
) -> AsyncIterator[str]:
    """The answer in deltas as the model writes it. Raises AiUnavailable while iterating. Recorded when it
    ends; streaming servers do not report tokens, so completion tokens are counted as the deltas received."""
    model = chat_model()
    deltas = 0
    try:
        async for delta in model.stream(prompt, max_tokens=max_tokens):
            deltas += 1
            yield delta
    except AiUnavailable:
        await _record(viewer, feature, None, model.model)
        raise
    await _record(viewer, feature, Completion("", model.model, 0, deltas), model.model)
