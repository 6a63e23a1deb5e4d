"""How near the ticket page can get to the hand-written baseline on this stack: the CPU of graphql-core
answering the page's document with no work to do, against the baseline's whole request, in one process.

The floor is graphql-core's execution of bench/ticket_page.graphql over the page's answer itself (each
field reads its value from a dict under its response key, each abstract type names itself), on a schema
built from schema.graphql, then the answer serialized by orjson: no SQL, no resolver, no HTTP, no
authentication, and with the page's document parsed and validated once. Whatever deskql does, it pays at
least this. The baseline (bench/baseline.py) and deskql are called through the same in-process HTTP client
on the seeded PostgreSQL data set, so their figures include that client's cost, which is measured too (the
client against an application that answers the page's bytes); the floor does not include it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from graphql import (
    FieldNode,
    GraphQLObjectType,
    GraphQLResolveInfo,
    NameNode,
    SelectionSetNode,
    Visitor,
    build_schema,
    execute,
    get_nullable_type,
    is_leaf_type,
    parse,
    print_ast,
    visit,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Path as ResponsePath
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.main import settle_garbage_collection
from bench import baseline
from bench.seed import Seeded, seed, seeded_url
from bench.ticket_page import TICKET_PAGE
from schema.ids import encode

SCHEMA = Path(__file__).parent.parent / "schema.graphql"
ROUNDS = 300
BLOCKS = 6


class _WithTypenames(Visitor):
    """Adds ``__typename`` to every selection set, so the answer names each object's type."""

    def leave_selection_set(self, node: SelectionSetNode, *_: Any) -> SelectionSetNode:
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def _by_response_key(source: Any, info: GraphQLResolveInfo, **_: Any) -> Any:
    return source[info.path.key]


class _LeavesByKey(Executor):
    """A leaf's value read and serialized directly, as deskql's plain leaves are (api.execution)."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: list[FieldDetails],
        path: ResponsePath,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field = self.schema.get_field(parent_type, node.name.value)
        if field is not None:
            leaf = get_nullable_type(field.type)
            value = source.get(path.key)
            if is_leaf_type(leaf) and value is not None:
                return leaf.coerce_output_value(value)  # type: ignore[union-attr]
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _by_typename(value: Any, *_: Any) -> str:
    typename: str = value["__typename"]
    return typename


def floor_of(named: dict[str, Any], variables: dict[str, Any]) -> Callable[[], bytes]:
    """The page's answer by graphql-core alone, serialized, from ``named``: the answer with every object's
    ``__typename``."""
    schema = build_schema(SCHEMA.read_text())
    document = parse(TICKET_PAGE)

    def run() -> bytes:
        result = execute(
            schema,
            document,
            root_value=named,
            variable_values=variables,
            field_resolver=_by_response_key,
            type_resolver=_by_typename,
            executor_class=_LeavesByKey,
        )
        if isinstance(result, Awaitable) or result.errors:
            raise AssertionError(f"graphql-core could not answer from the page's answer: {result}")
        return orjson.dumps({"data": result.data})

    return run


def _echo(answer: bytes) -> Starlette:
    """An application that answers every request with the page's bytes: the in-process HTTP client's and
    starlette's own cost."""

    async def answering(request: Request) -> Response:
        await request.body()
        return Response(answer, media_type="application/json")

    return Starlette(routes=[Route("/", answering, methods=["POST"])])


async def _cpu_ms(call: Callable[[], Awaitable[Any]], rounds: int) -> float:
    """Median CPU time of one call."""
    timings = []
    for _ in range(rounds):
        started = time.process_time()
        await call()
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


async def measure(seeded: Seeded) -> dict[str, float]:
    from app.database import Database
    from tests.api import Api

    variables = {"id": encode("Ticket", seeded.page_ticket)}
    headers = {"Authorization": f"Bearer {seeded.token}"}
    database = Database(seeded.url)
    await database.open()
    baseline.app.state.pool = await asyncpg.create_pool(seeded.url, min_size=1, max_size=baseline.POOL_SIZE)
    try:
        api = Api(database)
        with_typenames = print_ast(visit(parse(TICKET_PAGE), _WithTypenames()))
        named = await api.data(with_typenames, variables, token=seeded.token)
        floor = floor_of(named, variables)
        request = {"query": TICKET_PAGE, "variables": variables}
        transport = httpx.ASGITransport(app=baseline.app)
        async with (
            api.client() as ours,
            httpx.AsyncClient(transport=transport, base_url="http://baseline.test") as theirs,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=_echo(floor())), base_url="http://e") as echo,
        ):
            answers = [
                orjson.loads((await client.post(path, json=request, headers=headers)).content)
                for client, path in ((ours, "/graphql"), (theirs, "/ticket-page"))
            ]
            if answers[0] != answers[1] or orjson.loads(floor()) != answers[0]:
                raise AssertionError("deskql, the baseline and the floor do not give the same answer")

            def posting(client: httpx.AsyncClient, path: str) -> Callable[[], Awaitable[None]]:
                async def post() -> None:
                    response = await client.post(path, json=request, headers=headers)
                    assert response.status_code == 200, response.text

                return post

            async def graphql_core() -> None:
                floor()

            calls = {
                "transport": posting(echo, "/"),
                "baseline": posting(theirs, "/ticket-page"),
                "floor": graphql_core,
                "deskql": posting(ours, "/graphql"),
            }
            for call in calls.values():  # warm up, then settle the collector as a server process does
                await _cpu_ms(call, rounds=20)
            settle_garbage_collection()
            figures: dict[str, list[float]] = {name: [] for name in calls}
            for _ in range(BLOCKS):  # alternating, so that the machine's moods hit all four alike
                for name, call in calls.items():
                    figures[name].append(await _cpu_ms(call, rounds=ROUNDS // BLOCKS))
    finally:
        await baseline.app.state.pool.close()
        await database.close()
    return {name: statistics.median(values) for name, values in figures.items()}


async def main() -> dict[str, float]:
    figures = await measure(await seed(seeded_url()))
    base = figures["baseline"]
    rows = [
        ("in-process HTTP client and starlette, nothing else", figures["transport"]),
        ("baseline: asyncpg + orjson, whole request", base),
        ("graphql-core alone on the page, nothing to resolve", figures["floor"]),
        ("deskql: whole request", figures["deskql"]),
    ]
    print(
        "ticket page, CPU per request in one process (medians of alternating blocks), against the baseline:"
    )
    for label, value in rows:
        print(f"  {label:52} {value:6.2f} ms  {value / base:4.1f}x")
    return figures


if __name__ == "__main__":
    asyncio.run(main())
