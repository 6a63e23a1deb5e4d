"""Who is asking, any object by ID, sessions and people."""

from __future__ import annotations

import strawberry

from resolvers import mutations, personal_data, queries
from schema.payloads.foundation import (
    CreateRequesterResult,
    CreateTechnicianResult,
    LoginResult,
    LogoutSuccess,
    UpdateTechnicianResult,
)
from schema.payloads.personal_data import ErasePersonResult, ExportPersonResult
from schema.types.common import Node
from schema.types.people import Technician
from schema.types.viewer import Viewer


@strawberry.type
class FoundationQueries:
    viewer: Viewer = strawberry.field(resolver=queries.viewer, description="Who is asking.")
    node: Node | None = strawberry.field(
        resolver=queries.node, description="Any object by its global ID; null when missing or not visible."
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=queries.nodes, description="Up to 100 objects by global ID, in the order asked."
    )
    technicians: list[Technician] = strawberry.field(
        resolver=queries.technicians,
        description="The account's technicians by name, with their open ticket counts (technicians only).",
    )


@strawberry.type
class FoundationMutations:
    login: LoginResult = strawberry.field(
        resolver=mutations.login,
        description="Exchange email and password for a bearer token (no token needed).",
    )
    logout: LogoutSuccess = strawberry.field(
        resolver=mutations.logout,
        description="Revoke the token of this request (and optionally all sessions).",
    )
    create_technician: CreateTechnicianResult = strawberry.field(
        resolver=mutations.create_technician, description="Add a technician (admins only)."
    )
    update_technician: UpdateTechnicianResult = strawberry.field(
        resolver=mutations.update_technician,
        description=(
            "Change a technician's role or deactivate/reactivate them (admins only); the account keeps an "
            "active admin."
        ),
    )
    create_requester: CreateRequesterResult = strawberry.field(
        resolver=mutations.create_requester, description="Add a requester (admins only)."
    )
    export_person: ExportPersonResult = strawberry.field(
        resolver=personal_data.export_person,
        description=(
            "Everything deskql holds about the requester and/or technician of this account with an email, "
            "as JSON (admins only)."
        ),
    )
    erase_person: ErasePersonResult = strawberry.field(
        resolver=personal_data.erase_person,
        description=(
            "Anonymise a requester: name and contact replaced, attachments removed, mail logs scrubbed; "
            "tickets and statistics stay (admins only)."
        ),
    )
