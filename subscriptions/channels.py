"""Broadcast channel names and the JSON messages that travel on them."""

from __future__ import annotations

import json
import time
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


def account_tickets(account_id: int) -> str:
    """Every change of the account's tickets that can move one into or out of a list (live views)."""
    return f"{PREFIX}:account:{account_id}:tickets"


LISTED = frozenset({"ticket.created", "ticket.updated", "comment.added", "comment.updated"})
"""The events that also go to the account's ticket channel: what changes a ticket as a list shows it."""


def of(event: Event) -> list[str]:
    """The channels an event goes to."""
    if event.type.startswith("credentials."):
        return [AUTH]
    if event.type.startswith("notification.") or event.type.startswith("timer."):
        return [technician(event.ids["technician"])]
    if event.type.startswith("chat."):
        return [chat(event.ids["chat"])]
    if event.ticket_id is not None:
        if event.type in LISTED:
            return [ticket(event.ticket_id), account_tickets(event.account_id)]
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


SENT_AT = '{"sentAt":'


def encode(event: Event) -> str:
    """The event as JSON, led by when it was sent (seconds since the epoch), for the delivery lag."""
    return json.dumps(
        {
            "sentAt": round(time.time(), 6),
            "type": event.type,
            "accountId": event.account_id,
            "ticketId": event.ticket_id,
            "ids": event.ids,
            "changes": list(event.changes),
            "internal": event.internal,
        },
        separators=(",", ":"),
    )


def sent_at(message: object) -> float | None:
    """When a message of ``encode`` was sent, read from its head without decoding the rest; None for
    other messages (RESYNC, presence changes)."""
    if not isinstance(message, str) or not message.startswith(SENT_AT):
        return None
    try:
        return float(message[len(SENT_AT) : message.index(",", len(SENT_AT))])
    except ValueError:
        return None


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
