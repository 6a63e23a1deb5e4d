"""The GraphQL endpoint: POST and GraphiQL on /graphql, websockets (graphql-transport-ws and graphql-ws).

Media types and statuses follow GraphQL over HTTP (app.graphql_over_http). A websocket handshake from a
browser page of another origin is refused (HTTP 403) unless DESKQL_CORS_ORIGINS lists it (or is ``*``);
same-origin pages and clients that send no ``Origin`` (not browsers) are always let in.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from opentelemetry.trace import TracerProvider
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, GraphQLRequestProtocol
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.observing import Observe
from api.root import QueryLimits, build_schema
from app import request_json, web
from app.auth import viewer_from_header
from app.graphql_over_http import JSON, is_request_error, media_type, request_error_status
from app.requests import current_request_id
from app.settings import Settings
from app.websockets import LegacyWSHandler, TransportWSHandler
from schema.context import Context, Environment
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
        max_metrics_days=settings.max_metrics_days,
        attachment_limits=Limits(
            settings.max_attachment_bytes,
            settings.max_comment_attachment_bytes,
            settings.max_unclaimed_upload_bytes,
        ),
        app_url=settings.app_url,
        public_url=settings.public_url,
        download_link_seconds=settings.download_link_seconds,
    )


class Refused(HTTPException):
    """A request /graphql does not read, with the ``extensions.code`` its answer carries."""

    def __init__(self, status_code: int, reason: str, code: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


SUBSCRIPTION_OVER_HTTP = Refused(
    400,
    "Subscriptions run over a websocket on /graphql (graphql-transport-ws or graphql-ws), "
    "not over HTTP GET or POST.",
    "SUBSCRIPTION_OVER_HTTP",
)
BATCHING_NOT_SUPPORTED = Refused(
    400,
    "Batched requests (a JSON array of operations) are not supported: send one operation per request.",
    "BATCHING_NOT_SUPPORTED",
)


class DeskqlGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(
        self,
        settings: Settings,
        realtime: Realtime,
        *,
        tracer_provider: TracerProvider | None = None,
        observe: Observe | None = None,
    ) -> None:
        super().__init__(
            build_schema(limits_of(settings), observe=observe, tracer_provider=tracer_provider),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            multipart_uploads_enabled=True,
            allowed_origins=settings.cors_origin_list,
        )
        self.environment = environment_of(settings, realtime)
        self.web_dir = settings.web_dir

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Coroutine[Any, Any, Any]:
        """Strawberry's, but a request it refuses (JSON it cannot read, no query, a mutation over GET, a
        batch) gets a JSON error with ``extensions.code`` instead of plain text, and the answer has the
        media type and status of app.graphql_over_http. A websocket goes to strawberry's handler directly:
        for as long as it stays open, no frame of this call or of strawberry's ``__call__`` is kept."""
        if scope["type"] == "websocket":
            return self.run(WebSocket(scope, receive=receive, send=send))
        if scope["type"] != "http":
            return super().__call__(scope, receive, send)
        return self._answer(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request.state.media_type = media_type(request.headers.get("accept"))
        request.state.request_error_status = None
        try:
            response = await self.run(request)
        except HTTPException as refused:
            response = refusal(refused, request.state.media_type)
        else:
            if response.media_type == JSON:
                response.headers["content-type"] = request.state.media_type
                status = request.state.request_error_status
                if status is not None and response.status_code < 400:
                    response.status_code = status
        await response(scope, receive, send)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """A request error answered as application/graphql-response+json has no ``data`` and a 4xx."""
        answer = await super().process_result(request, result)
        if request.state.media_type != JSON and is_request_error(result):
            answer.pop("data", None)
            request.state.request_error_status = request_error_status(result)
        return answer

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's; a subscription (which the schema runs only as a stream) is refused with
        ``SUBSCRIPTION_OVER_HTTP``, over GET and POST alike."""
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as refused:
            cause = refused.__cause__
            if (
                isinstance(cause, InvalidOperationTypeError)
                and cause.operation_type is OperationType.SUBSCRIPTION
            ):
                raise SUBSCRIPTION_OVER_HTTP from cause
            raise

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: GraphQLRequestProtocol
    ) -> None:
        """An array of operations (Apollo's BatchHttpLink) is refused with ``BATCHING_NOT_SUPPORTED``: one
        operation per request keeps every limit, rate limit and status code per operation."""
        raise BATCHING_NOT_SUPPORTED

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """deskql's own GraphiQL, whose scripts deskql serves, where web/ is built; else strawberry's page,
        whose scripts come from a CDN. Read at each request, as strawberry does: a new build needs no restart."""
        return HTMLResponse(web.graphiql_page(self.web_dir) or self.graphql_ide_html)

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


def refusal(refused: HTTPException, media_type: str) -> Response:
    status = refused.status_code
    code = getattr(refused, "code", None) or ("NOT_FOUND" if status == 404 else "BAD_REQUEST")
    body = {"errors": [{"message": refused.reason, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type=media_type)


__all__ = ["DeskqlGraphQL"]
