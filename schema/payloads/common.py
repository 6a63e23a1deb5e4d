"""Results of mutations. What several domains return: a deletion."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="The status is gone.")
class DeleteSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The ID that no longer exists.")


DeleteResult = Annotated[
    DeleteSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("DeleteResult", description="Deleted, or why not."),
]
