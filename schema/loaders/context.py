"""Loaders of the side panels: alerts and calendar events."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.expressions import Subquery

from models.alerts import Alert
from models.calendar import CalendarAttendee, CalendarEvent
from schema.loaders.base import LoaderBase, by_id, grouped_by
from services import visibility


class ContextLoaders(LoaderBase):
    @cached_property
    def alert_by_id(self) -> DataLoader[int, Alert | None]:
        v = self.viewer
        return by_id(lambda: visibility.alerts(v))

    @cached_property
    def alerts_by_ticket(self) -> DataLoader[int, list[Alert]]:
        v = self.viewer
        return grouped_by(lambda: visibility.alerts(v), "ticket_id", "-created_at", "-id")

    @cached_property
    def calendar_event_by_id(self) -> DataLoader[int, CalendarEvent | None]:
        v = self.viewer
        return by_id(lambda: visibility.calendar_events(v))

    @cached_property
    def calendar_events_by_ticket(self) -> DataLoader[int, list[CalendarEvent]]:
        v = self.viewer
        return grouped_by(lambda: visibility.calendar_events(v), "ticket_id", "starts_at", "id")

    @cached_property
    def attendees_by_event(self) -> DataLoader[int, list[CalendarAttendee]]:
        v = self.viewer
        return grouped_by(
            lambda: CalendarAttendee.filter(
                event_id__in=Subquery(visibility.calendar_events(v).values("id"))
            ),
            "event_id",
            "id",
        )
