"""The GraphQL-over-HTTP rules of /graphql: which media type answers, and what status a result gets.

- A client whose ``Accept`` prefers ``application/graphql-response+json`` (Apollo Client 4 and urql send it
  first) gets that media type. A **request error** (the document does not parse or validate, variables do
  not fit, ``operationName`` names nothing, a limit refuses the document, a request that cannot be read:
  nothing was executed) then answers 4xx with ``errors`` and no ``data`` key: 400, or the status the
  refusal set already (429 rate limited, 503 database out of reach), 500 for an unexpected failure.
- Everyone else (``application/json``, ``*/*``, no ``Accept``) gets ``application/json`` and the legacy
  rules: a request error answers 200 with ``"data": null``, as it always did.
Once execution has begun, both answer ``data`` (perhaps null) and the status execution set (200 mostly).
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.types.execution import ExecutionResult, PreExecutionError

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

REFUSED_BEFORE_EXECUTION = frozenset({"BAD_USER_INPUT", "OPERATION_RESOLUTION_FAILURE", "RATE_LIMITED"})
"""Codes of errors that graphql-core's executor or an ``on_execute`` hook answer instead of executing
(variables that do not fit, no such operation, rate limits, ``login`` asked twice), when they carry no
path. Parse and validation errors are strawberry's PreExecutionError."""


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def media_type(accept: str | None) -> str:
    """``application/graphql-response+json`` when ``accept`` names it with a quality at least that of
    ``application/json`` (wildcards count for application/json only), else ``application/json``."""
    response_quality = 0.0
    json_quality: dict[str, float] = {}
    for item in (accept or "").split(","):
        kind, *parameters = item.split(";")
        kind = kind.strip().lower()
        quality = _quality(parameters)
        if kind == GRAPHQL_RESPONSE_JSON:
            response_quality = max(response_quality, quality)
        elif kind in (JSON, "application/*", "*/*"):
            json_quality[kind] = max(json_quality.get(kind, 0.0), quality)
    # The most specific range that matches application/json decides its quality (RFC 9110, 12.5.1).
    json = next((json_quality[kind] for kind in (JSON, "application/*", "*/*") if kind in json_quality), 0.0)
    return GRAPHQL_RESPONSE_JSON if response_quality > 0 and response_quality >= json else JSON


def _code(error: GraphQLError) -> object:
    return (error.extensions or {}).get("code")


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the result answers a request that was not executed: no data, and errors from before
    execution."""
    if result.data is not None or not result.errors:
        return False
    if isinstance(result, PreExecutionError):
        return True
    return all(error.path is None and _code(error) in REFUSED_BEFORE_EXECUTION for error in result.errors)


def request_error_status(result: ExecutionResult) -> int:
    """The 4xx (or 500) of a request error, for the graphql-response+json media type."""
    errors = result.errors or []
    return 500 if any(_code(error) == "INTERNAL_SERVER_ERROR" for error in errors) else 400
