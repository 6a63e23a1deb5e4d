"""Saved views: the sidebar (``views``) and createView, updateView, deleteView."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from graphql import GraphQLObjectType

from resolvers.results import attempt, pk
from schema.context import Info
from schema.enums import TicketOrder
from schema.inputs import TicketFilter
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.payloads.views import ViewResult, ViewSuccess
from schema.types.views import View
from schema.view_filters import saved
from schema.view_inputs import CreateViewInput, DeleteViewInput, UpdateViewInput
from services import views
from services.admin import require_technician
from services.errors import ValidationFailed
from services.unset import UNSET
from services.views import MAX_COLUMNS

Described = strawberry.argument(description="What to save or change.")


def _columns(info: Info, columns: list[str]) -> list[str]:
    """Each column names a field of ``Ticket``: a list can show what a ticket query can select."""
    ticket = info.schema._schema.get_type("Ticket")
    assert isinstance(ticket, GraphQLObjectType)
    for index, column in enumerate(columns[: MAX_COLUMNS + 1]):
        if column not in ticket.fields:
            raise ValidationFailed.one(f"columns.{index}", f"{column!r} is not a field of Ticket.")
    return columns


def _filter(info: Info, filter: TicketFilter | None, order: TicketOrder) -> dict[str, Any]:
    require_technician(info.context.viewer)  # before the filter is read: requesters have no views
    return saved(info, filter or TicketFilter(), sorts_by_sla=order is TicketOrder.SLA_DUE)


async def views_list(info: Info) -> list[View]:
    return [View.from_model(row) for row in await views.listed(info.context.viewer)]


def _success(row: Any) -> ViewSuccess:
    return ViewSuccess(view=View.from_model(row))


async def create_view(info: Info, input: Annotated[CreateViewInput, Described]) -> ViewResult:
    async def call() -> Any:
        return await views.create(
            info.context.viewer,
            name=input.name,
            conditions=_filter(info, input.filter, input.order_by),
            order=input.order_by.value,
            columns=_columns(info, input.columns),
            shared=input.shared,
            position=input.position,
        )

    return await attempt(call, _success)


async def update_view(info: Info, input: Annotated[UpdateViewInput, Described]) -> ViewResult:
    async def call() -> Any:
        view_id = pk(input.id, "View", "id")
        for name in ("name", "order_by", "columns", "position"):
            if getattr(input, name) is None:
                field = "orderBy" if name == "order_by" else name
                raise ValidationFailed.one(field, "Must not be null; leave the field out to keep its value.")
        order: Any = UNSET if input.order_by is strawberry.UNSET else input.order_by
        conditions: Any = UNSET
        if input.filter is not strawberry.UNSET:  # the whole filter is replaced; null: every ticket
            conditions = _filter(info, input.filter, TicketOrder.NEWEST_FIRST if order is UNSET else order)
        return await views.update(
            info.context.viewer,
            view_id,
            name=UNSET if input.name is strawberry.UNSET else input.name,
            conditions=conditions,
            order=UNSET if order is UNSET else order.value,
            columns=UNSET if input.columns is strawberry.UNSET else _columns(info, input.columns or []),
            position=UNSET if input.position is strawberry.UNSET else input.position,
        )

    return await attempt(call, _success)


async def delete_view(info: Info, input: Annotated[DeleteViewInput, Described]) -> DeleteResult:
    return await attempt(
        lambda: views.delete(info.context.viewer, pk(input.id, "View", "id")),
        lambda _: DeleteSuccess(deleted_id=input.id),
    )
