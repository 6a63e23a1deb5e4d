"""A resolver that reads through loaders answers a value when the loaders hold what it reads (primed by a
planned read, or read before in the request), else an awaitable that gives the same value or error:
schema.types.common.then (one loader) and at_once (a coroutine that awaits several)."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from schema.types.common import at_once, then


def held(value: object) -> asyncio.Future[object]:
    future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


async def both(first: asyncio.Future[object], second: asyncio.Future[object]) -> tuple[object, object]:
    return await first, await second


async def test_what_the_loaders_hold_is_answered_at_once() -> None:
    assert then(held(2), lambda value: value * 3) == 6  # type: ignore[operator]
    assert at_once(both(held(1), held("a"))) == (1, "a")


async def test_what_is_still_read_is_an_awaitable_of_the_same_value() -> None:
    pending: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    answer = at_once(both(held(1), pending))
    assert inspect.isawaitable(answer)
    asyncio.get_running_loop().call_soon(pending.set_result, "b")
    assert await answer == (1, "b")  # type: ignore[misc]

    later: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    converted = then(later, lambda value: [value])
    later.set_result(3)
    assert await converted == [3]  # type: ignore[misc]


async def test_an_error_is_raised_at_once_or_by_the_awaitable() -> None:
    failed: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    failed.set_exception(LookupError("gone"))
    with pytest.raises(LookupError, match="gone"):
        at_once(both(held(1), failed))

    pending: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    answer = at_once(both(pending, held(1)))
    asyncio.get_running_loop().call_soon(pending.set_exception, LookupError("later"))
    with pytest.raises(LookupError, match="later"):
        await answer  # type: ignore[misc]


async def test_a_cancelled_awaitable_cancels_the_coroutine_it_goes_on_with() -> None:
    pending: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    stopped = asyncio.Event()

    async def reading() -> object:
        try:
            return await pending
        finally:
            stopped.set()

    async def awaiting() -> object:
        return await at_once(reading())  # type: ignore[misc]

    task = asyncio.ensure_future(awaiting())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stopped.is_set()
    assert pending.cancelled()
