"""Prometheus metrics (DESKQL_METRICS): what each process counts, and ``GET /metrics``.

``on`` serves them on the API's own port; a port number serves them on a listener of their own (every
worker binds it with SO_REUSEPORT, any of them answers for all). With several workers ``deskql serve``
gives them a PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode), so whichever worker is
scraped answers for all of them. The outbox is read when scraped. docs/operations.md lists every metric.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.functions import Count, Min

from api.observing import Operation
from models.enums import OutboundStatus
from models.mail import OutboundMail

log = logging.getLogger("deskql.metrics")
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
OPERATION_NAMES = 500
"""Distinct operation names one process labels; later ones are counted as ``other`` (names are chosen by
clients, and every label value is a time series)."""
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
STATEMENTS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100)
PATHS = ("graphql", "metrics", "attachments", "mail", "calendar", "healthz", "readyz")

HTTP_REQUESTS = Counter("deskql_http_requests", "HTTP requests answered", ["method", "path", "status"])
HTTP_SECONDS = Histogram(
    "deskql_http_request_seconds", "time to answer an HTTP request", ["path"], buckets=SECONDS
)
OPERATIONS = Counter(
    "deskql_graphql_operations", "queries and mutations answered", ["operation", "type", "outcome"]
)
OPERATION_SECONDS = Histogram(
    "deskql_graphql_operation_seconds",
    "time to answer a query or mutation",
    ["operation", "type"],
    buckets=SECONDS,
)
ERRORS = Counter("deskql_graphql_errors", "errors answered, by extensions.code", ["code"])
SQL_STATEMENTS = Histogram(
    "deskql_graphql_sql_statements", "SQL statements one query or mutation sent", ["type"], buckets=STATEMENTS
)
WEBSOCKETS = Gauge("deskql_websockets_open", "open websocket connections", multiprocess_mode="livesum")
SUBSCRIPTIONS = Gauge(
    "deskql_subscriptions_open", "running subscriptions, by root field", ["kind"], multiprocess_mode="livesum"
)
PUBLISHED = Counter("deskql_broadcast_published", "messages handed to the broadcast", ["channel"])
DELIVERED = Counter(
    "deskql_broadcast_delivered",
    "messages handed to this process's subscribers (one per subscriber)",
    ["channel"],
)
RECEIVED = Counter("deskql_broadcast_received", "messages this process heard from the broadcast", ["channel"])
LAG = Histogram(
    "deskql_broadcast_lag_seconds",
    "from publishing an event to its delivery here",
    ["channel"],
    buckets=SECONDS,
)
DROPPED_SUBSCRIBERS = Counter(
    "deskql_broadcast_dropped_subscribers",
    "subscribers cut off for falling too far behind (TOO_SLOW)",
    ["channel"],
)
PUBLISH_DROPPED = Counter(
    "deskql_broadcast_publish_dropped", "messages dropped from the full publish buffer while Redis was away"
)
OUTBOX_MAILS = Gauge(
    "deskql_outbox_mails", "emails in the outbox, by status", ["status"], multiprocess_mode="mostrecent"
)
OUTBOX_OLDEST = Gauge(
    "deskql_outbox_oldest_pending_seconds",
    "age of the oldest email waiting to be sent (0 when none waits)",
    multiprocess_mode="mostrecent",
)
INBOUND_MAILS = Counter("deskql_inbound_mails", "emails received, by what became of them", ["outcome"])
AI_CALLS = Counter("deskql_ai_calls", "language model calls", ["feature", "outcome"])
AI_TOKENS = Counter("deskql_ai_tokens", "language model tokens", ["feature", "kind"])
RATE_LIMITED = Counter("deskql_rate_limit_refusals", "requests refused by a rate limit", ["limit"])


def channel_kind(channel: str) -> str:
    """``ticket``, ``account``, ``presence``, ``technician``, ``chat``, ``auth`` (deskql:<kind>:...), else ``other``."""
    parts = channel.split(":")
    return parts[1] if len(parts) > 1 and parts[0] == "deskql" else "other"


class PrometheusTelemetry:
    """services.telemetry's Telemetry, counted into the metrics above."""

    def inbound_mail(self, outcome: str) -> None:
        INBOUND_MAILS.labels(outcome).inc()

    def ai_call(self, feature: str, succeeded: bool, prompt_tokens: int, completion_tokens: int) -> None:
        AI_CALLS.labels(feature, "ok" if succeeded else "error").inc()
        AI_TOKENS.labels(feature, "prompt").inc(prompt_tokens)
        AI_TOKENS.labels(feature, "completion").inc(completion_tokens)

    def rate_limited(self, limit: str) -> None:
        RATE_LIMITED.labels(limit).inc()

    def published(self, channel: str) -> None:
        PUBLISHED.labels(channel_kind(channel)).inc()

    def delivered(self, channel: str, subscribers: int, lag_seconds: float | None) -> None:
        kind = channel_kind(channel)
        RECEIVED.labels(kind).inc()
        if subscribers:
            DELIVERED.labels(kind).inc(subscribers)
        if lag_seconds is not None:
            LAG.labels(kind).observe(lag_seconds)

    def subscriber_dropped(self, channel: str) -> None:
        DROPPED_SUBSCRIBERS.labels(channel_kind(channel)).inc()

    def publish_dropped(self) -> None:
        PUBLISH_DROPPED.inc()

    def subscription(self, kind: str, change: int) -> None:
        SUBSCRIPTIONS.labels(kind).inc(change)


