"""The copilot (technicians, per-account beta: ``ticketSettings.copilotEnabled``).

- ``summarize_ticket``: the whole ticket, internal notes included (the summary is shown to technicians
  only), in a few sentences.
- ``suggest_solutions``: grounded in the resolutions of similar resolved tickets (services.solution_search);
  the answer cites them as [#number] and the result lists them. Without similar tickets the model is not
  asked: there is nothing to ground an answer in.
- ``generate_script``: a PowerShell, Bash or Python script for a goal on this ticket, with a warning to
  review it before running; the code is taken from the answer's fenced block when it has one.
Raises PermissionDenied (not a technician, copilot off), NotFound (ticketId), ValidationFailed (goal),
AiUnavailable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.enums import AiFeature, CommentKind, ScriptLanguage
from models.settings import TicketSettings
from models.tickets import Ticket
from services import ai_calls, ai_prompts, solution_search, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, PermissionDenied, Problems
from services.viewer import Viewer

COPILOT_OFF = (
    "The copilot is a beta feature that is off for this account; an admin turns it on with copilotEnabled."
)
SCRIPT_WARNING = (
    "Review this script before running it: a language model wrote it, nobody has tested it, and it may "
    "change or delete data on the machines it runs on."
)
LANGUAGE_NAMES = {
    ScriptLanguage.POWERSHELL: "PowerShell",
    ScriptLanguage.BASH: "Bash",
    ScriptLanguage.PYTHON: "Python 3",
}
_FENCE = re.compile(r"```[\w+-]*\n(.*?)```", re.DOTALL)
MAX_GOAL = 1000
TICKET_CHARACTERS = 12_000


@dataclass(frozen=True)
class Answer:
    text: str
    model: str


@dataclass(frozen=True)
class Solutions:
    text: str
    model: str | None
    sources: list[solution_search.Match]


@dataclass(frozen=True)
class Script:
    code: str
    language: ScriptLanguage
    warning: str
    model: str


async def _ticket(viewer: Viewer, ticket_id: int) -> Ticket:
    require_technician(viewer)
    settings = await TicketSettings.get_or_none(account_id=viewer.account_id)
    if settings is None or not settings.copilot_enabled:
        raise PermissionDenied(COPILOT_OFF)
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    return ticket


async def _whole_ticket(viewer: Viewer, ticket: Ticket) -> str:
    """The ticket as its technicians see it, notes included, oldest first, cut from the oldest end."""
    comments = (
        await visibility.comments(viewer).filter(ticket_id=ticket.id).order_by("-created_at", "-id").limit(80)
    )
    parts = [f"Ticket #{ticket.number}: {ticket.title}", ticket.description]
    for comment in reversed(comments):
        kind = "Internal note" if comment.kind is CommentKind.INTERNAL_NOTE else "Public reply"
        who = "requester" if comment.author_requester_id else "technician"
        parts.append(f"--- {kind} by the {who} ({comment.created_at:%Y-%m-%d %H:%M}):\n{comment.text}")
    return "\n\n".join(part for part in parts if part)[-TICKET_CHARACTERS:]


SUMMARY_TASK = (
    "Summarise this IT helpdesk ticket for a technician taking it over, in at most five sentences: the "
    "problem, what was tried, where it stands and what is next."
)


async def summarize_ticket(viewer: Viewer, ticket_id: int) -> Answer:
    ticket = await _ticket(viewer, ticket_id)
    prompt = ai_prompts.messages(SUMMARY_TASK, ai_prompts.data("ticket", await _whole_ticket(viewer, ticket)))
    answer = await ai_calls.ask(viewer, AiFeature.SUMMARIZE_TICKET, prompt, max_tokens=400)
    return Answer(answer.text.strip(), answer.model)


SOLUTIONS_TASK = (
    "Suggest how to solve the current IT helpdesk ticket, using only the resolutions of the similar past "
    "tickets given. Cite each past ticket you rely on as [#number]. When none of them applies, say so."
)
NO_MATCHES = "No similar resolved ticket was found, so there is nothing to ground a suggestion in."


async def suggest_solutions(viewer: Viewer, ticket_id: int) -> Solutions:
    ticket = await _ticket(viewer, ticket_id)
    matches = await solution_search.similar_resolved(viewer, ticket)
    if not matches:
        return Solutions(NO_MATCHES, None, [])
    past = "\n\n".join(
        f"[#{match.ticket.number}] {match.ticket.title}\nResolution: {match.resolution}" for match in matches
    )
    prompt = ai_prompts.messages(
        SOLUTIONS_TASK,
        ai_prompts.data("current ticket", f"{ticket.title}\n\n{ticket.description}", 4000),
        ai_prompts.data("similar resolved tickets", past),
    )
    answer = await ai_calls.ask(viewer, AiFeature.SUGGEST_SOLUTIONS, prompt)
    return Solutions(answer.text.strip(), answer.model, matches)


async def generate_script(viewer: Viewer, ticket_id: int, language: ScriptLanguage, goal: str) -> Script:
    problems = Problems()
    goal = validation.text(problems, "goal", goal, max_length=MAX_GOAL)
    problems.raise_if_any()
    ticket = await _ticket(viewer, ticket_id)
    name = LANGUAGE_NAMES[language]
    task = (
        f"Write one {name} script for an IT technician that achieves the goal below on the requester's "
        "machine. Prefer read-only checks, ask for confirmation before destructive steps, and comment each "
        "step. Answer with the script in one fenced code block."
    )
    prompt = ai_prompts.messages(
        task,
        ai_prompts.data("goal", goal),
        ai_prompts.data("ticket", f"{ticket.title}\n\n{ticket.description}", 4000),
    )
    answer = await ai_calls.ask(viewer, AiFeature.GENERATE_SCRIPT, prompt, max_tokens=1500)
    fenced = _FENCE.search(answer.text)
    code = (fenced.group(1) if fenced else answer.text).strip()
    return Script(code, language, SCRIPT_WARNING, answer.model)
