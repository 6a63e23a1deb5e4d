"""The AI that services need: a chat model and a local text analyzer. The application installs them.

Services ask ``chat_model()`` for completions and ``text_analyzer()`` for sentiment and keywords. Until
the application installs something, the chat model answers every call with ``AiUnavailable`` (the
embedded default: no language model configured) and the analyzer raises ``RuntimeError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from services.errors import DomainError

NOT_CONFIGURED = (
    "No language model is configured: set DESKQL_OPENAI_BASE_URL (and DESKQL_OPENAI_API_KEY, "
    "DESKQL_OPENAI_MODEL)."
)


class AiUnavailable(DomainError):
    """The language model cannot answer now. ``reason`` (also the message) is safe to show users: it never
    holds the API key nor the provider's own error text."""

    code = "AI_UNAVAILABLE"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    """The model that answered, as the provider names it."""
    prompt_tokens: int
    completion_tokens: int


class ChatModel(Protocol):
    @property
    def model(self) -> str:
        """The model asked for ("" when there is none)."""
        ...

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> Completion:
        """The whole answer at once. Raises AiUnavailable."""
        ...

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> AsyncIterator[str]:
        """The answer as it is written, in text deltas. Iterating raises AiUnavailable."""
        ...


class NoChatModel:
    """Until a language model is configured: every call raises AiUnavailable saying how to set one up."""

    model = ""

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> Completion:
        raise AiUnavailable(NOT_CONFIGURED)

    async def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> AsyncIterator[str]:
        raise AiUnavailable(NOT_CONFIGURED)
        yield ""  # an async generator, so that the error comes while iterating, as with a real model


@dataclass(frozen=True)
class Sentiment:
    label: Literal["POSITIVE", "NEUTRAL", "NEGATIVE"]
    score: float
    """From -1 (most negative) to 1 (most positive)."""


class TextAnalyzer(Protocol):
    def sentiment(self, text: str) -> Sentiment: ...

    def keywords(self, text: str, limit: int = 5) -> list[str]:
        """Short tag-like phrases, lowercase, without duplicates, the most telling first."""
        ...


class NoTextAnalyzer:
    """Until the application installs an analyzer (CLI commands that never analyze text)."""

    def sentiment(self, text: str) -> Sentiment:
        raise RuntimeError("no text analyzer installed")

    def keywords(self, text: str, limit: int = 5) -> list[str]:
        raise RuntimeError("no text analyzer installed")


_chat: ChatModel = NoChatModel()
_analyzer: TextAnalyzer = NoTextAnalyzer()


def install_ai(chat: ChatModel, analyzer: TextAnalyzer) -> None:
    global _chat, _analyzer
    _chat = chat
    _analyzer = analyzer


def chat_model() -> ChatModel:
    return _chat


def text_analyzer() -> TextAnalyzer:
    return _analyzer


def ai_configured() -> bool:
    """Whether a language model is installed (it may still be unreachable)."""
    return not isinstance(_chat, NoChatModel)
