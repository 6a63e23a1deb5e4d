"""Results of mutations. Signing in and out, and creating technicians and requesters."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import (
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from schema.types.people import Requester, Technician
from schema.types.viewer import Viewer


@strawberry.type(description="A session token; send it as `Authorization: Bearer <token>`.")
class LoginSuccess:
    token: str = strawberry.field(description="The bearer token. It is shown only once.")
    viewer: Viewer = strawberry.field(description="Who the token stands for.")


@strawberry.type(description="The token (or tokens) no longer work.")
class LogoutSuccess:
    revoked: int = strawberry.field(description="How many tokens were revoked.")


@strawberry.type(description="The technician was created.")
class CreateTechnicianSuccess:
    technician: Technician = strawberry.field(description="The new technician.")


@strawberry.type(description="The technician was changed.")
class UpdateTechnicianSuccess:
    technician: Technician = strawberry.field(description="The technician as now.")


@strawberry.type(description="The requester was created.")
class CreateRequesterSuccess:
    requester: Requester = strawberry.field(description="The new requester.")


LoginResult = Annotated[
    LoginSuccess | ValidationError | InvalidCredentialsError | RateLimitedError,
    strawberry.union("LoginResult", description="A token, or why not."),
]
CreateTechnicianResult = Annotated[
    CreateTechnicianSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("CreateTechnicianResult", description="The new technician, or why not."),
]
UpdateTechnicianResult = Annotated[
    UpdateTechnicianSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("UpdateTechnicianResult", description="The changed technician, or why not."),
]
CreateRequesterResult = Annotated[
    CreateRequesterSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateRequesterResult", description="The new requester, or why not."),
]
