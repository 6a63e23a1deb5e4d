"""Custom fields, form templates, and the values a ticket holds."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import forms
from schema import ids
from schema.context import Info
from schema.enums import BuiltInField, CustomFieldType
from schema.types.common import Node


@strawberry.type(description="A ticket property an admin defines (product family is built in).")
class CustomField(Node):
    name: str = strawberry.field(description="Label shown on the ticket page.")
    type: CustomFieldType = strawberry.field(description="What it holds; never changes.")
    options: list[str] = strawberry.field(description="The choices of DROPDOWN and MULTI_SELECT fields.")
    required: bool = strawberry.field(description="A required field cannot be emptied.")
    help_text: str = strawberry.field(description="Shown under the field.")
    built_in: BuiltInField | None = strawberry.field(description="Which built-in field this is, if any.")
    archived: bool = strawberry.field(description="Archived fields cannot be added to templates.")
    created_at: datetime = strawberry.field(description="When it was defined.")

    @classmethod
    def from_model(cls, row: forms.CustomField) -> CustomField:
        return cls(
            id=strawberry.ID(ids.encode("CustomField", row.id)),
            name=row.name,
            type=row.field_type,
            options=list(row.options),
            required=row.required,
            help_text=row.help_text,
            built_in=row.built_in,
            archived=row.archived,
            created_at=row.created_at,
        )


@strawberry.type(description="An ordered set of custom fields shown on a ticket.")
class FormTemplate(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="Display name.")
    is_default: bool = strawberry.field(description="New tickets get the default template.")
    archived: bool = strawberry.field(description="Archived templates cannot be chosen.")

    @classmethod
    def from_model(cls, row: forms.FormTemplate) -> FormTemplate:
        return cls(
            id=strawberry.ID(ids.encode("FormTemplate", row.id)),
            pk=row.id,
            name=row.name,
            is_default=row.is_default,
            archived=row.archived,
        )

    @strawberry.field(description="The template's fields, in order.")
    async def fields(self, info: Info) -> list[CustomField]:
        return [
            CustomField.from_model(f) for f in await info.context.loaders.fields_by_template.load(self.pk)
        ]


@strawberry.type(description="A custom field of the ticket's template with the ticket's value.")
class TicketCustomField:
    field: CustomField = strawberry.field(description="The field.")
    value: JSON | None = strawberry.field(
        description="The value as stored (see the README for each type); null when empty."
    )
    display_value: str | None = strawberry.field(
        description="The value as text for display; null when empty."
    )
