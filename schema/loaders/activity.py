"""Loaders of the audit log and notifications."""

from __future__ import annotations

from collections.abc import Hashable
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from fastpath.statements import count_where
from models.activity import Activity
from models.notifications import Notification
from schema.loaders.base import ConnectionKey, LoaderBase, by_id, pages
from schema.pagination import Page
from services import visibility
from services.viewer import Viewer


def activity_query(viewer: Viewer, kinds: Hashable, with_actors: bool = False) -> QuerySet[Activity]:
    """Activity rows the viewer may see, of the given kinds (None: all), with the actors joined that the
    viewer may see joined (schema.planned) when ``with_actors``."""
    query = visibility.activity_with_actors(viewer) if with_actors else visibility.activity(viewer)
    if kinds is not None:
        assert isinstance(kinds, frozenset)
        query = query.filter(kind__in=list(kinds))
    return query


def notifications_query(viewer: Viewer, unread_only: Hashable) -> QuerySet[Notification]:
    query = visibility.notifications(viewer)
    return query.filter(read_at__isnull=True) if unread_only else query


class ActivityLoaders(LoaderBase):
    @cached_property
    def activity_by_id(self) -> DataLoader[int, Activity | None]:
        v = self.viewer
        return by_id(lambda: visibility.activity(v))

    @cached_property
    def notification_by_id(self) -> DataLoader[int, Notification | None]:
        v = self.viewer
        return by_id(lambda: visibility.notifications(v))

    @cached_property
    def notifications(self) -> DataLoader[ConnectionKey, Page[Notification]]:
        v = self.viewer
        return pages(lambda unread_only: notifications_query(v, unread_only), "recipient_id")

    @cached_property
    def activity(self) -> DataLoader[ConnectionKey, Page[Activity]]:
        v = self.viewer
        return pages(lambda kinds: activity_query(v, kinds), "ticket_id")

    @cached_property
    def activity_with_actors(self) -> DataLoader[ConnectionKey, Page[Activity]]:
        v = self.viewer
        return pages(lambda kinds: activity_query(v, kinds, True), "ticket_id")

    async def activity_count(self, ticket_id: int, kinds: Hashable) -> int:
        v = self.viewer
        return await count_where(lambda: activity_query(v, kinds), "ticket_id", ticket_id)
