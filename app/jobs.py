"""Periodic jobs that run inside every server process.

Each job must be safe to run in several processes at once (they claim rows in the database), so a
deployment with N workers needs no separate scheduler. A failing run is logged and retried next time.

When the process stops, a job that sleeps ends at once; one that runs is told so (``Job.stopping``) and
given ``grace_seconds`` to finish what it holds, then cancelled; then its ``release`` gives back what it
still holds (the outbox's leases), so that another worker takes it over at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from services.availability import database_unavailable

log = logging.getLogger("deskql.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]
    release: Callable[[], Awaitable[object]] | None = None
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the process stops: a long run ends after the piece of work in hand."""


async def _loop(job: Job) -> None:
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(job.stopping.wait(), job.every_seconds)
            return
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
async def running(jobs: list[Job], grace_seconds: float = 10.0) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(_loop(job), name=f"deskql-job-{job.name}") for job in jobs]
    try:
        yield
    finally:
        for job in jobs:
            job.stopping.set()
        _, late = await asyncio.wait(tasks, timeout=grace_seconds) if tasks else (set(), set())
        for task in late:
            log.warning("job %s did not finish within %ss; cancelled", task.get_name(), grace_seconds)
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
        for job in jobs:
            if job.release is not None:
                try:
                    await job.release()
                except Exception:
                    log.exception("job %s could not give back what it holds", job.name)
