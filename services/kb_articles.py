"""Knowledge-base articles for end users (technicians write, edit and publish them).

- ``generate`` drafts one from a ticket's public resolution (RESOLUTION) or its public
  conversation (CONVERSATION) with the language model. End users will read it, so the prompt holds public
  content only (services.visibility.public_comments): a resolution that is an internal note is refused,
  naming ``ticketId``, rather than sent.
- The model's answer is untrusted: its first line is the title (at most 200 characters), the rest the
  body, kept as sanitised HTML made from its text.
- ``update`` changes title and body (sanitised HTML, at most 64,000 characters), ``set_status`` moves
  it between DRAFT and PUBLISHED. End users see published articles only.
Raises PermissionDenied, NotFound (ticketId, id), ValidationFailed (ticketId, title, body), AiUnavailable.
"""

from __future__ import annotations

from models.ai import KbArticle
from models.clock import utcnow
from models.enums import AiFeature, ArticleSource, ArticleStatus
from services import ai_calls, ai_compose, ai_prompts, html, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_TITLE = 200
ARTICLE_TASK = (
    "Write a knowledge-base article for end users from the IT helpdesk material below: a first line with a "
    "short title, then the article: the problem as a user notices it, then numbered steps that solve it. "
    "Plain text, no names of people, no ticket numbers, no internal details."
)


def _split(answer: str) -> tuple[str, str]:
    lines = answer.strip().splitlines()
    title = lines[0].strip().lstrip("#").strip().removeprefix("Title:").strip() if lines else ""
    return (title[:MAX_TITLE] or "Untitled article"), "\n".join(lines[1:]).strip()


async def generate(viewer: Viewer, ticket_id: int, source: ArticleSource) -> KbArticle:
    require_technician(viewer)
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    if source is ArticleSource.RESOLUTION:
        resolutions = await visibility.comments(viewer).filter(ticket_id=ticket.id, is_resolution=True)
        public = await visibility.public_comments(viewer.account_id).filter(
            ticket_id=ticket.id, is_resolution=True
        )
        if not public:
            reason = "internal notes only" if resolutions else "none"
            raise ValidationFailed.one(
                "ticketId", f"The ticket has no public resolution ({reason}); use CONVERSATION or mark one."
            )
        material = f"{ticket.title}\n\n{ticket.description}\n\nResolution:\n" + "\n\n".join(
            c.text for c in public
        )
    else:
        material = await ai_compose.public_conversation(ticket)
    answer = await ai_calls.ask(
        viewer,
        AiFeature.GENERATE_ARTICLE,
        ai_prompts.messages(ARTICLE_TASK, ai_prompts.data("material", material)),
    )
    title, text = _split(answer.text)
    body = html.render(html.from_text(text))
    return await KbArticle.create(
        account_id=viewer.account_id,
        title=title,
        body=body.html,
        text=body.text,
        source_ticket_id=ticket.id,
        created_by_id=viewer.technician_id,
    )


async def _article(viewer: Viewer, article_id: int) -> KbArticle:
    require_technician(viewer)
    article = await visibility.kb_articles(viewer).select_for_update().get_or_none(id=article_id)
    if article is None:
        raise NotFound("id")
    return article


async def update(viewer: Viewer, article_id: int, *, title: str = UNSET, body: str = UNSET) -> KbArticle:
    problems = Problems()
    columns: dict[str, str] = {}
    if title is not UNSET:
        columns["title"] = validation.text(problems, "title", title, max_length=MAX_TITLE)
    if body is not UNSET:
        rendered = html.render(body)
        if rendered.empty:
            problems.add("body", "Must not be empty.")
        elif rendered.truncated:
            problems.add("body", f"Must be at most {html.MAX_BODY} characters.")
        columns.update(body=rendered.html, text=rendered.text)
    problems.raise_if_any()
    async with unit_of_work():
        article = await _article(viewer, article_id)
        if columns:
            await KbArticle.filter(id=article.id).update(**columns, updated_at=utcnow())
    return await KbArticle.get(id=article_id)


async def set_status(viewer: Viewer, article_id: int, status: ArticleStatus) -> KbArticle:
    async with unit_of_work():
        article = await _article(viewer, article_id)
        if article.status is not status:
            published = utcnow() if status is ArticleStatus.PUBLISHED else None
            await KbArticle.filter(id=article.id).update(
                status=status, published_at=published, updated_at=utcnow()
            )
    return await KbArticle.get(id=article_id)
