"""Errors as the client sees them.

- Unexpected failures (an exception that is not a GraphQLError) reach the client as one masked error with
  ``extensions.code = INTERNAL_SERVER_ERROR`` and a ``requestId``; the log line carries the same id and the
  stack trace. Masking happens where every operation (query, mutation, subscription event) is executed,
  see api.execution; what fails in an extension's hook outside execution (parsing, validation) is
  masked when strawberry hands the errors to the schema, see api.error_logging.
- A database that cannot be reached (services.availability) is not a bug: those errors reach the client
  as ``extensions.code = SERVICE_UNAVAILABLE`` with ``retryAfter``, and the HTTP answer is 503 with a
  ``Retry-After`` header, so that clients retry.
- Parse and validation errors keep their message and get ``extensions.code = GRAPHQL_VALIDATION_FAILED``
  (syntax errors where they are raised, api.limits.Parsing; the others, the ErrorCodes extension).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from services import availability

log = logging.getLogger("deskql.errors")
MASKED_MESSAGE = "Unexpected error. Quote the requestId when reporting it."
INTERNAL = "INTERNAL_SERVER_ERROR"
UNAVAILABLE = "SERVICE_UNAVAILABLE"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by our code that are not meant for the client (GraphQLErrors are)."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _replaced(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    """The client's version of an error: same place in the document and the result, our message."""
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def masked(error: GraphQLError, request_id: str) -> GraphQLError:
    log.error("unexpected error request_id=%s path=%s", request_id, error.path, exc_info=error.original_error)
    return _replaced(error, MASKED_MESSAGE, {"code": INTERNAL, "requestId": request_id})


def request_id_of(context: Any) -> str:
    return str(getattr(context, "request_id", "unknown"))


def unavailable(error: GraphQLError, message: str) -> GraphQLError:
    extensions = {"code": UNAVAILABLE, "retryAfter": availability.RETRY_AFTER_SECONDS}
    return _replaced(error, message, extensions)


def client_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """The client's version of an unexpected error: SERVICE_UNAVAILABLE when the database or Redis is out
    of reach, else the masked error."""
    message = availability.unreachable(error.original_error)
    if message is not None:
        log.warning(
            "service unreachable request_id=%s path=%s: %s", request_id, error.path, error.original_error
        )
        return unavailable(error, message)
    return masked(error, request_id)


def mask_errors(errors: list[GraphQLError], context: Any) -> list[GraphQLError]:
    """The errors as the client sees them: unexpected ones replaced by ``client_error`` (and logged, once),
    the others as they are; a database out of reach makes the HTTP answer 503."""
    if not any(is_unexpected(error) for error in errors):
        return errors
    request_id = request_id_of(context)
    errors = [client_error(e, request_id) if is_unexpected(e) else e for e in errors]
    if any((e.extensions or {}).get("code") == UNAVAILABLE for e in errors):
        response = getattr(context, "response", None)
        if response is not None and hasattr(response, "status_code"):
            response.status_code = 503
            response.headers["Retry-After"] = str(availability.RETRY_AFTER_SECONDS)
    return errors


def mask_result(result: ExecutionResult, context: Any) -> ExecutionResult:
    if result.errors:
        result.errors = mask_errors(result.errors, context)
    return result


class ErrorCodes(SchemaExtension):
    """Gives validation errors ``extensions.code = GRAPHQL_VALIDATION_FAILED`` (syntax errors get it where
    they are raised, api.limits.Parsing)."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if not error.extensions or "code" not in error.extensions:
                error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}
