"""SLA set-up through the API: an office-hours calendar and a policy on it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api import Api
from tests.factories import World

# Friday 27 November 2026, 15:00 in Rome (UTC+1)
FRIDAY_3PM_ROME = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
OFFICE_HOURS = [
    {"weekday": day, "start": "09:00", "end": "17:00"}
    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
]


def targets(first: int, resolution: int) -> list[dict[str, Any]]:
    return [
        {"priority": p, "firstResponseMinutes": first, "resolutionMinutes": resolution}
        for p in ("LOW", "MEDIUM", "HIGH", "CRITICAL")
    ]


async def setting(
    api: Api, world: World, mutation: str, input: dict[str, Any], selection: str
) -> dict[str, Any]:
    typename = mutation[0].upper() + mutation[1:]
    query = f"""mutation($input: {typename}Input!) {{ {mutation}(input: $input) {{ __typename
      ... on ValidationError {{ fields {{ field message }} }} ... on NotFoundError {{ field }} {selection} }} }}"""
    result: dict[str, Any] = (await api.data(query, {"input": input}, token=world.admin_token))[mutation]
    return result


async def office_policy(
    api: Api, world: World, first: int = 120, resolution: int = 8 * 60, default: bool = True
) -> str:
    calendar = await setting(
        api,
        world,
        "createBusinessCalendar",
        {
            "name": "Rome office",
            "timezone": "Europe/Rome",
            "weeklyHours": OFFICE_HOURS,
            "holidays": ["2026-12-08"],
        },
        "... on BusinessCalendarSuccess { calendar { id } }",
    )
    policy = await setting(
        api,
        world,
        "createSlaPolicy",
        {
            "name": "Standard",
            "calendarId": calendar["calendar"]["id"],
            "targets": targets(first, resolution),
            "isDefault": default,
        },
        "... on SlaPolicySuccess { policy { id } }",
    )
    policy_id: str = policy["policy"]["id"]
    return policy_id
