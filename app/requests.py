"""Request ids: one per HTTP request or websocket, in the response header and in every log line."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: ContextVar[str] = ContextVar("deskql_request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestIdMiddleware:
    """Takes a well-formed X-Request-Id from the client or makes one, and echoes it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        offered = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = offered if _VALID.match(offered) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        # A websocket's answer has no headers to add to: an open one keeps no wrapper around ``send``.
        answer = send if scope["type"] == "websocket" else _with_id(send, request_id)
        try:
            await self.app(scope, receive, answer)
        finally:
            _request_id.reset(token)


def _with_id(send: Send, request_id: str) -> Send:
    async def send_with_id(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), request_id.encode())]
        await send(message)

    return send_with_id


def configure_logging(level: str, handler: logging.Handler | None = None) -> None:
    """Log at ``level`` through ``handler`` (default: plain text lines with the request id)."""
    if handler is None:
        handler = logging.StreamHandler()
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
