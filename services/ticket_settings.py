"""An account's ticket settings: read with defaults, changed by admins."""

from __future__ import annotations

from models.enums import ReplyType
from models.settings import TicketSettings
from services.admin import require_admin
from services.errors import ValidationFailed
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer


async def settings_of(account_id: int) -> TicketSettings:
    """The account's settings; an account that never changed them gets the defaults."""
    found = await TicketSettings.get_or_none(account_id=account_id)
    return found or TicketSettings(account_id=account_id)


async def update_settings(
    viewer: Viewer,
    *,
    default_reply_type: ReplyType = UNSET,
    auto_start_timer: bool = UNSET,
    default_time_entry_minutes: int = UNSET,
) -> TicketSettings:
    """Admins only. Raises PermissionDenied, ValidationFailed (defaultTimeEntryMinutes: 1..1440)."""
    require_admin(viewer)
    changes: dict[str, object] = {}
    if default_reply_type is not UNSET:
        changes["default_reply_type"] = default_reply_type
    if auto_start_timer is not UNSET:
        changes["auto_start_timer"] = auto_start_timer
    if default_time_entry_minutes is not UNSET:
        if not 1 <= default_time_entry_minutes <= 1440:
            raise ValidationFailed.one("defaultTimeEntryMinutes", "Must be 1 to 1440 minutes.")
        changes["default_time_entry_minutes"] = default_time_entry_minutes
    async with unit_of_work():
        settings, _ = await TicketSettings.get_or_create(account_id=viewer.account_id)
        if changes:
            await TicketSettings.filter(id=settings.id).update(**changes)
    return await TicketSettings.get(account_id=viewer.account_id)
