"""Teams of technicians: the list and the admins' mutations."""

from __future__ import annotations

import strawberry

from resolvers import teams as t
from schema.payloads.teams import CreateTeamResult, TeamResult
from schema.types.teams import Team


@strawberry.type
class TeamQueries:
    teams: list[Team] = strawberry.field(
        resolver=t.teams_list, description="The account's teams by name, with members (technicians only)."
    )


@strawberry.type
class TeamMutations:
    create_team: CreateTeamResult = strawberry.field(
        resolver=t.create_team, description="Add a team of technicians (admins)."
    )
    update_team: TeamResult = strawberry.field(
        resolver=t.update_team, description="Rename a team, set, add or remove its members (admins)."
    )
    archive_team: TeamResult = strawberry.field(
        resolver=t.archive_team,
        description="Archive a team: it stays on its tickets but cannot be chosen any more (admins).",
    )
    restore_team: TeamResult = strawberry.field(
        resolver=t.restore_team,
        description="Put an archived team back in use, under its name or a new one (admins).",
    )
