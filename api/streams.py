"""Which operations run once and which only as a stream."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.error_logging import ErrorLoggingSchema

ONCE = frozenset({OperationType.QUERY, OperationType.MUTATION})


class DeskqlSchema(ErrorLoggingSchema):
    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Strawberry's, for queries and mutations only. A subscription runs only as a stream
        (``subscribe``: the websockets); executed once it would answer its generator as a value, an internal
        error. Here it raises strawberry's InvalidOperationTypeError, which /graphql answers as a 400."""
        allowed = ONCE.intersection(allowed_operation_types or ONCE)
        return await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed, operation_extensions
        )
