"""Results of mutations. Exporting and erasing what deskql holds about a person."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.people import Requester


@strawberry.type(description="Everything deskql holds about the people with one email, as one JSON document.")
class ExportPersonSuccess:
    email: str = strawberry.field(description="The email exported, as stored.")
    document: JSON = strawberry.field(
        description=(
            "The export: {email, exportedAt, people: [{kind, account, profile, tickets, comments, "
            "attachments, surveys, timeEntries}]}; see docs/operations.md, Personal data."
        )
    )


@strawberry.type(description="The requester was erased: name and contact replaced, tickets kept.")
class ErasePersonSuccess:
    requester: Requester = strawberry.field(description="The anonymised requester.")


ExportPersonResult = Annotated[
    ExportPersonSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ExportPersonResult", description="The export, or why not."),
]
ErasePersonResult = Annotated[
    ErasePersonSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ErasePersonResult", description="The erased requester, or why not."),
]
