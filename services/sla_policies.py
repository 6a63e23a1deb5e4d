"""SLA policies and business calendars (admins).

A policy's targets and calendar apply to every ticket that has the policy: editing them recomputes the
due times of those tickets. Which policy a ticket has is decided when it is created and when its
requester changes (see services.sla), so a new default or customer override applies from then on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.clock import utcnow
from models.enums import Priority
from models.people import Customer
from models.sla import FIRST_RESPONSE, RESOLUTION, WEEKDAYS, BusinessCalendar, SlaPolicy
from models.tickets import Ticket
from services import sla, validation
from services.admin import require_admin
from services.errors import NotFound, Problems, ValidationFailed
from services.sla import minutes_of
from services.sla_engine import validate as validate_calendar
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
MAX_TARGET_MINUTES = 366 * 24 * 60
MAX_HOLIDAYS = 400


@dataclass(frozen=True)
class Hours:
    weekday: str
    start: str
    end: str


@dataclass(frozen=True)
class Target:
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int


def _weekly(problems: Problems, hours: list[Hours]) -> dict[str, list[list[str]]]:
    weekly: dict[str, list[list[str]]] = {day: [] for day in WEEKDAYS}
    for entry in hours:
        if entry.weekday not in weekly:
            problems.add("weeklyHours", f"Unknown weekday {entry.weekday!r}.")
        elif not (_CLOCK_TIME.match(entry.start) and _CLOCK_TIME.match(entry.end)) or entry.start == "24:00":
            problems.add("weeklyHours", "Times are HH:MM from 00:00 to 24:00.")
        elif minutes_of(entry.start) >= minutes_of(entry.end):
            problems.add(
                "weeklyHours", f"{entry.weekday} {entry.start}-{entry.end}: the end must follow the start."
            )
        else:
            weekly[entry.weekday].append([entry.start, entry.end])
    for day, windows in weekly.items():
        windows.sort(key=lambda window: minutes_of(window[0]))
        for before, after in pairwise(windows):
            if minutes_of(before[1]) > minutes_of(after[0]):
                problems.add("weeklyHours", f"{day}: {before[0]}-{before[1]} overlaps {after[0]}-{after[1]}.")
    return weekly


def _calendar_fields(
    problems: Problems, timezone: str, hours: list[Hours], holidays: list[date]
) -> dict[str, Any]:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder, a long name no file
        problems.add("timezone", "Must be an IANA time zone such as Europe/Rome.")
    weekly = _weekly(problems, hours)
    if len(holidays) > MAX_HOLIDAYS:
        problems.add("holidays", f"At most {MAX_HOLIDAYS} holidays.")
    days = sorted({day.isoformat() for day in holidays})
    if not problems:
        validate_calendar(sla.calendar_from(timezone, weekly, days))
    return {"timezone": timezone, "weekly_hours": weekly, "holidays": days}


async def _recompute(policy_ids: list[int]) -> None:
    now = utcnow()
    for ticket in await Ticket.filter(sla_policy_id__in=policy_ids, resolved_at__isnull=True):
        await sla.refresh(ticket, now)


async def create_calendar(
    viewer: Viewer, *, name: str, timezone: str, hours: list[Hours], holidays: list[date]
) -> BusinessCalendar:
    """Raises PermissionDenied, ValidationFailed (name, timezone, weeklyHours, holidays)."""
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=100)
    fields = _calendar_fields(problems, timezone, hours, holidays)
    problems.raise_if_any()
    if await BusinessCalendar.exists(account_id=viewer.account_id, name=name):
        raise ValidationFailed.one("name", "A calendar with this name already exists.")
    async with unit_of_work():
        return await BusinessCalendar.create(account_id=viewer.account_id, name=name, **fields)


async def update_calendar(
    viewer: Viewer,
    calendar_id: int,
    *,
    name: str = UNSET,
    timezone: str = UNSET,
    hours: list[Hours] = UNSET,
    holidays: list[date] = UNSET,
) -> BusinessCalendar:
    """Raises PermissionDenied, NotFound (id), ValidationFailed (name, timezone, weeklyHours, holidays)."""
    require_admin(viewer)
    calendar = await BusinessCalendar.get_or_none(id=calendar_id, account_id=viewer.account_id)
    if calendar is None:
        raise NotFound("id")
    problems = Problems()
    new_name = calendar.name if name is UNSET else validation.text(problems, "name", name, max_length=100)
    current_hours = [
        Hours(day, start, end) for day, windows in calendar.weekly_hours.items() for start, end in windows
    ]
    fields = _calendar_fields(
        problems,
        calendar.timezone if timezone is UNSET else timezone,
        current_hours if hours is UNSET else hours,
        [date.fromisoformat(day) for day in calendar.holidays] if holidays is UNSET else holidays,
    )
    problems.raise_if_any()
    if new_name != calendar.name and await BusinessCalendar.exists(
        account_id=viewer.account_id, name=new_name
    ):
        raise ValidationFailed.one("name", "A calendar with this name already exists.")
    async with unit_of_work():
        await BusinessCalendar.filter(id=calendar.id).update(name=new_name, **fields)
        await _recompute([policy.id for policy in await SlaPolicy.filter(calendar_id=calendar.id)])
    return await BusinessCalendar.get(id=calendar.id)


def _targets(problems: Problems, targets: list[Target]) -> dict[str, dict[str, int]]:
    given = {target.priority for target in targets}
    if len(targets) != len(Priority) or given != set(Priority):
        problems.add("targets", "Give one target for each priority: LOW, MEDIUM, HIGH and CRITICAL.")
    for target in targets:
        for minutes in (target.first_response_minutes, target.resolution_minutes):
            if not 1 <= minutes <= MAX_TARGET_MINUTES:
                problems.add("targets", f"Targets are 1 to {MAX_TARGET_MINUTES} minutes.")
    return {
        target.priority.value: {
            FIRST_RESPONSE: target.first_response_minutes,
            RESOLUTION: target.resolution_minutes,
        }
        for target in targets
    }


async def _calendar_id(viewer: Viewer, calendar_id: int | None) -> int | None:
    if calendar_id is not None and not await BusinessCalendar.exists(
        id=calendar_id, account_id=viewer.account_id
    ):
        raise NotFound("calendarId")
    return calendar_id


async def _make_default(account_id: int, policy_id: int) -> None:
    await (
        SlaPolicy.filter(account_id=account_id, is_default=True)
        .exclude(id=policy_id)
        .update(is_default=False)
    )


async def create_policy(
    viewer: Viewer, *, name: str, calendar_id: int | None, targets: list[Target], is_default: bool = False
) -> SlaPolicy:
    """Raises PermissionDenied, ValidationFailed (name, targets), NotFound (calendarId)."""
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=100)
    stored = _targets(problems, targets)
    problems.raise_if_any()
    calendar_id = await _calendar_id(viewer, calendar_id)
    if await SlaPolicy.exists(account_id=viewer.account_id, name=name):
        raise ValidationFailed.one("name", "An SLA policy with this name already exists.")
    async with unit_of_work():
        policy = await SlaPolicy.create(
            account_id=viewer.account_id,
            name=name,
            calendar_id=calendar_id,
            targets=stored,
            is_default=is_default,
        )
        if is_default:
            await _make_default(viewer.account_id, policy.id)
    return policy


async def update_policy(
    viewer: Viewer,
    policy_id: int,
    *,
    name: str = UNSET,
    calendar_id: int | None = UNSET,
    targets: list[Target] = UNSET,
    is_default: bool = UNSET,
) -> SlaPolicy:
    """Edits apply to every ticket with the policy. ``is_default`` false on the default is refused.

    Raises PermissionDenied, NotFound (id, calendarId), ValidationFailed (name, targets, isDefault).
    """
    require_admin(viewer)
    policy = await SlaPolicy.get_or_none(id=policy_id, account_id=viewer.account_id)
    if policy is None:
        raise NotFound("id")
    problems = Problems()
    changes: dict[str, Any] = {}
    if name is not UNSET:
        changes["name"] = validation.text(problems, "name", name, max_length=100)
    if targets is not UNSET:
        changes["targets"] = _targets(problems, targets)
    if is_default is False and policy.is_default:
        problems.add(
            "isDefault", "Make another policy the default instead (or leave the account without one)."
        )
    problems.raise_if_any()
    if calendar_id is not UNSET:
        changes["calendar_id"] = await _calendar_id(viewer, calendar_id)
    if is_default is True:
        changes["is_default"] = True
    if (
        "name" in changes
        and await SlaPolicy.filter(account_id=viewer.account_id, name=changes["name"])
        .exclude(id=policy.id)
        .exists()
    ):
        raise ValidationFailed.one("name", "An SLA policy with this name already exists.")
    async with unit_of_work():
        if changes:
            await SlaPolicy.filter(id=policy.id).update(**changes)
        if is_default is True:
            await _make_default(viewer.account_id, policy.id)
        await _recompute([policy.id])
    return await SlaPolicy.get(id=policy.id)


async def set_customer_policy(viewer: Viewer, customer_id: int, policy_id: int | None) -> Customer:
    """A customer's override (None: the account's default). Applies to tickets created from now on.

    Raises PermissionDenied, NotFound (customerId, slaPolicyId).
    """
    require_admin(viewer)
    customer = await Customer.get_or_none(id=customer_id, account_id=viewer.account_id)
    if customer is None:
        raise NotFound("customerId")
    if policy_id is not None and not await SlaPolicy.exists(id=policy_id, account_id=viewer.account_id):
        raise NotFound("slaPolicyId")
    async with unit_of_work():
        await Customer.filter(id=customer.id).update(sla_policy_id=policy_id)
    return await Customer.get(id=customer.id)
