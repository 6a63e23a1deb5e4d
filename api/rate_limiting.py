"""The rate of mutations: an extension that counts every root field of a mutation operation against the
caller's limit and refuses the whole operation past it, and that refuses more than one ``login`` in one
operation (each is a password hash of about half a second and 64 MiB)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLError,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    get_operation_ast,
    value_from_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.document_shape import fragments_of
from services import rate_limits
from services.rate_limits import RateLimited


class MutationRateLimit(SchemaExtension):
    """At most ``rate_limits.Limits.mutations_per_minute`` root mutation fields (aliases count one each)
    per token, per client address without one. An operation that does not fit is not run at all: a
    ``RATE_LIMITED`` error with ``retryAfter``, HTTP 429 and a ``Retry-After`` header. ``login`` asked
    more than once in an operation is ``BAD_USER_INPUT`` and nothing runs, before any password is hashed."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.operation_type is OperationType.MUTATION and context.graphql_document is not None:
            fields = root_fields(context.graphql_document, context.operation_name, context.variables or {})
            logins = [key for key, name in fields.items() if name == "login"]
            if len(logins) > 1:
                asked = ", ".join(logins[:3]) + (", ..." if len(logins) > 3 else "")
                context.result = _refused(
                    f"`login` may be asked once per operation (it is asked {len(logins)} times: {asked}).",
                    {"code": "BAD_USER_INPUT", "field": "login"},
                )
            elif fields:
                try:
                    await rate_limits.count_mutation(caller(context.context), len(fields))
                except RateLimited as limited:
                    context.result = refusal(limited, context.context)
        yield


def root_fields(
    document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]
) -> dict[str, str]:
    """The root fields the operation runs: field name by response name (alias or name), fragments spread,
    fields left out by ``@skip``/``@include`` left out, ``__typename`` not counted."""
    operation = get_operation_ast(document, operation_name)
    fragments = fragments_of(document.definitions)
    spread: set[str] = set()
    found: dict[str, str] = {}

    def collect(selections: SelectionSetNode) -> None:
        for selection in selections.selections:
            if not _included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                if selection.name.value != "__typename":
                    found.setdefault((selection.alias or selection.name).value, selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                # A fragment spread again adds the same response names: each is collected once.
                if name not in spread and name in fragments:
                    spread.add(name)
                    collect(fragments[name].selection_set)

    if operation is not None:
        collect(operation.selection_set)
    return found


def _included(selection: SelectionNode, variables: Mapping[str, Any]) -> bool:
    for directive in selection.directives or ():
        if directive.name.value in ("skip", "include"):
            condition = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
            value = value_from_ast(condition, GraphQLBoolean, dict(variables)) if condition else None
            if value is (directive.name.value == "skip"):
                return False
    return True


def _refused(message: str, extensions: dict[str, Any]) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


def refusal(limited: RateLimited, context: Any) -> ExecutionResult:
    """The answer to an operation refused by a rate limit: a ``RATE_LIMITED`` error with ``retryAfter``,
    and over HTTP status 429 with a ``Retry-After`` header."""
    wait = limited.retry_after
    response = getattr(context, "response", None)
    if response is not None and hasattr(response, "status_code"):
        response.status_code = 429
        response.headers["Retry-After"] = str(wait)
    return _refused(limited.message, {"code": "RATE_LIMITED", "retryAfter": wait})


def caller(context: Any) -> str:
    viewer = getattr(context, "viewer_or_none", None)
    if viewer is not None and viewer.token_id is not None:
        return f"token:{viewer.token_id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"address:{client.host if client else 'unknown'}"
