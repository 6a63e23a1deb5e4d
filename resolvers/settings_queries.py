"""Reading the account's settings: custom fields, form templates, SLA policies and calendars, tags."""

from __future__ import annotations

from typing import Annotated

import strawberry
from tortoise.functions import Count

from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.types.forms import CustomField, FormTemplate
from schema.types.sla import BusinessCalendar, SlaPolicy
from schema.types.tickets import TagSuggestion
from services import tags, visibility

IncludeArchived = strawberry.argument(description="Also list archived ones.")


async def custom_fields(
    info: Info, include_archived: Annotated[bool, IncludeArchived] = False
) -> list[CustomField]:
    query = visibility.custom_fields(info.context.require_technician())
    if not include_archived:
        query = query.filter(archived=False)
    return [CustomField.from_model(row) for row in await query.order_by("name", "id")]


async def form_templates(
    info: Info, include_archived: Annotated[bool, IncludeArchived] = False
) -> list[FormTemplate]:
    query = visibility.form_templates(info.context.require_technician())
    if not include_archived:
        query = query.filter(archived=False)
    return [FormTemplate.from_model(row) for row in await query.order_by("-is_default", "name", "id")]


async def sla_policies(info: Info) -> list[SlaPolicy]:
    query = visibility.sla_policies(info.context.require_technician())
    return [SlaPolicy.from_model(row) for row in await query.order_by("-is_default", "name", "id")]


async def business_calendars(info: Info) -> list[BusinessCalendar]:
    query = visibility.calendars(info.context.require_technician())
    return [BusinessCalendar.from_model(row) for row in await query.order_by("name", "id")]


async def tag_suggestions(
    info: Info,
    prefix: Annotated[str, strawberry.argument(description="What the technician has typed so far.")],
    first: Annotated[int, strawberry.argument(description="At most this many, up to 50.")] = 10,
) -> list[TagSuggestion]:
    if not 1 <= first <= 50:
        raise ClientError(f"`first` must be between 1 and 50 (got {first}).", BAD_USER_INPUT)
    query = visibility.tags(info.context.require_technician()).filter(name__startswith=tags.normalize(prefix))
    rows = await (
        query.annotate(uses=Count("ticket_tags"))
        .order_by("-uses", "name")
        .limit(first)
        .values_list("name", "uses")
    )
    return [TagSuggestion(name=name, ticket_count=uses) for name, uses in rows]
