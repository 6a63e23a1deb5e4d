"""Results of mutations. Creating and changing tickets."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from schema.types.tickets import Ticket


@strawberry.type(description="The ticket was created.")
class CreateTicketSuccess:
    ticket: Ticket = strawberry.field(description="The new ticket.")


@strawberry.type(description="The ticket after the change.")
class UpdateTicketSuccess:
    ticket: Ticket = strawberry.field(description="The ticket as saved, with its new version.")


CreateTicketResult = Annotated[
    CreateTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateTicketResult", description="The new ticket, or why not."),
]
UpdateTicketResult = Annotated[
    UpdateTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("UpdateTicketResult", description="The saved ticket, or why nothing was saved."),
]
