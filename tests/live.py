"""The application running in process with its lifespan (realtime hub, presence), for subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

from app.database import Database
from app.graphql import DeskqlGraphQL
from app.main import create_app
from app.settings import Settings
from schema.context import Context
from services.authentication import authenticate
from tests.api import TEST_SECRET_KEY, Api


class Live(Api):
    """Api plus running realtime pieces and in-process subscriptions through the real schema."""

    def __init__(self, database: Database, **settings: Any) -> None:
        settings.setdefault("secret_key", TEST_SECRET_KEY)
        self.app = create_app(Settings(database_url=database.url, **settings), database=database)
        self.graphql: DeskqlGraphQL = self.app.state.graphql
        self._lifespan: AbstractAsyncContextManager[None] | None = None

    async def __aenter__(self) -> Live:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._lifespan is not None
        await self._lifespan.__aexit__(None, None, None)

    async def subscribe(self, query: str, variables: dict[str, Any], token: str) -> Stream:
        context = Context(
            request_id="test", environment=self.graphql.environment, viewer_or_none=await authenticate(token)
        )
        results = await self.graphql.schema.subscribe(query, variable_values=variables, context_value=context)
        assert not hasattr(results, "errors") or not getattr(results, "errors", None), results
        return Stream(results)  # type: ignore[arg-type]


class Stream:
    """A subscription's results, pumped into a queue and read with timeouts, so that a missing event fails
    the test instead of hanging it (and waiting for nothing does not cancel the subscription)."""

    def __init__(self, results: AsyncIterator[Any]) -> None:
        self._results = results
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._pump = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for result in self._results:
            await self._queue.put(result)
        await self._queue.put(None)

    async def _get(self, within: float) -> Any:
        return await asyncio.wait_for(self._queue.get(), within)

    async def next(self, within: float = 5.0) -> dict[str, Any]:
        result = await self._get(within)
        assert result is not None, "the subscription ended"
        assert not result.errors, result.errors
        data: dict[str, Any] = result.data
        return data

    async def error(self, within: float = 5.0) -> dict[str, Any]:
        result = await self._get(within)
        assert result is not None, "the subscription ended"
        assert result.errors, result
        return {"message": result.errors[0].message, "extensions": result.errors[0].extensions}

    async def nothing(self, within: float = 0.5) -> None:
        try:
            result = await self._get(within)
        except TimeoutError:
            return
        raise AssertionError(f"expected no event, got {result}")

    async def close(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await self._pump
        await self._results.aclose()  # type: ignore[attr-defined]
