"""Results of the saved-view mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.views import View


@strawberry.type(description="The view as saved.")
class ViewSuccess:
    view: View = strawberry.field(description="The view.")


ViewResult = Annotated[
    ViewSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ViewResult", description="The view, or why not."),
]
