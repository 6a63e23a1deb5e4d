"""The per-request context: who is asking, their loaders, the request id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import GraphQLError

from schema.loaders import Loaders
from services.attachments import Limits
from services.signing import Signer
from services.viewer import Viewer

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
BAD_USER_INPUT = "BAD_USER_INPUT"


class ClientError(GraphQLError):
    """A top-level error meant for the client (never masked), with ``extensions.code``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


@dataclass(frozen=True)
class Environment:
    """What the application tells every request: limits, the link signer, the front end's address."""

    signer: Signer
    attachment_limits: Limits
    max_page_size: int = 100
    max_metrics_days: int = 366
    """The longest period ticketMetrics accepts (DESKQL_MAX_METRICS_DAYS)."""
    app_url: str = "http://127.0.0.1:8000"
    public_url: str = ""
    """The API's own address for absolute links (DESKQL_PUBLIC_URL); empty: links relative to the API."""
    download_link_seconds: int = 3600
    realtime: Any = None
    """subscriptions.broadcast.Realtime: the hub and presence store subscriptions use."""


@dataclass
class Context:
    request_id: str
    environment: Environment
    viewer_or_none: Viewer | None = None
    auth_error: str | None = None
    request: Any = None
    response: Any = None
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def viewer(self) -> Viewer:
        """The authenticated viewer; every field but ``login`` needs one."""
        if self.viewer_or_none is None:
            raise ClientError(
                self.auth_error or "Authentication required: send 'Authorization: Bearer <token>'.",
                UNAUTHENTICATED,
            )
        return self.viewer_or_none

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.viewer)
        return self._loaders

    def fresh_loaders(self) -> Loaders:
        """New loaders: a subscription takes them for every event, so it never serves stale rows."""
        self._loaders = Loaders(self.viewer)
        return self._loaders

    def drop_loaders(self) -> None:
        """Forget the loaded rows (a subscription waiting for its next event keeps none)."""
        self._loaders = None

    def use_loaders(self, loaders: Loaders) -> None:
        """Loaders shared with other subscribers of the same event and audience (subscriptions)."""
        self._loaders = loaders

    def become(self, viewer: Viewer) -> None:
        """After a login, the rest of the operation reads as the new viewer, with fresh loaders."""
        self.viewer_or_none = viewer
        self.auth_error = None
        self._loaders = None

    def require_technician(self) -> Viewer:
        viewer = self.viewer
        if not viewer.is_technician:
            raise ClientError("Only technicians can read this.", FORBIDDEN)
        return viewer

    def require_admin(self) -> Viewer:
        viewer = self.viewer
        if not viewer.is_admin:
            raise ClientError("Only admins can read this.", FORBIDDEN)
        return viewer


Info = strawberry.Info[Context, None]
