"""The GraphQL endpoint: POST and GraphiQL on /graphql, websockets (graphql-transport-ws and graphql-ws)."""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from app import request_json
from app.auth import viewer_from_header
from app.requests import current_request_id
from app.settings import Settings
from app.websockets import LegacyWSHandler, TransportWSHandler
from resolvers.context import Context, Environment
from schema.root import QueryLimits, build_schema
from services.attachments import Limits
from services.signing import Signer
from subscriptions.broadcast import Realtime


def limits_of(settings: Settings) -> QueryLimits:
    return QueryLimits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_page_size=settings.max_page_size,
        max_nodes=settings.max_nodes,
        max_fields=settings.max_fields,
        max_response_bytes=settings.max_response_bytes,
    )


def environment_of(settings: Settings, realtime: Realtime) -> Environment:
    return Environment(
        realtime=realtime,
        signer=Signer(settings.signing_key),
        max_page_size=settings.max_page_size,
        attachment_limits=Limits(
            settings.max_attachment_bytes,
            settings.max_comment_attachment_bytes,
            settings.max_unclaimed_upload_bytes,
        ),
        app_url=settings.app_url,
        download_link_seconds=settings.download_link_seconds,
    )


class DeskqlGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, settings: Settings, realtime: Realtime) -> None:
        super().__init__(
            build_schema(limits_of(settings)),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            multipart_uploads_enabled=True,
        )
        self.environment = environment_of(settings, realtime)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's, but a request it refuses (JSON it cannot read, no query, a mutation over GET) gets
        a JSON error with ``extensions.code`` instead of plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as refused:
            response = refusal(refused.status_code, refused.reason)
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """The JSON of a request (POST body, GET parameters, multipart fields), nested at most
        ``request_json.MAX_DEPTH`` levels deep."""
        try:
            return request_json.loads(data)
        except request_json.TooDeep as error:
            raise HTTPException(400, str(error)) from error
        except json.JSONDecodeError as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error

    def encode_json(self, data: object) -> str:
        """Websocket messages: text frames, encoded with orjson."""
        return orjson.dumps(data).decode()

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """HTTP answers encoded with orjson straight to bytes; status and headers the resolvers set kept."""
        response = Response(orjson.dumps(response_data), status_code=200, media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

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


def refusal(status: int, message: str) -> Response:
    code = "NOT_FOUND" if status == 404 else "BAD_REQUEST"
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


__all__ = ["DeskqlGraphQL"]
