"""The query limits, checked before anything runs: parsing with a token limit, then the document's shape
(api.document_shape: depth, aliases, fields once fragments are spread, the work of checking overlapping
fields) and the node budget of the operation with its variables. Each document is parsed and validated once
per process; later operations of it check only the node budget, which depends on the variables.

The node budget is the number of objects a query can return at most: every `first` multiplies the
objects of the connection it pages by the number of parents it is asked for (50 tickets x 100 comments is
5,000 nodes). Defaults of `first` count when the argument is omitted.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
)
from strawberry.extensions import SchemaExtension

from api.document_shape import NodeBudget, fragments_of, measure
from schema.masking import VALIDATION_FAILED

MULTIPLE_OPERATIONS = "Must provide operation name if query contains multiple operations."
UNKNOWN_OPERATION = "BAD_REQUEST"
"""The code of a request that names no operation of its document, or one it does not have."""

TOO_LARGE = "QUERY_TOO_LARGE"


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5000
    max_page_size: int = 100
    max_nodes: int = 10_000
    max_fields: int = 10_000
    """Fields a document may select once its fragments are spread."""
    max_response_bytes: int = 32_000_000
    """Bytes of leaf values an answer may hold (api.execution)."""
    max_overlap: int = 10_000
    """Comparisons of same-named fields graphql-core's overlap rule may make (Measure.overlap): about 0.1 s
    of CPU (100 copies of `viewer { account { id name } }` are 19,800; the ticket page is 2)."""


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def unnamed_choice(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether a request names no operation of a document that has several. Strawberry would run the first;
    graphql-core and GraphQL over HTTP refuse it, and so does deskql (a request error, nothing runs)."""
    return operation_name is None and len(_operations(document)) > 1


def shape_errors(document: DocumentNode, limits: QueryLimits) -> list[GraphQLError]:
    """The depth, alias, size and overlap errors of a document; a document too large to measure further
    gets only that error."""
    measures = measure(_operations(document), fragments_of(document.definitions))
    fields = sum(m.fields for m in measures.values())
    if fields > limits.max_fields:
        message = (
            f"This document selects {fields} fields once its fragments are spread; the limit is "
            f"{limits.max_fields}. Spread each fragment fewer times."
        )
        return [GraphQLError(message, extensions={"code": TOO_LARGE})]
    overlap = sum(m.overlap for m in measures.values())
    if overlap > limits.max_overlap:
        message = (
            "This document selects the same fields too many times in one place "
            f"({overlap} comparisons; the limit is {limits.max_overlap}). Select each field once."
        )
        return [GraphQLError(message, extensions={"code": TOO_LARGE})]
    errors = [
        GraphQLError(f"'{name}' exceeds maximum operation depth of {limits.max_depth}")
        for name, m in measures.items()
        if m.depth > limits.max_depth
    ]
    aliases = sum(m.aliases for m in measures.values())
    if aliases > limits.max_aliases:
        errors.append(GraphQLError(f"{aliases} aliases found. Allowed: {limits.max_aliases}"))
    return errors


def budget_of(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any],
    operation_name: str | None,
    limits: QueryLimits,
) -> tuple[list[str], frozenset[str]]:
    """The page-size and node-budget errors of the operation to run, with its variables, and the names of
    the variables they depend on."""
    operations = _operations(document)
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return [], frozenset()
    budget = NodeBudget(schema, fragments_of(document.definitions), variables, limits.max_page_size)
    total = budget.of(operations[0])
    errors = budget.errors
    if total > limits.max_nodes:
        errors.append(
            f"This query could return {total} nodes; the limit is {limits.max_nodes}. "
            "Ask for smaller pages (`first`) or fewer nested connections."
        )
    return errors, frozenset(budget.read)


def _errors(messages: list[str]) -> list[GraphQLError]:
    return [GraphQLError(message, extensions={"code": TOO_LARGE}) for message in messages]


