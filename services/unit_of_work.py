"""A transaction that collects events and hands them to the registered consumers (services.consumers).

Tortoise has no on-commit hook. Services open ``unit_of_work()``; a service called from inside another
joins the outer unit, so that the outermost one hands over every event: to the before-commit consumers
inside its transaction, to the after-commit ones once it has committed, and to none when it rolls back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.transactions import in_transaction

from services import consumers
from services.events import Event

_current: ContextVar[UnitOfWork | None] = ContextVar("deskql_unit_of_work", default=None)


class UnitOfWork:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)


def current() -> UnitOfWork | None:
    """The unit of work of the running transaction, if any."""
    return _current.get()


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[UnitOfWork]:
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    work = UnitOfWork()
    token = _current.set(work)
    try:
        async with in_transaction():
            yield work
            if work.events:
                await consumers.before_commit(work.events)
    finally:
        _current.reset(token)
    # Only reached when the transaction committed.
    if work.events:
        await consumers.after_commit(work.events)
