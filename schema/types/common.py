"""The Node interface and keyset connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection
from tortoise.models import Model

from schema.context import Info
from schema.pagination import Page

NodeT = TypeVar("NodeT")
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
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The items of this page without their cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


def connection(
    page: Page[ModelT], convert: Callable[[ModelT], NodeT], count: Callable[[], Awaitable[int]]
) -> Connection[NodeT]:
    edges = [Edge(cursor=page.ordering.cursor(row), node=convert(row)) for row in page.rows]
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


def converted(rows: Sequence[ModelT], convert: Callable[[ModelT], NodeT]) -> list[NodeT]:
    return [convert(row) for row in rows]
