"""What the AI features answer: sentiment, drafts, the copilot's answers, knowledge-base articles, usage."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import ai
from schema import ids
from schema.enums import AiFeature, ArticleStatus, ScriptLanguage, SentimentLabel
from schema.types.common import Node

if TYPE_CHECKING:
    from schema.types.tickets import Ticket


@strawberry.type(description="How the requester's latest messages sound (technicians only).")
class TicketSentiment:
    label: SentimentLabel = strawberry.field(description="POSITIVE, NEUTRAL or NEGATIVE.")
    score: float = strawberry.field(description="From -1 (most negative) to 1 (most positive).")
    analyzed_at: datetime = strawberry.field(description="When it was worked out.")


@strawberry.type(description="Text written by the language model; review it before using it.")
class AiDraft:
    text: str = strawberry.field(description="Plain text.")
    html: str = strawberry.field(description="The text as safe HTML paragraphs, for the reply editor.")
    model: str = strawberry.field(description="The model that wrote it.")


@strawberry.type(description="A piece of an AI draft as it is written.")
class AiDraftChunk:
    delta: str = strawberry.field(description="The text added since the previous chunk.")
    text: str = strawberry.field(description="The whole draft so far.")
    done: bool = strawberry.field(description="True on the last chunk (its delta is empty).")


@strawberry.type(description="The copilot's answer (technicians only).")
class CopilotAnswer:
    text: str = strawberry.field(description="Plain text.")
    model: str = strawberry.field(description="The model that wrote it.")


@strawberry.type(description="A resolved ticket a suggestion relies on.")
class SolutionSource:
    ticket: Annotated[Ticket, strawberry.lazy("schema.types.tickets")] = strawberry.field(
        description="The resolved ticket, cited as [#number]."
    )
    resolution: str = strawberry.field(description="Its resolution, as text.")


@strawberry.type(description="Suggested solutions grounded in similar resolved tickets.")
class SolutionSuggestions:
    text: str = strawberry.field(description="The suggestion, citing its sources as [#number].")
    model: str | None = strawberry.field(description="The model that wrote it; null when none was asked.")
    sources: list[SolutionSource] = strawberry.field(description="The similar resolved tickets, best first.")


@strawberry.type(description="A script written by the language model.")
class GeneratedScript:
    code: str = strawberry.field(description="The script.")
    language: ScriptLanguage = strawberry.field(description="POWERSHELL, BASH or PYTHON.")
    warning: str = strawberry.field(description="Review the script before running it.")
    model: str = strawberry.field(description="The model that wrote it.")


@strawberry.type(description="A knowledge-base article (end users see published ones).")
class KbArticle(Node):
    title: str = strawberry.field(description="Title.")
    body: str = strawberry.field(description="Sanitised HTML.")
    text: str = strawberry.field(description="Plain text.")
    status: ArticleStatus = strawberry.field(description="DRAFT or PUBLISHED.")
    created_at: datetime = strawberry.field(description="When it was made.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    published_at: datetime | None = strawberry.field(description="When it was published.")

    @classmethod
    def from_model(cls, row: ai.KbArticle) -> KbArticle:
        return cls(
            id=strawberry.ID(ids.encode("KbArticle", row.id)),
            title=row.title,
            body=row.body,
            text=row.text,
            status=row.status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
        )


@strawberry.type(description="Language-model calls of one feature.")
class AiFeatureUsage:
    feature: AiFeature = strawberry.field(description="What the calls were for.")
    requests: int = strawberry.field(description="Calls made.")
    failed_requests: int = strawberry.field(description="Calls the model did not answer.")
    prompt_tokens: int = strawberry.field(description="Tokens sent.")
    completion_tokens: int = strawberry.field(description="Tokens received.")


@strawberry.type(description="The account's language-model usage over a period (admins).")
class AiUsage:
    since: datetime = strawberry.field(description="Start of the period.")
    requests: int = strawberry.field(description="Calls made.")
    failed_requests: int = strawberry.field(description="Calls the model did not answer.")
    prompt_tokens: int = strawberry.field(description="Tokens sent.")
    completion_tokens: int = strawberry.field(description="Tokens received.")
    by_feature: list[AiFeatureUsage] = strawberry.field(description="The same, per feature.")


@strawberry.type(description="Whether the AI features can write text.")
class AiStatus:
    configured: bool = strawberry.field(description="A language model is configured.")
    model: str | None = strawberry.field(description="The model asked, when configured.")
    copilot_enabled: bool = strawberry.field(description="The copilot beta is on for your account.")
