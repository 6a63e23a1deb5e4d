"""Loaders of tickets, their statuses and tags, and the tickets merged into one."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.queryset import ValuesListQuery

from fastpath.statements import values_where_in
from models.tickets import Ticket, TicketStatus
from schema.loaders.base import LoaderBase, by_id, grouped_by
from services import visibility


class TicketLoaders(LoaderBase):
    @cached_property
    def ticket_by_id(self) -> DataLoader[int, Ticket | None]:
        v = self.viewer
        return by_id(lambda: visibility.tickets(v))

    @cached_property
    def ticket_by_number(self) -> DataLoader[int, Ticket | None]:
        return self._ticket_by_number()

    @cached_property
    def status_by_id(self) -> DataLoader[int, TicketStatus | None]:
        v = self.viewer
        return by_id(lambda: visibility.statuses(v))

    @cached_property
    def tags_by_ticket(self) -> DataLoader[int, list[tuple[str, str]]]:
        return self._tags_by_ticket()

    @cached_property
    def merged_tickets_by_target(self) -> DataLoader[int, list[Ticket]]:
        v = self.viewer
        return grouped_by(lambda: visibility.tickets(v), "merged_into_id", "number")

    def _ticket_by_number(self) -> DataLoader[int, Ticket | None]:
        async def load(numbers: list[int]) -> list[Ticket | None]:
            found = {t.number: t for t in await visibility.tickets(self.viewer).filter(number__in=numbers)}
            return [found.get(number) for number in numbers]

        return DataLoader(load_fn=load)

    def _tags_by_ticket(self) -> DataLoader[int, list[tuple[str, str]]]:
        v = self.viewer

        def query(ticket_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.tags(v)
                .filter(ticket_tags__ticket_id__in=ticket_ids)
                .order_by(*visibility.TAG_ORDER)
                .values_list("ticket_tags__ticket_id", "name", "ticket_tags__source")
            )

        async def load(ticket_ids: list[int]) -> list[list[tuple[str, str]]]:
            rows = await values_where_in(query, ticket_ids)
            groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for ticket_id, name, source in rows:
                groups[ticket_id].append((name, source))
            return [groups.get(ticket_id, []) for ticket_id in ticket_ids]

        return DataLoader(load_fn=load)
