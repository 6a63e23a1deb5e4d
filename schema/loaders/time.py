"""Loaders of time entries and timers."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from models.timekeeping import TimeEntry, Timer
from schema.loaders.base import ConnectionKey, LoaderBase, by_id, grouped_by, pages
from schema.pagination import Page
from services import visibility


class TimeLoaders(LoaderBase):
    @cached_property
    def time_entry_by_id(self) -> DataLoader[int, TimeEntry | None]:
        v = self.viewer
        return by_id(lambda: visibility.time_entries(v))

    @cached_property
    def timer_by_id(self) -> DataLoader[int, Timer | None]:
        v = self.viewer
        return by_id(lambda: visibility.timers(v))

    @cached_property
    def time_entries_by_ticket(self) -> DataLoader[int, list[TimeEntry]]:
        v = self.viewer
        return grouped_by(lambda: visibility.time_entries(v), "ticket_id", *visibility.TIME_ENTRY_ORDER)

    @cached_property
    def time_entries(self) -> DataLoader[ConnectionKey, Page[TimeEntry]]:
        v = self.viewer
        return pages(lambda _: visibility.time_entries(v), "ticket_id")
