"""The open websocket connections of this process, ended as soon as their token stops being good.

A connection is authenticated once, at ``connection_init``, and may live for hours. So:

- every subscribe on it checks its token again (services.authentication.reauthenticate);
- services announce a change of someone's credentials (a logout, a deactivation, a new role) after commit
  on ``channels.AUTH``, which every process follows: each process checks the tokens of that person's
  connections again at once and ends those no longer good. After a broadcast outage (RESYNC) every
  connection is checked, since announcements may have been lost meanwhile;
- a subscription still checks its token every ``Realtime.revalidate_seconds`` (subscriptions.stream), for
  what changed behind deskql's back (a technician deactivated in the database directly).

Ending a connection ends each of its operations with an UNAUTHENTICATED error and closes it with 4401.
A worker that stops closes every connection with 1001 "going away" (``go_away``), so that clients connect
again, to another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Protocol

from services.authentication import reauthenticate
from services.errors import Unauthenticated
from services.viewer import Viewer
from subscriptions import channels
from subscriptions.hub import Hub

log = logging.getLogger("deskql.connections")
Person = tuple[str, int]


class Connection(Protocol):
    @property
    def viewer(self) -> Viewer | None: ...

    async def end(self, reason: str) -> None:
        """End every operation with an UNAUTHENTICATED error naming ``reason``, and close."""

    async def go_away(self) -> None:
        """Stop every operation and close with 1001 "going away": this worker stops, the client may connect
        to another."""


def _person(viewer: Viewer) -> Person:
    if viewer.technician_id is not None:
        return ("technician", viewer.technician_id)
    return ("requester", viewer.requester_id or 0)


class Connections:
    def __init__(self) -> None:
        self._by_person: dict[Person, set[Connection]] = {}
        self._person_of: dict[Connection, Person] = {}
        self._follower: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._person_of)

    def add(self, connection: Connection) -> None:
        """Register (again, after its viewer may have changed) an authenticated connection."""
        self.discard(connection)
        if connection.viewer is None:
            return
        person = _person(connection.viewer)
        self._person_of[connection] = person
        self._by_person.setdefault(person, set()).add(connection)

    def discard(self, connection: Connection) -> None:
        person = self._person_of.pop(connection, None)
        if person is None:
            return
        same = self._by_person[person]
        same.discard(connection)
        if not same:
            del self._by_person[person]

    async def problem(self, connection: Connection) -> str | None:
        """Why the connection's token is no longer good (None when it is). Raises when the database
        cannot tell."""
        viewer = connection.viewer
        if viewer is None:
            return "Authentication required."
        try:
            await reauthenticate(viewer)
        except Unauthenticated as error:
            return error.message
        self.add(connection)
        return None

    async def check(self, connections: Iterable[Connection]) -> None:
        """Check the tokens of these connections again (once per viewer) and end those no longer good."""
        by_viewer: dict[Viewer, list[Connection]] = {}
        for connection in list(connections):
            if connection.viewer is not None:
                by_viewer.setdefault(connection.viewer, []).append(connection)
        for viewer, same in by_viewer.items():
            try:
                await reauthenticate(viewer)
            except Unauthenticated as error:
                log.info("ending %d websockets of token %s: %s", len(same), viewer.token_id, error.message)
                for connection in same:
                    self.discard(connection)
                await asyncio.gather(*(c.end(error.message) for c in same), return_exceptions=True)
            except Exception:
                log.exception("checking the token %s of %d websockets failed", viewer.token_id, len(same))

    async def go_away(self) -> None:
        """Close every connection with 1001, their operations' cleanup (presence above all) done."""
        connections = list(self._person_of)
        for connection in connections:
            self.discard(connection)
        await asyncio.gather(*(c.go_away() for c in connections), return_exceptions=True)

    async def start(self, hub: Hub) -> None:
        """Follow ``channels.AUTH``; returns once it is subscribed."""
        following = asyncio.Event()
        self._follower = asyncio.create_task(self._follow(hub, following), name="deskql-credentials")
        await following.wait()

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follower

    async def _follow(self, hub: Hub, following: asyncio.Event) -> None:
        lost = False
        while True:
            try:
                async with hub.subscribe(channels.AUTH) as subscriber:
                    following.set()
                    if lost:  # announcements may have been missed meanwhile
                        await self.check(self._person_of)
                    while True:
                        event = await subscriber.get()
                        assert event is not None
                        message = channels.decode(event.message)
                        if message.is_resync:
                            await self.check(self._person_of)
                        else:
                            await self.check(self._of(message.ids))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("following credential changes failed; following again")
                following.set()
                lost = True
                await asyncio.sleep(1)

    def _of(self, ids: dict[str, int]) -> set[Connection]:
        for kind in ("technician", "requester"):
            if kind in ids:
                return set(self._by_person.get((kind, ids[kind]), ()))
        return set()
