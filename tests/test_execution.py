"""Plain leaves, plain fields and plain objects read in api.execution give what graphql-core's own way
gives, errors included: objects, lists, unions and interfaces read from an attribute, preloaded resolver
fields, nulls, objects shared by the items of a list."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import pytest
import strawberry
from graphql import DocumentNode, execute, parse
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.execution import DeskqlExecutor
from fastpath import plain_objects
from fastpath.plain_leaves import NOT_READ, PRELOADED


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    label: str


@strawberry.type
class Cat(Named):
    lives: int


@strawberry.type
class Dog(Named):
    good: bool | None


class Kitten(Cat):
    """A subclass that is no type of its own: Strawberry answers it as a Cat."""


Pet = Annotated[Cat | Dog, strawberry.union("Pet")]
ItemT = TypeVar("ItemT")


@strawberry.type
class Box(Generic[ItemT]):
    """A generic type, as deskql's Edge: its objects are of the generic class, not the specialization."""

    tag: str
    item: ItemT


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    count: int
    colour: Colour
    seen_at: datetime
    flag: bool
    pet: Pet | None = None
    pets: list[Pet] = strawberry.field(default_factory=list)
    named: Named | None = None
    tags: list[str | None] | None = None
    boxes: list[Box[Pet]] = strawberry.field(default_factory=list)
    read_owner: strawberry.Private[Any] = NOT_READ

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field(metadata={PRELOADED: "read_owner"})
    def owner(self) -> Cat:
        """As the preloaded fields of deskql's types: the preloaded value, else a read."""
        return self.read_owner if self.read_owner is not NOT_READ else Cat(label="read", lives=9)


THINGS: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        return THINGS


class GraphQLCoreWay(DeskqlExecutor):
    """DeskqlExecutor (masking and all) with graphql-core's execute_field for every field."""

    execute_field = StrawberryGraphQLCoreExecutionContext.execute_field  # type: ignore[assignment]
    complete_object_value = StrawberryGraphQLCoreExecutionContext.complete_object_value  # type: ignore[assignment]
    complete_list_value = StrawberryGraphQLCoreExecutionContext.complete_list_value  # type: ignore[assignment]


def _thing(**changes: Any) -> Thing:
    values: dict[str, Any] = {
        "name": "printer",
        "nickname": None,
        "count": 3,
        "colour": Colour.BLUE,
        "seen_at": datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
        "flag": False,
    }
    thing = Thing(**values)
    for attribute, value in changes.items():  # values of the wrong type, as a bug would return them
        object.__setattr__(thing, attribute, value)
    return thing


QUERY = """{ things { name nickname count colour seenAt flag shout loud: shout(times: 2)
  again: name ... on Thing { count name }
  pet { __typename ... on Cat { label lives } ... on Dog { label good } }
  pets { ... on Named { label } ... on Dog { good } }
  named { __typename label } tags owner { label lives } } }"""


PLAIN_QUERY = """{ things { __typename name nickname count colour seenAt flag again: name
  ... on Thing { count kind: __typename } owner { label lives } } }"""
"""Plain leaves, __typename and a preloaded object only: each thing is completed in one loop (a plain
object, fastpath.plain_objects) unless something in it is out of the ordinary."""


MEMBERS_QUERY = """{ things { __typename name
  pet { __typename ... on Cat { label lives } ... on Dog { label good } }
  pets { ... on Named { label } ... on Dog { good } }
  named { __typename label } tags owner { label lives }
  boxes { tag item { ... on Cat { lives } ... on Dog { good } } } } }"""
"""Plain leaves, unions, interfaces, lists of leaves and of members, a generic type's objects: each thing is
completed in one loop unless something in it is out of the ordinary."""


