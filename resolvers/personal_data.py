"""Root mutation fields for personal data on request (admins only)."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from resolvers.results import attempt, pk
from schema.context import Info
from schema.payloads.personal_data import (
    ErasePersonResult,
    ErasePersonSuccess,
    ExportPersonResult,
    ExportPersonSuccess,
)
from schema.personal_data_inputs import ErasePersonInput, ExportPersonInput
from schema.types.people import Requester
from services import person_erasure, personal_data


def _exported(document: dict[str, Any]) -> ExportPersonSuccess:
    return ExportPersonSuccess(email=document["email"], document=cast(JSON, document))


async def export_person(
    info: Info, input: Annotated[ExportPersonInput, strawberry.argument(description="Whose data.")]
) -> ExportPersonResult:
    return await attempt(lambda: personal_data.export_person(info.context.viewer, input.email), _exported)


async def erase_person(
    info: Info, input: Annotated[ErasePersonInput, strawberry.argument(description="Whom to erase.")]
) -> ErasePersonResult:
    return await attempt(
        lambda: person_erasure.erase_requester(
            info.context.viewer,
            pk(input.requester_id, "Requester", "requesterId"),
            redact_comments=input.redact_comments,
        ),
        lambda row: ErasePersonSuccess(requester=Requester.from_model(row)),
    )
