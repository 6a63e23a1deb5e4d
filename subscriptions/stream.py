"""Reading a channel inside a subscription: decoded messages, heartbeats, and the viewer's standing."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, TypeVar

from broadcaster import Event
from graphql import GraphQLError

from schema.context import UNAUTHENTICATED, ClientError, Info
from schema.loaders import Loaders
from schema.masking import client_error, request_id_of
from services import visibility
from services.authentication import reauthenticate
from services.errors import Unauthenticated
from services.telemetry import telemetry
from services.viewer import Viewer
from subscriptions import channels
from subscriptions.broadcast import Realtime, SharedRead
from subscriptions.hub import Subscriber, SubscriberTooSlow

TOO_SLOW = "TOO_SLOW"
SubscribeFunction = TypeVar("SubscribeFunction", bound=Callable[..., AsyncGenerator[Any, None]])


def guarded(subscribe: SubscribeFunction) -> SubscribeFunction:
    """An unexpected failure inside a subscription ends it with the client's version of it
    (schema.masking: SERVICE_UNAVAILABLE when the database is out of reach, else the masked error), never
    with the exception's own message; errors meant for the client pass unchanged."""

    @functools.wraps(subscribe)
    async def stream(info: Info, *args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        source = subscribe(info, *args, **kwargs)
        kind = info.field_name
        telemetry().subscription(kind, 1)
        try:
            async for item in source:
                yield item
        except GraphQLError:
            raise
        except Exception as error:
            unexpected = GraphQLError(str(error), original_error=error)
            raise client_error(unexpected, request_id_of(info.context)) from None
        finally:
            telemetry().subscription(kind, -1)
            await source.aclose()

    return stream  # type: ignore[return-value]


def realtime_of(info: Info) -> Realtime:
    realtime = info.context.environment.realtime
    assert isinstance(realtime, Realtime), "the application starts the realtime pieces"
    return realtime


async def messages(
    info: Info, subscriber: Subscriber, tick_seconds: float
) -> AsyncIterator[channels.Message | None]:
    """Each message of the channel, and None every ``tick_seconds`` without one.

    Every ``revalidate_seconds`` the viewer's token is checked again: a revoked token, a deactivated
    technician or a changed role ends the subscription with an UNAUTHENTICATED error (a safety net for
    changes made behind deskql's back: announced ones end the websocket at once, subscriptions.connections).
    A subscriber that falls too far behind ends with TOO_SLOW.
    """
    realtime = realtime_of(info)
    viewer = info.context.viewer
    checked = time.monotonic()
    while True:
        # What the last item read (and its execution) is not kept while waiting: an idle subscription
        # holds no rows. This resumes only once the subscription's previous result was sent.
        info.context.drop_loaders()
        try:
            event = await subscriber.get(within=tick_seconds)
        except SubscriberTooSlow as error:
            raise ClientError(str(error), TOO_SLOW) from error
        if viewer.token_id is not None and time.monotonic() - checked >= realtime.revalidate_seconds:
            checked = time.monotonic()
            try:
                await reauthenticate(viewer)
            except Unauthenticated as error:
                raise ClientError(f"{error.message} The subscription ended.", UNAUTHENTICATED) from error
        if event is None:
            yield None
            continue
        shared = realtime.shared_reads.for_event(
            event, visibility.audience(viewer), functools.partial(_read, event, viewer)
        )
        info.context.use_loaders(shared.loaders)
        if shared.message is None:
            shared.message = channels.decode(event.message, shared=shared)
        yield shared.message


def _read(event: Event, viewer: Viewer) -> SharedRead:
    return SharedRead(event, Loaders(viewer))
