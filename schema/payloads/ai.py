"""Results of mutations. The AI features: drafts, the copilot, solution suggestions, scripts, knowledge-base articles."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import AiUnavailableError, NotFoundError, PermissionDeniedError, ValidationError
from schema.types.ai import AiDraft, CopilotAnswer, GeneratedScript, KbArticle, SolutionSuggestions


@strawberry.type(description="A draft; nothing was sent or saved.")
class AiDraftSuccess:
    draft: AiDraft = strawberry.field(description="The draft.")


@strawberry.type(description="The copilot's answer.")
class CopilotAnswerSuccess:
    answer: CopilotAnswer = strawberry.field(description="The answer.")


@strawberry.type(description="Suggested solutions and the tickets they rely on.")
class SolutionSuggestionsSuccess:
    suggestions: SolutionSuggestions = strawberry.field(description="The suggestions.")


@strawberry.type(description="A script to review before running it.")
class GeneratedScriptSuccess:
    script: GeneratedScript = strawberry.field(description="The script.")


@strawberry.type(description="The article as saved.")
class KbArticleSuccess:
    article: KbArticle = strawberry.field(description="The article.")


AiDraftResult = Annotated[
    AiDraftSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("AiDraftResult", description="The draft, or why there is none."),
]
CopilotAnswerResult = Annotated[
    CopilotAnswerSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("CopilotAnswerResult", description="The answer, or why there is none."),
]
SolutionSuggestionsResult = Annotated[
    SolutionSuggestionsSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("SolutionSuggestionsResult", description="The suggestions, or why there are none."),
]
GeneratedScriptResult = Annotated[
    GeneratedScriptSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("GeneratedScriptResult", description="The script, or why there is none."),
]
KbArticleResult = Annotated[
    KbArticleSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("KbArticleResult", description="The article, or why not."),
]
