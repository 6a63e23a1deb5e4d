"""A GraphQL websocket client (graphql-transport-ws, or the legacy graphql-ws) over a real websocket, for
tests against running servers."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


@dataclass
class Ended:
    """How the server ended a connection: the messages it sent first, then the close code and reason."""

    messages: list[dict[str, Any]]
    code: int | None
    reason: str


class WSClient:
    def __init__(self, connection: ClientConnection, protocol: str = TRANSPORT_WS) -> None:
        self.connection = connection
        self.protocol = protocol
        self._next_id = 0

    @classmethod
    async def open(cls, url: str, token: str, protocol: str = TRANSPORT_WS) -> WSClient:
        connection = await websockets.connect(
            url,
            subprotocols=[protocol],  # type: ignore[list-item]
            max_size=None,
        )
        client = cls(connection, protocol)
        await client.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        return client

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, within: float = 10.0) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.connection.recv(), within))
        return message

    async def subscribe(self, query: str, variables: dict[str, Any]) -> str:
        self._next_id += 1
        operation = str(self._next_id)
        kind = "subscribe" if self.protocol == TRANSPORT_WS else "start"
        await self.send({"id": operation, "type": kind, "payload": {"query": query, "variables": variables}})
        return operation

    async def next(self, within: float = 10.0) -> dict[str, Any]:
        """The data of the next result (asserting it is one)."""
        message = await self.receive(within)
        assert message["type"] == ("next" if self.protocol == TRANSPORT_WS else "data"), message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def ended(self, within: float = 10.0) -> Ended:
        """Read until the server closes the connection; fail if it is still open after ``within`` seconds."""
        deadline = time.monotonic() + within
        messages: list[dict[str, Any]] = []
        while True:
            try:
                messages.append(await self.receive(max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                raise AssertionError(f"still open after {within}s; received {messages}") from None
            except ConnectionClosed as closed:
                close = closed.rcvd
                return Ended(messages, close.code if close else None, close.reason if close else "")

    async def close(self) -> None:
        await self.connection.close()


class StalledClient:
    """A websocket client on a bare socket that can stop reading entirely (no library reads ahead for it),
    as a browser tab whose machine went to sleep does: only the kernel's small buffers hold data for it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    @classmethod
    def open(cls, url: str, token: str) -> StalledClient:
        import base64
        import os

        host, port = url.removeprefix("ws://").split("/")[0].split(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode()
        )
        client = cls(sock)
        while b"\r\n\r\n" not in client.buffer:
            client.buffer += sock.recv(4096)
        head, client.buffer = client.buffer.split(b"\r\n\r\n", 1)
        assert b" 101 " in head, head
        client.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        assert client.receive()["type"] == "connection_ack"
        return client

    def send(self, message: dict[str, Any]) -> None:
        import os
        import struct

        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        length = len(payload)
        header = bytes([0x81]) + (
            bytes([0x80 | length]) if length < 126 else bytes([0x80 | 126]) + struct.pack("!H", length)
        )
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def receive(self) -> dict[str, Any]:
        """The next text message (blocking; used once the test lets the client read again)."""
        import struct

        while True:
            first, second = self._take(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._take(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._take(8))[0]
            payload = self._take(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise EOFError(f"closed: {payload!r}")
            if opcode == 0x1:
                message: dict[str, Any] = json.loads(payload)
                return message

    def close(self) -> None:
        self.sock.close()
