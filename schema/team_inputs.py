"""Inputs for managing teams."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new team.")
class CreateTeamInput:
    name: str = strawberry.field(description="Display name, unique among the account's teams in use.")
    member_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Technicians of the account to put in it."
    )


@strawberry.input(description="Changes to a team; fields left out are untouched.")
class UpdateTeamInput:
    id: strawberry.ID = strawberry.field(description="The team.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    member_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Every member, replacing the current ones."
    )
    add_member_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Technicians to add."
    )
    remove_member_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Technicians to take out."
    )


@strawberry.input(description="A team to archive.")
class ArchiveTeamInput:
    id: strawberry.ID = strawberry.field(description="The team.")


@strawberry.input(description="An archived team to put back in use.")
class RestoreTeamInput:
    id: strawberry.ID = strawberry.field(description="The team.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Restore it under this name (when a team in use took its name meanwhile); left out: its own.",
    )
