"""CORS: the browser pages of other origins that may call the API (DESKQL_CORS_ORIGINS).

Every path answers them (``/graphql`` with GET, POST and the multipart upload, attachment downloads, the
rest): a preflight from a listed origin gets 200 with the allowed methods (GET, POST) and whatever request
headers it asks for (``Authorization``, ``GraphQL-Preflight``, ``Apollo-Require-Preflight``,
``X-Apollo-Operation-Name``, tracing headers...), and every answer to it carries
``Access-Control-Allow-Origin``; other origins get no such header, so their pages cannot read the answer.
Answers expose ``X-Request-Id``, ``Retry-After`` and ``Content-Disposition`` to the page. Without the
setting no CORS header is sent at all. Websockets are not covered by CORS: app.graphql checks their
``Origin`` against the same list.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from app.settings import Settings

EXPOSED_HEADERS = ("X-Request-Id", "Retry-After", "Content-Disposition")
PREFLIGHT_SECONDS = 600


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The CORS middleware for DESKQL_CORS_ORIGINS, or none when it is unset."""
    origins = settings.cors_origin_list
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=("GET", "POST"),
            allow_headers=("*",),
            allow_credentials=settings.cors_allow_credentials,
            # A listed page may reach an API on the intranet (Chrome's Private Network Access preflight).
            allow_private_network=True,
            expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_SECONDS,
        )
    ]
