"""DESKQL_METRICS=<port>: ``GET /metrics`` on a port of its own, beside the API.

Every worker binds the port with SO_REUSEPORT and the kernel hands each scrape to one of them; in
multiprocess mode (app.metrics) any of them answers for all.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from app.metrics import metrics_endpoint


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.setblocking(False)
    return sock


@asynccontextmanager
async def serving(host: str, port: int) -> AsyncIterator[None]:
    """Serve ``GET /metrics`` on ``host:port`` until the block ends."""
    app = Starlette(routes=[Route("/metrics", metrics_endpoint)])
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", access_log=False, log_config=None, timeout_graceful_shutdown=2)
    )
    server.config.load()
    server.lifespan = server.config.lifespan_class(server.config)
    sockets = [_socket(host, port)]
    await server.startup(sockets=sockets)
    try:
        yield
    finally:
        await server.shutdown(sockets=sockets)
        for sock in sockets:
            sock.close()
