"""A technician's calendar feed as an RFC 5545 iCalendar file, written with the icalendar package.

Times are written in UTC (``...Z``), which every calendar program converts to its own zone; a cancelled
event stays in the feed with STATUS:CANCELLED and a higher SEQUENCE, so subscribers remove it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from services.calendar_feeds import Feed, Person
from services.validation import printable

PRODUCT_ID = "-//deskql//ticket calendar//EN"
REFRESH = timedelta(minutes=15)
_BREAKS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]+")


def _text(value: str) -> str:
    """RFC 5545 TEXT has no control characters but line breaks and tabs (which icalendar escapes); one
    of them in an event would make strict calendar programs drop the whole feed."""
    return printable(value)


def _line(value: str) -> str:
    """A name on one line: icalendar does not escape line breaks in parameters and X- properties (it
    refuses them, or with ``python -O`` writes them, starting a new content line)."""
    return _BREAKS.sub(" ", value)


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{_line(person.email)}")
    address.params["cn"] = vText(_line(person.name))
    if role:
        address.params["role"] = vText(role)
    return address


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def render_feed(feed: Feed, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(feed.name))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")
    for item in feed.events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", _utc(now))
        event.add("dtstart", _utc(item.starts_at))
        event.add("dtend", _utc(item.ends_at))
        event.add("created", _utc(item.created_at))
        event.add("last-modified", _utc(item.updated_at))
        event.add("sequence", item.sequence)
        event.add("summary", _text(item.summary))
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("url", item.url)
        description = "\n\n".join(_text(part) for part in (item.description, item.url) if part)
        event.add("description", description)
        if item.location:
            event.add("location", _text(item.location))
        if item.organizer:
            event.add("organizer", _address(item.organizer))
        for person in item.attendees:
            event.add("attendee", _address(person, "REQ-PARTICIPANT"))
        calendar.add_component(event)
    return calendar.to_ical()
