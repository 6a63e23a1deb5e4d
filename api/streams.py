"""Which operations run once and which only as a stream."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import OperationContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from api.error_logging import ErrorLoggingSchema

ONCE = frozenset({OperationType.QUERY, OperationType.MUTATION})
NO_HOOK = contextlib.nullcontext()


class _Runner(SchemaExtensionsRunner):
    def operation(self) -> OperationContextManager:
        """Strawberry's, or nothing when no extension has an ``on_operation`` hook: a subscription stays
        inside its operation's context for as long as it runs, and strawberry's would keep an exit stack
        with nothing to exit for that whole time."""
        if all(type(extension).on_operation is SchemaExtension.on_operation for extension in self.extensions):
            return NO_HOOK  # type: ignore[return-value]
        return super().operation()


class DeskqlSchema(ErrorLoggingSchema):
    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return _Runner(execution_context=execution_context, extensions=extensions)

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