class OperationNames:
    """The label of an operation's name: itself for the first OPERATION_NAMES names, then ``other``."""

    def __init__(self, most: int = OPERATION_NAMES) -> None:
        self.most = most
        self.seen: set[str] = set()

    def __call__(self, name: str) -> str:
        if name in self.seen:
            return name
        if len(self.seen) >= self.most:
            return "other"
        self.seen.add(name)
        return name


_names = OperationNames()


def record(operation: Operation) -> None:
    """Count one query or mutation answered (api.observing)."""
    name = _names(operation.name)
    OPERATIONS.labels(name, operation.type, operation.outcome).inc()
    OPERATION_SECONDS.labels(name, operation.type).observe(operation.seconds)
    SQL_STATEMENTS.labels(operation.type).observe(operation.statements)
    for code in operation.error_codes:
        ERRORS.labels(code).inc()


def path_label(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return first if first in PATHS else "other"


class MetricsMiddleware:
    """Counts HTTP requests (method, first path segment, status) and their time, and open websockets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            WEBSOCKETS.inc()
            try:
                await self.app(scope, receive, send)
            finally:
                WEBSOCKETS.dec()
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        path = path_label(scope["path"])
        try:
            await self.app(scope, receive, send_status)
        finally:
            HTTP_REQUESTS.labels(scope["method"], path, str(status)).inc()
            HTTP_SECONDS.labels(path).observe(time.perf_counter() - started)


async def read_outbox() -> None:
    """Set the outbox gauges from the database; left as they were when it cannot be read."""
    try:
        rows = await (
            OutboundMail.filter(status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED])
            .annotate(mails=Count("id"), oldest=Min("created_at"))
            .group_by("status")
            .values("status", "mails", "oldest")
        )
    except Exception as error:
        log.warning("the outbox could not be read for metrics: %s", error)
        return
    found = {str(row["status"]): row for row in rows}
    for status in (OutboundStatus.PENDING, OutboundStatus.FAILED):
        OUTBOX_MAILS.labels(status.value).set(found[status.value]["mails"] if status.value in found else 0)
    oldest = found.get(OutboundStatus.PENDING.value, {}).get("oldest")
    if isinstance(oldest, str):
        oldest = datetime.fromisoformat(oldest)
    if isinstance(oldest, datetime) and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    OUTBOX_OLDEST.set(max(0.0, (datetime.now(UTC) - oldest).total_seconds()) if oldest else 0)


def exposition() -> bytes:
    """Every metric in the text format: this process's, or every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def metrics_endpoint(request: Request) -> Response:
    await read_outbox()
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
