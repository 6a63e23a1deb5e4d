"""Inputs of the personal-data mutations (admins only)."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Whose personal data to export (admins only).")
class ExportPersonInput:
    email: str = strawberry.field(
        description="The email of a requester or technician of the viewer's account (case does not matter)."
    )


@strawberry.input(description="Which requester to erase, and what becomes of their comments (admins only).")
class ErasePersonInput:
    requester_id: strawberry.ID = strawberry.field(description="The requester, of the viewer's account.")
    redact_comments: bool = strawberry.field(
        default=False,
        description=(
            "Replace the bodies of their comments by [redacted]; by default the bodies are kept, with their "
            "name and email replaced."
        ),
    )
