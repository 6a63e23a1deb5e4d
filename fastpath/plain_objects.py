"""Plain objects: an object whose selection asks only for plain leaves, ``__typename`` and further plain
objects (a dashboard's count group: ``count status { id name } assignee { id name }``) is completed by the
executor (api.execution) in one loop, without graphql-core's paths, resolve infos and per-field steps; and
in a list, an object met again under the same selection (the status that forty groups share) is completed
once and its answer reused.

Anything out of the ordinary (a null where the type forbids one, a value that does not serialize, an object
of another class than the type's own, a value not read) makes ``complete`` give None, and the executor
completes the value graphql-core's way, which gives the usual answer and errors; nothing is spent or kept
from the attempt (tests/test_execution.py compares both ways).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLLeafType, GraphQLNonNull, GraphQLObjectType
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Undefined
from strawberry.types.cast import get_strawberry_type_cast

from fastpath.plain_leaves import MISSING, NOT_READ, leaf_size, plain_field, plain_leaf

TYPENAME = "__typename"


@dataclass(frozen=True, eq=False)
class Shape:
    """What to read of an object of one class for one selection: per response name, the attribute and
    either the leaf type that serializes it or the shape of the object it holds."""

    origin: type
    typename: str
    fields: tuple[tuple[str, str, GraphQLLeafType | None, Shape | None, bool], ...]
    """(response name, attribute or TYPENAME, leaf type, nested shape, nullable)."""


Completed = tuple[Any, int]
"""An answer and the bytes it counts toward the response budget (``leaf_size``)."""


def shape_of(
    executor: Any, object_type: GraphQLObjectType, field_details_list: Sequence[FieldDetails]
) -> Shape | None:
    """The shape of the selection ``field_details_list`` asks of ``object_type``, or None where it holds
    anything but plain leaves, ``__typename`` and plain objects without arguments, directives or deferred
    parts; ``executor.plain_shape`` keeps it per selection."""
    definition = object_type.extensions.get("strawberry-definition")
    if definition is None or definition.is_type_of is not None or definition.concrete_of is not None:
        return None
    if any(
        details.node.directives or details.defer_usage or details.fragment_variable_values
        for details in field_details_list
    ):
        return None
    collected = executor.collect_subfields(object_type, field_details_list)
    if collected.new_defer_usages:
        return None
    fields: list[tuple[str, str, GraphQLLeafType | None, Shape | None, bool]] = []
    for response_name, details_list in collected.grouped_field_set.items():
        node = details_list[0].node
        name = node.name.value
        if node.arguments or any(details.defer_usage for details in details_list):
            return None
        if name == TYPENAME:
            fields.append((response_name, TYPENAME, None, None, False))
            continue
        field = object_type.fields.get(name)
        if field is None:
            return None
        nullable = not isinstance(field.type, GraphQLNonNull)
        leaf = plain_leaf(field)
        if leaf is not None:
            fields.append((response_name, leaf[0], leaf[1], None, nullable))
            continue
        attribute = plain_field(field)
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if attribute is None or not isinstance(inner, GraphQLObjectType):
            return None
        nested = executor.plain_shape(inner, details_list)
        if nested is None:
            return None
        fields.append((response_name, attribute, None, nested, nullable))
    return Shape(definition.origin, object_type.name, tuple(fields))


def complete(
    shape: Shape, source: Any, seen: dict[tuple[int, int], tuple[Any, int, Any]]
) -> Completed | None:
    """The answer of ``source`` for ``shape`` and its size, or None: complete it graphql-core's way.
    ``seen`` holds the objects completed before in the same list (with the object, so its id stays its own)."""
    if type(source) is not shape.origin or get_strawberry_type_cast(source) is not None:
        return None
    answer: dict[str, Any] = {}
    size = 0
    for response_name, attribute, leaf, nested, nullable in shape.fields:
        if attribute is TYPENAME:
            answer[response_name] = shape.typename
            size += leaf_size(shape.typename)
            continue
        value = getattr(source, attribute, MISSING)
        if value is None:
            if not nullable:
                return None
            answer[response_name] = None
        elif value is MISSING or value is NOT_READ:
            return None
        elif leaf is not None:
            try:
                serialized = leaf.coerce_output_value(value)
            except Exception:  # graphql-core's way turns it into the field's error
                return None
            if serialized is None or serialized is Undefined:
                return None
            answer[response_name] = serialized
            size += leaf_size(serialized)
        else:
            assert nested is not None
            key = (id(nested), id(value))
            found = seen.get(key)
            if found is None:
                done = complete(nested, value, seen)
                if done is None:
                    return None
                found = seen[key] = (done[0], done[1], value)
            answer[response_name] = found[0]
            size += found[1]
    return answer, size


def complete_list(shape: Shape, items: Sequence[Any], non_null: bool) -> Completed | None:
    """The answers of a list of objects of ``shape`` (None items allowed unless ``non_null``), or None."""
    seen: dict[tuple[int, int], tuple[Any, int, Any]] = {}
    answers: list[Any] = []
    size = 0
    for item in items:
        if item is None:
            if non_null:
                return None
            answers.append(None)
            continue
        done = complete(shape, item, seen)
        if done is None:
            return None
        answers.append(done[0])
        size += done[1]
    return answers, size
