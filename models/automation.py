"""Automation rules: an admin's trigger, conditions and actions, and the rows that make their runs durable."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow
from models.enums import RuleTrigger


class AutomationRule(Model):
    """One rule. ``conditions`` is ``{"all": [...], "any": [...]}`` and ``actions`` a list, both as validated
    by services.automation.definitions. The ids inside them are primary keys of the rule's own account.
    ``revision`` changes with every change, so that a process can tell its copy of the rules is current."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="automation_rules", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=120)
    position = fields.IntField(default=0)
    enabled = fields.BooleanField(default=True)
    trigger = fields.CharEnumField(RuleTrigger, max_length=30)
    trigger_options: Any = fields.JSONField(default=dict)
    conditions: Any = fields.JSONField(default=dict)
    actions: Any = fields.JSONField(default=list)
    created_by: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="automation_rules", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    revision = fields.IntField(default=0)
    """A random number, drawn again at every change (services.automation.ruleset)."""
    is_default = fields.BooleanField(default=False)
    default_key = fields.CharField(max_length=40, null=True)
    created_at = fields.DatetimeField(default=utcnow)
    updated_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "automation_rule"
        unique_together = (("account_id", "default_key"),)
        indexes = (("account_id", "enabled", "position"),)


class AutomationRun(Model):
    """The ledger: one row per rule and event key, written in the transaction of the rule's actions, so a
    run that is delivered twice finds its row and does nothing."""

    id = fields.IntField(primary_key=True)
    rule_id = fields.IntField()
    event_key = fields.CharField(max_length=120)
    account_id = fields.IntField()
    ticket_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(default=utcnow)
    error = fields.CharField(max_length=500, null=True)
    """Why the rule could not act on the ticket (it counts as done); null when it acted."""

    class Meta:
        table = "automation_run"
        unique_together = (("rule_id", "event_key"),)


class AutomationWork(Model):
    """Rules still to run for one change of one ticket, written in the change's own transaction. Whoever
    holds its lease (``leased_until``) runs it. A row whose lease ran out is taken over by the job."""

    id = fields.IntField(primary_key=True)
    account_id = fields.IntField()
    ticket_id = fields.IntField()
    origin = fields.CharField(max_length=64)
    """The original change (one per unit of work that a person or job made), which rules' changes inherit."""
    depth = fields.SmallIntField(default=0)
    events: Any = fields.JSONField(default=list)
    leased_by = fields.CharField(max_length=64, default="")
    leased_until = fields.DatetimeField()
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "automation_work"
        indexes = (("leased_until",),)
