"""Who is on a ticket right now: one entry per open ``ticketPresence`` subscription (a tab).

Each entry carries an expiry that its subscription renews every heartbeat; an entry whose process died
stops being renewed and is dropped once expired (by any reader, and by the heartbeat of any other
subscriber of the ticket, which then announces the change). Several tabs of one technician count once,
with the strongest state: typing beats viewing beats idle, the latest change winning a tie.

With Redis configured the entries live in a hash per ticket (``deskql:presence:<ticket>``, field = the
session); otherwise in this process's memory (the embedded, single-process mode).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Protocol

STRENGTH = {"TYPING_REPLY": 3, "TYPING_NOTE": 3, "VIEWING": 2, "IDLE": 1}


@dataclass(frozen=True)
class Entry:
    session: str
    technician_id: int
    state: str
    since: float
    joined: float
    expires: float


@dataclass(frozen=True)
class Collaborator:
    technician_id: int
    state: str
    since: float
    joined: float


def roster(entries: list[Entry], viewer_technician_id: int | None) -> list[Collaborator]:
    """One collaborator per technician with their strongest state; the viewer first, then by arrival."""
    best: dict[int, Entry] = {}
    joined: dict[int, float] = {}
    for entry in entries:
        joined[entry.technician_id] = min(joined.get(entry.technician_id, entry.joined), entry.joined)
        current = best.get(entry.technician_id)
        if current is None or (STRENGTH[entry.state], entry.since) > (STRENGTH[current.state], current.since):
            best[entry.technician_id] = entry
    people = [Collaborator(tid, e.state, e.since, joined[tid]) for tid, e in best.items()]
    return sorted(people, key=lambda c: (c.technician_id != viewer_technician_id, c.joined, c.technician_id))


class PresenceStore(Protocol):
    async def put(self, ticket_id: int, entry: Entry) -> None: ...

    async def renew(self, ticket_id: int, session: str, expires: float) -> bool:
        """Push the entry's expiry; False when the entry is gone (then the caller puts it again)."""
        ...

    async def set_state(
        self, ticket_id: int, technician_id: int, session: str | None, state: str, now: float
    ) -> int:
        """Set the state of the technician's entries (one session, or all); returns how many changed."""
        ...

    async def remove(self, ticket_id: int, session: str) -> None: ...

    async def entries(self, ticket_id: int, now: float) -> list[Entry]:
        """The entries that have not expired."""
        ...

    async def sweep(self, ticket_id: int, now: float) -> int:
        """Remove expired entries; returns how many."""
        ...

    async def close(self) -> None: ...


class MemoryPresence:
    """The embedded mode's store: this process's memory (there is only one process)."""

    def __init__(self) -> None:
        self._tickets: defaultdict[int, dict[str, Entry]] = defaultdict(dict)

    async def put(self, ticket_id: int, entry: Entry) -> None:
        self._tickets[ticket_id][entry.session] = entry

    async def renew(self, ticket_id: int, session: str, expires: float) -> bool:
        entry = self._tickets.get(ticket_id, {}).get(session)
        if entry is None:
            return False
        self._tickets[ticket_id][session] = replace(entry, expires=expires)
        return True

    async def set_state(
        self, ticket_id: int, technician_id: int, session: str | None, state: str, now: float
    ) -> int:
        changed = 0
        for key, entry in list(self._tickets.get(ticket_id, {}).items()):
            if entry.technician_id == technician_id and session in (None, key) and entry.state != state:
                self._tickets[ticket_id][key] = replace(entry, state=state, since=now)
                changed += 1
        return changed

    async def remove(self, ticket_id: int, session: str) -> None:
        sessions = self._tickets.get(ticket_id)
        if sessions is not None:
            sessions.pop(session, None)
            if not sessions:
                del self._tickets[ticket_id]

    async def entries(self, ticket_id: int, now: float) -> list[Entry]:
        return [entry for entry in self._tickets.get(ticket_id, {}).values() if entry.expires > now]

    async def sweep(self, ticket_id: int, now: float) -> int:
        expired = [s for s, entry in self._tickets.get(ticket_id, {}).items() if entry.expires <= now]
        for session in expired:
            await self.remove(ticket_id, session)
        return len(expired)

    async def close(self) -> None:
        self._tickets.clear()


_RENEW = """
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
local entry = cjson.decode(value)
entry['expires'] = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""
_SET_STATE = """
local changed = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if entry['technician_id'] == tonumber(ARGV[1]) and (ARGV[2] == '' or ARGV[2] == all[i]) and entry['state'] ~= ARGV[3] then
    entry['state'] = ARGV[3]
    entry['since'] = tonumber(ARGV[4])
    redis.call('HSET', KEYS[1], all[i], cjson.encode(entry))
    changed = changed + 1
  end
end
return changed
"""


class RedisPresence:
    """Entries in Redis, shared by every worker and host. Renewals and state changes are atomic (Lua)."""

    def __init__(self, url: str, key_seconds: int) -> None:
        from redis import asyncio as redis  # imported only where it is configured

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2)
        self._key_seconds = key_seconds
        self._renew = self._redis.register_script(_RENEW)
        self._set_state = self._redis.register_script(_SET_STATE)

    @staticmethod
    def _key(ticket_id: int) -> str:
        return f"deskql:presence:{ticket_id}"

    async def put(self, ticket_id: int, entry: Entry) -> None:
        key = self._key(ticket_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, entry.session, json.dumps(asdict(entry)))
            pipe.expire(key, self._key_seconds)
            await pipe.execute()

    async def renew(self, ticket_id: int, session: str, expires: float) -> bool:
        return bool(
            await self._renew(keys=[self._key(ticket_id)], args=[session, expires, self._key_seconds])
        )

    async def set_state(
        self, ticket_id: int, technician_id: int, session: str | None, state: str, now: float
    ) -> int:
        args: list[str | int | float] = [technician_id, session or "", state, now]
        return int(await self._set_state(keys=[self._key(ticket_id)], args=args))

    async def remove(self, ticket_id: int, session: str) -> None:
        await self._redis.hdel(self._key(ticket_id), session)

    async def _all(self, ticket_id: int) -> dict[str, Entry]:
        raw = await self._redis.hgetall(self._key(ticket_id))
        return {
            session.decode() if isinstance(session, bytes) else session: Entry(**json.loads(value))
            for session, value in raw.items()
        }

    async def entries(self, ticket_id: int, now: float) -> list[Entry]:
        return [entry for entry in (await self._all(ticket_id)).values() if entry.expires > now]

    async def sweep(self, ticket_id: int, now: float) -> int:
        expired = [session for session, entry in (await self._all(ticket_id)).items() if entry.expires <= now]
        if expired:
            await self._redis.hdel(self._key(ticket_id), *expired)
        return len(expired)

    async def close(self) -> None:
        await self._redis.aclose()
