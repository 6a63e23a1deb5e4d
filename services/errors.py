"""Expected failures of the domain. The API maps each to a typed error; none is ever a stack trace."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every expected failure; ``message`` is safe to show to the caller."""

    code = "ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """One or more inputs are wrong; ``fields`` maps each input field (camelCase) to what is wrong."""

    code = "VALIDATION"

    def __init__(self, fields: dict[str, str]) -> None:
        names = ", ".join(fields)
        super().__init__(f"Invalid input: {names}.")
        self.fields = fields

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: message})


class NotFound(DomainError):
    """The entity does not exist or is not visible to the viewer (the two are indistinguishable)."""

    code = "NOT_FOUND"

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(message or f"{field}: no such object.")
        self.field = field


class PermissionDenied(DomainError):
    """The viewer may see the entity but not do this to it."""

    code = "PERMISSION_DENIED"


class Conflict(DomainError):
    """The entity changed since the caller read it, or is in a state that forbids the change.

    ``current`` is the entity as stored now (a model instance), when there is one to show.
    """

    code = "CONFLICT"

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class InvalidCredentials(DomainError):
    """The email and password of a login do not match (which of the two is wrong is not said)."""

    code = "INVALID_CREDENTIALS"

    def __init__(self) -> None:
        super().__init__("Wrong email or password.")


class Unauthenticated(DomainError):
    """No usable credentials; the API answers with a top-level UNAUTHENTICATED error."""

    code = "UNAUTHENTICATED"


class Problems:
    """Collects per-field validation messages so that all of them are reported at once."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(dict(self.fields))
