"""Wiring AI from settings: the chat model (an OpenAI-compatible server, or none) and the text analyzer."""

from __future__ import annotations

from app.settings import Settings
from integrations.ai.local_text import LocalTextAnalyzer
from services.ai_provider import ChatModel, NoChatModel, TextAnalyzer


def build_ai(settings: Settings) -> tuple[ChatModel, TextAnalyzer]:
    """Without DESKQL_OPENAI_BASE_URL there is no language model; the analyzer is always there (it loads
    its libraries on first use, so a start without AI costs nothing)."""
    if not settings.openai_base_url:
        return NoChatModel(), LocalTextAnalyzer()
    # Imported here: the openai package takes ~0.4 s to import, which only configured servers pay.
    from integrations.ai.openai_chat import OpenAIChat

    chat = OpenAIChat(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key.get_secret_value(),
        model=settings.openai_model,
        timeout_seconds=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
    )
    return chat, LocalTextAnalyzer()
