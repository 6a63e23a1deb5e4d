"""Periodic jobs that run inside every server process.

Each job must be safe to run in several processes at once (they claim rows in the database), so a
deployment with N workers needs no separate scheduler. A failing run is logged and retried next time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from services.availability import database_unavailable

log = logging.getLogger("deskql.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]


async def _loop(job: Job) -> None:
    while True:
        await asyncio.sleep(job.every_seconds)
        try:
            await job.run()
        except Exception as error:
            if database_unavailable(error):
                log.warning(
                    "job %s: the database is out of reach; it runs again in %ss", job.name, job.every_seconds
                )
            else:
                log.exception("job %s failed; it runs again in %ss", job.name, job.every_seconds)


@asynccontextmanager
async def running(jobs: list[Job]) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(_loop(job), name=f"deskql-job-{job.name}") for job in jobs]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
