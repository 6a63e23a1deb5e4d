"""HTTP guards in front of the application: request body size and CSRF for multipart uploads.

- A body larger than the limit is refused with 413 before it is read (Content-Length) or as soon as it
  grows past it (chunked): DESKQL_MAX_BODY_BYTES for ordinary requests, the upload limit (plus room for
  the form around the file) for multipart requests to /graphql, and a limit of its own for the paths
  given one (inbound mail).
- Browsers send multipart/form-data cross-site without asking first, so a multipart POST must carry a
  non-empty ``GraphQL-Preflight``, ``Apollo-Require-Preflight`` or ``X-Apollo-Operation-Name`` header
  (those Apollo Server accepts), which no plain form can set and which a page of another origin may send
  only after a CORS preflight.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFLIGHT_HEADERS = (b"graphql-preflight", b"apollo-require-preflight", b"x-apollo-operation-name")
MULTIPART_OVERHEAD = 1_000_000


class _TooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestGuards:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        path_limits: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes + MULTIPART_OVERHEAD
        self.path_limits = path_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        if multipart and not any(headers.get(name, b"").strip() for name in PREFLIGHT_HEADERS):
            await _refuse(
                send,
                400,
                "Multipart requests need a non-empty GraphQL-Preflight, Apollo-Require-Preflight or "
                "X-Apollo-Operation-Name header (CSRF protection).",
            )
            return
        limit = self.path_limits.get(scope["path"]) or (
            self.max_upload_bytes if multipart else self.max_body_bytes
        )
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, f"The request body is larger than {limit} bytes.")
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, f"The request body is larger than {limit} bytes.")
