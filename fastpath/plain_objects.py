"""Plain objects: an object whose selection asks only for plain leaves, ``__typename``, further plain
objects, lists of them and members of a union or an interface (a comment: ``id body createdAt author {
... on Technician { name } } attachments { filename size }``; a dashboard's count group: ``count status
{ id name }``) is completed by the executor (api.execution) in one loop, without graphql-core's paths,
resolve infos and per-field steps; and an object met again under the same selection in the same list (the
status that forty groups share, the author of twenty comments) is completed once and its answer reused.

An object is of its type's class exactly (not a subclass, not a ``strawberry.cast``), or of the generic class
of a specialization (an ``Edge`` for ``CommentEdge``). A member of a union or an interface is known from its
class, as Strawberry knows it: the possible type whose class the value is exactly (never a specialization of
a generic) and whose selection is plain.

Anything out of the ordinary (a null where the type forbids one, a value that does not serialize, an object
of another class than the type's own, a list that is not a list, a value not read) makes ``complete`` give
None, and the executor completes the value graphql-core's way, which gives the usual answer and errors;
nothing is spent or kept from the attempt (tests/test_execution.py compares both ways).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Undefined
from strawberry.types.cast import get_strawberry_type_cast

from fastpath.plain_leaves import MISSING, NOT_READ, leaf_size, plain_field, plain_leaf, serializer

TYPENAME = "__typename"
MOST_MEMBERS = 8
"""An abstract type with more possible types than this (``Node``) is left to graphql-core: working out
each member's shape would cost more per operation than it saves."""
LEAF, OBJECT, MEMBER, LIST = range(4)
"""What a field holds: a leaf, an object of one type, a member of a union or interface, a list."""


@dataclass(frozen=True, eq=False)
class Shape:
    """What to read of an object of one class for one selection: per response name, the attribute and
    what it holds."""

    origin: type
    typename: str
    fields: tuple[tuple[str, str, int, Any, bool], ...]
    """(response name, attribute or TYPENAME, LEAF/OBJECT/MEMBER/LIST, what completes it, nullable): a
    leaf type, a Shape, Members or Items."""
    generic: type | None = None
    """The generic class of a specialization (``Edge`` of ``CommentEdge``): its objects are of that class."""


@dataclass(frozen=True, eq=False)
class Members:
    """The shapes of an abstract type's members, by their class."""

    by_class: dict[type, Shape]


@dataclass(frozen=True, eq=False)
class Items:
    """A list's items: what they hold (LEAF/OBJECT/MEMBER), what completes them, whether they may be null."""

    kind: int
    of: Any
    nullable: bool


Completed = tuple[Any, int]
"""An answer and the bytes it counts toward the response budget (``leaf_size``)."""
Seen = dict[tuple[int, int], tuple[Any, int, Any]]
"""The objects completed before in the same list (with the object, so its id stays its own)."""


def _plain_details(field_details_list: Sequence[FieldDetails]) -> bool:
    return not any(
        details.node.directives or details.defer_usage or details.fragment_variable_values
        for details in field_details_list
    )


def shape_of(
    executor: Any, object_type: GraphQLObjectType, field_details_list: Sequence[FieldDetails]
) -> Shape | None:
    """The shape of the selection ``field_details_list`` asks of ``object_type``, or None where it holds
    anything but plain leaves, ``__typename``, and plain objects, members and lists without arguments,
    directives or deferred parts; ``executor.plain_shape`` keeps it per selection."""
    definition = object_type.extensions.get("strawberry-definition")
    if definition is None or definition.is_type_of is not None:
        return None
    if not _plain_details(field_details_list):
        return None
    collected = executor.collect_subfields(object_type, field_details_list)
    if collected.new_defer_usages:
        return None
    fields: list[tuple[str, str, int, Any, bool]] = []
    for response_name, details_list in collected.grouped_field_set.items():
        node = details_list[0].node
        name = node.name.value
        if node.arguments or any(details.defer_usage for details in details_list):
            return None
        if name == TYPENAME:
            fields.append((response_name, TYPENAME, LEAF, None, False))
            continue
        field = object_type.fields.get(name)
        if field is None:
            return None
        nullable = not isinstance(field.type, GraphQLNonNull)
        leaf = plain_leaf(field)
        if leaf is not None:
            fields.append((response_name, leaf[0], LEAF, leaf[1], nullable))
            continue
        attribute = plain_field(field)
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        held = kind_of(executor, inner, details_list) if attribute is not None else None
        if held is None:
            return None
        fields.append((response_name, attribute, held[0], held[1], nullable))  # type: ignore[arg-type]
    generic = definition.concrete_of.origin if definition.concrete_of is not None else None
    return Shape(definition.origin, object_type.name, tuple(fields), generic)


