"""Turning an Authorization header into a viewer."""

from __future__ import annotations

from services.authentication import authenticate
from services.errors import Unauthenticated
from services.viewer import Viewer


async def viewer_from_header(header: str | None) -> tuple[Viewer | None, str | None]:
    """(viewer, None) for a good token; (None, why) for a bad one; (None, None) when there is none."""
    if not header:
        return None, None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, "Malformed Authorization header: expected 'Bearer <token>'."
    try:
        return await authenticate(token.strip()), None
    except Unauthenticated as error:
        return None, error.message
