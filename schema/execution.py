"""How every operation is executed: errors masked, and subscription events shared between subscribers.

Masking: unexpected errors in a result become the masked error of schema.masking, here, where queries,
mutations and every subscription event pass, so no per-result hook is needed.

Sharing: a subscription yields the same payload object to every subscriber of one event in one audience
(subscriptions.broadcast.SharedReads); the payload carries a ``shared_results`` dict. For such payloads
the selection runs once per document, operation and variables, and the other subscribers get that
result. Fields whose value depends on the individual viewer rather than on their audience make the
viewer's token part of the key: today that is ``downloadUrl`` (a link signed for the token).
"""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.masking import mask_result

VIEWER_SPECIFIC_FIELDS = ("downloadUrl",)


class DeskqlExecutor(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        shared = getattr(self.root_value, "shared_results", None)
        location = self.operation.loc
        if shared is None or location is None:
            return self._masked(super().execute_operation(serially))
        document = location.source.body
        viewer = getattr(self.context_value, "viewer_or_none", None)
        personal = any(name in document for name in VIEWER_SPECIFIC_FIELDS)
        key = (
            document,
            self.operation.name.value if self.operation.name else None,
            repr(sorted(self.variable_values.coerced.items())),
            viewer.token_id if personal and viewer is not None else None,
        )
        if key not in shared:
            result = self._masked(super().execute_operation(serially))
            # A task, so that every subscriber may await the one execution.
            shared[key] = asyncio.ensure_future(result) if self.is_awaitable(result) else result
        return shared[key]

    def _masked(self, result: Any) -> Any:
        if self.is_awaitable(result):
            return self._masked_later(result)
        return mask_result(result, self.context_value) if isinstance(result, ExecutionResult) else result

    async def _masked_later(self, result: Any) -> Any:
        done = await result
        return mask_result(done, self.context_value) if isinstance(done, ExecutionResult) else done
