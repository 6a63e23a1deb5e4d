"""The GraphQL endpoint: POST and GraphiQL on /graphql, websockets (graphql-transport-ws and graphql-ws)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from app.auth import viewer_from_header
from app.requests import current_request_id
from app.settings import Settings
from resolvers.context import Context, Environment
from schema.root import QueryLimits, build_schema
from services.attachments import Limits
from services.signing import Signer


def limits_of(settings: Settings) -> QueryLimits:
    return QueryLimits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_page_size=settings.max_page_size,
        max_nodes=settings.max_nodes,
    )


def environment_of(settings: Settings) -> Environment:
    return Environment(
        signer=Signer(settings.signing_key),
        max_page_size=settings.max_page_size,
        attachment_limits=Limits(settings.max_attachment_bytes, settings.max_comment_attachment_bytes),
        app_url=settings.app_url,
        download_link_seconds=settings.download_link_seconds,
    )


class DeskqlGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(limits_of(settings)),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            multipart_uploads_enabled=True,
        )
        self.environment = environment_of(settings)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        viewer, auth_error = await viewer_from_header(request.headers.get("authorization"))
        return Context(
            request_id=current_request_id(),
            environment=self.environment,
            viewer_or_none=viewer,
            auth_error=auth_error,
            request=request,
            response=response,
        )


__all__ = ["DeskqlGraphQL"]
