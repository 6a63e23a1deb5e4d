"""A database out of reach outside GraphQL execution (authenticating a request, a download, a calendar
feed) answers 503 with ``Retry-After`` and the same ``SERVICE_UNAVAILABLE`` error body, not a bare 500."""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.masking import UNAVAILABLE
from services import availability

log = logging.getLogger("deskql.errors")
BODY = json.dumps(
    {
        "errors": [
            {
                "message": availability.MESSAGE,
                "extensions": {"code": UNAVAILABLE, "retryAfter": availability.RETRY_AFTER_SECONDS},
            }
        ]
    }
).encode()


class DatabaseUnavailable:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:
            if started or not availability.database_unavailable(error):
                raise
            log.warning("database unreachable path=%s: %s", scope.get("path"), error)
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"retry-after", str(availability.RETRY_AFTER_SECONDS).encode()),
                        (b"content-length", str(len(BODY)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": BODY})
