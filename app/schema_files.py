"""The files `make schema` writes from the code, for clients and their tools.

- ``schema.graphql``: the SDL (graphql-codegen, graphql-inspector, editors).
- ``possible-types.json``: Apollo Client's ``possibleTypes`` (``new InMemoryCache({possibleTypes})``): every
  interface and union with the object types that can stand for it, sorted. Without it Apollo's cache
  cannot match a fragment on an interface or a union (``... on Error { message code }``) and reads nothing.
"""

from __future__ import annotations

import json

from graphql import GraphQLInterfaceType, GraphQLUnionType

from api.root import build_schema


def sdl() -> str:
    return build_schema().as_str() + "\n"


def possible_types() -> dict[str, list[str]]:
    schema = build_schema()._schema
    return {
        name: sorted(possible.name for possible in schema.get_possible_types(abstract))
        for name, abstract in sorted(schema.type_map.items())
        if isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType) and not name.startswith("__")
    }


def possible_types_json() -> str:
    return json.dumps(possible_types(), indent=2) + "\n"
