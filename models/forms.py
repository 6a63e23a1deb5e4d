"""Custom fields, the form templates that order them, and the values tickets hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account
from models.clock import utcnow
from models.enums import BuiltInField, CustomFieldType

if TYPE_CHECKING:
    from models.tickets import Ticket


class CustomField(Model):
    """A ticket property an admin defines. ``built_in`` names the built-in ones (product family)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="custom_fields", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    field_type = fields.CharEnumField(CustomFieldType, max_length=20)
    options: Any = fields.JSONField(default=list)
    required = fields.BooleanField(default=False)
    help_text = fields.CharField(max_length=500, default="")
    built_in = fields.CharEnumField(BuiltInField, max_length=40, null=True)
    archived = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "custom_field"
        unique_together = (("account_id", "name"), ("account_id", "built_in"))


class FormTemplate(Model):
    """An ordered set of custom fields shown on a ticket."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="form_templates", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    is_default = fields.BooleanField(default=False)
    archived = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "form_template"
        unique_together = (("account_id", "name"),)


class FormTemplateField(Model):
    """A field's place in a template."""

    id = fields.IntField(primary_key=True)
    template: fields.ForeignKeyRelation[FormTemplate] = fields.ForeignKeyField(
        "deskql.FormTemplate", related_name="template_fields", on_delete=fields.CASCADE
    )
    template_id: int
    field: fields.ForeignKeyRelation[CustomField] = fields.ForeignKeyField(
        "deskql.CustomField", related_name="template_fields", on_delete=fields.CASCADE
    )
    field_id: int
    position = fields.IntField()

    class Meta:
        table = "form_template_field"
        unique_together = (("template_id", "field_id"),)
        indexes = (("template_id", "position"),)


class TicketFieldValue(Model):
    """One custom field's value on one ticket, as JSON text (``json.dumps`` of the stored form).

    One row per field, so edits never overwrite each other.
    """

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "deskql.Ticket", related_name="field_values", on_delete=fields.CASCADE
    )
    ticket_id: int
    field: fields.ForeignKeyRelation[CustomField] = fields.ForeignKeyField(
        "deskql.CustomField", related_name="values", on_delete=fields.CASCADE
    )
    field_id: int
    value = fields.TextField()

    class Meta:
        table = "ticket_field_value"
        unique_together = (("ticket_id", "field_id"),)