def _outcome(executor: type[DeskqlExecutor], query: str = QUERY) -> tuple[Any, list[dict[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = schema.execute_sync(query, context_value={})
    return result.data, sorted((error.formatted for error in result.errors or []), key=str)


@pytest.mark.parametrize(
    "things",
    [
        pytest.param([_thing(), _thing(nickname="pr", colour=Colour.RED, flag=True)], id="plain values"),
        pytest.param([_thing(name=None)], id="null in a non-null string"),
        pytest.param([_thing(count="three")], id="text in an Int"),
        pytest.param([_thing(count=2**40)], id="an Int beyond 32 bits"),
        pytest.param([_thing(colour="green")], id="not a member of the enum"),
        pytest.param([_thing(seen_at="yesterday")], id="text in a DateTime"),
        pytest.param([_thing(count=7.0, flag=1)], id="values graphql-core converts"),
        pytest.param([_thing(), None, _thing(name=None)], id="nulls and errors in a list"),
        pytest.param(
            [
                _thing(
                    pet=Cat(label="Tom", lives=7),
                    pets=[Dog(label="Rex", good=None), Cat(label="Kit", lives=1)],
                    named=Dog(label="Rex", good=True),
                    tags=["a", None],
                    read_owner=Cat(label="preloaded", lives=3),
                )
            ],
            id="objects, lists, unions and interfaces",
        ),
        pytest.param([_thing(read_owner=None)], id="a preloaded null in a non-null object"),
        pytest.param([_thing(pets=None)], id="null in a non-null list"),
        pytest.param([_thing(pets=[None, Cat(label="Kit", lives=1)])], id="null in a list of non-null"),
        pytest.param([_thing(pet="a cat")], id="not an object of the union"),
        pytest.param([_thing(named=Cat(label=None, lives=1))], id="a null label in an interface"),
        pytest.param([_thing(tags="ab")], id="text in a list"),
        pytest.param([_thing(read_owner="not a cat")], id="a preloaded value of the wrong type"),
        pytest.param(
            [_thing(pet=Kitten(label="Kit", lives=9), named=Kitten(label="Kit", lives=9))],
            id="a subclass of a member",
        ),
        pytest.param([_thing(pets=(Cat(label="Tom", lives=7),), tags=("a",))], id="tuples for lists"),
        pytest.param([_thing(pets=[Dog(label="Rex", good="yes")])], id="a member's leaf that fails"),
        pytest.param([_thing(named=Dog(label=None, good=True))], id="a null in a member's non-null leaf"),
        pytest.param(
            [
                _thing(
                    boxes=[
                        Box(tag="a", item=Cat(label="Tom", lives=7)),
                        Box(tag="b", item=Dog(label="R", good=None)),
                    ]
                )
            ],
            id="objects of a generic type",
        ),
        pytest.param(
            [_thing(boxes=[Box(tag="a", item=None)])], id="a null in a generic type's non-null member"
        ),
        pytest.param([_thing(boxes=[Box(tag="a", item="a cat")])], id="a generic type's member of no type"),
        pytest.param([_thing(tags=[1, None])], id="an Int in a list of strings"),
    ],
)
def test_plain_leaves_give_what_graphql_core_gives(things: list[Any]) -> None:
    THINGS[:] = things
    for query in (QUERY, PLAIN_QUERY, MEMBERS_QUERY):
        data, errors = _outcome(DeskqlExecutor, query)
        assert (data, errors) == _outcome(GraphQLCoreWay, query)
        assert data is not None or errors


def test_plain_objects_are_completed_without_resolve_infos_and_shared_ones_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = Cat(label="shared", lives=3)
    THINGS[:] = [_thing(read_owner=shared), _thing(name="scanner", read_owner=shared), None]
    built: list[str] = []
    build = DeskqlExecutor.build_resolve_info
    completed: list[Any] = []
    complete = plain_objects.complete

    def counted(self: DeskqlExecutor, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        built.append(field_nodes[0].name.value)
        return build(self, field_def, field_nodes, *args)

    def recorded(shape: Any, source: Any, seen: Any) -> Any:
        completed.append(source)
        return complete(shape, source, seen)

    graphql_core_way = _outcome(GraphQLCoreWay, PLAIN_QUERY)
    monkeypatch.setattr(DeskqlExecutor, "build_resolve_info", counted)
    monkeypatch.setattr(plain_objects, "complete", recorded)
    data, errors = _outcome(DeskqlExecutor, PLAIN_QUERY)
    assert not errors
    assert (data, errors) == graphql_core_way
    assert built == ["things"]
    assert completed.count(shared) == 1, "the cat both things share is completed once"
    assert data["things"][0]["owner"] == {"label": "shared", "lives": 3}
    assert data["things"][1]["__typename"] == "Thing"


def test_members_lists_and_generic_objects_are_completed_without_resolve_infos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = Dog(label="Rex", good=True)
    THINGS[:] = [
        _thing(
            pet=Cat(label="Tom", lives=7),
            pets=[shared, Cat(label="Kit", lives=1), shared],
            named=shared,
            tags=["a", None],
            boxes=[Box(tag="a", item=shared), Box(tag="b", item=Cat(label="Tom", lives=7))],
            read_owner=Cat(label="preloaded", lives=3),
        ),
        None,
    ]
    built: list[str] = []
    build = DeskqlExecutor.build_resolve_info

    def counted(self: DeskqlExecutor, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        built.append(field_nodes[0].name.value)
        return build(self, field_def, field_nodes, *args)

    graphql_core_way = _outcome(GraphQLCoreWay, MEMBERS_QUERY)
    monkeypatch.setattr(DeskqlExecutor, "build_resolve_info", counted)
    data, errors = _outcome(DeskqlExecutor, MEMBERS_QUERY)
    assert not errors
    assert (data, errors) == graphql_core_way
    assert built == ["things"]
    assert data["things"][0]["pet"] == {"__typename": "Cat", "label": "Tom", "lives": 7}
    assert data["things"][0]["boxes"][0] == {"tag": "a", "item": {"good": True}}


def _executed(schema: strawberry.Schema, document: DocumentNode) -> Any:
    result = execute(schema._schema, document, context_value={}, executor_class=DeskqlExecutor)
    assert not isinstance(result, Awaitable)
    assert not result.errors
    return result.data


def test_the_shapes_of_a_document_are_worked_out_once_unless_it_holds_directives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    THINGS[:] = [_thing(pet=Cat(label="Tom", lives=7), pets=[Dog(label="Rex", good=True)])]
    worked_out: list[str] = []
    shape_of = plain_objects.shape_of

    def counted(executor: Any, object_type: Any, field_details_list: Any) -> Any:
        worked_out.append(object_type.name)
        return shape_of(executor, object_type, field_details_list)

    monkeypatch.setattr(plain_objects, "shape_of", counted)
    schema = strawberry.Schema(query=Query, execution_context_class=DeskqlExecutor)
    document = parse(MEMBERS_QUERY)
    for _ in range(3):
        assert not schema.execute_sync(MEMBERS_QUERY, context_value={}).errors
    assert worked_out, "a document parsed anew has shapes of its own"
    worked_out.clear()
    answers = [_executed(schema, document) for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert worked_out.count("Thing") == 1, "the same document's shapes are kept"

    conditional = """query($cat: Boolean!) { things { name
      pet { ... on Cat @include(if: $cat) { label lives } ... on Dog { label } } } }"""
    graphql_core = strawberry.Schema(query=Query, execution_context_class=GraphQLCoreWay)
    for cat in (True, False, True):
        ours = schema.execute_sync(conditional, variable_values={"cat": cat}, context_value={})
        theirs = graphql_core.execute_sync(conditional, variable_values={"cat": cat}, context_value={})
        assert (ours.data, ours.errors) == (theirs.data, theirs.errors)
        assert ("label" in ours.data["things"][0]["pet"]) is cat  # type: ignore[index]


def test_a_plain_list_past_the_size_budget_fails_as_leaf_by_leaf() -> None:
    THINGS[:] = [_thing(read_owner=Cat(label="x" * 50, lives=1)) for _ in range(20)]
    answers = []
    for executor in (DeskqlExecutor, GraphQLCoreWay):
        small = type("Small", (executor,), {"max_response_bytes": 600})
        answers.append(_outcome(small, PLAIN_QUERY))
    assert answers[0] == answers[1]
    assert answers[0][0] is None
    assert answers[0][1][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


def test_plain_leaves_skip_the_resolve_info(monkeypatch: pytest.MonkeyPatch) -> None:
    THINGS[:] = [_thing(), _thing()]
    built: list[str] = []
    build = DeskqlExecutor.build_resolve_info

    def counted(self: DeskqlExecutor, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        built.append(field_nodes[0].name.value)
        return build(self, field_def, field_nodes, *args)

    monkeypatch.setattr(DeskqlExecutor, "build_resolve_info", counted)
    data, errors = _outcome(DeskqlExecutor)
    assert not errors
    assert data is not None
    # things, and shout twice per thing (a resolver); nickname is a null allowed to be null, the null pet
    # and named are plain fields, the empty list of pets too (an info for its completion), and owner was
    # not preloaded: its resolver reads it.
    assert sorted(built) == ["owner"] * 2 + ["pets"] * 2 + ["shout"] * 4 + ["things"]
