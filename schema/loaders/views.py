"""Loaders of saved views: a view by id, and ticket counts batched into one statement."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from models.tickets import Ticket
from models.views import View
from schema.loaders.base import LoaderBase, by_id
from services import views, visibility


@dataclass(eq=False)
class TicketCount:
    """A count to make: the tickets of ``query`` (compared by identity: each is its own key)."""

    query: QuerySet[Ticket]


class ViewLoaders(LoaderBase):
    @cached_property
    def view_by_id(self) -> DataLoader[int, View | None]:
        v = self.viewer
        return by_id(lambda: visibility.views(v))

    @cached_property
    def ticket_counts(self) -> DataLoader[TicketCount, int]:
        """The counts asked for in one tick (the sidebar's views) in one statement."""

        async def load(keys: list[TicketCount]) -> list[int]:
            return await views.counts([key.query for key in keys])

        return DataLoader(load_fn=load, cache=False)
