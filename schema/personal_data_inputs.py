"""Inputs of the personal-data mutations (admins only)."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Whose personal data to export (admins only).")
class ExportPersonInput:
    email: str = strawberry.field(
        description="The email of a requester or technician of the viewer's account (case does not matter)."
    )
