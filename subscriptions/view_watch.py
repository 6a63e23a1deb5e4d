"""Which tickets a live view holds, kept once per process for every subscriber of one view and audience.

A ``Watch`` knows the ids of the tickets in the view (read once, when its first subscriber has subscribed to
the account's ticket channel). For each event about a ticket it asks the database whether that ticket
matches now (the view's query ``AND id = X``, the same SQL as the list) and compares with what it held:
ENTERED, LEFT or CHANGED, with the count read again when the membership changed. Every subscriber of the
watch reads the same answer for the same event: it is made once, whoever asks first, and kept for the
last events (the slowest subscriber is cut off long before its events are forgotten). A RESYNC (events may
have been lost in a broadcast outage) reads the ids again.

Membership is decided against the database as it is when the event is read, so two events about one ticket
read out of order still leave the right ids; only which of them says ENTERED may differ.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum

from tortoise.queryset import QuerySet

from models.tickets import Ticket


class Change(StrEnum):
    ENTERED = "ENTERED"
    LEFT = "LEFT"
    CHANGED = "CHANGED"
    RESYNC = "RESYNC"


@dataclass(frozen=True)
class Step:
    """What one event did to the view."""

    change: Change
    count: int
    ticket_id: int | None = None


Query = Callable[[], QuerySet[Ticket]]
"""The view's tickets, built afresh for each read (a condition may compare with the current time)."""


class Watch:
    def __init__(self, key: Hashable, query: Query, remembered: int) -> None:
        self.key = key
        self.query = query
        self.users = 0
        self.remembered = remembered
        self._members: set[int] | None = None
        self._count = 0
        self._lock = asyncio.Lock()
        self._steps: OrderedDict[int, tuple[object, asyncio.Future[Step | None]]] = OrderedDict()

    async def _load(self) -> None:
        ids: list[int] = await self.query().values_list("id", flat=True)  # type: ignore[assignment]
        self._members = set(ids)
        self._count = len(self._members)

    async def start(self) -> None:
        """Reads the ids unless a subscriber before this one has (call after subscribing to the channel)."""
        async with self._lock:
            if self._members is None:
                await self._load()

    def step(self, event: object, ticket_id: int | None, resync: bool) -> asyncio.Future[Step | None]:
        """What ``event`` did to the view (None: nothing), made once for all subscribers of the watch."""
        key = id(event)
        found = self._steps.get(key)
        if found is not None and found[0] is event:
            return found[1]
        made = asyncio.ensure_future(self._step(ticket_id, resync))
        self._steps[key] = (event, made)  # the event is kept, so that its id() is not reused meanwhile
        while len(self._steps) > self.remembered:
            self._steps.popitem(last=False)
        return made

    async def _step(self, ticket_id: int | None, resync: bool) -> Step | None:
        async with self._lock:
            if resync or self._members is None:
                await self._load()
                return Step(Change.RESYNC, self._count)
            if ticket_id is None:
                return None
            now = await self.query().filter(id=ticket_id).exists()
            before = ticket_id in self._members
            if not now and not before:
                return None
            if now and before:
                return Step(Change.CHANGED, self._count, ticket_id)
            if now:
                self._members.add(ticket_id)
            else:
                self._members.discard(ticket_id)
            self._count = await self.query().count()
            return Step(Change.ENTERED if now else Change.LEFT, self._count, ticket_id)


class Watches:
    """The watches of one process, by view and audience, while they have subscribers."""

    def __init__(self, remembered: int = 256) -> None:
        self.remembered = remembered
        self._watches: dict[Hashable, Watch] = {}

    def acquire(self, key: Hashable, query: Query) -> Watch:
        watch = self._watches.get(key)
        if watch is None:
            watch = self._watches[key] = Watch(key, query, self.remembered)
        watch.users += 1
        return watch

    def release(self, watch: Watch) -> None:
        watch.users -= 1
        if watch.users <= 0 and self._watches.get(watch.key) is watch:
            del self._watches[watch.key]

    def __len__(self) -> int:
        return len(self._watches)
