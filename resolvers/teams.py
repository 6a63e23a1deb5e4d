"""Teams: the list and the admins' mutations."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from models.teams import Team as TeamRow
from resolvers.results import attempt, given, pk
from schema.context import Info
from schema.payloads.teams import CreateTeamResult, TeamResult, TeamSuccess
from schema.team_inputs import ArchiveTeamInput, CreateTeamInput, RestoreTeamInput, UpdateTeamInput
from schema.types.teams import Team
from services import teams, visibility
from services.unset import UNSET

Described = strawberry.argument(description="What to create or change.")


def _success(row: TeamRow) -> TeamSuccess:
    return TeamSuccess(team=Team.from_model(row))


def _ids(values: Any, field: str) -> Any:
    values = given(values, field)
    if values is UNSET:
        return UNSET
    return [pk(value, "Technician", field) for value in values]


async def teams_list(
    info: Info,
    include_archived: Annotated[bool, strawberry.argument(description="Also list archived teams.")] = False,
) -> list[Team]:
    viewer = info.context.require_technician()
    query = visibility.teams(viewer)
    if not include_archived:
        query = query.filter(archived_at__isnull=True)
    return [Team.from_model(row) for row in await query.order_by("name", "id")]


async def create_team(info: Info, input: Annotated[CreateTeamInput, Described]) -> CreateTeamResult:
    return await attempt(
        lambda: teams.create_team(
            info.context.viewer, name=input.name, member_ids=_ids(input.member_ids, "memberIds")
        ),
        _success,
    )


async def update_team(info: Info, input: Annotated[UpdateTeamInput, Described]) -> TeamResult:
    async def call() -> TeamRow:
        return await teams.update_team(
            info.context.viewer,
            pk(input.id, "Team", "id"),
            name=given(input.name, "name"),
            member_ids=_ids(input.member_ids, "memberIds"),
            add_member_ids=_ids(input.add_member_ids, "addMemberIds"),
            remove_member_ids=_ids(input.remove_member_ids, "removeMemberIds"),
        )

    return await attempt(call, _success)


async def archive_team(info: Info, input: Annotated[ArchiveTeamInput, Described]) -> TeamResult:
    return await attempt(
        lambda: teams.archive_team(info.context.viewer, pk(input.id, "Team", "id")), _success
    )


async def restore_team(info: Info, input: Annotated[RestoreTeamInput, Described]) -> TeamResult:
    return await attempt(
        lambda: teams.restore_team(
            info.context.viewer, pk(input.id, "Team", "id"), name=given(input.name, "name")
        ),
        _success,
    )