def kind_of(
    executor: Any, nullable_type: GraphQLOutputType, details_list: Sequence[FieldDetails]
) -> tuple[int, Any] | None:
    """What completes a value of ``nullable_type`` for this selection in one loop, or None."""
    if isinstance(nullable_type, GraphQLObjectType):
        shape = executor.plain_shape(nullable_type, details_list)
        return None if shape is None else (OBJECT, shape)
    if isinstance(nullable_type, GraphQLUnionType | GraphQLInterfaceType):
        members = members_of(executor, nullable_type, details_list)
        return None if members is None else (MEMBER, members)
    if isinstance(nullable_type, GraphQLList):
        if not _plain_details(details_list):  # @stream
            return None
        item = nullable_type.of_type
        inner = item.of_type if isinstance(item, GraphQLNonNull) else item
        if isinstance(inner, GraphQLList):
            return None
        held = (LEAF, serializer(inner)) if is_leaf_type(inner) else kind_of(executor, inner, details_list)
        return None if held is None else (LIST, Items(held[0], held[1], inner is item))
    return None


def _strawberry_resolves(abstract: GraphQLUnionType | GraphQLInterfaceType) -> bool:
    """Whether Strawberry's own type resolver picks the member (not one the schema's author wrote)."""
    if isinstance(abstract, GraphQLUnionType):
        return getattr(abstract.resolve_type, "__name__", None) == "_resolve_union_type"
    definition = abstract.extensions.get("strawberry-definition")
    return definition is not None and definition.resolve_type is None


def members_of(
    executor: Any, abstract: GraphQLUnionType | GraphQLInterfaceType, details_list: Sequence[FieldDetails]
) -> Members | None:
    """The plain shapes of the members of ``abstract`` for this selection, by class, or None. A member
    whose selection is not plain is left out: its values are completed graphql-core's way."""
    if not _strawberry_resolves(abstract) or not _plain_details(details_list):
        return None
    possible = executor.schema.get_possible_types(abstract)
    if len(possible) > MOST_MEMBERS:
        return None
    interface = (
        abstract.extensions.get("strawberry-definition")
        if isinstance(abstract, GraphQLInterfaceType)
        else None
    )
    by_class: dict[type, Shape] = {}
    for member in possible:
        shape = executor.plain_shape(member, details_list)
        if shape is None or shape.generic is not None or shape.origin in by_class:
            continue
        if interface is not None and not issubclass(shape.origin, interface.origin):
            continue
        by_class[shape.origin] = shape
    return Members(by_class) if by_class else None


def complete(shape: Shape, source: Any, seen: Seen) -> Completed | None:
    """The answer of ``source`` for ``shape`` and its size, or None: complete it graphql-core's way."""
    cls = type(source)
    if (cls is not shape.origin and cls is not shape.generic) or get_strawberry_type_cast(source) is not None:
        return None
    answer: dict[str, Any] = {}
    size = 0
    for response_name, attribute, kind, of, nullable in shape.fields:
        if attribute is TYPENAME:
            answer[response_name] = shape.typename
            size += leaf_size(shape.typename)
            continue
        value = getattr(source, attribute, MISSING)
        if value is None:
            if not nullable:
                return None
            answer[response_name] = None
            continue
        if value is MISSING or value is NOT_READ:
            return None
        done = _serialized(of, value) if kind == LEAF else _held(kind, of, value, seen)
        if done is None:
            return None
        answer[response_name] = done[0]
        size += done[1]
    return answer, size


def _serialized(leaf: Any, value: Any) -> Completed | None:
    """A leaf's value serialized, or None where graphql-core's way gives an error."""
    try:
        serialized = leaf.coerce_output_value(value)
    except Exception:  # graphql-core's way turns it into the field's error
        return None
    if serialized is None or serialized is Undefined:
        return None
    return serialized, leaf_size(serialized)


def _held(kind: int, of: Any, value: Any, seen: Seen) -> Completed | None:
    """The answer of a value that is not null, of what ``kind`` and ``of`` say it holds, or None."""
    if kind == LEAF:
        return _serialized(of, value)
    if kind == LIST:
        return complete_items(of, value, seen)
    if kind == MEMBER:
        of = of.by_class.get(type(value))
        if of is None:
            return None
    key = (id(of), id(value))
    found = seen.get(key)
    if found is None:
        done = complete(of, value, seen)
        if done is None:
            return None
        found = seen[key] = (done[0], done[1], value)
    return found[0], found[1]


def complete_items(items: Items, values: Any, seen: Seen) -> Completed | None:
    """The answers of a list's items (a list or a tuple, nothing else), or None."""
    if not isinstance(values, list | tuple):
        return None
    answers: list[Any] = []
    size = 0
    kind, of, nullable = items.kind, items.of, items.nullable
    for value in values:
        if value is None:
            if not nullable:
                return None
            answers.append(None)
            continue
        done = _held(kind, of, value, seen)
        if done is None:
            return None
        answers.append(done[0])
        size += done[1]
    return answers, size
