"""Plain leaves read in api.execution give what graphql-core's own way gives, errors included."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.execution import DeskqlExecutor


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    count: int
    colour: Colour
    seen_at: datetime
    flag: bool

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


THINGS: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        return THINGS


class GraphQLCoreWay(DeskqlExecutor):
    """DeskqlExecutor (masking and all) with graphql-core's execute_field for every field."""

    execute_field = StrawberryGraphQLCoreExecutionContext.execute_field  # type: ignore[assignment]


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
  again: name ... on Thing { count name } } }"""


def _outcome(executor: type[DeskqlExecutor]) -> tuple[Any, list[dict[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = schema.execute_sync(QUERY, context_value={})
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
    ],
)
def test_plain_leaves_give_what_graphql_core_gives(things: list[Any]) -> None:
    THINGS[:] = things
    data, errors = _outcome(DeskqlExecutor)
    assert (data, errors) == _outcome(GraphQLCoreWay)
    assert data is not None or errors


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
    # things, shout twice per thing (a resolver), and nickname, null, which takes graphql-core's way.
    assert sorted(built) == ["nickname"] * 2 + ["shout"] * 4 + ["things"]
