"""Ticket statuses (admins): the four built-in ones and custom ones, each in one category.

Built-in statuses can be renamed and reordered but not archived or deleted. Custom statuses can be
archived (they stay on the tickets that have them and cannot be chosen any more) and deleted while no
ticket uses them. A status's category never changes after creation, so SLA history stays true.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max

from models.enums import StatusCategory
from models.tickets import Ticket, TicketStatus
from services import validation
from services.admin import require_admin
from services.errors import Conflict, NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_NAME = 100


async def _named(account_id: int, name: str, exclude: int | None = None) -> bool:
    query = TicketStatus.filter(account_id=account_id, name=name)
    if exclude is not None:
        query = query.exclude(id=exclude)
    return await query.exists()


async def _status(viewer: Viewer, status_id: int) -> TicketStatus:
    status = await TicketStatus.get_or_none(id=status_id, account_id=viewer.account_id)
    if status is None:
        raise NotFound("id")
    return status


async def create(
    viewer: Viewer, *, name: str, category: StatusCategory, pauses_sla: bool = False
) -> TicketStatus:
    """A custom status at the end of the list. Raises PermissionDenied, ValidationFailed (name)."""
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=MAX_NAME)
    problems.raise_if_any()
    if await _named(viewer.account_id, name):
        raise ValidationFailed.one("name", "A status with this name already exists.")
    async with unit_of_work():
        last = (
            await TicketStatus.filter(account_id=viewer.account_id)
            .annotate(top=Max("position"))
            .first()
            .values_list("top", flat=True)
        )
        return await TicketStatus.create(
            account_id=viewer.account_id,
            name=name,
            category=category,
            pauses_sla=pauses_sla,
            position=(last if isinstance(last, int) else -1) + 1,
        )


async def update(
    viewer: Viewer, status_id: int, *, name: str = UNSET, pauses_sla: bool = UNSET, archived: bool = UNSET
) -> TicketStatus:
    """Rename, flag whether it pauses the SLA, archive or restore.

    Raises PermissionDenied, NotFound (id), ValidationFailed (name, archived).
    """
    require_admin(viewer)
    status = await _status(viewer, status_id)
    problems = Problems()
    changes: dict[str, Any] = {}
    if name is not UNSET:
        changes["name"] = validation.text(problems, "name", name, max_length=MAX_NAME)
    if pauses_sla is not UNSET:
        changes["pauses_sla"] = pauses_sla
    if archived is not UNSET:
        if archived and status.built_in:
            problems.add("archived", "Built-in statuses cannot be archived.")
        changes["archived"] = archived
    problems.raise_if_any()
    if "name" in changes and await _named(viewer.account_id, changes["name"], exclude=status.id):
        raise ValidationFailed.one("name", "A status with this name already exists.")
    if changes:
        async with unit_of_work():
            await TicketStatus.filter(id=status.id).update(**changes)
    return await TicketStatus.get(id=status.id)


async def reorder(viewer: Viewer, status_ids: list[int]) -> list[TicketStatus]:
    """Set the order of the drop-down: ``status_ids`` lists every status of the account once.

    Raises PermissionDenied, ValidationFailed (ids).
    """
    require_admin(viewer)
    existing = set(await TicketStatus.filter(account_id=viewer.account_id).values_list("id", flat=True))
    if len(status_ids) != len(set(status_ids)) or set(status_ids) != existing:
        raise ValidationFailed.one("ids", "List every status of the account exactly once.")
    async with unit_of_work():
        for position, status_id in enumerate(status_ids):
            await TicketStatus.filter(id=status_id).update(position=position)
    return await TicketStatus.filter(account_id=viewer.account_id).order_by("position", "id")


async def delete(viewer: Viewer, status_id: int) -> None:
    """Delete a custom status no ticket uses.

    Raises PermissionDenied, NotFound (id), ValidationFailed (id: built-in), Conflict (in use: archive it).
    """
    require_admin(viewer)
    status = await _status(viewer, status_id)
    if status.built_in:
        raise ValidationFailed.one("id", "Built-in statuses cannot be deleted.")
    in_use = Conflict("Tickets have this status. Archive it instead.")
    if await Ticket.exists(status_id=status.id):
        raise in_use
    try:
        async with unit_of_work():
            await TicketStatus.filter(id=status.id).delete()
    except IntegrityError as error:  # a ticket took the status meanwhile: the foreign key refuses
        raise in_use from error
