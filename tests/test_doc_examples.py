"""The GraphQL examples of the README and docs/ are valid against the schema, and every object they select
that has an `id` asks for it (so that a normalising cache such as Apollo Client's keeps one copy of each)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    LoneAnonymousOperationRule,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    specified_rules,
    validate,
    visit,
)

from api.root import build_schema

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
QUERY_IN_CODE = re.compile(r"""["'`]((?:query|mutation|subscription)\b[^"'`]*\{[^"'`]*)["'`]""")
"""A document in a string of a curl or JavaScript example."""
RULES = [rule for rule in specified_rules if rule is not LoneAnonymousOperationRule]
"""A block may list several anonymous operations, one a line, as a sequence of calls."""


def examples() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for language, block in FENCE.findall(page.read_text()):
            documents = [block] if language == "graphql" else QUERY_IN_CODE.findall(block)
            found.extend(
                (f"{page.relative_to(ROOT)}: {' '.join(document.split())[:50]}", document)
                for document in documents
            )
    return found


def has_id(graphql_type: GraphQLNamedType | None) -> bool:
    return isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType) and "id" in graphql_type.fields


def selected(selection_set: SelectionSetNode) -> set[str]:
    """The field names of a selection set, those of its inline fragments included."""
    names = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= selected(selection.selection_set)
    return names


def objects_without_id(schema: GraphQLSchema, document: DocumentNode) -> list[str]:
    missing: list[str] = []
    info = TypeInfo(schema)

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            named = get_named_type(info.get_type())
            if node.selection_set is None or named is None:
                return
            names = selected(node.selection_set)
            if has_id(named) and "id" not in names:
                missing.append(f"{node.name.value}: {named.name}")
            for selection in node.selection_set.selections:
                if isinstance(selection, InlineFragmentNode) and selection.type_condition is not None:
                    condition = schema.get_type(selection.type_condition.name.value)
                    if has_id(condition) and "id" not in names:
                        missing.append(f"{node.name.value} ... on {selection.type_condition.name.value}")

    visit(document, TypeInfoVisitor(info, Fields()))
    return missing


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema()._schema


def test_the_pages_hold_graphql_examples() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize(("where", "document"), examples(), ids=[where for where, _ in examples()])
def test_every_example_is_valid_and_asks_every_object_for_its_id(
    schema: GraphQLSchema, where: str, document: str
) -> None:
    parsed = parse(document)
    assert [error.message for error in validate(schema, parsed, RULES)] == []
    assert objects_without_id(schema, parsed) == []
