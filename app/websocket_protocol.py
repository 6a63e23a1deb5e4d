"""uvicorn's websocket protocol (websockets-sansio, what ``ws="auto"`` picks), lighter per open websocket.

An idle subscription is mostly an open websocket waiting for nothing, and uvicorn's keeps, for its whole
life, an asyncio.Queue of received messages and an asyncio.Event (five deques of 760 bytes between them,
empty), and the handshake's request and response with their headers. Here the inbox and the writable flag
hold a deque or a future only while something waits in them, and the handshake is forgotten once answered
(the ASGI scope keeps the request's headers, as the application reads them). The frames on the wire are
the same. ``deskql serve`` runs uvicorn with it (app.cli).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class _Waiters:
    """Futures of the coroutines waiting for something, none kept while nobody waits."""

    __slots__ = ("_futures",)

    def __init__(self) -> None:
        self._futures: list[asyncio.Future[None]] | None = None

    async def wait(self) -> None:
        """Until ``wake_one`` or ``wake_all`` picks this waiter (raises CancelledError when cancelled)."""
        future = asyncio.get_running_loop().create_future()
        if self._futures is None:
            self._futures = []
        self._futures.append(future)
        try:
            await future
        finally:
            if self._futures is not None and future in self._futures:
                self._futures.remove(future)
                if not self._futures:
                    self._futures = None

    def wake_one(self) -> bool:
        """Wake the longest waiting; False when none waits."""
        while self._futures:
            future = self._futures.pop(0)
            if not self._futures:
                self._futures = None
            if not future.done():
                future.set_result(None)
                return True
        return False

    def wake_all(self) -> None:
        futures, self._futures = self._futures or [], None
        for future in futures:
            if not future.done():
                future.set_result(None)


class Inbox:
    """What asyncio.Queue is to uvicorn's protocol (``put_nowait``, ``get``, ``empty``: unbounded, first in
    first out), with no deque while empty."""

    __slots__ = ("_getters", "_items")

    def __init__(self) -> None:
        self._items: deque[Any] | None = None
        self._getters = _Waiters()

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items) if self._items else 0

    def put_nowait(self, item: Any) -> None:
        if self._items is None:
            self._items = deque()
        self._items.append(item)
        self._getters.wake_one()

    async def get(self) -> Any:
        while not self._items:
            try:
                await self._getters.wait()
            except asyncio.CancelledError:
                if self._items:  # woken with an item, then cancelled: another getter may take it
                    self._getters.wake_one()
                raise
        item = self._items.popleft()
        if not self._items:
            self._items = None
        return item


class Flag:
    """What asyncio.Event is to uvicorn's protocol (``set``, ``clear``, ``is_set``, ``wait``)."""

    __slots__ = ("_set", "_waiters")

    def __init__(self, value: bool = False) -> None:
        self._set = value
        self._waiters = _Waiters()

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        self._waiters.wake_all()

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        while not self._set:
            await self._waiters.wait()
        return True


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol with the light inbox and flag, forgetting its handshake once
    answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag(True)  # type: ignore[assignment]

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and self.request is not None:
            # Read only until the handshake is answered (uvicorn's handle_connect and accepting send). The
            # request's headers are emptied too: websockets' parser keeps the request in its frame for as
            # long as the connection is open (the ASGI scope has its own copy of them).
            self.request.headers.clear()
            self.request = self.response = None  # type: ignore[assignment]
