"""The ticket, its statuses and its tags."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import NO_DUE_TIME, utcnow
from models.enums import (
    ActivityStatus,
    Channel,
    Impact,
    Priority,
    SentimentLabel,
    StatusCategory,
    TagSource,
    TicketType,
)
from models.forms import FormTemplate
from models.people import Requester
from models.sla import SlaPolicy
from models.teams import Team


class TicketStatus(Model):
    """A lifecycle state: the four built-in ones and an account's custom ones, each in one category."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="statuses", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    category = fields.CharEnumField(StatusCategory, max_length=20)
    built_in = fields.BooleanField(default=False)
    pauses_sla = fields.BooleanField(default=False, db_default=False)
    position = fields.IntField(default=0)
    archived = fields.BooleanField(default=False)

    class Meta:
        table = "ticket_status"
        unique_together = (("account_id", "name"),)


class Ticket(Model):
    """One support request. ``number`` counts per account, ``version`` grows with every change.

    The SLA columns are kept by services.sla: due times are null while unknown (paused with time left),
    ``next_sla_due_at`` is the nearest due time of a running clock (NO_DUE_TIME when none) for sorting,
    the ``*_breach_logged`` flags say a breach has its activity row already. ``first_response_seconds`` and
    ``resolution_seconds`` are the durations to ``first_responded_at`` and ``resolved_at`` as measured when
    each was set (services.ticket_durations, in business time when ``*_in_business_time``), null while unset. A merged ticket is closed and
    points at the ticket it was merged into, a deleted one has ``deleted_at`` until it is purged.
    ``sentiment_due_at`` and ``tags_due_at`` ask the AI analysis job (services.ai_analysis) to look at it.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="tickets", on_delete=fields.CASCADE
    )
    account_id: int
    number = fields.IntField()
    title = fields.CharField(max_length=250)
    description = fields.TextField(default="")
    status: fields.ForeignKeyRelation[TicketStatus] = fields.ForeignKeyField(
        "deskql.TicketStatus", related_name="tickets", on_delete=fields.RESTRICT
    )
    status_id: int
    ticket_type = fields.CharEnumField(TicketType, max_length=20, default=TicketType.INCIDENT)
    priority = fields.CharEnumField(Priority, max_length=20, default=Priority.MEDIUM)
    impact = fields.CharEnumField(Impact, max_length=20, default=Impact.NO_IMPACT)
    activity_status = fields.CharEnumField(ActivityStatus, max_length=30, default=ActivityStatus.UNREAD)
    assignee: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    assignee_id: int | None
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    team_id: int | None
    requester: fields.ForeignKeyRelation[Requester] = fields.ForeignKeyField(
        "deskql.Requester", related_name="tickets", on_delete=fields.RESTRICT
    )
    requester_id: int
    channel = fields.CharEnumField(Channel, max_length=20, default=Channel.WEB)
    form_template: fields.ForeignKeyNullableRelation[FormTemplate] = fields.ForeignKeyField(
        "deskql.FormTemplate", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    form_template_id: int | None
    sla_policy: fields.ForeignKeyNullableRelation[SlaPolicy] = fields.ForeignKeyField(
        "deskql.SlaPolicy", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    sla_policy_id: int | None
    first_response_due_at = fields.DatetimeField(null=True)
    first_responded_at = fields.DatetimeField(null=True)
    resolution_due_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    first_response_seconds = fields.BigIntField(null=True)
    first_response_in_business_time = fields.BooleanField(default=False, db_default=False)
    resolution_seconds = fields.BigIntField(null=True)
    resolution_in_business_time = fields.BooleanField(default=False, db_default=False)
    next_sla_due_at = fields.DatetimeField(default=NO_DUE_TIME, db_default=NO_DUE_TIME)
    first_response_breach_logged = fields.BooleanField(default=False, db_default=False)
    resolution_breach_logged = fields.BooleanField(default=False, db_default=False)
    is_spam = fields.BooleanField(default=False, db_default=False)
    merged_into: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="merged_tickets", null=True, on_delete=fields.SET_NULL
    )
    merged_into_id: int | None
    merged_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    sentiment = fields.CharEnumField(SentimentLabel, max_length=10, null=True)
    sentiment_score = fields.FloatField(null=True)
    sentiment_analyzed_at = fields.DatetimeField(null=True)
    sentiment_due_at = fields.DatetimeField(null=True)
    tags_due_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)
    version = fields.IntField(default=1)

    class Meta:
        table = "ticket"
        unique_together = (("account_id", "number"),)
        indexes = (
            ("account_id", "status_id"),
            ("account_id", "assignee_id"),
            ("account_id", "team_id", "created_at", "id"),
            ("requester_id", "created_at"),
            ("account_id", "ticket_type"),
            ("account_id", "priority"),
            ("account_id", "created_at", "id"),
            ("account_id", "updated_at", "id"),
            ("account_id", "next_sla_due_at", "id"),
            ("account_id", "deleted_at", "id"),
            ("account_id", "resolved_at", "id"),
            ("sentiment_due_at",),
            ("tags_due_at",),
        )


class Tag(Model):
    """A label, unique by name within an account."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="tags", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=60)

    class Meta:
        table = "tag"
        unique_together = (("account_id", "name"),)


class TicketTag(Model):
    """A tag on a ticket, with where it came from."""

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="ticket_tags", on_delete=fields.CASCADE
    )
    ticket_id: int
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "deskql.Tag", related_name="ticket_tags", on_delete=fields.CASCADE
    )
    tag_id: int
    source = fields.CharEnumField(TagSource, max_length=10, default=TagSource.MANUAL)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "ticket_tag"
        unique_together = (("ticket_id", "tag_id"),)
        indexes = (("tag_id", "ticket_id"),)
