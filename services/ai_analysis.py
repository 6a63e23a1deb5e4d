"""Sentiment and suggested tags, worked out off the request path by a periodic job.

- A requester's public reply (portal, email) marks its ticket ``sentiment_due_at``; a new ticket is marked
  ``tags_due_at`` (when the account's ``aiAutoTags`` setting is on) and, when its requester wrote its
  description, sentiment due.
  The mark is written in the transaction of the change; the change itself never waits for the analysis.
- The job claims each marked ticket by clearing its mark only if it has not moved since it was read, so
  several workers never analyse the same mark twice, and a comment arriving meanwhile marks it again.
- Sentiment reads the latest requester replies (public text only). With a language model configured it is
  asked first; when it is unavailable or answers nonsense, the local lexicon model (VADER) decides.
  ``ticket.sentiment`` is staff-only and is pushed on ``ticketUpdated`` (internal).
- Tags: the language model suggests up to five short tags for the title and description, else YAKE's
  keywords do; each new one is added with source AI and an activity row by the AUTOMATION channel.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from models.clock import utcnow
from models.enums import ActivityKind, AiFeature, Channel, SentimentLabel, TagSource
from models.settings import TicketSettings
from models.tickets import Tag, Ticket, TicketTag
from services import activity, ai_calls, ai_prompts, tags, visibility
from services.ai_provider import AiUnavailable, ChatMessage, Sentiment, ai_configured, text_analyzer
from services.errors import Problems
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.ai")
RECENT_REPLIES = 5
MAX_TAGS = 5
BATCH = 20
Answer = TypeVar("Answer")


async def mark_new_ticket(ticket: Ticket, *, by_requester: bool) -> None:
    """Inside the creating transaction. A description is the requester's words only when they wrote it."""
    settings = await TicketSettings.get_or_none(account_id=ticket.account_id)
    now = utcnow()
    columns: dict[str, datetime] = {}
    if settings is None or settings.ai_auto_tags:
        columns["tags_due_at"] = now
    if by_requester and ticket.description.strip():
        columns["sentiment_due_at"] = now
    if columns:
        await Ticket.filter(id=ticket.id).update(**columns)


async def mark_requester_reply(ticket_id: int) -> None:
    """Inside the transaction that adds the requester's public reply."""
    await Ticket.filter(id=ticket_id).update(sentiment_due_at=utcnow())


def _system(account_id: int) -> Viewer:
    return Viewer(account_id=account_id, channel=Channel.AUTOMATION)


SENTIMENT_TASK = (
    "You classify the sentiment of a helpdesk requester's latest messages. Answer with JSON only: "
    '{"label": "POSITIVE" | "NEUTRAL" | "NEGATIVE", "score": number from -1 to 1}.'
)


async def _requester_text(ticket: Ticket) -> str:
    replies = (
        await visibility.public_comments(ticket.account_id)
        .filter(ticket_id=ticket.id, author_requester_id__isnull=False)
        .order_by("-created_at", "-id")
        .limit(RECENT_REPLIES)
    )
    texts = [reply.text for reply in reversed(replies)]
    if len(replies) < RECENT_REPLIES and ticket.description.strip():
        texts.insert(0, ticket.description)
    return "\n\n".join(texts)


def _parsed_sentiment(answer: str) -> Sentiment | None:
    try:
        found = json.loads(answer[answer.index("{") : answer.rindex("}") + 1])
        label, score = str(found["label"]).upper(), float(found["score"])
    except (ValueError, KeyError, TypeError):
        return None
    if label not in SentimentLabel.__members__ or not -1 <= score <= 1:
        return None
    return Sentiment(label, score)  # type: ignore[arg-type]


async def _model_or_local(
    ticket: Ticket,
    feature: AiFeature,
    prompt: list[ChatMessage],
    parse: Callable[[str], Answer | None],
    local: Callable[[], Answer],
) -> Answer:
    """The language model's answer when one is configured and makes sense, else the local model's."""
    if ai_configured():
        try:
            answer = await ai_calls.ask(_system(ticket.account_id), feature, prompt, max_tokens=80)
        except AiUnavailable as error:
            log.warning(
                "%s of ticket %s falls back to the local model: %s", feature.value, ticket.id, error.reason
            )
        else:
            parsed = parse(answer.text)
            if parsed is not None:
                return parsed
    return await asyncio.to_thread(local)


