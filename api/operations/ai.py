"""AI features: composing, the copilot, knowledge-base articles, usage."""

from __future__ import annotations

import strawberry

from resolvers import ai_mutations as m
from resolvers import ai_queries as q
from schema.payloads.ai import (
    AiDraftResult,
    CopilotAnswerResult,
    GeneratedScriptResult,
    KbArticleResult,
    SolutionSuggestionsResult,
)
from schema.types.ai import AiStatus, AiUsage, KbArticle


@strawberry.type
class AiQueries:
    kb_articles: list[KbArticle] = strawberry.field(
        resolver=q.kb_articles,
        description="Knowledge-base articles, latest change first (end users: published ones).",
    )
    ai_usage: AiUsage = strawberry.field(
        resolver=q.ai_usage, description="The account's language-model requests and tokens (admins)."
    )
    ai_status: AiStatus = strawberry.field(
        resolver=q.ai_status, description="Whether a language model is configured and the copilot is on."
    )


@strawberry.type
class AiMutations:
    generate_reply: AiDraftResult = strawberry.field(
        resolver=m.generate_reply,
        description="Draft a public reply from the ticket's public content; never sent by itself (technicians).",
    )
    rewrite_text: AiDraftResult = strawberry.field(
        resolver=m.rewrite_text, description="Rewrite text in a tone (technicians)."
    )
    summarize_ticket: CopilotAnswerResult = strawberry.field(
        resolver=m.summarize_ticket,
        description="Copilot: summarise the ticket, notes included (technicians).",
    )
    suggest_solutions: SolutionSuggestionsResult = strawberry.field(
        resolver=m.suggest_solutions,
        description="Copilot: solutions grounded in similar resolved tickets, citing them (technicians).",
    )
    generate_script: GeneratedScriptResult = strawberry.field(
        resolver=m.generate_script, description="Copilot: a script for a goal, to review before running it."
    )
    generate_article: KbArticleResult = strawberry.field(
        resolver=m.generate_article,
        description="Draft a knowledge-base article from a ticket's public resolution or conversation.",
    )
    update_kb_article: KbArticleResult = strawberry.field(
        resolver=m.update_kb_article, description="Edit an article (technicians)."
    )
    publish_kb_article: KbArticleResult = strawberry.field(
        resolver=m.publish_kb_article, description="Publish an article to end users (technicians)."
    )
    unpublish_kb_article: KbArticleResult = strawberry.field(
        resolver=m.unpublish_kb_article, description="Take an article back to DRAFT (technicians)."
    )
