"""Input and result of setPresenceState."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.realtime import PresenceState, TicketPresence


@strawberry.input(description="What you are doing on a ticket you are subscribed to (ticketPresence).")
class SetPresenceStateInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    state: PresenceState = strawberry.field(description="VIEWING, TYPING_REPLY, TYPING_NOTE or IDLE.")
    session_id: str | None = strawberry.field(
        default=None,
        description="One tab (TicketPresence.sessionId); all your tabs on the ticket when omitted.",
    )


@strawberry.type(description="The roster after the change.")
class SetPresenceStateSuccess:
    presence: TicketPresence = strawberry.field(description="Everyone on the ticket now.")


SetPresenceStateResult = Annotated[
    SetPresenceStateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SetPresenceStateResult", description="The roster, or why not."),
]
