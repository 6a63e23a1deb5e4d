"""Editing a ticket's details and properties: the auto-saved fields of the ticket page.

``update`` is a partial update. Only fields that are given and really change are written, each as
its own column (custom field values are rows of their own), so two technicians saving different fields
at the same moment both win. The ticket row is locked for the transaction (SELECT ... FOR UPDATE on
PostgreSQL), so the activity log records true old -> new values and ``version`` grows by one per save.
With ``expected_version`` a save made on a stale copy is refused with the current ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import F

from models.accounts import Technician
from models.clock import utcnow
from models.enums import ActivityKind, ActivityStatus, Impact, Priority, StatusCategory, TagSource, TicketType
from models.forms import CustomField, FormTemplate, FormTemplateField, TicketFieldValue
from models.people import Requester
from models.tickets import Tag, Ticket, TicketStatus, TicketTag
from models.timekeeping import TimeEntry
from services import (
    activity,
    field_values,
    sla,
    tags,
    teams,
    ticket_settings,
    validation,
    visibility,
)
from services.admin import require_technician
from services.errors import Conflict, NotFound, Problems, ValidationFailed
from services.events import Event
from services.tickets import MAX_TITLE
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer


@dataclass
class TicketChanges:
    """What a save asks to change; UNSET fields are left alone, None clears where allowed."""

    title: str = UNSET
    status_id: int = UNSET
    assignee_id: int | None = UNSET
    team_id: int | None = UNSET
    ticket_type: TicketType = UNSET
    activity_status: ActivityStatus = UNSET
    priority: Priority = UNSET
    impact: Impact = UNSET
    requester_id: int = UNSET
    form_template_id: int | None = UNSET
    custom_fields: dict[int, Any] = UNSET
    add_tags: list[str] = UNSET
    remove_tags: list[str] = UNSET


@dataclass
class _Record:
    kind: ActivityKind
    field: str | None = None
    old: str | None = None
    new: str | None = None


@dataclass
class _Plan:
    """Everything a save will write, gathered (and checked) before anything is written."""

    columns: dict[str, Any] = field(default_factory=dict)
    records: list[_Record] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    set_values: dict[int, Any] = field(default_factory=dict)
    cleared_values: list[int] = field(default_factory=list)
    added_tags: list[str] = field(default_factory=list)
    removed_tags: list[int] = field(default_factory=list)
    status_change: tuple[TicketStatus, TicketStatus] | None = None

    def change(self, api_name: str, column: str, value: Any, record: _Record) -> None:
        self.columns[column] = value
        self.records.append(record)
        self.changed.append(api_name)


async def _technician_name(technician_id: int | None) -> str | None:
    if technician_id is None:
        return None
    return (await Technician.get(id=technician_id)).name


async def _may_close(ticket: Ticket) -> None:
    """With requireTimeEntryOnClose, a ticket closes only once time is recorded on it."""
    settings = await ticket_settings.settings_of(ticket.account_id)
    if settings.require_time_entry_on_close and not await TimeEntry.exists(ticket_id=ticket.id):
        raise ValidationFailed.one("statusId", "Record the time spent on this ticket before closing it.")


async def _plan_details(viewer: Viewer, ticket: Ticket, changes: TicketChanges, plan: _Plan) -> None:
    if changes.title is not UNSET and changes.title != ticket.title:
        plan.change(
            "title",
            "title",
            changes.title,
            _Record(ActivityKind.FIELD_CHANGED, "title", ticket.title, changes.title),
        )
    for api_name, column, value in (
        ("type", "ticket_type", changes.ticket_type),
        ("priority", "priority", changes.priority),
        ("impact", "impact", changes.impact),
    ):
        current = getattr(ticket, column)
        if value is not UNSET and value != current:
            plan.change(
                api_name,
                column,
                value,
                _Record(ActivityKind.FIELD_CHANGED, api_name, current.value, value.value),
            )
    if changes.activity_status is not UNSET and changes.activity_status != ticket.activity_status:
        plan.change(
            "activityStatus",
            "activity_status",
            changes.activity_status,
            _Record(
                ActivityKind.ACTIVITY_STATUS_CHANGED,
                "activityStatus",
                ticket.activity_status.value,
                changes.activity_status.value,
            ),
        )
    if changes.status_id is not UNSET and changes.status_id != ticket.status_id:
        status = await TicketStatus.get_or_none(id=changes.status_id, account_id=viewer.account_id)
        if status is None:
            raise NotFound("statusId")
        if status.archived:
            raise ValidationFailed.one("statusId", f"The status {status.name!r} is archived.")
        old = await TicketStatus.get(id=ticket.status_id)
        if status.category is StatusCategory.CLOSED and old.category is not StatusCategory.CLOSED:
            await _may_close(ticket)
        plan.change(
            "status",
            "status_id",
            status.id,
            _Record(ActivityKind.STATUS_CHANGED, "status", old.name, status.name),
        )
        plan.status_change = (old, status)
    if changes.assignee_id is not UNSET and changes.assignee_id != ticket.assignee_id:
        if changes.assignee_id is not None:
            assignee = await Technician.get_or_none(id=changes.assignee_id, account_id=viewer.account_id)
            if assignee is None:
                raise NotFound("assigneeId")
            if not assignee.active:
                raise ValidationFailed.one(
                    "assigneeId", f"{assignee.name} is inactive and cannot be assigned."
                )
        plan.change(
            "assignee",
            "assignee_id",
            changes.assignee_id,
            _Record(
                ActivityKind.ASSIGNEE_CHANGED,
                "assignee",
                await _technician_name(ticket.assignee_id),
                await _technician_name(changes.assignee_id),
            ),
        )
    if changes.team_id is not UNSET and changes.team_id != ticket.team_id:
        new_team = None if changes.team_id is None else (await teams.for_ticket(viewer, changes.team_id)).name
        plan.change(
            "team",
            "team_id",
            changes.team_id,
            _Record(ActivityKind.TEAM_CHANGED, "team", await teams.name_of(ticket.team_id), new_team),
        )
    if changes.requester_id is not UNSET and changes.requester_id != ticket.requester_id:
        requester = await Requester.get_or_none(id=changes.requester_id, account_id=viewer.account_id)
        if requester is None:
            raise NotFound("requesterId")
        old_requester = await Requester.get(id=ticket.requester_id)
        plan.change(
            "requester",
            "requester_id",
            requester.id,
            _Record(ActivityKind.REQUESTER_CHANGED, "requester", old_requester.name, requester.name),
        )


async def _plan_form(viewer: Viewer, ticket: Ticket, changes: TicketChanges, plan: _Plan) -> None:
    template_id = ticket.form_template_id
    template_changes = (
        changes.form_template_id is not UNSET and changes.form_template_id != ticket.form_template_id
    )
    if template_changes:
        old_name = None
        if ticket.form_template_id is not None:
            old_name = (await FormTemplate.get(id=ticket.form_template_id)).name
        new_name = None
        if changes.form_template_id is not None:
            template = await FormTemplate.get_or_none(
                id=changes.form_template_id, account_id=viewer.account_id
            )
            if template is None:
                raise NotFound("formTemplateId")
            if template.archived:
                raise ValidationFailed.one(
                    "formTemplateId", f"The form template {template.name!r} is archived."
                )
            new_name = template.name
        template_id = changes.form_template_id
        plan.change(
            "formTemplate",
            "form_template_id",
            template_id,
            _Record(ActivityKind.FORM_TEMPLATE_CHANGED, "formTemplate", old_name, new_name),
        )
    in_template = set()
    if template_id is not None:
        in_template = set(
            await FormTemplateField.filter(template_id=template_id).values_list("field_id", flat=True)
        )
    stored = {row.field_id: row for row in await TicketFieldValue.filter(ticket_id=ticket.id)}
    definitions = {
        row.id: row
        for row in await CustomField.filter(
            account_id=viewer.account_id, id__in=list(in_template | set(stored))
        )
    }
    for field_id, row in stored.items():
        if template_changes and field_id not in in_template:  # the field left with the old template
            plan.cleared_values.append(field_id)
            plan.records.append(
                _Record(
                    ActivityKind.CUSTOM_FIELD_CHANGED,
                    definitions[field_id].name,
                    field_values.display(field_values.load(row.value)),
                    None,
                )
            )
    if changes.custom_fields is UNSET:
        return
    problems = Problems()
    for field_id, raw in changes.custom_fields.items():
        definition = definitions.get(field_id) if field_id in in_template else None
        if definition is None:
            problems.add("customFields", f"Field {field_id} is not in the ticket's form template.")
            continue
        try:
            value = field_values.parse(definition.field_type, definition.options, raw)
        except field_values.InvalidValue as error:
            problems.add("customFields", f"{definition.name}: {error}")
            continue
        if value is None and definition.required:
            problems.add("customFields", f"{definition.name} is required.")
            continue
        old = field_values.load(stored[field_id].value) if field_id in stored else None
        if value == old:
            continue
        if value is None:
            plan.cleared_values.append(field_id)
        else:
            plan.set_values[field_id] = value
        plan.records.append(
            _Record(
                ActivityKind.CUSTOM_FIELD_CHANGED,
                definition.name,
                field_values.display(old),
                field_values.display(value),
            )
        )
    problems.raise_if_any()
    if plan.set_values or plan.cleared_values:
        plan.changed.append("customFields")


async def _plan_tags(ticket: Ticket, add: list[str], remove: list[str], plan: _Plan) -> None:
    present = dict(await TicketTag.filter(ticket_id=ticket.id).values_list("tag__name", "id"))
    for name in add:
        if name not in present:
            plan.added_tags.append(name)
            plan.records.append(_Record(ActivityKind.TAG_ADDED, "tags", None, name))
    for name in remove:
        if name in present and name not in add:
            plan.removed_tags.append(present[name])
            plan.records.append(_Record(ActivityKind.TAG_REMOVED, "tags", name, None))
    if plan.added_tags or plan.removed_tags:
        plan.changed.append("tags")


async def _apply(viewer: Viewer, ticket: Ticket, plan: _Plan) -> None:
    now = utcnow()
    await Ticket.filter(id=ticket.id).update(**plan.columns, version=F("version") + 1, updated_at=now)
    for field_id, value in plan.set_values.items():
        text = field_values.dump(value)
        updated = await TicketFieldValue.filter(ticket_id=ticket.id, field_id=field_id).update(value=text)
        if not updated:
            await TicketFieldValue.create(ticket_id=ticket.id, field_id=field_id, value=text)
    if plan.cleared_values:
        await TicketFieldValue.filter(ticket_id=ticket.id, field_id__in=plan.cleared_values).delete()
    for name in plan.added_tags:
        tag, _ = await Tag.get_or_create(account_id=viewer.account_id, name=name)
        await TicketTag.create(ticket_id=ticket.id, tag_id=tag.id, source=TagSource.MANUAL)
    if plan.removed_tags:
        await TicketTag.filter(id__in=plan.removed_tags).delete()
    for record in plan.records:
        await activity.record(
            viewer, ticket.id, record.kind, field=record.field, old=record.old, new=record.new
        )
    fresh = await Ticket.get(id=ticket.id)
    if plan.status_change is not None:
        await sla.status_changed(viewer, fresh, *plan.status_change, now)
    if "requester" in plan.changed:
        await sla.assign_policy(fresh, now)
    elif "priority" in plan.changed:
        await sla.refresh(fresh, now)


async def update(
    viewer: Viewer, ticket_id: int, changes: TicketChanges, expected_version: int | None = None
) -> Ticket:
    """Apply a partial update; each field that really changes writes one Activity row.

    Technicians only. Emits ``ticket.updated`` with the changed field names when anything changed.
    Raises PermissionDenied; NotFound (id, statusId, assigneeId, requesterId, formTemplateId);
    ValidationFailed (title, statusId archived, assigneeId inactive, teamId of another account or
    archived, formTemplateId archived, customFields, addTags, removeTags); Conflict (expectedVersion stale, with the current ticket).
    """
    require_technician(viewer)
    problems = Problems()
    if changes.title is not UNSET:
        changes.title = validation.text(problems, "title", changes.title, max_length=MAX_TITLE)
    add = tags.clean(problems, "addTags", changes.add_tags or [])
    remove = tags.clean(problems, "removeTags", changes.remove_tags or [])
    problems.raise_if_any()
    async with unit_of_work() as work:
        ticket = await visibility.tickets(viewer).select_for_update().get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("id")
        if expected_version is not None and expected_version != ticket.version:
            raise Conflict(
                f"The ticket changed since version {expected_version}; it is at version {ticket.version}.",
                current=ticket,
            )
        plan = _Plan()
        await _plan_details(viewer, ticket, changes, plan)
        await _plan_form(viewer, ticket, changes, plan)
        await _plan_tags(ticket, add, remove, plan)
        if plan.records or plan.changed:
            await _apply(viewer, ticket, plan)
            work.emit(Event("ticket.updated", viewer.account_id, ticket.id, changes=tuple(plan.changed)))
        # Read inside the transaction: the version this save produced, not a later save's.
        return await Ticket.get(id=ticket_id)
