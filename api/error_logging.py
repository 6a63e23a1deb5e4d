"""What the log hears of the errors of an operation.

Strawberry logs every error at ERROR on ``strawberry.execution``, with a stack trace for any error raised
by a resolver, ``UNAUTHENTICATED`` and ``BAD_USER_INPUT`` included. deskql's schema logs instead:

- an unexpected error (one raised by our code that is not a GraphQLError): once, at ERROR, with its stack
  trace and the request id, by schema.masking when it masks it. Errors of execution are masked there
  already; one raised by an extension's hook before or around execution (parsing, validation) reaches
  the schema unmasked and is masked here, in the list the answer is made of;
- an error meant for the client (``UNAUTHENTICATED``, ``BAD_USER_INPUT``, ``GRAPHQL_VALIDATION_FAILED``,
  ``FORBIDDEN``, ``QUERY_TOO_LARGE``, ``RATE_LIMITED``, ...): one INFO line on ``deskql.requests`` with its
  code, path and message, no stack trace.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.masking import INTERNAL, UNAVAILABLE, mask_errors, request_id_of

log = logging.getLogger("deskql.requests")
MESSAGE_CHARACTERS = 300
"""How much of a client error's message its log line keeps."""


class ErrorLoggingSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        context = execution_context.context if execution_context is not None else None
        errors[:] = mask_errors(errors, context)
        request_id = request_id_of(context)
        for error in errors:
            code = (error.extensions or {}).get("code")
            if code not in (INTERNAL, UNAVAILABLE):  # logged where they were masked
                log.info(
                    "client error request_id=%s code=%s path=%s: %s",
                    request_id,
                    code,
                    ".".join(str(key) for key in error.path or ()) or "-",
                    " ".join(error.message.split())[:MESSAGE_CHARACTERS],
                )
