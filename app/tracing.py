"""Traces (OpenTelemetry), exported by OTLP over HTTP when ``DESKQL_OTLP_ENDPOINT`` is set; off otherwise.

Off, nothing of this runs: no middleware, no schema extension, no wrapped method. On, a request to
/graphql has an HTTP span (opentelemetry-instrumentation-asgi), under it the operation's span with a span
for every resolver that awaits (api.tracing), and under those a span for every SQL statement and for the
broadcast of a committed change. The SQL and broadcast spans come from wrapping, once per process,
Tortoise's client methods that send a statement and ``BroadcastPublisher.publish``; a wrapped method
records a span only inside a trace, so background jobs and an app without tracing record none.

The SDK reads the standard ``OTEL_*`` variables: ``OTEL_SERVICE_NAME`` (default ``deskql``),
``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_TRACES_SAMPLER``/``OTEL_TRACES_SAMPLER_ARG``,
``OTEL_EXPORTER_OTLP_HEADERS``/``_TIMEOUT``/``_COMPRESSION``/``_CERTIFICATE``, ``OTEL_BSP_*``.
Download links and calendar feeds carry secrets in their address and are not traced; nor are /healthz
and /readyz.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Tracer
from starlette.middleware import Middleware
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.asyncpg.client import TransactionWrapper as AsyncpgTransaction
from tortoise.backends.base_postgres.client import BasePostgresClient
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

from app.settings import Settings
from services.events import Event
from subscriptions.broadcast import BroadcastPublisher

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

UNTRACED_PATHS = "/healthz,/readyz,/attachments/,/calendar/"
SQL_CLIENTS = {
    BasePostgresClient: "postgresql",
    AsyncpgDBClient: "postgresql",
    AsyncpgTransaction: "postgresql",
    SqliteClient: "sqlite",
    SqliteTransactionWrapper: "sqlite",
}
SQL_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")


@dataclass(frozen=True)
class Tracing:
    """Where spans go; ``create_app`` adds the middleware and the schema extension of it."""

    provider: TracerProvider

    def middleware(self) -> Middleware:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        return Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=self.provider,
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
        )

    def instrument(self) -> None:
        """SQL statements and broadcasts record their spans with this provider from now on."""
        _Wrapped.tracer = self.provider.get_tracer("deskql")
        _Wrapped.install()

    def close(self) -> None:
        """Export what is left, then stop."""
        self.provider.shutdown()


def tracing_of(settings: Settings) -> Tracing | None:
    """Tracing exported to ``DESKQL_OTLP_ENDPOINT`` (a collector's base address; ``/v1/traces`` is added),
    or ``None`` when it is unset."""
    if not settings.otlp_endpoint:
        return None
    # The SDK and its exporter are imported only where tracing is on: every process would pay for them.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: "deskql"}))
    provider = TracerProvider(resource=resource)
    endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return Tracing(provider)


class _Wrapped:
    """The methods wrapped once per process, and the tracer they record with."""

    tracer: Tracer | None = None
    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        cls.installed = True
        for client, system in SQL_CLIENTS.items():
            for name in SQL_METHODS:
                if name in vars(client):  # a subclass's own method; inherited ones are wrapped once, above
                    setattr(client, name, _statement(getattr(client, name), system))
        BroadcastPublisher.publish = _broadcast(BroadcastPublisher.publish)  # type: ignore[method-assign]


def _tracer() -> Tracer | None:
    """The tracer, inside a trace that records; else ``None``."""
    if _Wrapped.tracer is None or not trace.get_current_span().is_recording():
        return None
    return _Wrapped.tracer


def _statement(method: Callable[..., Any], system: str) -> Callable[..., Any]:
    @functools.wraps(method)
    async def traced(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        tracer = _tracer()
        if tracer is None:
            return await method(self, query, *args, **kwargs)
        operation = query.lstrip().split(None, 1)[0].upper() if query.strip() else "SQL"
        attributes = {"db.system.name": system, "db.operation.name": operation, "db.query.text": query}
        with tracer.start_as_current_span(operation, kind=SpanKind.CLIENT, attributes=attributes):
            return await method(self, query, *args, **kwargs)

    return traced


def _broadcast(publish: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(publish)
    async def traced(self: BroadcastPublisher, events: Sequence[Event]) -> None:
        tracer = _tracer()
        if tracer is None:
            await publish(self, events)
            return
        attributes = {"deskql.event.types": [str(event.type) for event in events]}
        with tracer.start_as_current_span("broadcast publish", kind=SpanKind.PRODUCER, attributes=attributes):
            await publish(self, events)

    return traced
