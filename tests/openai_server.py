"""A real OpenAI-compatible HTTP server on loopback (starlette under uvicorn, in a thread of its own),
scripted per test, that keeps every request it receives.

    with OpenAIServer() as server:
        server.reply("Restart Outlook in safe mode.")             # the next chat completion
        server.reply(status=429)                                  # then a rate limit
        server.reply("slow", delay=2)                             # then an answer after 2 s
        server.reply("a b c", chunks=["a ", "b ", "c"])           # streamed in these deltas
        ...
        server.requests[0].messages, server.requests[0].model, server.requests[0].authorization

With nothing scripted a chat completion answers ``echo(last user message)``. It serves
``POST /v1/chat/completions`` (JSON, or server-sent events ending in ``data: [DONE]`` when ``stream`` is
true, with a usage chunk when ``stream_options.include_usage`` is) and ``GET /v1/models``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.servers import free_port

MODEL = "deskql-test-model"
ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 404: "invalid_request_error"}


def echo(text: str) -> str:
    return f"You said: {text}"


@dataclass
class Reply:
    """One scripted answer. ``status`` other than 200 answers an OpenAI-style error body whose message
    repeats the bearer key, the way providers do (``error`` replaces that body). ``delay`` holds the
    response back; ``chunks`` are the stream's deltas (default: word by word), ``chunk_delay`` waits before
    each; ``fail_after`` sends an error event after that many chunks; ``raw`` replaces the whole body
    (``events``, the whole stream)."""

    text: str = ""
    status: int = 200
    delay: float = 0.0
    chunks: Sequence[str] | None = None
    chunk_delay: float = 0.0
    fail_after: int | None = None
    error: dict[str, Any] | None = None
    raw: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    choices: bool = True
    """False answers without choices (a broken server)."""
    events: Sequence[str] | None = None
    """A stream of exactly these ``data:`` payloads, unchecked (a broken server)."""


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")

    @property
    def prompt(self) -> str:
        """All message contents, one per line: for asserting on what was sent."""
        return "\n".join(str(message.get("content", "")) for message in self.messages)


class OpenAIServer:
    def __init__(self, port: int | None = None, models: Sequence[str] = (MODEL,)) -> None:
        self.port = port or free_port()
        self.models = list(models)
        self.lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._received: list[Received] = []
        self._ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL clients take (DESKQL_OPENAI_BASE_URL), ending in /v1."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Received]:
        with self.lock:
            return list(self._received)

    @property
    def completions(self) -> list[Received]:
        return [request for request in self.requests if request.path.endswith("/chat/completions")]

    def reply(self, text: str = "", **options: Any) -> Reply:
        """Queue the answer to the next chat completion (see ``Reply`` for the options)."""
        reply = Reply(text=text, **options)
        with self.lock:
            self._script.append(reply)
        return reply

    def reset(self) -> None:
        with self.lock:
            self._script.clear()
            self._received.clear()

    @property
    def unused(self) -> int:
        """Scripted replies not asked for yet."""
        with self.lock:
            return len(self._script)

    def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="openai-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert self._thread.is_alive(), "the OpenAI test server did not start"
            assert time.monotonic() < deadline, "the OpenAI test server did not start in time"
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None
            self._thread = None

    def __enter__(self) -> OpenAIServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _record(self, request: Request) -> Received:
        raw = await request.body()
        body = json.loads(raw) if raw else {}
        received = Received(request.method, request.url.path, dict(request.headers), body)
        with self.lock:
            self._received.append(received)
        return received

    def _next(self, received: Received) -> Reply:
        with self.lock:
            if self._script:
                return self._script.popleft()
        users = [message for message in received.messages if message.get("role") == "user"]
        return Reply(echo(str(users[-1]["content"]) if users else ""))

    async def _models(self, request: Request) -> Response:
        await self._record(request)
        data = [
            {"id": name, "object": "model", "created": 0, "owned_by": "deskql-tests"} for name in self.models
        ]
        return JSONResponse({"object": "list", "data": data})

    async def _chat(self, request: Request) -> Response:
        received = await self._record(request)
        reply = self._next(received)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.raw is not None:
            return Response(reply.raw, status_code=reply.status, media_type="application/json")
        if reply.status != 200:
            return JSONResponse(self._error(reply, received), status_code=reply.status, headers=reply.headers)
        model = reply.model or received.model or MODEL
        if received.body.get("stream"):
            return StreamingResponse(
                self._events(reply, received, model), media_type="text/event-stream", headers=reply.headers
            )
        return JSONResponse(self._completion(reply, received, model), headers=reply.headers)

    def _error(self, reply: Reply, received: Received) -> dict[str, Any]:
        if reply.error is not None:
            return {"error": reply.error}
        key = received.authorization.removeprefix("Bearer ")
        return {
            "error": {
                "message": f"Request failed with HTTP {reply.status} for API key {key}.",
                "type": ERROR_TYPES.get(reply.status, "server_error"),
                "param": None,
                "code": None,
            }
        }

    def _usage(self, reply: Reply, received: Received) -> dict[str, int]:
        prompt = len(received.prompt.split())
        completion = len(reply.text.split())
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _completion(self, reply: Reply, received: Received, model: str) -> dict[str, Any]:
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": reply.text},
            "finish_reason": "stop",
            "logprobs": None,
        }
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [choice] if reply.choices else [],
            "usage": self._usage(reply, received),
        }

    async def _events(self, reply: Reply, received: Received, model: str) -> AsyncIterator[str]:
        if reply.events is not None:
            for event in reply.events:
                yield f"data: {event}\n\n"
            return
        identifier = f"chatcmpl-{next(self._ids)}"

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if reply.choices else []
            body = {
                "id": identifier,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": choices,
                **extra,
            }
            return f"data: {json.dumps(body)}\n\n"

        deltas = list(reply.chunks) if reply.chunks is not None else _words(reply.text)
        yield chunk({"role": "assistant", "content": ""})
        for sent, delta in enumerate(deltas):
            if reply.fail_after is not None and sent == reply.fail_after:
                error = {"message": "The model crashed mid-answer.", "type": "server_error", "code": None}
                yield f"data: {json.dumps({'error': error})}\n\n"
                return
            if reply.chunk_delay:
                await asyncio.sleep(reply.chunk_delay)
            yield chunk({"content": delta})
        yield chunk({}, "stop")
        if (received.body.get("stream_options") or {}).get("include_usage"):
            body = {
                "id": identifier,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [],
                "usage": self._usage(reply, received),
            }
            yield f"data: {json.dumps(body)}\n\n"
        yield "data: [DONE]\n\n"


def _words(text: str) -> list[str]:
    """Word by word, spaces kept, so that the deltas join back into the text."""
    words = text.split(" ")
    return [word + " " for word in words[:-1]] + [words[-1]] if text else []
