"""Spans of an operation (OpenTelemetry), in a schema built with a tracer provider (app.tracing).

The operation has a span (``GraphQL Query: <name>``) with the spans of parsing and validation, as in
Strawberry's OpenTelemetryExtension, but without the document's text (a literal in it may be a password),
and it is the current span while the operation executes: work a resolver starts outside its own span (a
loader's batch, planned reads) is still a child of the operation.

Resolvers that await have a span each (``GraphQL Resolving: <field>``, with ``graphql.path`` and
``graphql.parentType``, no arguments: they may hold passwords and personal data). Strawberry's extension
does that with a ``resolve`` hook, field middleware that makes every field a coroutine and turns the
executor's plain-leaf shortcut off (api.execution). Here the resolvers of the schema's own fields are
wrapped once, when the schema is built: plain fields keep their shortcut, and a resolver gets a span only
when it returns something to await.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from contextlib import suppress
from inspect import isawaitable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from opentelemetry import context, trace
from opentelemetry.trace import Span, StatusCode, Tracer, TracerProvider
from strawberry.extensions import SchemaExtension
from strawberry.extensions.utils import get_path_from_info
from strawberry.resolvers import is_default_resolver

TRACER = "deskql"


class OperationSpans(SchemaExtension):
    """The spans of an operation, its parsing and its validation; the operation's is current meanwhile."""

    def __init__(self, *, tracer_provider: TracerProvider) -> None:
        self.tracer = trace.get_tracer(TRACER, tracer_provider=tracer_provider)
        self.operation: Span | None = None

    def on_operation(self) -> Generator[None, None, None]:
        name = self.execution_context.operation_name
        self.operation = self.tracer.start_span(f"GraphQL Query: {name}" if name else "GraphQL Query")
        self.operation.set_attribute("component", "graphql")
        token = context.attach(trace.set_span_in_context(self.operation))
        try:
            yield
        finally:
            context.detach(token)
            self._finish(self.operation)

    def on_parse(self) -> Generator[None, None, None]:
        with self.tracer.start_as_current_span("GraphQL Parsing"):
            yield

    def on_validate(self) -> Generator[None, None, None]:
        with self.tracer.start_as_current_span("GraphQL Validation"):
            yield

    def _finish(self, span: Span) -> None:
        execution = self.execution_context
        if execution.operation_name:
            span.update_name(f"GraphQL Query: {execution.operation_name}")
            span.set_attribute("graphql.operation.name", execution.operation_name)
        if execution.graphql_document is not None:
            with suppress(Exception):  # no such operation: the answer says so, the span needs no type
                span.set_attribute("graphql.operation.type", execution.operation_type.value)
        if execution.result is not None and execution.result.errors:
            span.set_status(StatusCode.ERROR)
        span.end()


def trace_resolvers(schema: strawberry.Schema, tracer_provider: TracerProvider) -> None:
    """Wrap every resolver of ``schema``'s own fields (not default resolvers, not introspection's) so
    that one that returns something to await records a span while it is awaited."""
    tracer = trace.get_tracer(TRACER, tracer_provider=tracer_provider)
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            if field.resolve is not None and not is_default_resolver(field.resolve):
                field.resolve = _spanned(field.resolve, tracer)


def _spanned(resolve: Callable[..., Any], tracer: Tracer) -> Callable[..., Any]:
    def resolve_spanned(root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any) -> Any:
        result = resolve(root, info, *args, **kwargs)
        return _awaited(result, info, tracer) if isawaitable(result) else result

    return resolve_spanned


async def _awaited(result: Awaitable[Any], info: GraphQLResolveInfo, tracer: Tracer) -> Any:
    with tracer.start_as_current_span(f"GraphQL Resolving: {info.field_name}") as span:
        span.set_attribute("component", "graphql")
        span.set_attribute("graphql.parentType", info.parent_type.name)
        span.set_attribute("graphql.path", ".".join(map(str, get_path_from_info(info))))
        return await result
