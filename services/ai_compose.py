"""Writing with the language model (technicians): reply drafts and rewrites, whole or streamed.

- ``generate_reply`` drafts a public reply. What an end user may end up reading is made from public
  content only: the prompt holds the ticket's title, description and public replies
  (services.visibility.public_comments), never an internal note. A draft is never sent by itself.
- ``rewrite_text`` rewrites a technician's text in a tone (FRIENDLY, FORMAL, CONCISE, EMPATHETIC).
- Instructions are at most 2,000 characters, a text to rewrite at most 20,000.
- The answer is untrusted: it is returned as plain text and as HTML made from that text (escaped).
Raises AiUnavailable (no model configured, timeouts, 429, 5xx) as a typed error; nothing is changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from models.enums import AiFeature, RewriteTone
from models.people import Requester
from models.tickets import Ticket
from services import ai_calls, ai_prompts, validation, visibility
from services.admin import require_technician
from services.ai_provider import ChatMessage
from services.errors import NotFound, Problems
from services.html import from_text
from services.viewer import Viewer

MAX_INSTRUCTIONS = 2000
MAX_TEXT = 20_000
CONVERSATION_CHARACTERS = 12_000
TONES = {
    RewriteTone.FRIENDLY: "friendly and warm, but professional",
    RewriteTone.FORMAL: "formal and polite",
    RewriteTone.CONCISE: "short and to the point, keeping every fact",
    RewriteTone.EMPATHETIC: "empathetic, acknowledging the person's frustration",
}
REPLY_TASK = (
    "You are an IT helpdesk technician writing the next public reply to the requester of a ticket. "
    "Write only the reply's text, in the requester's language, without a subject line. Do not promise "
    "what the conversation does not support. Follow the technician's instructions when given."
)


@dataclass(frozen=True)
class Draft:
    text: str
    html: str
    model: str


def _draft(text: str, model: str) -> Draft:
    cleaned = text.strip()
    return Draft(text=cleaned, html=from_text(cleaned), model=model)


def _instructions(problems: Problems, instructions: str | None) -> str:
    if instructions is None:
        return ""
    return validation.text(
        problems, "instructions", instructions, max_length=MAX_INSTRUCTIONS, required=False
    )


async def public_conversation(ticket: Ticket) -> str:
    """The ticket as every reader of it may see it, oldest first, cut from the oldest end."""
    requester = await Requester.get(id=ticket.requester_id)
    replies = (
        await visibility.public_comments(ticket.account_id)
        .filter(ticket_id=ticket.id)
        .order_by("-created_at", "-id")
        .limit(50)
    )
    lines = [f"Ticket #{ticket.number}: {ticket.title}", f"Requester: {requester.name}", ticket.description]
    for reply in reversed(replies):
        who = "Requester" if reply.author_requester_id == ticket.requester_id else "Helpdesk"
        lines.append(f"--- {who} ({reply.created_at:%Y-%m-%d %H:%M}):\n{reply.text}")
    text = "\n\n".join(line for line in lines if line)
    return text[-CONVERSATION_CHARACTERS:]


async def _reply_prompt(viewer: Viewer, ticket_id: int, instructions: str | None) -> list[ChatMessage]:
    require_technician(viewer)
    problems = Problems()
    wanted = _instructions(problems, instructions)
    problems.raise_if_any()
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    blocks = [
        ai_prompts.data("conversation", await public_conversation(ticket), CONVERSATION_CHARACTERS + 100)
    ]
    if wanted:
        blocks.append(ai_prompts.data("technician's instructions", wanted))
    return ai_prompts.messages(REPLY_TASK, *blocks)


def _rewrite_prompt(
    viewer: Viewer, text: str, tone: RewriteTone, instructions: str | None
) -> list[ChatMessage]:
    require_technician(viewer)
    problems = Problems()
    original = validation.text(problems, "text", text, max_length=MAX_TEXT)
    wanted = _instructions(problems, instructions)
    problems.raise_if_any()
    task = (
        f"Rewrite the technician's text so that it reads {TONES[tone]}. Keep its meaning, facts, names and "
        "language. Answer with the rewritten text only."
    )
    blocks = [ai_prompts.data("text", original, MAX_TEXT)]
    if wanted:
        blocks.append(ai_prompts.data("technician's instructions", wanted))
    return ai_prompts.messages(task, *blocks)


async def generate_reply(viewer: Viewer, ticket_id: int, instructions: str | None = None) -> Draft:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (instructions), AiUnavailable."""
    prompt = await _reply_prompt(viewer, ticket_id, instructions)
    answer = await ai_calls.ask(viewer, AiFeature.GENERATE_REPLY, prompt)
    return _draft(answer.text, answer.model)


async def rewrite_text(
    viewer: Viewer, text: str, tone: RewriteTone, instructions: str | None = None
) -> Draft:
    """Raises PermissionDenied, ValidationFailed (text, instructions), AiUnavailable."""
    prompt = _rewrite_prompt(viewer, text, tone, instructions)
    answer = await ai_calls.ask(viewer, AiFeature.REWRITE_TEXT, prompt, max_tokens=1500)
    return _draft(answer.text, answer.model)


async def stream_reply(viewer: Viewer, ticket_id: int, instructions: str | None = None) -> AsyncIterator[str]:
    """The reply draft in deltas. The checks of generate_reply raise before the first delta."""
    prompt = await _reply_prompt(viewer, ticket_id, instructions)
    return ai_calls.stream(viewer, AiFeature.GENERATE_REPLY, prompt)


async def stream_rewrite(
    viewer: Viewer, text: str, tone: RewriteTone, instructions: str | None = None
) -> AsyncIterator[str]:
    prompt = _rewrite_prompt(viewer, text, tone, instructions)
    return ai_calls.stream(viewer, AiFeature.REWRITE_TEXT, prompt, max_tokens=1500)
