"""Traces: the span tree of a ticket page and of a change (HTTP, operation, resolvers, SQL, broadcast), and
no span at all with tracing off."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from api.tracing import OperationSpans
from app.database import Database
from app.main import create_app
from app.settings import Settings
from app.tracing import Tracing
from schema.ids import encode
from tests.api import TEST_SECRET_KEY, Api
from tests.factories import World, add_comments, fill_requester_panel, make_world
from tests.servers import environment, free_port, migrate, serving
from tests.sql import recorded_statements
from tests.support.ticket_page import TICKET_PAGE

RENAME = """mutation($input: UpdateTicketInput!) { updateTicket(input: $input) {
  ... on UpdateTicketSuccess { ticket { id title } } } }"""


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def spans(exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    exporter.clear()
    yield exporter
    exporter.clear()


def traced_api(db: Database, exporter: InMemorySpanExporter) -> Api:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    api = Api(db)
    api.app = create_app(
        Settings(database_url=db.url, secret_key=TEST_SECRET_KEY), database=db, tracing=Tracing(provider)
    )
    return api


async def ticket_page_world() -> tuple[World, str]:
    world = await make_world()
    await fill_requester_panel(world)
    ticket = await world.ticket("Laptop will not wake", assignee_id=world.technician.id)
    await add_comments(ticket, [world.technician, world.requester], 4)
    return world, encode("Ticket", ticket.id)


def below(span: ReadableSpan, ancestor: ReadableSpan, by_id: dict[int, ReadableSpan]) -> bool:
    parent = span.parent
    while parent is not None:
        if parent.span_id == ancestor.context.span_id:
            return True
        found = by_id.get(parent.span_id)
        parent = found.parent if found is not None else None
    return False


def named(spans: list[ReadableSpan], prefix: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name.startswith(prefix)]


async def test_a_ticket_page_is_one_trace_http_operation_resolvers_and_every_sql_statement(
    db: Database, spans: InMemorySpanExporter
) -> None:
    api = traced_api(db, spans)
    world, ticket_id = await ticket_page_world()
    await api.data("{ viewer { account { name } } }", token=world.technician_token)
    spans.clear()

    with recorded_statements() as statements:
        data = await api.data(TICKET_PAGE, {"id": ticket_id}, token=world.technician_token)
    assert data["ticket"]["id"] == ticket_id

    finished = list(spans.get_finished_spans())
    by_id = {span.context.span_id: span for span in finished}
    assert len({span.context.trace_id for span in finished}) == 1
    [http] = [span for span in finished if span.parent is None]
    assert (http.name, http.kind) == ("POST /graphql", SpanKind.SERVER)
    [operation] = named(finished, "GraphQL Query")
    assert operation.name == "GraphQL Query: TicketPage"
    assert operation.parent is not None
    assert operation.parent.span_id == http.context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "query"
    assert "query" not in operation.attributes  # the document's text is not recorded

    resolvers = named(finished, "GraphQL Resolving: ")
    resolved = {span.name.removeprefix("GraphQL Resolving: ") for span in resolvers}
    assert {"ticket", "conversation", "activity"} <= resolved
    # A plain field awaits nothing and has no span, nor has a field whose loaders the page's planned read
    # primed (one loader or several).
    assert not {"title", "requester", "devices", "satisfaction", "surveys", "totalCount"} & resolved
    assert all(below(span, operation, by_id) for span in resolvers)

    sql = [span for span in finished if span.attributes and "db.query.text" in span.attributes]
    assert len(sql) == len(statements)  # one span for every statement sent
    assert all(span.kind is SpanKind.CLIENT and below(span, http, by_id) for span in sql)
    under_operation = [span for span in sql if below(span, operation, by_id)]
    under_resolvers = [span for span in sql if any(below(span, r, by_id) for r in resolvers)]
    assert under_operation
    assert under_resolvers
    # Outside the operation: only the viewer's token, read before the operation starts.
    assert len(sql) - len(under_operation) <= 2


async def test_a_change_traces_its_broadcast_under_the_mutation(
    db: Database, spans: InMemorySpanExporter
) -> None:
    api = traced_api(db, spans)
    world, ticket_id = await ticket_page_world()
    async with api.app.router.lifespan_context(api.app):
        spans.clear()
        variables = {"input": {"id": ticket_id, "title": "Laptop wakes after a BIOS update"}}
        await api.data(RENAME, variables, token=world.technician_token)

    finished = list(spans.get_finished_spans())
    by_id = {span.context.span_id: span for span in finished}
    [operation] = named(finished, "GraphQL Query")
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "mutation"
    [publish] = named(finished, "broadcast publish")
    assert publish.attributes is not None
    assert "ticket.updated" in tuple(publish.attributes["deskql.event.types"])  # type: ignore[arg-type]
    assert below(publish, operation, by_id)


async def test_with_tracing_off_nothing_is_traced_and_the_schema_has_no_span_hook(
    db: Database, spans: InMemorySpanExporter
) -> None:
    world, ticket_id = await ticket_page_world()
    # Tracing on in this process first, so that SQL and broadcast methods are wrapped.
    await traced_api(db, spans).data(TICKET_PAGE, {"id": ticket_id}, token=world.technician_token)
    assert spans.get_finished_spans()
    spans.clear()

    untraced = Api(db)
    data = await untraced.data(TICKET_PAGE, {"id": ticket_id}, token=world.technician_token)

    assert data["ticket"]["id"] == ticket_id
    assert spans.get_finished_spans() == ()
    schema = untraced.app.state.graphql.schema
    assert all(getattr(hook, "func", hook) is not OperationSpans for hook in schema.extensions)
    assert not any("OpenTelemetry" in str(middleware.cls) for middleware in untraced.app.user_middleware)


class Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver on loopback: the service name and span names of every export it is sent."""

    received: list[tuple[str, str, str]]  # (path, service name, span name)

    def do_POST(self) -> None:
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        for resource_spans in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.received.append((self.path, attributes.get("service.name", ""), span.name))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    received: list[tuple[str, str, str]] = []
    handler = type("Handler", (Collector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_deskql_serve_exports_its_traces_by_otlp_to_the_configured_collector(
    collector: tuple[str, list[tuple[str, str, str]]], tmp_path: Path
) -> None:
    endpoint, received = collector
    env = environment(
        database_url=f"sqlite://{tmp_path}/deskql.sqlite3", secret_key="t" * 40, otlp_endpoint=endpoint
    )
    env["OTEL_BSP_SCHEDULE_DELAY"] = "100"  # the SDK's own variables apply
    migrate(env, tmp_path)
    with serving(env, tmp_path, free_port()) as base:
        answer = httpx.post(f"{base}/graphql", json={"query": "query Ping { __typename }"}, timeout=10)
        assert answer.json() == {"data": {"__typename": "Query"}}
        deadline = time.monotonic() + 15
        while ("/v1/traces", "deskql", "GraphQL Query: Ping") not in received:
            assert time.monotonic() < deadline, received
            time.sleep(0.05)
    assert ("/v1/traces", "deskql", "POST /graphql") in received
    assert not any(name.startswith("GET /readyz") for _, _, name in received)
