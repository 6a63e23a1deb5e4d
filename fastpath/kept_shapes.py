"""Plain shapes kept across operations: the shapes of a document's selections (fastpath.plain_objects) are
worked out by its first operation and reused by the next ones with the same document (a client asks the
same ticket page again and again; the parsed document is kept by api.root's parse cache).

A shape depends only on the schema, the object type and the selection's field nodes, unless the document
holds a directive (``@skip(if: $var)``, ``@include``, ``@defer``, ``@stream``) or fragment arguments, which
make the selection depend on the variables: such a document's shapes are kept for its operation only.
Kept shapes hold the nodes they are keyed by (the operation and its fragments), so that no id is reused
while they are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode
from graphql.execution.collect_fields import FieldDetails

KEPT_OPERATIONS = 500
"""Operations whose shapes are kept (each a few kilobytes); the least recently used goes first."""

_kept: OrderedDict[tuple[int, int], tuple[Any, Any, Any, dict[Hashable, Any]]] = OrderedDict()


def shapes_of(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, Any],
) -> dict[Hashable, Any]:
    """Where an operation's shapes are kept: with the other operations of its document and schema when it
    holds no directive nor fragment arguments, else for this operation only. ``fragments`` (the executor's,
    by name) are kept with them: their nodes are the document's."""
    location = operation.loc
    if location is None or "@" in location.source.body or "(" in _spreads(location.source.body):
        return {}
    key = (id(schema), id(operation))
    found = _kept.get(key)
    if found is None:
        found = _kept[key] = (schema, operation, fragments, {})
        if len(_kept) > KEPT_OPERATIONS:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
    return found[3]


def _spreads(body: str) -> str:
    """What follows each ``...`` of a document up to the next brace: fragment arguments would show there."""
    return "".join(part.split("{", 1)[0] for part in body.split("...")[1:])


def key_of(name: str, field_details_list: Sequence[FieldDetails]) -> Hashable:
    """A selection's key: the type or list it completes and its field nodes."""
    if len(field_details_list) == 1:
        return (name, id(field_details_list[0].node))
    return (name, *[id(details.node) for details in field_details_list])
