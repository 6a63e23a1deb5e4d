"""Subscriptions (websockets) and setPresenceState."""

from __future__ import annotations

import strawberry

from schema.realtime_payloads import SetPresenceStateResult
from subscriptions import (
    ai_drafts,
    chat_updates,
    notification_updates,
    presence_updates,
    ticket_updates,
    timer_updates,
    view_updates,
)


@strawberry.type(description="Live updates over websockets (graphql-transport-ws or graphql-ws).")
class Subscription:
    ticket_updated = strawberry.subscription(
        resolver=ticket_updates.ticket_updated,
        description="The ticket now (SNAPSHOT), then every committed change you may see; RESYNC after an outage.",
    )
    ticket_view_updated = strawberry.subscription(
        resolver=view_updates.ticket_view_updated,
        description="A ticket list live (a saved view or a filter): the first page and count (SNAPSHOT), then "
        "each ticket entering, leaving or changing within it with the new count; RESYNC after an outage.",
    )
    ticket_presence = strawberry.subscription(
        resolver=presence_updates.ticket_presence,
        description="Join the ticket's collaborators and receive the roster on every change (technicians).",
    )
    timer_state = strawberry.subscription(
        resolver=timer_updates.timer_state,
        description="Every change of your timers (start, pause, resume, adjust, stop, discard), live.",
    )
    chat_messages = strawberry.subscription(
        resolver=chat_updates.chat_messages,
        description="A chat's messages so far, then each new one; completes when the chat ends.",
    )
    ai_draft = strawberry.subscription(
        resolver=ai_drafts.ai_draft,
        description="A reply draft or a rewrite as the language model writes it, then a last chunk (technicians).",
    )
    notification_added = strawberry.subscription(
        resolver=notification_updates.notification_added, description="Your new notifications as they happen."
    )


@strawberry.type
class RealtimeMutations:
    set_presence_state: SetPresenceStateResult = strawberry.field(
        resolver=presence_updates.set_presence_state,
        description="Tell your collaborators what you are doing on a ticket (typing a reply, a note, idle).",
    )
