"""An account's ticket settings: read with defaults, changed by admins."""

from __future__ import annotations

from models.enums import ReplyType
from models.settings import TicketSettings
from services.admin import require_admin
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer


async def settings_of(account_id: int) -> TicketSettings:
    """The account's settings; an account that never changed them gets the defaults."""
    found = await TicketSettings.get_or_none(account_id=account_id)
    return found or TicketSettings(account_id=account_id)


async def update_settings(viewer: Viewer, *, default_reply_type: ReplyType = UNSET) -> TicketSettings:
    """Admins only. Raises PermissionDenied."""
    require_admin(viewer)
    changes = {}
    if default_reply_type is not UNSET:
        changes["default_reply_type"] = default_reply_type
    async with unit_of_work():
        settings, _ = await TicketSettings.get_or_create(account_id=viewer.account_id)
        if changes:
            await TicketSettings.filter(id=settings.id).update(**changes)
    return await TicketSettings.get(account_id=viewer.account_id)
