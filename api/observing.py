"""What an operation did, for the operator: its name, type and outcome, how long it took, the SQL statements
it sent, the codes of its errors and who asked. An extension hands each finished query or mutation to the
``observe`` function the application gives (metrics, the request's log line); subscriptions are counted by
the realtime pieces instead (services.telemetry), since they last as long as the client wants.

Statements are counted from Tortoise's query log (``tortoise.db_client``), as tests/sql.py does: its
records are counted per operation and passed on only where someone listens at DEBUG.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType
from tortoise.log import db_client_logger

ANONYMOUS = "anonymous"
NAME_CHARACTERS = 100


@dataclass
class Operation:
    name: str
    type: str
    """query or mutation"""
    outcome: str
    """ok (no errors), partial (data and errors) or error (errors and no data)"""
    seconds: float
    statements: int
    error_codes: list[str] = field(default_factory=list)
    account_id: int | None = None
    role: str | None = None
    """ADMIN, TECHNICIAN or REQUESTER; None without a viewer"""


Observe = Callable[[Operation], None]
_statements: ContextVar[list[int] | None] = ContextVar("deskql_statements", default=None)


class _StatementCounter(logging.Filter):
    """Counts each statement into the operation running; lets the record on only to listeners at DEBUG."""

    def __init__(self, passing: bool) -> None:
        super().__init__()
        self.passing = passing

    def filter(self, record: logging.LogRecord) -> bool:
        counter = _statements.get()
        if counter is not None:
            counter[0] += 1
        return self.passing or bool(db_client_logger.handlers)


def count_statements() -> None:
    """Start counting statements (once per process)."""
    if any(isinstance(f, _StatementCounter) for f in db_client_logger.filters):
        return
    passing = db_client_logger.getEffectiveLevel() <= logging.DEBUG
    db_client_logger.addFilter(_StatementCounter(passing))
    db_client_logger.setLevel(logging.DEBUG)


def outcome_of(data: object, errors: object) -> str:
    if not errors:
        return "ok"
    return "error" if data is None else "partial"


class Observed(SchemaExtension):
    """Hands each query and mutation, once answered, to ``observe``."""

    def __init__(self, *, observe: Observe) -> None:
        self.observe = observe

    def on_operation(self) -> Iterator[None]:
        counter = [0]
        token = _statements.set(counter)
        started = time.perf_counter()
        try:
            yield
        finally:
            _statements.reset(token)
        context = self.execution_context
        try:
            kind = context.operation_type
        except Exception:  # no document, or no operation of that name
            kind = OperationType.QUERY
        if kind is OperationType.SUBSCRIPTION:
            return
        result = context.result
        errors = list(result.errors or ()) if result is not None else []
        viewer = getattr(context.context, "viewer_or_none", None)
        self.observe(
            Operation(
                name=_name(context.operation_name),
                type=kind.value,
                outcome=outcome_of(result.data if result is not None else None, errors),
                seconds=time.perf_counter() - started,
                statements=counter[0],
                error_codes=[str((error.extensions or {}).get("code", "UNKNOWN")) for error in errors],
                account_id=getattr(viewer, "account_id", None),
                role=_role(viewer),
            )
        )


def _name(name: str | None) -> str:
    return (name or ANONYMOUS)[:NAME_CHARACTERS]


def _role(viewer: object) -> str | None:
    if viewer is None:
        return None
    role = getattr(viewer, "role", None)
    if role is not None:
        return str(getattr(role, "value", role))
    return "REQUESTER" if getattr(viewer, "requester_id", None) is not None else None
