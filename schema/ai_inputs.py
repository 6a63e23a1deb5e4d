"""Inputs of the AI features: composing, the copilot, knowledge-base articles."""

from __future__ import annotations

import strawberry

from schema.enums import ArticleSource, RewriteTone, ScriptLanguage


@strawberry.input(description="A reply to draft for a ticket (never sent by itself).")
class GenerateReplyInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket; only its public content is used.")
    instructions: str | None = strawberry.field(
        default=None, description="What the reply should say or do, at most 2,000 characters."
    )


@strawberry.input(description="Text to rewrite in a tone.")
class RewriteTextInput:
    text: str = strawberry.field(description="The text, at most 20,000 characters.")
    tone: RewriteTone = strawberry.field(description="FRIENDLY, FORMAL, CONCISE or EMPATHETIC.")
    instructions: str | None = strawberry.field(
        default=None, description="More wishes, at most 2,000 characters."
    )


@strawberry.input(
    description="A draft to stream: a reply for `ticketId`, or `text` rewritten in `tone` (give one of the two)."
)
class AiDraftInput:
    ticket_id: strawberry.ID | None = strawberry.field(
        default=None, description="Draft a reply to this ticket."
    )
    text: str | None = strawberry.field(default=None, description="Rewrite this text.")
    tone: RewriteTone | None = strawberry.field(default=None, description="The tone of the rewrite.")
    instructions: str | None = strawberry.field(
        default=None, description="More wishes, at most 2,000 characters."
    )


@strawberry.input(description="A ticket for the copilot.")
class CopilotInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")


@strawberry.input(description="A script to write for a ticket.")
class GenerateScriptInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    language: ScriptLanguage = strawberry.field(description="POWERSHELL, BASH or PYTHON.")
    goal: str = strawberry.field(description="What the script should achieve, at most 1,000 characters.")


@strawberry.input(description="A knowledge-base article to draft from a ticket.")
class GenerateArticleInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket; only its public content is used.")
    source: ArticleSource = strawberry.field(
        name="from", description="RESOLUTION (its public resolution) or CONVERSATION (its public replies)."
    )


@strawberry.input(description="Changes to an article; fields left out stay.")
class UpdateKbArticleInput:
    id: strawberry.ID = strawberry.field(description="The article.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1 to 200 characters.")
    body: str | None = strawberry.field(default=strawberry.UNSET, description="HTML; it is sanitised.")


@strawberry.input(description="An article to act on.")
class KbArticleInput:
    id: strawberry.ID = strawberry.field(description="The article.")
