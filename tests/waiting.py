"""Waiting in tests: for a condition, with a deadline and a poll, never for a fixed time.

``eventually`` polls a check until it holds. ``received_until`` reads a subscription up to a *barrier*: to
show that a subscriber was not sent something, cause a later event that it must be sent, on a path that
keeps order (one process's broadcast hub hands events to subscribers in the order they were published, and
a subscription yields them in that order); once the barrier has arrived, everything published before it
has too, so the results read before it are all the subscriber was ever going to get of the earlier changes.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], T | Awaitable[T]], within: float = 10.0, every: float = 0.05, what: str = ""
) -> T:
    """The first truthy value of ``check()`` (a plain or an async callable), polled every ``every``
    seconds; fails when ``within`` seconds pass first."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        assert time.monotonic() < deadline, f"not within {within}s: {what or check}"
        await asyncio.sleep(every)


class Results(Protocol):
    """A subscription read with a timeout: tests.live.Stream, tests.ws.WSClient."""

    async def next(self, within: float = ...) -> dict[str, Any]: ...


async def received_until(
    results: Results, barrier: Callable[[dict[str, Any]], bool], within: float = 10.0
) -> list[dict[str, Any]]:
    """The results up to and including the first that satisfies ``barrier``; fails when that one has
    not arrived within ``within`` seconds."""
    deadline = time.monotonic() + within
    received: list[dict[str, Any]] = []
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            received.append(await results.next(within=remaining))
        except TimeoutError:
            raise AssertionError(
                f"the barrier did not arrive within {within}s; before it: {received}"
            ) from None
        if barrier(received[-1]):
            return received
