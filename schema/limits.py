"""The query limits: parsing with a token limit (each document once), validation with the depth, alias and
node-budget rules (each document once) and page sizes.

The node budget is the number of objects a query can return at most: every `first` multiplies the
objects of the connection it pages by the number of parents it is asked for (50 tickets x 100 comments is
5,000 nodes). Defaults of `first` count when the argument is omitted. The check runs on the parsed
document with its variables, before anything is executed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    value_from_ast,
)
from strawberry.extensions import SchemaExtension

from schema.masking import VALIDATION_FAILED


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page = max_page
        self.errors: list[str] = []

    def first_of(self, field: FieldNode, definition: GraphQLField) -> int | None:
        argument_type = definition.args.get("first")
        if argument_type is None:
            return None
        for argument in field.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value, argument_type.default_value)
                else:
                    value = value_from_ast(argument.value, argument_type.type, dict(self.variables))
                break
        else:
            value = argument_type.default_value
        return value if isinstance(value, int) else None

    def nodes(
        self, selections: SelectionSetNode | None, parent: Any, multiplier: int, seen: frozenset[str]
    ) -> int:
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field_nodes(selection, parent, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.nodes(selection.selection_set, target, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.nodes(fragment.selection_set, target, multiplier, seen | {name})
        return total

    def field_nodes(self, field: FieldNode, parent: Any, multiplier: int, seen: frozenset[str]) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return 0
        first = self.first_of(field, definition)
        if first is not None:
            if not 0 <= first <= self.max_page:
                self.errors.append(
                    f"`first` on `{field.name.value}` must be between 0 and {self.max_page} (got {first})."
                )
                first = max(0, min(first, self.max_page))
            multiplier *= first
        own = multiplier if first is not None else 0
        return own + self.nodes(field.selection_set, get_named_type(definition.type), multiplier, seen)


def count_nodes(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    max_page: int,
) -> tuple[int, list[str]]:
    root = schema.get_root_type(operation.operation)
    walk = _Walk(schema, fragments, variables, max_page)
    total = walk.nodes(operation.selection_set, root, 1, frozenset())
    return total, walk.errors


_OPERATION: ContextVar[tuple[Mapping[str, Any], str | None]] = ContextVar("node_budget_operation")
"""The variables and operation name of the operation being validated (set by Validation.on_validate)."""


def budget_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any],
    operation_name: str | None,
    max_page: int,
    max_nodes: int,
) -> list[GraphQLError]:
    """The page-size and node-budget errors of the operation to run, with its variables."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return []
    total, errors = count_nodes(schema, operations[0], fragments, variables, max_page)
    if total > max_nodes:
        errors.append(
            f"This query could return {total} nodes; the limit is {max_nodes}. "
            "Ask for smaller pages (`first`) or fewer nested connections."
        )
    return [GraphQLError(message, extensions={"code": "QUERY_TOO_LARGE"}) for message in errors]


def node_budget_rule(max_page: int, max_nodes: int) -> type[ValidationRule]:
    """The node-budget rule of a schema: refuses a `first` above the page limit or a query that could return
    too many nodes, for the operation being validated (made once per schema, it reads the operation's
    variables from ``_OPERATION``)."""

    def errors_for(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        variables, operation_name = _OPERATION.get()
        return budget_errors(schema, document, variables, operation_name, max_page, max_nodes)

    class NodeBudgetRule(ValidationRule):
        per_operation = staticmethod(errors_for)
        """It depends on the variables: Validation runs it for every operation of a known document."""

        def __init__(self, validation_context: ValidationContext) -> None:
            super().__init__(validation_context)
            for error in errors_for(validation_context.schema, validation_context.document):
                validation_context.report_error(error)

    return NodeBudgetRule


class Parsing(SchemaExtension):
    """Parsing with at most ``max_tokens`` tokens, each document once per process (``parse`` is a cache made
    once per schema, schema.root); a syntax error gets the code of a validation error. All of it happens in
    ``on_parse``: strawberry's ParserCache and MaxTokensLimiter, and an ``on_operation`` hook labelling the
    error as it leaves, would keep a suspended generator for the whole life of every open subscription."""

    def __init__(self, *, max_tokens: int, parse: Callable[..., DocumentNode]) -> None:
        self.max_tokens = max_tokens
        self.parse = parse

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.parse(context.query, max_tokens=self.max_tokens)
        except GraphQLSyntaxError as error:
            error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}
            raise
        yield


class Validation(SchemaExtension):
    """Validation with the API's limits (``rules``: depth, aliases, the node budget), each document once.

    A document that passed is not validated again: later operations of it run only the rules that depend
    on their variables (``per_operation``: the node budget), which strawberry's own ValidationCache would
    skip. Keeps ``maxsize`` documents, least recently used go first. The rule classes are made once per
    schema (schema.root): made per operation, as strawberry's limiters make theirs, they would be kept
    with the rest of the operation's validation by every open subscription.
    """

    def __init__(
        self,
        *,
        rules: tuple[type[ASTValidationRule], ...],
        valid: OrderedDict[str, None],
        maxsize: int = 1000,
    ) -> None:
        self.rules = rules
        self.valid = valid
        self.maxsize = maxsize

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        token = _OPERATION.set((context.variables or {}, context.operation_name))
        try:
            query = context.query
            if query is not None and query in self.valid and context.graphql_document is not None:
                self.valid.move_to_end(query)
                schema, document = context.schema._schema, context.graphql_document
                checks = [getattr(rule, "per_operation", None) for rule in self.rules]
                context.pre_execution_errors = [
                    e for check in checks if check for e in check(schema, document)
                ]
            yield
            if query is not None and context.pre_execution_errors == [] and query not in self.valid:
                self.valid[query] = None
                if len(self.valid) > self.maxsize:
                    self.valid.popitem(last=False)
        finally:
            _OPERATION.reset(token)
