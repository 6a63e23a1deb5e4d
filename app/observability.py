"""What the operator sees of a running server, from settings: Prometheus metrics (DESKQL_METRICS, app.metrics)
and the request log (DESKQL_LOG_FORMAT=json, app.request_log)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from api.observing import Observe, Operation, count_statements
from app import metrics, metrics_port, request_log
from app.requests import configure_logging
from app.settings import Settings
from services.telemetry import NoTelemetry, install_telemetry


def observer_of(settings: Settings) -> Observe | None:
    """What each query and mutation answered is handed to (None: nobody looks)."""
    counting = settings.metrics != "off"
    logging = settings.log_format == "json"
    if not counting and not logging:
        return None

    def observe(operation: Operation) -> None:
        if counting:
            metrics.record(operation)
        if logging:
            request_log.note(operation)

    return observe


def install(settings: Settings) -> None:
    """Count what services and the realtime pieces tell (services.telemetry), when metrics are on."""
    if settings.metrics == "off":
        install_telemetry(NoTelemetry())
        return
    count_statements()
    install_telemetry(metrics.PrometheusTelemetry())


def middleware(settings: Settings) -> list[Middleware]:
    """After app.requests' request id, which the request's log line carries."""
    found = []
    if settings.metrics != "off":
        found.append(Middleware(metrics.MetricsMiddleware))
    if settings.log_format == "json":
        found.append(Middleware(request_log.RequestLog))
    return found


def routes(settings: Settings) -> list[BaseRoute]:
    return [Route("/metrics", metrics.metrics_endpoint)] if settings.metrics == "on" else []


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[None]:
    """The metrics port of its own (DESKQL_METRICS=<port>), while the block runs."""
    port = settings.metrics_port
    async with (
        metrics_port.serving(settings.metrics_host, port) if port is not None else contextlib.nullcontext()
    ):
        yield


@contextlib.contextmanager
def workers_sharing_metrics(settings: Settings, workers: int) -> Iterator[None]:
    """With metrics on and several workers: a fresh PROMETHEUS_MULTIPROC_DIR for them (unless the operator
    gave one), set before any worker starts and removed once they have stopped."""
    if settings.metrics == "off" or workers < 2 or os.environ.get(metrics.MULTIPROCESS_DIR):
        yield
        return
    folder = tempfile.mkdtemp(prefix="deskql-metrics-")
    os.environ[metrics.MULTIPROCESS_DIR] = folder
    try:
        yield
    finally:
        os.environ.pop(metrics.MULTIPROCESS_DIR, None)
        shutil.rmtree(folder, ignore_errors=True)


def uvicorn_logging(settings: Settings) -> dict[str, Any]:
    """uvicorn's logging: its own text lines and access log; with JSON, its loggers go through deskql's
    JSON handler and the access log is deskql.access (app.request_log)."""
    if settings.log_format != "json":
        return {}
    configure_logging(settings.log_level, request_log.json_handler())
    return {"log_config": None, "access_log": False}
