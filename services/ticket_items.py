"""Products and expenses on a ticket (technicians), with exact Decimal quantities, prices and totals.

A quantity is more than 0 and below a billion with at most three decimals; a unit price is 0 or more,
below ten billion, with at most two decimals; a name has 1..200 characters, notes at most 2,000. Totals
multiply quantity by unit price per item and round half up to the cent once, at the end.
Each change writes an activity row (ITEM_ADDED, ITEM_UPDATED, ITEM_DELETED) and emits ``item.changed``
(internal: end users never see items).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models.clock import utcnow
from models.enums import ActivityKind, ItemKind
from models.ticket_actions import TicketItem
from services import activity, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_QUANTITY = Decimal("999999999.999")
MAX_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")


def _decimal(problems: Problems, field: str, value: Any, places: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        problems.add(field, "Must be a decimal number such as 12.50.")
        return Decimal(0)
    # In range before quantize: quantizing 1E+999999 to cents overflows the context (InvalidOperation).
    in_range = number.is_finite() and low <= number <= high
    if not in_range or number != number.quantize(Decimal(places)) or (field == "quantity" and number == 0):
        bound = "more than 0" if field == "quantity" else "0 or more"
        decimals = len(places.split(".")[1])
        problems.add(field, f"Must be {bound} and at most {high} with at most {decimals} decimals.")
    return number


@dataclass
class ItemFields:
    kind: ItemKind = UNSET
    name: str = UNSET
    quantity: Decimal = UNSET
    unit_price: Decimal = UNSET
    billable: bool = UNSET
    date: date = UNSET
    notes: str = UNSET


def _checked(fields: ItemFields) -> dict[str, Any]:
    problems = Problems()
    columns: dict[str, Any] = {}
    if fields.kind is not UNSET:
        columns["kind"] = fields.kind
    if fields.name is not UNSET:
        columns["name"] = validation.text(problems, "name", fields.name, max_length=200)
    if fields.quantity is not UNSET:
        columns["quantity"] = _decimal(
            problems, "quantity", fields.quantity, "0.001", Decimal(0), MAX_QUANTITY
        )
    if fields.unit_price is not UNSET:
        columns["unit_price"] = _decimal(
            problems, "unitPrice", fields.unit_price, "0.01", Decimal(0), MAX_PRICE
        )
    if fields.billable is not UNSET:
        columns["billable"] = fields.billable
    if fields.date is not UNSET:
        columns["date"] = fields.date
    if fields.notes is not UNSET:
        columns["notes"] = validation.text(problems, "notes", fields.notes, max_length=2000, required=False)
    problems.raise_if_any()
    return columns


def _emit(work: UnitOfWork, item: TicketItem, change: str) -> None:
    work.emit(
        Event(
            "item.changed",
            item.account_id,
            item.ticket_id,
            ids={"item": item.id},
            changes=(change,),
            internal=True,
        )
    )


def _shown(item: TicketItem) -> str:
    return f"{item.name} ({item.quantity.normalize():f} x {item.unit_price:.2f})"


async def add(viewer: Viewer, ticket_id: int, fields: ItemFields) -> TicketItem:
    """Raises PermissionDenied, NotFound (ticketId), ValidationFailed (name, quantity, unitPrice, notes)."""
    require_technician(viewer)
    if fields.date is UNSET:
        fields.date = utcnow().date()
    columns = _checked(fields)
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        item = await TicketItem.create(
            account_id=viewer.account_id, ticket_id=ticket.id, created_by_id=viewer.technician_id, **columns
        )
        await activity.record(viewer, ticket.id, ActivityKind.ITEM_ADDED, field="items", new=_shown(item))
        _emit(work, item, "added")
    return await TicketItem.get(id=item.id)


async def update(viewer: Viewer, item_id: int, fields: ItemFields) -> TicketItem:
    """Raises PermissionDenied, NotFound (id), ValidationFailed (name, quantity, unitPrice, notes)."""
    require_technician(viewer)
    columns = _checked(fields)
    async with unit_of_work() as work:
        item = (
            await visibility.ticket_items(viewer)
            .select_for_update(of=("ticket_item",))
            .get_or_none(id=item_id)
        )
        if item is None:
            raise NotFound("id")
        await TicketItem.filter(id=item.id).update(**columns, updated_at=utcnow())
        fresh = await TicketItem.get(id=item.id)
        await activity.record(
            viewer,
            item.ticket_id,
            ActivityKind.ITEM_UPDATED,
            field="items",
            old=_shown(item),
            new=_shown(fresh),
        )
        _emit(work, fresh, "updated")
        return fresh


async def delete(viewer: Viewer, item_id: int) -> None:
    """Raises PermissionDenied, NotFound (id)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        item = (
            await visibility.ticket_items(viewer)
            .select_for_update(of=("ticket_item",))
            .get_or_none(id=item_id)
        )
        if item is None:
            raise NotFound("id")
        await TicketItem.filter(id=item.id).delete()
        await activity.record(
            viewer, item.ticket_id, ActivityKind.ITEM_DELETED, field="items", old=_shown(item)
        )
        _emit(work, item, "deleted")


@dataclass(frozen=True)
class ItemTotals:
    products: Decimal
    expenses: Decimal
    billable: Decimal
    total: Decimal


def totals(items: Iterable[TicketItem]) -> ItemTotals:
    sums = {ItemKind.PRODUCT: Decimal(0), ItemKind.EXPENSE: Decimal(0)}
    billable = Decimal(0)
    for item in items:
        amount = Decimal(item.quantity) * Decimal(item.unit_price)
        sums[item.kind] += amount
        if item.billable:
            billable += amount

    def cents(value: Decimal) -> Decimal:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)

    products, expenses = cents(sums[ItemKind.PRODUCT]), cents(sums[ItemKind.EXPENSE])
    return ItemTotals(
        products, expenses, cents(billable), cents(sums[ItemKind.PRODUCT] + sums[ItemKind.EXPENSE])
    )
