"""The project's own promises: the exported schema, the migrations and the schema's manual are current."""

from __future__ import annotations

import ast
from pathlib import Path

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from api.root import build_schema
from app.migrations_check import pending_operations
from app.schema_files import possible_types_json
from resolvers.nodes import SOURCES


def test_schema_graphql_is_the_exported_schema(repository_root: Path) -> None:
    exported = build_schema().as_str() + "\n"
    assert (repository_root / "schema.graphql").read_text() == exported, (
        "run `make schema` and commit schema.graphql"
    )


def test_possible_types_json_is_the_exported_one(repository_root: Path) -> None:
    assert (repository_root / "possible-types.json").read_text() == possible_types_json(), (
        "run `make schema` and commit possible-types.json"
    )


def test_every_type_field_and_argument_has_a_description() -> None:
    schema = build_schema()._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID", "DateTime", "Date"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for argument_name, argument in getattr(field, "args", {}).items():
                    if not argument.description:
                        missing.append(f"{name}.{field_name}({argument_name})")
    assert missing == []


def test_node_finds_every_type_with_a_global_id() -> None:
    schema = build_schema()._schema
    nodes = {
        name
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and any(i.name == "Node" for i in graphql_type.interfaces)
    }
    assert sorted(nodes - set(SOURCES)) == []


async def test_the_migrations_match_the_models() -> None:
    assert await pending_operations() == [], "run `make migrations` and commit the new migration"


def test_no_model_docstring_holds_a_semicolon(repository_root: Path) -> None:
    """Tortoise's SQLite schema editor splits statements on ';', and docstrings become table comments."""
    for path in (repository_root / "models").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", "") == "Model" for base in node.bases
            ):
                docstring = ast.get_docstring(node) or ""
                assert ";" not in docstring, f"{path.name}:{node.name}"
