"""Root mutation fields for personal data on request (admins only)."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from resolvers.results import attempt
from schema.context import Info
from schema.payloads import ExportPersonResult, ExportPersonSuccess
from schema.personal_data_inputs import ExportPersonInput
from services import personal_data


def _exported(document: dict[str, Any]) -> ExportPersonSuccess:
    return ExportPersonSuccess(email=document["email"], document=cast(JSON, document))


async def export_person(
    info: Info, input: Annotated[ExportPersonInput, strawberry.argument(description="Whose data.")]
) -> ExportPersonResult:
    return await attempt(lambda: personal_data.export_person(info.context.viewer, input.email), _exported)
