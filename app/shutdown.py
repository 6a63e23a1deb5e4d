"""What a serving process does on SIGTERM (or Ctrl+C), before uvicorn's own graceful shutdown.

uvicorn, on the signal, stops accepting connections, closes the websockets left with 1012, waits for the
requests in flight (at most ``DESKQL_SHUTDOWN_TIMEOUT_SECONDS``), then runs the application's shutdown:
the background jobs end (the outbox's leases given back) and the realtime pieces stop. Before all that,
this module closes every websocket itself with 1001 "going away", once its subscriptions have stopped
and each has removed its presence entry and announced it, so that other workers' subscribers see the
roster change at once and the clients connect again, to another worker.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

log = logging.getLogger("deskql.shutdown")
SIGNALS = (signal.SIGTERM, signal.SIGINT)
CLOSE_SECONDS = 2.0


@contextmanager
def first_on_signal(close: Callable[[], Awaitable[None]]) -> Iterator[None]:
    """While inside, a termination signal runs ``close`` (at most CLOSE_SECONDS) and then the handler that
    was in place (uvicorn's). Outside the main thread (where signals cannot be caught) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in SIGNALS}
    closing: list[asyncio.Task[None]] = []

    async def close_then_pass_on(sig: int, frame: FrameType | None) -> None:
        try:
            async with asyncio.timeout(CLOSE_SECONDS):
                await close()
        except Exception:
            log.exception("closing the websockets before shutting down failed")
        _call(previous[sig], sig, frame)

    def start(sig: int, frame: FrameType | None) -> None:
        if closing:  # a second signal: no more waiting
            _call(previous[sig], sig, frame)
            return
        closing.append(loop.create_task(close_then_pass_on(sig, frame)))

    def handle(sig: int, frame: FrameType | None) -> None:
        # A signal handler may interrupt the loop anywhere: hand over to the loop rather than act here.
        loop.call_soon_threadsafe(start, sig, frame)

    for each in SIGNALS:
        signal.signal(each, handle)
    try:
        yield
    finally:
        for number, handler in previous.items():
            with suppress(TypeError, ValueError):
                signal.signal(number, handler)


def _call(handler: Any, sig: int, frame: FrameType | None) -> None:
    if callable(handler):
        handler(sig, frame)
    elif handler == signal.SIG_DFL:
        signal.signal(sig, signal.SIG_DFL)
        signal.raise_signal(sig)
