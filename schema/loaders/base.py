"""What every domain's loaders are made of: loaders by id, grouped by a key and by page, and the
viewer they read for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model
from tortoise.queryset import QuerySet

from fastpath.statements import rows_where_in
from schema.pagination import Ordering, Page, PageRequest, pages_by_parent
from services.viewer import Viewer

ModelT = TypeVar("ModelT", bound=Model)


def by_id(query: Callable[[], QuerySet[ModelT]]) -> DataLoader[int, ModelT | None]:
    async def load(ids: list[int]) -> list[ModelT | None]:
        found = {row.pk: row for row in await rows_where_in(query, "id", ids)}
        return [found.get(key) for key in ids]

    return DataLoader(load_fn=load)


def grouped_by(
    query: Callable[[], QuerySet[ModelT]], key_field: str, *order: str
) -> DataLoader[int, list[ModelT]]:
    async def load(keys: list[int]) -> list[list[ModelT]]:
        groups: dict[int, list[ModelT]] = defaultdict(list)
        for row in await rows_where_in(query, key_field, keys, order):
            groups[getattr(row, key_field)].append(row)
        return [groups.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class ConnectionKey:
    """One page of one parent's connection; parents asking for the same page are batched."""

    parent_id: int
    ordering: Ordering
    request: PageRequest
    variant: Hashable = None


def _of(query: Callable[[Hashable], QuerySet[ModelT]], variant: Hashable) -> Callable[[], QuerySet[ModelT]]:
    return lambda: query(variant)


def pages(
    query: Callable[[Hashable], QuerySet[ModelT]], parent_field: str
) -> DataLoader[ConnectionKey, Page[ModelT]]:
    async def load(keys: list[ConnectionKey]) -> list[Page[ModelT]]:
        batches: dict[tuple[Ordering, PageRequest, Hashable], list[int]] = defaultdict(list)
        for key in keys:
            batches[(key.ordering, key.request, key.variant)].append(key.parent_id)
        loaded: dict[ConnectionKey, Page[ModelT]] = {}
        for (ordering, request, variant), parent_ids in batches.items():
            unique = list(dict.fromkeys(parent_ids))
            found = await pages_by_parent(_of(query, variant), parent_field, unique, ordering, request)
            for parent_id, found_page in found.items():
                loaded[ConnectionKey(parent_id, ordering, request, variant)] = found_page
        return [loaded[key] for key in keys]

    return DataLoader(load_fn=load, cache_key_fn=lambda key: key)


class LoaderBase:
    """The viewer every loader reads for, through services.visibility."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
