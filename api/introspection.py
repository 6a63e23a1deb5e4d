"""Introspection answers, kept: the schema does not change while the process runs, so an operation that asks
only for `__schema`, `__type` or `__typename` answers the same to everyone and is executed once per document
and variables (the full introspection query costs ~0.1 s of CPU; GraphiQL and code generators send it on
every start)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator

import orjson
from graphql import ExecutionResult, FieldNode, OperationType, get_operation_ast
from strawberry.extensions import SchemaExtension

from api.rate_limiting import caller, refusal
from services import rate_limits
from services.rate_limits import RateLimited

Key = tuple[str, str | None, bytes]


class IntrospectionCache(SchemaExtension):
    """Answers of introspection-only queries by document, operation name and variables; keeps ``maxsize``,
    least recently used go first. Answers with errors are not kept. Executing one counts against the
    caller's allowance of introspections (services.rate_limits), so that documents made to miss the kept
    answers cannot take a worker's time."""

    def __init__(self, *, answers: OrderedDict[Key, ExecutionResult], maxsize: int = 64) -> None:
        self.answers = answers
        self.maxsize = maxsize

    def _key(self) -> Key | None:
        context = self.execution_context
        document = context.graphql_document
        if context.query is None or document is None:
            return None
        operation = get_operation_ast(document, context.operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        if not all(
            isinstance(selection, FieldNode) and selection.name.value.startswith("__")
            for selection in operation.selection_set.selections
        ):
            return None
        variables = orjson.dumps(context.variables or {}, option=orjson.OPT_SORT_KEYS)
        return context.query, context.operation_name, variables

    async def on_execute(self) -> AsyncIterator[None]:
        key = self._key()
        context = self.execution_context
        if key is not None and key in self.answers:
            self.answers.move_to_end(key)
            context.result = self.answers[key]
        elif key is not None:
            try:
                await rate_limits.count_introspection(caller(context.context))
            except RateLimited as limited:
                context.result = refusal(limited, context.context)
                key = None
        yield
        result = self.execution_context.result
        if key is None or key in self.answers:
            return
        if isinstance(result, ExecutionResult) and not result.errors:
            self.answers[key] = result
            if len(self.answers) > self.maxsize:
                self.answers.popitem(last=False)
