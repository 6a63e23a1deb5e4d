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
from resolvers.context import Context
from schema.root import Limits, build_schema


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_page_size=settings.max_page_size,
        max_nodes=settings.max_nodes,
    )


class DeskqlGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(limits_of(settings)),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        )
        self.settings = settings

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        viewer, auth_error = await viewer_from_header(request.headers.get("authorization"))
        return Context(
            request_id=current_request_id(),
            max_page_size=self.settings.max_page_size,
            viewer_or_none=viewer,
            auth_error=auth_error,
            request=request,
            response=response,
        )


__all__ = ["DeskqlGraphQL"]
