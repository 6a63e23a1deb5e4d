"""app.websocket_protocol: uvicorn's websocket protocol, lighter per open websocket, and the same on the wire."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.websocket_protocol import Flag, Inbox, WebSocketProtocol
from tests.servers import in_process

IDLE = 40


async def test_the_inbox_hands_out_messages_in_order_and_wakes_its_readers() -> None:
    inbox = Inbox()
    assert inbox.empty()
    reading = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    inbox.put_nowait("first")
    assert await reading == "first"
    for message in ("a", "b", "c"):
        inbox.put_nowait(message)
    assert inbox.qsize() == 3
    assert [await inbox.get() for _ in range(3)] == ["a", "b", "c"]
    assert inbox.empty()
    # Two readers: each message goes to one of them, the longest waiting first.
    readers = [asyncio.ensure_future(inbox.get()) for _ in range(2)]
    await asyncio.sleep(0)
    inbox.put_nowait("x")
    inbox.put_nowait("y")
    assert await asyncio.gather(*readers) == ["x", "y"]


async def test_a_reader_cancelled_after_being_woken_leaves_the_message_to_the_next() -> None:
    inbox = Inbox()
    first, second = asyncio.ensure_future(inbox.get()), asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    inbox.put_nowait("only")  # wakes the first reader ...
    first.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await asyncio.wait_for(second, 5) == "only"


async def test_the_flag_lets_waiters_through_while_set() -> None:
    flag = Flag(True)
    assert await flag.wait()
    flag.clear()
    waiters = [asyncio.ensure_future(flag.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    assert not any(waiter.done() for waiter in waiters)
    cancelled = asyncio.ensure_future(flag.wait())
    await asyncio.sleep(0)
    cancelled.cancel()
    flag.set()
    assert await asyncio.gather(*waiters) == [True, True]
    assert flag.is_set()


async def echo(websocket: WebSocket) -> None:
    await websocket.accept(subprotocol="graphql-transport-ws")
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


@asynccontextmanager
async def serving(ws: Any) -> AsyncIterator[str]:
    app = Starlette(routes=[WebSocketRoute("/ws", echo)])
    async with in_process(app, ws=ws, ws_per_message_deflate=False) as port:
        yield f"ws://127.0.0.1:{port}/ws"


async def bytes_per_idle_websocket(ws: Any) -> float:
    """What the server side of an idle websocket holds, as traced (what the clients hold is left out)."""
    async with serving(ws) as url:
        warm = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        await warm.close()
        gc.collect()
        tracemalloc.start(64)
        try:
            before = tracemalloc.take_snapshot()
            clients = []
            for _ in range(IDLE):
                client = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
                await client.send("hello")
                assert await asyncio.wait_for(client.recv(), 10) == "hello"  # the same on the wire
                clients.append(client)
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
        server_side = [tracemalloc.Filter(True, "*/uvicorn/*", all_frames=True)]
        held = after.filter_traces(server_side).compare_to(before.filter_traces(server_side), "filename")
        for client in clients:
            await client.close()
        return sum(stat.size_diff for stat in held) / IDLE


async def test_an_idle_websocket_holds_less_than_with_uvicorns_own_protocol() -> None:
    light = await bytes_per_idle_websocket(WebSocketProtocol)
    stock = await bytes_per_idle_websocket("websockets-sansio")
    # The stock protocol keeps five empty deques (760 bytes each) and the handshake with its headers.
    assert light < stock - 3000, (light, stock)
