"""Plain leaves: a field without arguments or resolver whose type is a scalar or an enum (``title``,
``createdAt``, ``name``: three quarters of the fields of a ticket page) can be read and serialized by the
executor itself (api.execution), without the resolve info, resolver wrapper and completion steps
graphql-core spends on every field."""

from __future__ import annotations

from graphql import GraphQLField, GraphQLLeafType, GraphQLNonNull, is_leaf_type

PLAIN_LEAF = "deskql-plain-leaf"
"""The key in a GraphQLField's extensions under which its plain-leaf reading is remembered."""


def plain_leaf(field: GraphQLField) -> tuple[str, GraphQLLeafType] | None:
    """The attribute and leaf type of a plain leaf field, or None; worked out once per field."""
    if PLAIN_LEAF not in field.extensions:
        definition = field.extensions.get("strawberry-definition")
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        plain = definition is not None and definition.is_basic_field and not field.args and is_leaf_type(leaf)
        field.extensions[PLAIN_LEAF] = (definition.python_name, leaf) if plain and definition else None
    found: tuple[str, GraphQLLeafType] | None = field.extensions[PLAIN_LEAF]
    return found
