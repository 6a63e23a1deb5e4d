"""Reading what the AI features keep: articles, usage, and whether a model is configured."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry
from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from models.clock import utcnow
from models.enums import AiFeature as StoredFeature
from schema.context import Info
from schema.enums import ArticleStatus
from schema.types.ai import AiFeatureUsage, AiStatus, AiUsage, KbArticle
from services import ticket_settings, visibility
from services.ai_provider import ai_configured, chat_model
from services.validation import printable

MAX_LISTED = 100


async def kb_articles(
    info: Info,
    status: Annotated[ArticleStatus | None, strawberry.argument(description="Only this status.")] = None,
    search: Annotated[str | None, strawberry.argument(description="Words in the title or text.")] = None,
    first: Annotated[int, strawberry.argument(description="At most this many (100).")] = 20,
) -> list[KbArticle]:
    query = visibility.kb_articles(info.context.viewer)
    if status is not None:
        query = query.filter(status=status)
    if search := printable(search or "").strip():
        query = query.filter(Q(title__icontains=search) | Q(text__icontains=search))
    rows = await query.order_by("-updated_at", "-id").limit(max(0, min(first, MAX_LISTED)))
    return [KbArticle.from_model(row) for row in rows]


async def ai_usage(
    info: Info,
    days: Annotated[int, strawberry.argument(description="The last this many days (1..366).")] = 30,
) -> AiUsage:
    viewer = info.context.require_admin()
    since = utcnow() - timedelta(days=max(1, min(days, 366)))
    totals: dict[StoredFeature, list[int]] = {}
    grouped = (
        await visibility.ai_usage(viewer)
        .filter(created_at__gte=since)
        .annotate(calls=Count("id"), sent=Sum("prompt_tokens"), received=Sum("completion_tokens"))
        .group_by("feature", "succeeded")
        .values("feature", "succeeded", "calls", "sent", "received")
    )
    for row in grouped:
        counts = totals.setdefault(StoredFeature(row["feature"]), [0, 0, 0, 0])
        counts[0] += row["calls"]
        counts[1] += 0 if row["succeeded"] else row["calls"]
        counts[2] += row["sent"] or 0
        counts[3] += row["received"] or 0
    by_feature = [
        AiFeatureUsage(
            feature=feature, requests=c[0], failed_requests=c[1], prompt_tokens=c[2], completion_tokens=c[3]
        )
        for feature, c in sorted(totals.items())
    ]
    return AiUsage(
        since=since,
        requests=sum(f.requests for f in by_feature),
        failed_requests=sum(f.failed_requests for f in by_feature),
        prompt_tokens=sum(f.prompt_tokens for f in by_feature),
        completion_tokens=sum(f.completion_tokens for f in by_feature),
        by_feature=by_feature,
    )


async def ai_status(info: Info) -> AiStatus:
    viewer = info.context.require_technician()
    settings = await ticket_settings.settings_of(viewer.account_id)
    configured = ai_configured()
    return AiStatus(
        configured=configured,
        model=chat_model().model if configured else None,
        copilot_enabled=settings.copilot_enabled,
    )