async def _sentiment_of(ticket: Ticket, text: str) -> Sentiment:
    prompt = ai_prompts.messages(SENTIMENT_TASK, ai_prompts.data("requester messages", text, 4000))
    analyzer = text_analyzer()
    return await _model_or_local(
        ticket, AiFeature.SENTIMENT, prompt, _parsed_sentiment, lambda: analyzer.sentiment(text)
    )


async def _analyse_sentiment(ticket: Ticket) -> None:
    text = await _requester_text(ticket)
    if not text.strip():
        return
    result = await _sentiment_of(ticket, text)
    async with unit_of_work() as work:
        await Ticket.filter(id=ticket.id).update(
            sentiment=SentimentLabel(result.label),
            sentiment_score=round(result.score, 4),
            sentiment_analyzed_at=utcnow(),
        )
        work.emit(
            Event("ticket.updated", ticket.account_id, ticket.id, changes=("sentiment",), internal=True)
        )


TAGS_TASK = (
    "You suggest tags for a new helpdesk ticket: at most five short topics (one to three words, lower "
    "case) such as 'outlook', 'vpn', 'printer', 'password reset'. Answer with a JSON array of strings only."
)


def _parsed_tags(answer: str) -> list[str] | None:
    try:
        found = json.loads(answer[answer.index("[") : answer.rindex("]") + 1])
    except ValueError:
        return None
    if not isinstance(found, list):
        return None
    return [item for item in found if isinstance(item, str)]


async def _suggested_tags(ticket: Ticket, text: str) -> list[str]:
    prompt = ai_prompts.messages(TAGS_TASK, ai_prompts.data("ticket", text, 4000))
    analyzer = text_analyzer()
    return await _model_or_local(
        ticket, AiFeature.AUTO_TAGS, prompt, _parsed_tags, lambda: analyzer.keywords(text, MAX_TAGS)
    )


async def _analyse_tags(ticket: Ticket) -> None:
    suggested = await _suggested_tags(ticket, f"{ticket.title}\n\n{ticket.description}")
    names = [name for name in tags.clean(Problems(), "tags", suggested[: MAX_TAGS * 2]) if len(name) <= 30]
    viewer = _system(ticket.account_id)
    async with unit_of_work() as work:
        present = {row.tag_id for row in await TicketTag.filter(ticket_id=ticket.id).only("tag_id")}
        added = []
        for name in names[:MAX_TAGS]:
            tag, _ = await Tag.get_or_create(account_id=ticket.account_id, name=name)
            if tag.id in present:
                continue
            await TicketTag.create(ticket_id=ticket.id, tag_id=tag.id, source=TagSource.AI)
            await activity.record(viewer, ticket.id, ActivityKind.TAG_ADDED, field="tags", new=name)
            added.append(name)
        if added:
            work.emit(Event("ticket.updated", ticket.account_id, ticket.id, changes=("tags",)))


async def _claimed(column: str) -> list[Ticket]:
    """Marked tickets this worker now owns (their mark cleared if it had not moved)."""
    due = (
        await Ticket.filter(**{f"{column}__isnull": False}, deleted_at__isnull=True)
        .order_by(column, "id")
        .limit(BATCH)
    )
    owned = []
    for ticket in due:
        mark = getattr(ticket, column)
        if await Ticket.filter(id=ticket.id, **{f"{column}__lte": mark}).update(**{column: None}):
            owned.append(ticket)
    return owned


async def analyse_due() -> int:
    """One pass of the job: the tickets analysed."""
    done = 0
    for ticket in await _claimed("tags_due_at"):
        await _analyse_tags(ticket)
        done += 1
    for ticket in await _claimed("sentiment_due_at"):
        await _analyse_sentiment(ticket)
        done += 1
    return done