class Budgets:
    """The node budget of each operation of a known document, by the values of the variables it depends
    on: the ticket page, asked for one ticket after another, is counted once. Keeps ``maxsize`` budgets,
    least recently used go first."""

    def __init__(self, maxsize: int = 1000) -> None:
        self.maxsize = maxsize
        self._reads: OrderedDict[tuple[str, str | None], frozenset[str]] = OrderedDict()
        self._messages: OrderedDict[tuple[Any, ...], list[str]] = OrderedDict()

    def errors(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        variables: Mapping[str, Any],
        operation_name: str | None,
        limits: QueryLimits,
    ) -> list[GraphQLError]:
        operation = (query, operation_name)
        names = self._reads.get(operation)
        key: tuple[Any, ...] | None = None if names is None else (operation, *_values(variables, names))
        messages = self._messages.get(key) if key is not None else None
        if key is None or messages is None:
            messages, names = budget_of(schema, document, variables, operation_name, limits)
            key = (operation, *_values(variables, names))
            _keep(self._reads, operation, names, self.maxsize)
            _keep(self._messages, key, messages, self.maxsize)
        else:
            self._messages.move_to_end(key)
        return _errors(messages)


def _values(variables: Mapping[str, Any], names: frozenset[str]) -> list[str | None]:
    """The values of ``names``, told apart from their absence (then `first` has its default)."""
    return [repr(variables[name]) if name in variables else None for name in sorted(names)]


def _keep(kept: OrderedDict[Any, Any], key: Any, value: Any, maxsize: int) -> None:
    kept[key] = value
    kept.move_to_end(key)
    if len(kept) > maxsize:
        kept.popitem(last=False)


class Parsing(SchemaExtension):
    """Parsing with at most ``max_tokens`` tokens, each document once per process (``parse`` is a cache made
    once per schema, api.root); a syntax error gets the code of a validation error.

    A document that does not parse is left to strawberry, which parses it again with the same token limit
    where its errors become the operation's errors (over HTTP and both websocket protocols alike); raised
    here, before strawberry's own parsing, a syntax error escaped its handling on websockets. Nothing is
    kept past parsing: strawberry's ParserCache and MaxTokensLimiter, or an ``on_operation`` hook, would keep
    a suspended generator for the whole life of every open subscription."""

    def __init__(self, *, max_tokens: int, parse: Callable[..., DocumentNode]) -> None:
        self.max_tokens = max_tokens
        self.parse = parse

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        if context.query is not None:
            with contextlib.suppress(GraphQLSyntaxError):
                context.graphql_document = self.parse(context.query, max_tokens=self.max_tokens)
        yield
        for error in context.pre_execution_errors or ():
            if isinstance(error, GraphQLSyntaxError):
                error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}


class Validation(SchemaExtension):
    """Validation with the API's limits, each document once.

    The limits are checked first, in time linear in the document (api.document_shape); a document past
    one of them is not given to graphql-core's rules, some of which cost more than linear time. A document
    that passed is not validated again: later operations of it check only the node budget, which depends on
    their variables and which strawberry's own ValidationCache would skip; with ``budgets``, each budget is
    counted once for the values of the variables it depends on (``Budgets``). Keeps ``maxsize`` documents,
    least recently used go first.
    """

    def __init__(
        self,
        *,
        limits: QueryLimits,
        valid: OrderedDict[str, None],
        maxsize: int = 1000,
        budgets: Budgets | None = None,
    ) -> None:
        self.limits = limits
        self.valid = valid
        self.maxsize = maxsize
        self.budgets = budgets

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        if document is not None and unnamed_choice(document, context._provided_operation_name):
            context.pre_execution_errors = [
                GraphQLError(MULTIPLE_OPERATIONS, extensions={"code": UNKNOWN_OPERATION})
            ]
            yield
            return
        if document is not None:
            known = query is not None and query in self.valid
            if known and query is not None:
                self.valid.move_to_end(query)
            errors = [] if known else shape_errors(document, self.limits)
            if not errors:
                variables = context.variables or {}
                schema = context.schema._schema
                if known and query is not None and self.budgets is not None:
                    errors = self.budgets.errors(
                        schema, query, document, variables, context.operation_name, self.limits
                    )
                else:
                    errors = _errors(
                        budget_of(schema, document, variables, context.operation_name, self.limits)[0]
                    )
            if errors or known:
                context.pre_execution_errors = errors
        yield
        if query is not None and context.pre_execution_errors == [] and query not in self.valid:
            self.valid[query] = None
            if len(self.valid) > self.maxsize:
                self.valid.popitem(last=False)
