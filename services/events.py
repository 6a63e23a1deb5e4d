"""Domain events: what changed, as a type and ids. Published only after the change has committed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Event:
    """``type`` is dotted, e.g. ``ticket.created``; ``ids`` names the entities involved."""

    type: str
    account_id: int
    ticket_id: int | None = None
    ids: dict[str, int] = field(default_factory=dict)
    changes: tuple[str, ...] = ()
    """For updates: the API names of the fields that changed."""
    internal: bool = False
    """True when the event is about something end users must never learn of (an internal note)."""


class EventPublisher(Protocol):
    async def publish(self, events: Sequence[Event]) -> None: ...


class DiscardingPublisher:
    """Used until the application installs a real publisher (CLI commands, some tests)."""

    async def publish(self, events: Sequence[Event]) -> None:
        return None


_publisher: EventPublisher = DiscardingPublisher()


def install_publisher(publisher: EventPublisher) -> None:
    global _publisher
    _publisher = publisher


def publisher() -> EventPublisher:
    return _publisher
