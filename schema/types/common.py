"""The Node interface and keyset connections."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator, Sequence
from typing import Generic, TypeVar, cast

import strawberry
from strawberry.types.nodes import SelectedField, Selection
from tortoise.models import Model

from schema.context import Info
from schema.pagination import Page

NodeT = TypeVar("NodeT")
T = TypeVar("T")
U = TypeVar("U")
ModelT = TypeVar("ModelT", bound=Model)


@strawberry.interface(description="An object with a global ID; any of them can be fetched with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID.")


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow; ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Items precede this page (it was asked with `after`)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque keyset cursor of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, paged by keyset cursors (`first` at most 100, then `after`).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page with their cursors.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (one extra count query).")
    def total_count(self) -> int:
        return then(self.count(), itself)

    @strawberry.field(description="The items of this page without their cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


def connection(
    page: Page[ModelT],
    convert: Callable[[ModelT], NodeT],
    count: Callable[[], Awaitable[int]],
    *,
    cursors: bool = True,
) -> Connection[NodeT]:
    """``cursors``: False when the query asks for none (no ``edges { cursor }``, no cursor of ``pageInfo``):
    then none is encoded, and the edges' and page's cursors are left empty, never read."""
    ordering = page.ordering
    edges = [Edge(cursor=ordering.cursor(row) if cursors else "", node=convert(row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


def asks_for(info: Info, *paths: tuple[str, ...]) -> bool:
    """Whether the query selects one of ``paths`` (GraphQL field names) below the field being resolved,
    through fragments. ``@skip``/``@include`` are not evaluated: a skipped field counts as asked for."""

    def found(selections: Sequence[Selection], path: tuple[str, ...]) -> bool:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name == path[0] and (len(path) == 1 or found(selection.selections, path[1:])):
                    return True
            elif found(selection.selections, path):
                return True
        return False

    # One entry per occurrence of the field in the query (GraphQL merges repeated fields): look in all.
    return any(found(field.selections, path) for field in info.selected_fields for path in paths)


def then(loading: Awaitable[T], convert: Callable[[T], U]) -> U:
    """``convert`` of what a loader's ``load`` gives: at once when the loader holds it already (primed by a
    planned read, or read before in the request), else an awaitable of it. graphql-core completes a value
    far cheaper than an awaitable, which costs a task and several turns of the event loop per field. Typed
    as the value, as Strawberry and graphql-core take either."""
    done = isinstance(loading, asyncio.Future) and loading.done() and not loading.cancelled()
    if done and loading.exception() is None:  # type: ignore[attr-defined]
        return convert(loading.result())  # type: ignore[attr-defined]
    return cast("U", _converted(loading, convert))


def at_once(coroutine: Coroutine[object, object, T]) -> T:
    """What ``coroutine`` returns: at once when it completes without waiting (every loader it awaits holds
    its value already, as ``then``), else an awaitable that goes on from where it stopped. Typed as the
    value, as ``then``."""
    try:
        waiting = coroutine.send(None)
    except StopIteration as returned:
        return cast("T", returned.value)
    return cast("T", _going_on(coroutine, waiting))


@types.coroutine
def _going_on(coroutine: Coroutine[object, object, T], waiting: object) -> Generator[object, object, T]:
    """The rest of a started ``coroutine`` that waits on ``waiting``: what the event loop sends or throws
    in goes on to it, as ``await`` would."""
    while True:
        try:
            sent = yield waiting
        except BaseException as error:  # thrown in by the loop (a cancellation too): passed on
            try:
                waiting = coroutine.throw(error)
            except StopIteration as returned:
                return cast("T", returned.value)
        else:
            try:
                waiting = coroutine.send(sent)
            except StopIteration as returned:
                return cast("T", returned.value)


def found(convert: Callable[[T], U]) -> Callable[[T | None], U | None]:
    """``convert`` of a row, or None for none (a loader by id that found nothing the viewer may see)."""
    return lambda row: None if row is None else convert(row)


def itself(value: T) -> T:
    return value


def each(convert: Callable[[T], U]) -> Callable[[Sequence[T]], list[U]]:
    """``convert`` of each row."""
    return lambda rows: [convert(row) for row in rows]


async def _converted(loading: Awaitable[T], convert: Callable[[T], U]) -> U:
    return convert(await loading)


def converted(rows: Sequence[ModelT], convert: Callable[[ModelT], NodeT]) -> list[NodeT]:
    return [convert(row) for row in rows]
