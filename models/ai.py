"""What the AI features keep: knowledge-base articles and the usage record of every model call."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.enums import AiFeature, ArticleStatus
from models.tickets import Ticket


class KbArticle(Model):
    """A knowledge-base article for end users. ``body`` is sanitised HTML, ``text`` its plain text."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="kb_articles", on_delete=fields.CASCADE
    )
    account_id: int
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    text = fields.TextField()
    status = fields.CharEnumField(ArticleStatus, max_length=10, default=ArticleStatus.DRAFT)
    source_ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="kb_articles", null=True, on_delete=fields.SET_NULL
    )
    source_ticket_id: int | None
    created_by: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="kb_articles", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "kb_article"
        indexes = (("account_id", "status", "updated_at"),)


class AiUsage(Model):
    """One call to the language model: what for, by whom, how many tokens, whether it answered."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="ai_usage", on_delete=fields.CASCADE
    )
    account_id: int
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="ai_usage", null=True, on_delete=fields.SET_NULL
    )
    technician_id: int | None
    feature = fields.CharEnumField(AiFeature, max_length=30)
    model = fields.CharField(max_length=200, default="")
    prompt_tokens = fields.IntField(default=0)
    completion_tokens = fields.IntField(default=0)
    succeeded = fields.BooleanField()
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "ai_usage"
        indexes = (("account_id", "created_at"),)
