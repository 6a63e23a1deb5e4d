"""Plain leaves: a field without arguments or resolver whose type is a scalar or an enum (``title``,
``createdAt``, ``name``: three quarters of the fields of a ticket page) can be read and serialized by the
executor itself (api.execution), without the resolve info, resolver wrapper and completion steps
graphql-core spends on every field.

Plain fields are the same without the leaf type: any field without arguments or resolver (``edges``,
``node``, ``pageInfo``, an SLA clock), or a resolver field whose value its page read up front (PRELOADED:
a comment's author and files, an activity row's actor), is read from its attribute, and graphql-core
completes the value as usual, without the resolver wrapper; and a plain leaf whose value is null is null
without completion when its type allows it.
"""

from __future__ import annotations

from typing import Any, Protocol

from graphql import GraphQLField, GraphQLNonNull, is_leaf_type
from strawberry.schema.schema_converter import CustomGraphQLEnumType

PLAIN_LEAF = "deskql-plain-leaf"
"""The key in a GraphQLField's extensions under which its plain-leaf reading is remembered."""
PLAIN_FIELD = "deskql-plain-field"
ENUM_NAMES = "deskql-enum-names"
"""The key in an enum type's extensions under which its EnumNames are kept."""
PRELOADED = "deskql-preloaded"
"""The key in a resolver field's metadata naming the attribute that holds its value when it was read up
front (a page's authors and files): then the field is plain, and the resolver runs only for NOT_READ."""
MISSING = object()
NOT_READ: Any = object()
"""A preloaded value that was not read: the field's resolver reads it through its loader."""


def leaf_size(value: Any) -> int:
    """What a completed leaf counts toward an answer's size budget (api.execution)."""
    return len(value) + 2 if isinstance(value, str) else 8


def plain_leaf(field: GraphQLField) -> tuple[str, Serializer] | None:
    """The attribute and leaf type of a plain leaf field, or None; worked out once per field."""
    if PLAIN_LEAF not in field.extensions:
        definition = field.extensions.get("strawberry-definition")
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        plain = definition is not None and definition.is_basic_field and not field.args and is_leaf_type(leaf)
        field.extensions[PLAIN_LEAF] = (
            (definition.python_name, serializer(leaf)) if plain and definition else None
        )
    found: tuple[str, Serializer] | None = field.extensions[PLAIN_LEAF]
    return found


class Serializer(Protocol):
    def coerce_output_value(self, value: Any) -> Any: ...


def serializer(leaf: Any) -> Serializer:
    """What serializes a leaf's values as ``leaf.coerce_output_value`` does: the type itself, or for one of
    Strawberry's enums, ``EnumNames``; one per type."""
    if not isinstance(leaf, CustomGraphQLEnumType):
        return leaf
    if ENUM_NAMES not in leaf.extensions:
        leaf.extensions[ENUM_NAMES] = EnumNames(leaf)
    names: EnumNames = leaf.extensions[ENUM_NAMES]
    return names


class EnumNames:
    """A Strawberry enum's ``coerce_output_value`` with the name of each member kept once found: Strawberry
    looks for it among the type's values, reading each value's ``.value`` (an enum property, slow), for
    every value it serializes."""

    def __init__(self, leaf: CustomGraphQLEnumType) -> None:
        self.leaf = leaf
        self.members = leaf.wrapped_cls
        self.names: dict[Any, str] = {}

    def coerce_output_value(self, value: Any) -> str:
        if type(value) is not self.members:
            return self.leaf.coerce_output_value(value)
        name = self.names.get(value)
        if name is None:
            name = self.names[value] = self.leaf.coerce_output_value(value)
        return name


def plain_field(field: GraphQLField) -> str | None:
    """The attribute of a field without arguments or resolver, of any type, or of a resolver field's
    preloaded value (PRELOADED), or None; worked out once per field."""
    if PLAIN_FIELD not in field.extensions:
        definition = field.extensions.get("strawberry-definition")
        attribute = None
        if definition is not None and not field.args:
            preloaded = (definition.metadata or {}).get(PRELOADED)
            attribute = definition.python_name if definition.is_basic_field else preloaded
        field.extensions[PLAIN_FIELD] = attribute
    found: str | None = field.extensions[PLAIN_FIELD]
    return found
