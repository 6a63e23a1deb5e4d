"""What a change sets off: the consumers that the unit of work hands its events to.

The application registers them at start (app.main), so that one place shows everything a change sets off.
A before-commit consumer runs inside the change's transaction: what it writes (the email outbox) is as
durable as the change and rolls back with it. An after-commit consumer runs once the change has committed
(the broadcast) and never for a change that rolled back. Until one is registered (CLI commands, demo data,
service tests) a change sets nothing off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from services.events import Event

Consumer = Callable[[Sequence[Event]], Awaitable[None]]
"""Takes the events of one unit of work, in the order they were emitted."""


@dataclass(frozen=True)
class _Registration:
    before_commit: Consumer | None
    after_commit: Consumer | None


_registered: dict[str, _Registration] = {}


def register(
    name: str, *, before_commit: Consumer | None = None, after_commit: Consumer | None = None
) -> None:
    """Hand every unit of work's events to these consumers, after those registered before. Registering a
    ``name`` again replaces its consumers in their place (an application started again in one process)."""
    _registered[name] = _Registration(before_commit, after_commit)


async def before_commit(events: Sequence[Event]) -> None:
    for registration in list(_registered.values()):
        if registration.before_commit is not None:
            await registration.before_commit(events)


async def after_commit(events: Sequence[Event]) -> None:
    for registration in list(_registered.values()):
        if registration.after_commit is not None:
            await registration.after_commit(events)
