"""DESKQL_LOG_FORMAT=json: every log line one JSON object, and one line per request on ``deskql.access``.

A request's line says what it was and what it did: the request id, method, path, status, duration, and
for GraphQL the operation's name, type, outcome and error codes, and the viewer's account and role. Never
a token, a body, variables or a person's name or address. A websocket's line comes when it closes.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observing import Operation
from app.requests import RequestIdFilter, current_request_id

log = logging.getLogger("deskql.access")
FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "operation",
    "operation_type",
    "outcome",
    "error_codes",
    "account_id",
    "role",
)
SECRET_PATHS = {"calendar": "/calendar/{token}.ics", "attachments": "/attachments/{id}/{filename}"}
"""Paths that hold a secret or a file's name: logged as their route."""
PATH_CHARACTERS = 200


@dataclass
class RequestRecord:
    operations: list[Operation] = field(default_factory=list)


_record: ContextVar[RequestRecord | None] = ContextVar("deskql_request_record", default=None)


def note(operation: Operation) -> None:
    """Remember an operation of the request running, for its line."""
    record = _record.get()
    if record is not None:
        record.operations.append(operation)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for name in FIELDS[1:]:
            if (value := getattr(record, name, None)) is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def json_handler() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    return handler


def logged_path(path: str) -> str:
    return SECRET_PATHS.get(path.strip("/").split("/", 1)[0], path[:PATH_CHARACTERS])


def handler_for(log_format: str) -> logging.Handler | None:
    """The handler of DESKQL_LOG_FORMAT (None: app.requests' plain text)."""
    return json_handler() if log_format == "json" else None


def _fields(operations: list[Operation]) -> dict[str, Any]:
    if not operations:
        return {}
    last = operations[-1]
    return {
        "operation": last.name,
        "operation_type": last.type,
        "outcome": last.outcome,
        "error_codes": sorted({code for op in operations for code in op.error_codes}) or None,
        "account_id": last.account_id,
        "role": last.role,
    }


class RequestLog:
    """Logs one line per HTTP request (and per websocket, when it closes) on ``deskql.access``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        record = RequestRecord()
        token = _record.set(record)
        started = time.perf_counter()
        status: int | None = None

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "websocket.accept":
                status = 101
            elif message["type"] == "websocket.close" and status is None:
                status = 403
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            _record.reset(token)
            method = scope.get("method", "WEBSOCKET")
            path = logged_path(scope["path"])
            answered = status if status is not None else 500
            log.info(
                "%s %s %s",
                method,
                path,
                answered,
                extra={
                    "request_id": current_request_id(),
                    "method": method,
                    "path": path,
                    "status": answered,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    **_fields(record.operations),
                },
            )
