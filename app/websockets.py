"""The websocket protocols (graphql-transport-ws and the legacy graphql-ws), authenticated throughout.

``connection_init`` authenticates the connection ({"authorization": "Bearer ..."}, unless the upgrade
request had the header). Every later subscribe checks the token again. A connection whose token stops
being good (revoked, technician deactivated, role changed: subscriptions.connections) is ended: each
running operation ends with an UNAUTHENTICATED error and the connection is closed with 4401 and the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    SubscribeMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage as LegacyConnectionInit
from strawberry.subscriptions.protocols.graphql_ws.types import ErrorMessage as LegacyErrorMessage
from strawberry.subscriptions.protocols.graphql_ws.types import StartMessage

from app.auth import viewer_from_header
from schema.context import UNAUTHENTICATED, Context
from schema.masking import client_error
from services.viewer import Viewer
from subscriptions.broadcast import Realtime
from subscriptions.connections import Connections

UNAUTHORIZED = 4401
GOING_AWAY = 1001
REASON_BYTES = 120  # a close frame's reason holds 123 bytes


async def _authenticate_connection(context: Context, payload: object) -> str | None:
    """Put the viewer of ``connection_init``'s {"authorization": "Bearer ..."} into the connection's context;
    the reason it is refused, or None."""
    if context.viewer_or_none is not None:  # authenticated by the upgrade request's header already
        return None
    header = payload.get("authorization") if isinstance(payload, dict) else None
    viewer, error = await viewer_from_header(header if isinstance(header, str) else None)
    if viewer is None:
        return error or 'Send {"authorization": "Bearer <token>"} in connection_init.'
    context.viewer_or_none = viewer
    return None


def _connections(context: Context) -> Connections:
    realtime = context.environment.realtime
    assert isinstance(realtime, Realtime), "the application starts the realtime pieces"
    return realtime.connections


def _ended(reason: str) -> GraphQLFormattedError:
    """The error that ends an operation of a connection whose token is no longer good."""
    return {"message": f"{reason} The subscription ended.", "extensions": {"code": UNAUTHENTICATED}}


async def _stopped(tasks: list[asyncio.Task[Any]]) -> None:
    """Cancel the operations and wait for their cleanup (a presence entry removed and announced)."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _close_reason(reason: str) -> str:
    return reason.encode()[:REASON_BYTES].decode(errors="ignore")


class _Authenticated:
    """What both protocols' handlers share: the connection as subscriptions.connections sees it."""

    context: Context
    _ending = False

    @property
    def viewer(self) -> Viewer | None:
        return self.context.viewer_or_none

    async def end(self, reason: str) -> None:
        raise NotImplementedError

    async def go_away(self) -> None:
        raise NotImplementedError

    async def _refused(self) -> tuple[str | None, GraphQLFormattedError | None]:
        """Check the token again before an operation starts: (why the connection must end, None); or
        (None, the operation's error) when the database cannot tell; or (None, None) to go on."""
        try:
            problem = await _connections(self.context).problem(self)
        except Exception as error:
            unexpected = client_error(GraphQLError(str(error), original_error=error), self.context.request_id)
            return None, unexpected.formatted
        if problem is None and self._ending:  # ended meanwhile
            problem = "This connection has ended."
        return problem, None

    def _start_ending(self) -> bool:
        """True the first time only."""
        if self._ending:
            return False
        self._ending = True
        _connections(self.context).discard(self)
        return True


class TransportWSHandler(_Authenticated, BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws: an unauthenticated connection is closed with 4401."""

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        refused = await _authenticate_connection(self.context, message.get("payload"))
        if refused is not None:
            await self.websocket.close(code=UNAUTHORIZED, reason=_close_reason(refused))
            return
        await super().handle_connection_init(message)
        # Strawberry cancels its wait for connection_init but keeps the task, whose CancelledError holds the
        # frames it was waiting in (a sleep and its timer) for as long as the connection stays open.
        self.connection_init_timeout_task = None
        if self.connection_acknowledged:
            _connections(self.context).add(self)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged:
            problem, error = await self._refused()
            if problem is not None or error is not None:
                refusal = ErrorMessage(
                    id=message.get("id", ""), type="error", payload=[error or _ended(problem or "")]
                )
                with contextlib.suppress(Exception):
                    await self.send_message(refusal)
                if problem is not None:
                    await self.end(problem)
                return
        await super().handle_subscribe(message)

    @staticmethod
    def _get_pre_execution_close_reason(error: GraphQLError) -> str | None:
        """A document that does not parse is answered with an `error` message carrying its code, as any
        other error before execution; the connection stays open (strawberry would close it with 4400)."""
        return None

    async def shutdown(self) -> None:
        _connections(self.context).discard(self)
        await super().shutdown()

    async def end(self, reason: str) -> None:
        if not self._start_ending():
            return
        for operation in list(self.operations.values()):
            ended = ErrorMessage(id=operation.id, type="error", payload=[_ended(reason)])
            with contextlib.suppress(Exception):  # the client may be gone already
                await operation.send_operation_message(ended)
            if operation.task is not None:
                operation.task.cancel()
        with contextlib.suppress(Exception):
            await self.websocket.close(code=UNAUTHORIZED, reason=_close_reason(reason))

    async def go_away(self) -> None:
        if not self._start_ending():
            return
        tasks = [operation.task for operation in self.operations.values() if operation.task is not None]
        await _stopped(tasks)
        with contextlib.suppress(Exception):
            await self.websocket.close(code=GOING_AWAY, reason="going away")


class LegacyWSHandler(_Authenticated, BaseGraphQLWSHandler[Context, None]):
    """graphql-ws: an unauthenticated connection gets connection_error and is closed with 4401."""

    async def handle_connection_init(self, message: LegacyConnectionInit) -> None:
        refused = await _authenticate_connection(self.context, message.get("payload"))
        if refused is not None:
            await self.send_message({"type": "connection_error", "payload": {"message": refused}})
            await self.websocket.close(code=UNAUTHORIZED, reason=_close_reason(refused))
            return
        await super().handle_connection_init(message)
        if self.connection_acknowledged:
            _connections(self.context).add(self)

    async def handle_start(self, message: StartMessage) -> None:
        if self.connection_acknowledged:
            problem, error = await self._refused()
            if problem is not None or error is not None:
                refusal = LegacyErrorMessage(
                    type="error", id=message.get("id", ""), payload=error or _ended(problem or "")
                )
                with contextlib.suppress(Exception):
                    await self.send_message(refusal)
                if problem is not None:
                    await self.end(problem)
                return
        await super().handle_start(message)

    async def cleanup(self) -> None:
        _connections(self.context).discard(self)
        await super().cleanup()

    async def end(self, reason: str) -> None:
        if not self._start_ending():
            return
        with contextlib.suppress(Exception):  # the client may be gone already
            for operation_id in list(self.tasks):
                ended = LegacyErrorMessage(type="error", id=operation_id, payload=_ended(reason))
                await self.send_message(ended)
                await self.cleanup_operation(operation_id)
            await self.send_message({"type": "connection_error", "payload": {"message": reason}})
        with contextlib.suppress(Exception):
            await self.websocket.close(code=UNAUTHORIZED, reason=_close_reason(reason))

    async def go_away(self) -> None:
        if not self._start_ending():
            return
        await _stopped(list(self.tasks.values()))
        with contextlib.suppress(Exception):
            await self.websocket.close(code=GOING_AWAY, reason="going away")
