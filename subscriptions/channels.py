"""Broadcast channel names and the JSON messages that travel on them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from services.events import Event

PREFIX = "deskql"
RESYNC = json.dumps({"type": "resync"})
"""Sent to every live channel after the broadcast connection was lost: events may have been missed."""
AUTH = f"{PREFIX}:auth"
"""Changes of credentials (``credentials.changed``), which every server process follows."""


def ticket(ticket_id: int) -> str:
    return f"{PREFIX}:ticket:{ticket_id}"


def presence(ticket_id: int) -> str:
    return f"{PREFIX}:presence:{ticket_id}"


def technician(technician_id: int) -> str:
    return f"{PREFIX}:technician:{technician_id}"


def chat(chat_id: int) -> str:
    return f"{PREFIX}:chat:{chat_id}"


def of(event: Event) -> list[str]:
    """The channels an event goes to."""
    if event.type.startswith("credentials."):
        return [AUTH]
    if event.type.startswith("notification.") or event.type.startswith("timer."):
        return [technician(event.ids["technician"])]
    if event.type.startswith("chat."):
        return [chat(event.ids["chat"])]
    if event.ticket_id is not None:
        return [ticket(event.ticket_id)]
    return []


@dataclass(frozen=True)
class Message:
    """An event as subscribers read it back."""

    type: str
    ticket_id: int | None = None
    ids: dict[str, int] = field(default_factory=dict)
    changes: tuple[str, ...] = ()
    internal: bool = False
    shared: Any = None
    """subscriptions.broadcast.SharedRead: what this event's subscribers of the viewer's audience share."""

    @property
    def is_resync(self) -> bool:
        return self.type == "resync"


def encode(event: Event) -> str:
    return json.dumps(
        {
            "type": event.type,
            "accountId": event.account_id,
            "ticketId": event.ticket_id,
            "ids": event.ids,
            "changes": list(event.changes),
            "internal": event.internal,
        },
        separators=(",", ":"),
    )


def decode(text: str | bytes, shared: Any = None) -> Message:
    data = json.loads(text)
    return Message(
        shared=shared,
        type=data["type"],
        ticket_id=data.get("ticketId"),
        ids={key: int(value) for key, value in data.get("ids", {}).items()},
        changes=tuple(data.get("changes", ())),
        internal=bool(data.get("internal", False)),
    )
