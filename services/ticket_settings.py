"""An account's ticket settings: read with defaults, changed by admins."""

from __future__ import annotations

from typing import Any

from models.enums import MailTrust, ReplyType
from models.settings import TicketSettings
from services import devices
from services.admin import require_admin
from services.automation import defaults
from services.errors import Problems
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer


async def settings_of(account_id: int) -> TicketSettings:
    """The account's settings; an account that never changed them gets the defaults."""
    found = await TicketSettings.get_or_none(account_id=account_id)
    return found or TicketSettings(account_id=account_id)


_RANGES = {
    "default_time_entry_minutes": ("defaultTimeEntryMinutes", 1, 1440, "minutes"),
    "deleted_retention_days": ("deletedRetentionDays", 1, 365, "days"),
    "auto_close_after_days": ("autoCloseAfterDays", 1, 365, "days"),
}


async def update(
    viewer: Viewer,
    *,
    default_reply_type: ReplyType = UNSET,
    auto_start_timer: bool = UNSET,
    default_time_entry_minutes: int = UNSET,
    require_time_entry_on_close: bool = UNSET,
    send_survey_on_close: bool = UNSET,
    send_survey_on_resolve: bool = UNSET,
    remote_connect_url_template: str = UNSET,
    ai_auto_tags: bool = UNSET,
    copilot_enabled: bool = UNSET,
    deleted_retention_days: int = UNSET,
    open_tickets_from_unknown_senders: bool = UNSET,
    requester_mail_trust: MailTrust = UNSET,
    auto_close_after_days: int = UNSET,
) -> TicketSettings:
    """Admins only. Raises PermissionDenied, ValidationFailed (defaultTimeEntryMinutes: 1..1440,
    deletedRetentionDays: 1..365, autoCloseAfterDays: 1..365, remoteConnectUrlTemplate: see services.devices.template_problem)."""
    require_admin(viewer)
    given: dict[str, Any] = {
        "default_reply_type": default_reply_type,
        "auto_start_timer": auto_start_timer,
        "default_time_entry_minutes": default_time_entry_minutes,
        "require_time_entry_on_close": require_time_entry_on_close,
        "send_survey_on_close": send_survey_on_close,
        "send_survey_on_resolve": send_survey_on_resolve,
        "remote_connect_url_template": remote_connect_url_template,
        "ai_auto_tags": ai_auto_tags,
        "copilot_enabled": copilot_enabled,
        "deleted_retention_days": deleted_retention_days,
        "open_tickets_from_unknown_senders": open_tickets_from_unknown_senders,
        "requester_mail_trust": requester_mail_trust,
        "auto_close_after_days": auto_close_after_days,
    }
    changes = {column: value for column, value in given.items() if value is not UNSET}
    problems = Problems()
    for column, (field, low, high, unit) in _RANGES.items():
        if column in changes and not low <= changes[column] <= high:
            problems.add(field, f"Must be {low} to {high} {unit}.")
    if "remote_connect_url_template" in changes:
        changes["remote_connect_url_template"] = template = changes["remote_connect_url_template"].strip()
        problem = devices.template_problem(template)
        if problem:
            problems.add("remoteConnectUrlTemplate", problem)
    problems.raise_if_any()
    async with unit_of_work():
        settings, _ = await TicketSettings.get_or_create(account_id=viewer.account_id)
        if changes:
            await TicketSettings.filter(id=settings.id).update(**changes)
        if "auto_close_after_days" in changes:
            # The default auto-close rule counts these days (services.automation.defaults).
            await defaults.set_auto_close_days(viewer.account_id, changes["auto_close_after_days"])
    return await TicketSettings.get(account_id=viewer.account_id)
