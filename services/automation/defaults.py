"""The rules every account starts with, so that the notification mails and auto-close are rules an admin
can see, rename, narrow with conditions or turn off.

- ``mail.ticket_created``, ``mail.public_reply``, ``mail.resolved``, ``mail.closed``: the mails that
  services.mail_out composes. They are applied by the mail composer, inside the change's own transaction
  (the mail is as durable as the change, and each recipient gets their own reply address); a disabled one,
  or one whose conditions do not match the ticket, sends nothing. Their trigger and actions are fixed.
- ``notify.pending``: mails the requester (template TICKET_UPDATED) when the ticket moves into a PENDING
  status. Created **disabled**: until now a move to Pending sent nothing, and accounts should not start
  mailing their requesters on an upgrade; an admin turns it on.
- ``close.resolved``: closes tickets that have been RESOLVED for ``autoCloseAfterDays`` days (ticket
  settings, default 7) unless the requester replied since; enabled.

New accounts get them in ``services.accounts.create``; accounts that existed before get them at start
(``ensure_all``). Default rules are turned off rather than deleted.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from models.accounts import Account
from models.automation import AutomationRule
from models.enums import RuleTrigger, StatusCategory
from models.settings import TicketSettings
from models.tickets import TicketStatus
from services.automation import ruleset

DEFAULT_AUTO_CLOSE_DAYS = 7


def _mail(template: str, *recipients: str) -> list[dict[str, Any]]:
    return [{"kind": "SEND_MAIL", "mailTemplate": template, "recipients": list(recipients)}]


def _moved_to(category: StatusCategory) -> dict[str, list[dict[str, Any]]]:
    condition = {"field": "STATUS_CATEGORY", "operator": "IS", "value": category.value, "customFieldId": None}
    return {"all": [condition], "any": []}


def _definitions(closed_status_id: int | None, days: int) -> list[dict[str, Any]]:
    on_status = {"changedFields": ["status"]}
    rules: list[dict[str, Any]] = [
        {
            "default_key": "mail.ticket_created",
            "name": "Mail the requester when a ticket is opened",
            "trigger": RuleTrigger.TICKET_CREATED,
            "actions": _mail("TICKET_CREATED", "REQUESTER"),
        },
        {
            "default_key": "mail.public_reply",
            "name": "Mail public replies to the requester, cc, assignee and followers",
            "trigger": RuleTrigger.COMMENT_ADDED,
            "trigger_options": {"commentKind": "PUBLIC_REPLY"},
            "actions": _mail("PUBLIC_REPLY", "REQUESTER", "CC", "ASSIGNEE"),
        },
        {
            "default_key": "mail.resolved",
            "name": "Mail the requester when a ticket is resolved",
            "trigger": RuleTrigger.TICKET_UPDATED,
            "trigger_options": on_status,
            "conditions": _moved_to(StatusCategory.RESOLVED),
            "actions": _mail("TICKET_RESOLVED", "REQUESTER", "CC"),
        },
        {
            "default_key": "mail.closed",
            "name": "Mail the requester when a ticket is closed",
            "trigger": RuleTrigger.TICKET_UPDATED,
            "trigger_options": on_status,
            "conditions": _moved_to(StatusCategory.CLOSED),
            "actions": _mail("TICKET_CLOSED", "REQUESTER", "CC"),
        },
        {
            "default_key": "notify.pending",
            "name": "Mail the requester when a ticket waits on them",
            "enabled": False,
            "trigger": RuleTrigger.TICKET_UPDATED,
            "trigger_options": on_status,
            "conditions": _moved_to(StatusCategory.PENDING),
            "actions": _mail("TICKET_UPDATED", "REQUESTER"),
        },
    ]
    if closed_status_id is not None:
        replied = {
            "field": "REQUESTER_REPLIED_SINCE_STATUS_CHANGE",
            "operator": "IS",
            "value": False,
            "customFieldId": None,
        }
        rules.append(
            {
                "default_key": "close.resolved",
                "name": "Close tickets resolved for a while",
                "trigger": RuleTrigger.RESOLVED_FOR,
                "trigger_options": {"hours": days * 24, "businessHours": False},
                "conditions": {"all": [replied], "any": []},
                "actions": [{"kind": "SET_STATUS", "statusId": closed_status_id}],
            }
        )
    return rules


async def ensure(account_id: int, days: int = DEFAULT_AUTO_CLOSE_DAYS) -> int:
    """Create the default rules the account lacks, after its own rules. Returns how many were created."""
    have = set(
        await AutomationRule.filter(account_id=account_id, is_default=True).values_list(
            "default_key", flat=True
        )
    )
    closed = (
        await TicketStatus.filter(account_id=account_id, category=StatusCategory.CLOSED, built_in=True)
        .order_by("position", "id")
        .first()
    )
    wanted = [
        rule for rule in _definitions(closed.id if closed else None, days) if rule["default_key"] not in have
    ]
    if not wanted:
        return 0
    last = await AutomationRule.filter(account_id=account_id).order_by("-position").first()
    start = last.position + 1 if last is not None else 0
    created = 0
    for offset, rule in enumerate(wanted):
        try:
            await AutomationRule.create(
                account_id=account_id,
                position=start + offset,
                is_default=True,
                revision=ruleset.new_revision(),
                enabled=rule.pop("enabled", True),
                conditions=rule.pop("conditions", {"all": [], "any": []}),
                **rule,
            )
            created += 1
        except IntegrityError:  # another process created it at the same moment
            pass
    return created


async def ensure_all() -> int:
    """At start: give every account the default rules it lacks (accounts from before automation rules)."""
    created = 0
    account_ids: list[Any] = list(await Account.all().values_list("id", flat=True))
    for account_id in account_ids:
        if await AutomationRule.filter(account_id=account_id, is_default=True).count() >= 6:
            continue
        settings = await TicketSettings.get_or_none(account_id=account_id)
        days = settings.auto_close_after_days if settings is not None else DEFAULT_AUTO_CLOSE_DAYS
        created += await ensure(account_id, days)
    return created


async def set_auto_close_days(account_id: int, days: int) -> None:
    """Keep the auto-close rule's hours in step with the ticket setting (inside the caller's transaction)."""
    rule = await AutomationRule.get_or_none(account_id=account_id, default_key="close.resolved")
    if rule is not None:
        options = {**(rule.trigger_options or {}), "hours": days * 24}
        await AutomationRule.filter(id=rule.id).update(
            trigger_options=options, revision=ruleset.new_revision()
        )
