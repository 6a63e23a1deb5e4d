"""Automatic persisted queries (Apollo's protocol) on /graphql: a client sends the SHA-256 of a document
instead of the document.

- ``{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}`` without ``query``: the
  document known under that hash is used; an unknown hash answers ``PERSISTED_QUERY_NOT_FOUND`` (HTTP 200),
  and the client sends the document once more, with its hash, which is then remembered.
- A document sent with a hash that is not its SHA-256 is refused (``PERSISTED_QUERY_HASH_MISMATCH``).
- Works for POST (JSON) and GET (``?extensions=...&variables=...``), so that queries can be cached by HTTP.
The documents are kept by app.persisted_documents: in Redis when it is configured, so that a document sent
to one worker is known to every worker and host; else in this process's memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import request_json
from app.persisted_documents import DocumentStore, MemoryDocuments

PATH = "/graphql"
_HASH = re.compile(r"^[0-9a-f]{64}$")


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


class PersistedQueries:
    def __init__(self, app: ASGIApp, store: DocumentStore | None = None) -> None:
        self.app = app
        self.store = store or MemoryDocuments()

    async def _resolve(self, request: dict[str, Any]) -> bool:
        """Fill in ``query`` from the hash (or remember it); whether the request used the protocol."""
        extensions = request.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return False
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise _Refused(
                400, "PERSISTED_QUERY_NOT_SUPPORTED", "Only persistedQuery version 1 is supported."
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _HASH.match(digest):
            raise _Refused(
                400, "PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash must be 64 lower-case hex digits."
            )
        query = request.get("query")
        if isinstance(query, str) and query:
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise _Refused(400, "PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")
            await self.store.put(digest, query)
            return True
        known = await self.store.get(digest)
        if known is None:
            raise _Refused(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
        request["query"] = known
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        try:
            if scope["method"] == "GET":
                scope = await self._get(scope)
            elif scope["method"] == "POST" and _is_json(scope):
                receive = await self._post(receive)
        except _Refused as refused:
            await _answer(send, refused)
            return
        await self.app(scope, receive, send)

    async def _get(self, scope: Scope) -> Scope:
        params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        if "extensions" not in params:
            return scope
        try:
            request = {"query": params.get("query"), "extensions": request_json.loads(params["extensions"])}
        except ValueError:  # malformed or too deep: the GraphQL view refuses it
            return scope
        if not await self._resolve(request):
            return scope
        params["query"] = request["query"]
        return {**scope, "query_string": urlencode(params).encode("latin-1")}

    async def _post(self, receive: Receive) -> Receive:
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return _replaying([message])
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            request = request_json.loads(body)
        except ValueError:  # malformed or too deep: the GraphQL view refuses it
            request = None
        if isinstance(request, dict) and await self._resolve(request):
            body = json.dumps(request).encode()
        return _replaying([{"type": "http.request", "body": body, "more_body": False}])


def _is_json(scope: Scope) -> bool:
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == b"application/json"


def _replaying(messages: list[Message]) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return {"type": "http.disconnect"}

    return receive


async def _answer(send: Send, refused: _Refused) -> None:
    body = json.dumps(
        {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
