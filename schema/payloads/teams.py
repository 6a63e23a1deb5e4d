"""Results of the team mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from schema.types.teams import Team


@strawberry.type(description="The team as saved.")
class TeamSuccess:
    team: Team = strawberry.field(description="The team.")


CreateTeamResult = Annotated[
    TeamSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("CreateTeamResult", description="The new team, or why not."),
]
TeamResult = Annotated[
    TeamSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("TeamResult", description="The team, or why not."),
]
