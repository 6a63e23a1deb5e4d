"""Unexpected failures reach the client as one masked error carrying a request id; the log carries both."""

from __future__ import annotations

import logging

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

log = logging.getLogger("deskql.errors")
MASKED_MESSAGE = "Unexpected error. Quote the requestId when reporting it."


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by our code that are not meant for the client (GraphQLErrors are)."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Masks only errors with an unexpected original exception; validation errors stay readable."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)

    def _request_id(self) -> str:
        return str(getattr(self.execution_context.context, "request_id", "unknown"))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = self._request_id()
        log.error(
            "unexpected error request_id=%s path=%s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        return GraphQLError(
            message=MASKED_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not error.extensions or "code" not in error.extensions:
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
        return processed
