"""Middleware that concerns HTTP requests only, which a websocket passes by.

A websocket stays inside the application for as long as it is open, and every middleware it passes keeps a
frame of its own on the way there (plus the objects it made) for that whole time: for an idle subscription,
that is memory held for nothing when the middleware only ever looks at HTTP requests. ``HttpOnly`` wraps
those middleware around the application for HTTP, and hands a websocket to /graphql's endpoint directly
(Starlette's exception middleware and router included: neither does anything for it there), or, on any
other path, to the application as before. Its ``__call__`` is a plain function that returns the chosen
coroutine, so it keeps no frame of its own either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence

from starlette._utils import get_route_path
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send


class HttpOnly:
    def __init__(
        self, app: ASGIApp, *, middleware: Sequence[Middleware], sockets: dict[str, ASGIApp]
    ) -> None:
        self.app = app
        self.http = app
        for cls, args, kwargs in reversed(middleware):
            self.http = cls(self.http, *args, **kwargs)
        self.sockets = sockets
        """The websocket endpoints by path."""

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] == "http":
            return self.http(scope, receive, send)
        if scope["type"] == "websocket":
            endpoint = self.sockets.get(get_route_path(scope))  # as Starlette's router matches it
            if endpoint is not None:
                return endpoint(scope, receive, send)
        return self.app(scope, receive, send)
