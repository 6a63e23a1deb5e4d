"""Each technician's calendar feed: a secret address that calendar programs subscribe to.

- ``create`` makes a new address (and so revokes the previous one); the token is shown once, only
  its SHA-256 is kept. ``revoke`` turns the feed off.
- The feed holds the events the technician attends, from 180 days ago on, cancelled ones included (marked
  so, so that calendar programs remove them); events of deleted tickets leave it. An unknown token, or one
  of a deactivated technician, finds nothing, and says nothing about why.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from models.accounts import Account, Technician
from models.calendar import CalendarAttendee, CalendarEvent, CalendarFeed
from models.clock import utcnow
from models.tickets import Ticket
from services.admin import require_technician
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

HISTORY = timedelta(days=180)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create(viewer: Viewer) -> tuple[str, CalendarFeed]:
    """A new secret token (returned once) for the viewer's feed. Raises PermissionDenied."""
    require_technician(viewer)
    token = secrets.token_urlsafe(32)
    async with unit_of_work():
        await CalendarFeed.filter(technician_id=viewer.technician_id).delete()
        feed = await CalendarFeed.create(technician_id=viewer.technician_id, token_hash=_hash(token))
    return token, feed


async def revoke(viewer: Viewer) -> bool:
    """Whether there was a feed to turn off. Raises PermissionDenied."""
    require_technician(viewer)
    return await CalendarFeed.filter(technician_id=viewer.technician_id).delete() > 0


async def feed_of(viewer: Viewer) -> CalendarFeed | None:
    return (
        await CalendarFeed.get_or_none(technician_id=viewer.technician_id) if viewer.is_technician else None
    )


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    url: str
    cancelled: bool
    created_at: datetime
    updated_at: datetime
    organizer: Person | None
    attendees: tuple[Person, ...]


@dataclass(frozen=True)
class Feed:
    name: str
    events: list[FeedEvent]


async def read(token: str, app_url: str) -> Feed | None:
    """The feed of the token, or None for a token that opens none."""
    if not 20 <= len(token) <= 100:
        return None
    feed = await CalendarFeed.get_or_none(token_hash=_hash(token))
    if feed is None:
        return None
    owner = await Technician.get_or_none(id=feed.technician_id, active=True)
    if owner is None:
        return None
    account = await Account.get(id=owner.account_id)
    attending = Subquery(CalendarAttendee.filter(technician_id=owner.id).values("event_id"))
    events = (
        await CalendarEvent.filter(
            id__in=attending, ticket__deleted_at__isnull=True, ends_at__gte=utcnow() - HISTORY
        )
        .order_by("starts_at", "id")
        .limit(5000)
    )
    ids = [event.id for event in events]
    tickets = {t.id: t for t in await Ticket.filter(id__in={e.ticket_id for e in events})}
    people: dict[int, Person] = {
        tech.id: Person(tech.name, tech.email)
        for tech in await Technician.filter(account_id=owner.account_id)
    }
    attendees: dict[int, list[Person]] = {}
    for row in await CalendarAttendee.filter(event_id__in=ids).order_by("id"):
        attendees.setdefault(row.event_id, []).append(people[row.technician_id])
    return Feed(
        name=f"{account.name}: {owner.name}",
        events=[
            FeedEvent(
                uid=event.uid,
                sequence=event.sequence,
                summary=f"[#{tickets[event.ticket_id].number}] {event.title}",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                location=event.location,
                description=event.notes,
                url=f"{app_url}/tickets/{tickets[event.ticket_id].number}",
                cancelled=event.cancelled_at is not None,
                created_at=event.created_at,
                updated_at=event.updated_at,
                organizer=people.get(event.created_by_id) if event.created_by_id else None,
                attendees=tuple(attendees.get(event.id, ())),
            )
            for event in events
        ],
    )
