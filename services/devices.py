"""Devices (monitoring agents): registering them, linking them to requesters, and the remote-connect link.

- ``register`` is for monitoring integrations (technicians' tokens); a device is unique by host
  name within the account, so registering it again updates it (name, OS, online, last seen).
- ``assign_agent`` links a device to a requester, ``unassign_agent`` unlinks it. Done from a ticket page
  (``ticket_id`` given), the change is written to that ticket's activity log and published on it.
- The remote-connect link fills the account's URL template (a ticket setting) with the device's values,
  each percent-encoded, so that no host name can change the link's scheme or host.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from models.clock import utcnow
from models.enums import ActivityKind
from models.people import Device, Requester
from services import activity, validation, visibility
from services.admin import require_technician
from services.errors import NotFound, Problems
from services.events import Event
from services.unit_of_work import UnitOfWork, unit_of_work
from services.viewer import Viewer

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_-]{1,63})*\.?$")
URL_PLACEHOLDERS = ("device.hostname", "device.name", "device.id")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE | re.ASCII)  # no KELVIN SIGN for k
SAFE_SCHEMES = frozenset(
    {"rdp", "vnc", "ssh", "https", "http", "ms-rd", "teamviewer10", "anydesk", "splashtop"}
)


def template_problem(template: str) -> str | None:
    """Why a remote-connect URL template is unusable, or None. An empty template turns the link off."""
    if not template:
        return None
    if len(template) > 500:
        return "Must be at most 500 characters."
    scheme = _SCHEME.match(template)
    if scheme is None or scheme.group(1).lower() not in SAFE_SCHEMES:
        return f"Must start with one of these schemes: {', '.join(sorted(SAFE_SCHEMES))}."
    unknown = [name for name in _PLACEHOLDER.findall(template) if name not in URL_PLACEHOLDERS]
    if unknown:
        return (
            f"Unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + n + '}' for n in URL_PLACEHOLDERS)}."
        )
    return None


def remote_connect_url(template: str, device: Device) -> str | None:
    """The template with the device's values percent-encoded; None when no template is set."""
    if not template:
        return None
    values = {"device.hostname": device.hostname, "device.name": device.name, "device.id": str(device.id)}
    return _PLACEHOLDER.sub(lambda match: quote(values[match.group(1)], safe=""), template)


async def register(
    viewer: Viewer,
    *,
    name: str,
    hostname: str,
    os: str,
    online: bool,
    last_seen_at: datetime | None = None,
) -> Device:
    """Technicians only. Raises PermissionDenied, ValidationFailed (name, hostname, os, lastSeenAt)."""
    require_technician(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=200)
    hostname = hostname.strip().lower()
    if not _HOSTNAME.match(hostname):
        problems.add("hostname", "Must be a host name such as pc-042 or pc-042.example.com.")
    os = validation.text(problems, "os", os, max_length=200, required=False)
    if last_seen_at is not None and last_seen_at.tzinfo is None:
        problems.add("lastSeenAt", "Must carry a time zone offset.")
    elif last_seen_at is not None:
        validation.moment(problems, "lastSeenAt", last_seen_at)
    problems.raise_if_any()
    seen = last_seen_at or (utcnow() if online else None)
    async with unit_of_work():
        device = await Device.filter(account_id=viewer.account_id, hostname=hostname).first()
        columns: dict[str, Any] = {"name": name, "os": os, "online": online, "last_seen_at": seen}
        if device is None:
            device = await Device.create(account_id=viewer.account_id, hostname=hostname, **columns)
        else:
            await Device.filter(id=device.id).update(**columns)
    return await Device.get(id=device.id)


async def _ticket_of(viewer: Viewer, ticket_id: int | None) -> int | None:
    """The ticket the change is made from, checked before anything changes. Raises NotFound (ticketId)."""
    if ticket_id is None:
        return None
    ticket = await visibility.tickets(viewer).get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("ticketId")
    return ticket.id


async def _on_ticket(
    viewer: Viewer, work: UnitOfWork, ticket_id: int | None, kind: ActivityKind, shown: str
) -> None:
    if ticket_id is None:
        return
    await activity.record(viewer, ticket_id, kind, field="devices", new=shown)
    work.emit(Event("ticket.updated", viewer.account_id, ticket_id, changes=("devices",), internal=True))


async def assign_agent(
    viewer: Viewer, requester_id: int, device_id: int, ticket_id: int | None = None
) -> Device:
    """Link the device to the requester (moving it from whoever had it). Technicians only. The ticket is
    checked even when the device is linked to the requester already (nothing changes then).
    Raises PermissionDenied, NotFound (requesterId, deviceId, ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        requester = await visibility.requesters(viewer).get_or_none(id=requester_id)
        if requester is None:
            raise NotFound("requesterId")
        device = await visibility.devices(viewer).select_for_update().get_or_none(id=device_id)
        if device is None:
            raise NotFound("deviceId")
        ticket_id = await _ticket_of(viewer, ticket_id)
        if device.requester_id != requester.id:
            await Device.filter(id=device.id).update(requester_id=requester.id)
            await _on_ticket(
                viewer, work, ticket_id, ActivityKind.DEVICE_ASSIGNED, f"{device.name} -> {requester.name}"
            )
    return await Device.get(id=device_id)


async def unassign_agent(viewer: Viewer, device_id: int, ticket_id: int | None = None) -> Device:
    """Technicians only. The ticket is checked even when the device is unlinked already (nothing changes
    then). Raises PermissionDenied, NotFound (deviceId, ticketId)."""
    require_technician(viewer)
    async with unit_of_work() as work:
        device = await visibility.devices(viewer).select_for_update().get_or_none(id=device_id)
        if device is None:
            raise NotFound("deviceId")
        ticket_id = await _ticket_of(viewer, ticket_id)
        if device.requester_id is not None:
            owner = await Requester.get(id=device.requester_id)
            await Device.filter(id=device.id).update(requester_id=None)
            await _on_ticket(
                viewer, work, ticket_id, ActivityKind.DEVICE_UNASSIGNED, f"{device.name} -x {owner.name}"
            )
    return await Device.get(id=device_id)
