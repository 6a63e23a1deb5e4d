"""The rate of mutations: an extension that refuses a mutation operation past the caller's limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from services import rate_limits


class MutationRateLimit(SchemaExtension):
    """At most ``rate_limits.Limits.mutations_per_minute`` mutations per token (per client address without
    one). Beyond it the operation is not run: a ``RATE_LIMITED`` error with ``retryAfter``, HTTP 429 and a
    ``Retry-After`` header."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.operation_type is OperationType.MUTATION:
            wait = await rate_limits.count_mutation(_caller(context.context))
            if wait is not None:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Too many changes from this token; retry in {wait} seconds.",
                            extensions={"code": "RATE_LIMITED", "retryAfter": wait},
                        )
                    ],
                )
                response = getattr(context.context, "response", None)
                if response is not None and hasattr(response, "status_code"):
                    response.status_code = 429
                    response.headers["Retry-After"] = str(wait)
        yield


def _caller(context: Any) -> str:
    viewer = getattr(context, "viewer_or_none", None)
    if viewer is not None and viewer.token_id is not None:
        return f"token:{viewer.token_id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"address:{client.host if client else 'unknown'}"
