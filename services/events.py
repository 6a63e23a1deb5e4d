"""Domain events: what changed, as a type and ids, handed to the consumers of a unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field


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
