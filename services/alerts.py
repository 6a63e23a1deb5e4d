"""Monitoring alerts and the tickets they are handled in (technicians; monitoring integrations use a
technician's token).

- ``create``: a name of 1..300 characters, a severity, optionally a device of the account, a
  message of at most 10,000 characters and the source (the monitoring tool) of at most 100.
- An alert is related to at most one ticket: linking one that is related elsewhere is refused (unlink it
  first); linking it to its own ticket again changes nothing. ``resolve`` marks it RESOLVED.
- ``create_ticket_from_alert`` opens a ticket for the device's requester (or the requester given) titled
  after the alert, with the alert's message as description, and relates the alert, in one transaction.
Linking and unlinking write ALERT_LINKED / ALERT_UNLINKED and emit ``ticket.updated`` (relatedAlerts),
internal: end users never see alerts.
"""

from __future__ import annotations

from models.alerts import Alert
from models.clock import utcnow
from models.enums import ActivityKind, AlertSeverity, AlertStatus, Priority
from models.people import Device
from models.tickets import Ticket
from services import activity, tickets, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems, ValidationFailed
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer

PRIORITY_OF = {
    AlertSeverity.INFORMATION: Priority.LOW,
    AlertSeverity.WARNING: Priority.MEDIUM,
    AlertSeverity.CRITICAL: Priority.HIGH,
}


async def create(
    viewer: Viewer,
    *,
    name: str,
    severity: AlertSeverity,
    device_id: int | None = None,
    message: str = "",
    source: str = "",
) -> Alert:
    """Raises PermissionDenied, NotFound (deviceId), ValidationFailed (name, message, source)."""
    require_technician(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=300)
    message = validation.text(problems, "message", message, max_length=10_000, required=False)
    source = validation.text(problems, "source", source, max_length=100, required=False)
    problems.raise_if_any()
    if device_id is not None and not await visibility.devices(viewer).filter(id=device_id).exists():
        raise NotFound("deviceId")
    return await Alert.create(
        account_id=viewer.account_id,
        device_id=device_id,
        name=name,
        severity=severity,
        message=message,
        source=source,
    )


async def resolve(viewer: Viewer, alert_id: int) -> Alert:
    """Raises PermissionDenied, NotFound (alertId)."""
    require_technician(viewer)
    alert = await visibility.alerts(viewer).get_or_none(id=alert_id)
    if alert is None:
        raise NotFound("alertId")
    await Alert.filter(id=alert.id, status=AlertStatus.OPEN).update(
        status=AlertStatus.RESOLVED, resolved_at=utcnow()
    )
    return await Alert.get(id=alert.id)


async def _logged(viewer: Viewer, work: UnitOfWork, alert: Alert, ticket_id: int, kind: ActivityKind) -> None:
    shown = f"{alert.severity.value}: {alert.name}"
    linked = kind is ActivityKind.ALERT_LINKED
    await activity.record(
        viewer,
        ticket_id,
        kind,
        field="relatedAlerts",
        old=None if linked else shown,
        new=shown if linked else None,
    )
    work.emit(
        Event(
            "ticket.updated",
            viewer.account_id,
            ticket_id,
            ids={"alert": alert.id},
            changes=("relatedAlerts",),
            internal=True,
        )
    )


async def _locked_alert(viewer: Viewer, alert_id: int) -> Alert:
    alert = await visibility.alerts(viewer).select_for_update().get_or_none(id=alert_id)
    if alert is None:
        raise NotFound("alertId")
    return alert


async def _relate(viewer: Viewer, work: UnitOfWork, alert: Alert, ticket: Ticket) -> None:
    if alert.ticket_id == ticket.id:
        return
    if alert.ticket_id is not None and await Ticket.exists(id=alert.ticket_id, deleted_at__isnull=True):
        number = (await Ticket.get(id=alert.ticket_id)).number
        raise ValidationFailed.one("alertId", f"Already related to ticket #{number}; unlink it there first.")
    await Alert.filter(id=alert.id).update(ticket_id=ticket.id)
    await _logged(viewer, work, alert, ticket.id, ActivityKind.ALERT_LINKED)


async def link(viewer: Viewer, alert_id: int, ticket_id: int) -> Alert:
    """Raises PermissionDenied, NotFound (alertId, ticketId), ValidationFailed (alertId: related elsewhere)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        alert = await _locked_alert(viewer, alert_id)
        ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        await _relate(viewer, work, alert, ticket)
    return await Alert.get(id=alert_id)


async def unlink(viewer: Viewer, alert_id: int, ticket_id: int) -> Alert:
    """Raises PermissionDenied, NotFound (alertId, ticketId), ValidationFailed (alertId: not related)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        alert = await _locked_alert(viewer, alert_id)
        ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
        if ticket is None:
            raise NotFound("ticketId")
        if alert.ticket_id != ticket.id:
            raise ValidationFailed.one("alertId", "The alert is not related to this ticket.")
        await Alert.filter(id=alert.id).update(ticket_id=None)
        await _logged(viewer, work, alert, ticket.id, ActivityKind.ALERT_UNLINKED)
    return await Alert.get(id=alert_id)


async def create_ticket_from_alert(
    viewer: Viewer, alert_id: int, *, requester_id: int | None = None, title: str | None = None
) -> tuple[Ticket, Alert]:
    """Raises PermissionDenied, NotFound (alertId, requesterId), ValidationFailed (alertId: related
    elsewhere, requesterId: the device has no requester, title)."""
    require_technician(viewer)
    alert = await visibility.alerts(viewer).get_or_none(id=alert_id)
    if alert is None:
        raise NotFound("alertId")
    device = await Device.get_or_none(id=alert.device_id) if alert.device_id else None
    if requester_id is None:
        requester_id = device.requester_id if device else None
        if requester_id is None:
            raise ValidationFailed.one("requesterId", "The alert's device has no requester; choose one.")
    on_device = f" on {device.name}" if device else ""
    async with unit_of_work() as work:
        ticket = await tickets.create(
            viewer,
            title=title
            if title is not None
            else f"{alert.severity.value.title()}: {alert.name}{on_device}"[:250],
            description=alert.message,
            requester_id=requester_id,
            priority=PRIORITY_OF[alert.severity],
        )
        await _relate(viewer, work, await _locked_alert(viewer, alert.id), ticket)
    return await Ticket.get(id=ticket.id), await Alert.get(id=alert.id)
