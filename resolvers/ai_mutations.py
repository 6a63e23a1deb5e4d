"""AI features: drafting replies and rewrites, the copilot, knowledge-base articles."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from models.enums import ArticleStatus
from resolvers.results import attempt, given, pk
from schema.ai_inputs import (
    CopilotInput,
    GenerateArticleInput,
    GenerateReplyInput,
    GenerateScriptInput,
    KbArticleInput,
    RewriteTextInput,
    UpdateKbArticleInput,
)
from schema.context import Info
from schema.payloads.ai import (
    AiDraftResult,
    AiDraftSuccess,
    CopilotAnswerResult,
    CopilotAnswerSuccess,
    GeneratedScriptResult,
    GeneratedScriptSuccess,
    KbArticleResult,
    KbArticleSuccess,
    SolutionSuggestionsResult,
    SolutionSuggestionsSuccess,
)
from schema.types.ai import (
    AiDraft,
    CopilotAnswer,
    GeneratedScript,
    KbArticle,
    SolutionSource,
    SolutionSuggestions,
)
from schema.types.tickets import Ticket
from services import ai_compose, copilot, kb_articles
from services.copilot import Solutions

Described = strawberry.argument(description="What to act on.")


def _draft(draft: ai_compose.Draft) -> AiDraftSuccess:
    return AiDraftSuccess(draft=AiDraft(text=draft.text, html=draft.html, model=draft.model))


def _article(row: Any) -> KbArticleSuccess:
    return KbArticleSuccess(article=KbArticle.from_model(row))


async def generate_reply(info: Info, input: Annotated[GenerateReplyInput, Described]) -> AiDraftResult:
    async def call() -> Any:
        ticket_id = pk(input.ticket_id, "Ticket", "ticketId")
        return await ai_compose.generate_reply(info.context.viewer, ticket_id, input.instructions)

    return await attempt(call, _draft)


async def rewrite_text(info: Info, input: Annotated[RewriteTextInput, Described]) -> AiDraftResult:
    return await attempt(
        lambda: ai_compose.rewrite_text(info.context.viewer, input.text, input.tone, input.instructions),
        _draft,
    )


async def summarize_ticket(info: Info, input: Annotated[CopilotInput, Described]) -> CopilotAnswerResult:
    async def call() -> Any:
        return await copilot.summarize_ticket(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"))

    return await attempt(
        call, lambda answer: CopilotAnswerSuccess(answer=CopilotAnswer(text=answer.text, model=answer.model))
    )


def _suggestions(found: Solutions) -> SolutionSuggestionsSuccess:
    sources = [
        SolutionSource(ticket=Ticket.from_model(match.ticket), resolution=match.resolution)
        for match in found.sources
    ]
    return SolutionSuggestionsSuccess(
        suggestions=SolutionSuggestions(text=found.text, model=found.model, sources=sources)
    )


async def suggest_solutions(
    info: Info, input: Annotated[CopilotInput, Described]
) -> SolutionSuggestionsResult:
    async def call() -> Any:
        return await copilot.suggest_solutions(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"))

    return await attempt(call, _suggestions)


async def generate_script(
    info: Info, input: Annotated[GenerateScriptInput, Described]
) -> GeneratedScriptResult:
    async def call() -> Any:
        ticket_id = pk(input.ticket_id, "Ticket", "ticketId")
        return await copilot.generate_script(info.context.viewer, ticket_id, input.language, input.goal)

    return await attempt(
        call,
        lambda script: GeneratedScriptSuccess(
            script=GeneratedScript(
                code=script.code, language=script.language, warning=script.warning, model=script.model
            )
        ),
    )


async def generate_article(info: Info, input: Annotated[GenerateArticleInput, Described]) -> KbArticleResult:
    async def call() -> Any:
        ticket_id = pk(input.ticket_id, "Ticket", "ticketId")
        return await kb_articles.generate(info.context.viewer, ticket_id, input.source)

    return await attempt(call, _article)


async def update_kb_article(info: Info, input: Annotated[UpdateKbArticleInput, Described]) -> KbArticleResult:
    async def call() -> Any:
        return await kb_articles.update(
            info.context.viewer,
            pk(input.id, "KbArticle", "id"),
            title=given(input.title, "title"),
            body=given(input.body, "body"),
        )

    return await attempt(call, _article)


async def publish_kb_article(info: Info, input: Annotated[KbArticleInput, Described]) -> KbArticleResult:
    async def call() -> Any:
        return await kb_articles.set_status(
            info.context.viewer, pk(input.id, "KbArticle", "id"), ArticleStatus.PUBLISHED
        )

    return await attempt(call, _article)


async def unpublish_kb_article(info: Info, input: Annotated[KbArticleInput, Described]) -> KbArticleResult:
    async def call() -> Any:
        return await kb_articles.set_status(
            info.context.viewer, pk(input.id, "KbArticle", "id"), ArticleStatus.DRAFT
        )

    return await attempt(call, _article)
