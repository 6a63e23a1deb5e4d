"""The shape of a document: depth, aliases, fields once its fragments are spread, the work of checking its
overlapping fields, and its node budget; each fragment measured once, so the cost is linear in the document.

graphql-core's rules and strawberry's depth and alias limiters expand a fragment spread afresh at every use:
a 600-byte document of fragments that each spread the previous one three times is 3^n work. Here a spread
adds its fragment's measure, computed the first time it is needed. A fragment spread inside itself (a cycle,
refused by graphql-core's own rules) measures 0 on the way round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast,
)


@dataclass
class Measure:
    """What one selection set holds once its fragments are spread."""

    depth: int = 0
    """Strawberry's depth: a field with a selection counts 1 more than its deepest child; introspection
    fields and leaves count 0."""
    aliases: int = 0
    fields: int = 0
    names: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per response name at this level: how many fields answer to it, and the fields they hold in all."""
    overlap: int = 0
    """An estimate of the comparisons graphql-core's OverlappingFieldsCanBeMerged makes: every pair of
    fields of one response name compares their selections."""

    def add(self, other: Measure) -> None:
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases
        self.fields += other.fields
        self.overlap += other.overlap
        for name, (count, size) in other.names.items():
            known_count, known_size = self.names.get(name, (0, 0))
            self.names[name] = (known_count + count, known_size + size)


class _Memo:
    """Measures of selections under fragments remembered by fragment name."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.done: dict[str, Any] = {}
        self.running: set[str] = set()

    def of(self, name: str, measure: Callable[[FragmentDefinitionNode], Any], empty: Any) -> Any:
        if name in self.done:
            return self.done[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.running:
            return empty
        self.running.add(name)
        try:
            result = self.done[name] = measure(fragment)
        finally:
            self.running.discard(name)
        return result


def fragments_of(definitions: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}


def measure(
    operations: list[OperationDefinitionNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> dict[str, Measure]:
    """Each operation's measure, by name ('anonymous' without one)."""
    memo = _Memo(fragments)

    def selection_set(selections: SelectionSetNode | None) -> Measure:
        total = Measure()
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total.add(field_measure(selection))
            elif isinstance(selection, InlineFragmentNode):
                total.add(selection_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                total.add(memo.of(selection.name.value, lambda f: selection_set(f.selection_set), Measure()))
        for count, size in total.names.values():
            total.overlap += (count - 1) * size // 2
        return total

    def field_measure(node: FieldNode) -> Measure:
        inner = selection_set(node.selection_set)
        leaf = node.selection_set is None or node.name.value.startswith("__")
        size = inner.fields + 1
        return Measure(
            depth=0 if leaf else inner.depth + 1,
            aliases=inner.aliases + (1 if node.alias else 0),
            fields=size,
            names={(node.alias or node.name).value: (1, size)},
            overlap=inner.overlap,
        )

    return {
        (operation.name.value if operation.name else "anonymous"): selection_set(operation.selection_set)
        for operation in operations
    }


FIELD_COSTS: Mapping[tuple[str, str], int] = {
    ("Query", "ticketCounts"): 1_000,
    ("Query", "ticketMetrics"): 2_000,
}
"""Nodes a field costs by itself: the aggregates read many rows to return a few (each such field of the
operation counts, aliases included), so that one query holds a bounded number of them."""


class NodeBudget:
    """The most objects an operation can return: every `first` (its default when omitted) multiplies the
    objects of the connection it pages by the number of parents it is asked for. Counted for one parent and
    multiplied, so each fragment is counted once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.max_page = max_page
        self.errors: list[str] = []
        self.read: set[str] = set()
        """The variables the budget depends on (those given to `first`)."""
        self._memo = _Memo(fragments)

    def of(self, operation: OperationDefinitionNode) -> int:
        return self._nodes(operation.selection_set, self.schema.get_root_type(operation.operation))

    def _first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        argument_type = definition.args.get("first")
        if argument_type is None:
            return None
        for argument in node.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, VariableNode):
                    self.read.add(argument.value.name.value)
                    value = self.variables.get(argument.value.name.value, argument_type.default_value)
                else:
                    value = value_from_ast(argument.value, argument_type.type, dict(self.variables))
                break
        else:
            value = argument_type.default_value
        if not isinstance(value, int):
            return None
        if not 0 <= value <= self.max_page:
            error = f"`first` on `{node.name.value}` must be between 0 and {self.max_page} (got {value})."
            if error not in self.errors:
                self.errors.append(error)
            return max(0, min(value, self.max_page))
        return value

    def _nodes(self, selections: SelectionSetNode | None, parent: GraphQLNamedType | None) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self._nodes(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._memo.of(selection.name.value, self._fragment, 0)
        return total

    def _fragment(self, fragment: FragmentDefinitionNode) -> int:
        return self._nodes(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value))

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        inner = self._nodes(node.selection_set, get_named_type(definition.type))
        first = self._first(node, definition)
        cost = FIELD_COSTS.get((parent.name, node.name.value), 0)
        return cost + (inner if first is None else first * (1 + inner))
