"""Typed errors of mutation results. Every one implements ``Error``."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from schema.types.common import Node
from services.ai_provider import AiUnavailable
from services.errors import (
    Conflict,
    DomainError,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from services.rate_limits import RateLimited


@strawberry.enum(description="Machine-readable kind of a mutation error.")
class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    CONFLICT = "CONFLICT"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    AI_UNAVAILABLE = "AI_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"


@strawberry.interface(description="An expected failure of a mutation; nothing was changed.")
class Error:
    message: str = strawberry.field(description="What went wrong, for people.")
    code: ErrorCode = strawberry.field(description="What went wrong, for programs.")


@strawberry.type(description="What is wrong with one input field.")
class FieldError:
    field: str = strawberry.field(description="The input field, as named in the schema (camelCase).")
    message: str = strawberry.field(description="What is wrong with it.")


@strawberry.type(description="Some inputs are invalid; `fields` says which and why.")
class ValidationError(Error):
    fields: list[FieldError] = strawberry.field(description="One entry per invalid input field.")


@strawberry.type(description="An object named by the input does not exist or is not visible to you.")
class NotFoundError(Error):
    field: str = strawberry.field(description="The input field naming the missing object.")


@strawberry.type(description="You may see this object but not do this to it.")
class PermissionDeniedError(Error):
    pass


@strawberry.type(description="The object changed since you read it, or its state forbids the change.")
class ConflictError(Error):
    current: Node | None = strawberry.field(
        default=None, description="The object as it is now, when the conflict is a stale version."
    )


@strawberry.type(description="The email and password do not match an account.")
class InvalidCredentialsError(Error):
    pass


@strawberry.type(
    description="The language model cannot answer now (none configured, a timeout, a refusal); "
    "`message` says why and, without a model, how to configure one. Nothing was changed."
)
class AiUnavailableError(Error):
    pass


@strawberry.type(
    description="Too many attempts; `retryAfterSeconds` says when to try again. Nothing was changed."
)
class RateLimitedError(Error):
    retry_after_seconds: int = strawberry.field(description="Seconds to wait.")


def from_domain(error: DomainError) -> Error:
    """The typed error for a service's failure."""
    if isinstance(error, ValidationFailed):
        return ValidationError(
            message=error.message,
            code=ErrorCode.VALIDATION,
            fields=[FieldError(field=name, message=text) for name, text in error.fields.items()],
        )
    if isinstance(error, NotFound):
        return NotFoundError(message=error.message, code=ErrorCode.NOT_FOUND, field=error.field)
    if isinstance(error, PermissionDenied):
        return PermissionDeniedError(message=error.message, code=ErrorCode.PERMISSION_DENIED)
    if isinstance(error, Conflict):
        return ConflictError(message=error.message, code=ErrorCode.CONFLICT)
    if isinstance(error, InvalidCredentials):
        return InvalidCredentialsError(message=error.message, code=ErrorCode.INVALID_CREDENTIALS)
    if isinstance(error, RateLimited):
        return RateLimitedError(
            message=error.message, code=ErrorCode.RATE_LIMITED, retry_after_seconds=error.retry_after
        )
    if isinstance(error, AiUnavailable):
        return AiUnavailableError(message=error.message, code=ErrorCode.AI_UNAVAILABLE)
    raise TypeError(f"no GraphQL error for {type(error).__name__}") from error
