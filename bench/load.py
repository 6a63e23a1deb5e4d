"""A small closed-loop HTTP/1.1 load generator on asyncio streams (keep-alive, one request in flight per
connection), lean enough to share a 2-core machine with the servers it measures.

``drive(target, concurrency, seconds)`` opens ``concurrency`` connections; each sends the same POST again
as soon as the previous answer is in. Requests answered within the measured window (opened after a warm-up,
once every connection has had an answer) count, for throughput and latency alike; a non-200 answer or a
body that is not ``{"data": ...}`` without ``errors`` counts as an error.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    name: str
    port: int
    path: str
    body: bytes
    token: str
    host: str = "127.0.0.1"

    def request(self) -> bytes:
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(self.body)}\r\n\r\n"
        )
        return head.encode() + self.body


@dataclass
class Run:
    target: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    completed: int = 0
    """Every answered request, warm-up included."""
    cpu_seconds: float = 0.0
    """CPU time the server's processes used during the whole run, warm-up included (when measured)."""
    db_cpu_seconds: float = 0.0
    """CPU time of the PostgreSQL backends serving the server's connections, the same way."""

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        """In milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000

    def summary(self) -> dict[str, float | int | str]:
        per_request = 1000 / self.completed if self.completed else float("nan")
        cpu_ms, db_ms = self.cpu_seconds * per_request, self.db_cpu_seconds * per_request
        return {
            "target": self.target,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p90_ms": round(self.percentile(0.90), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2) if self.latencies else float("nan"),
            "server_cpu_ms_per_request": round(cpu_ms, 2),
            "db_cpu_ms_per_request": round(db_ms, 2),
            "cpu_ms_per_request": round(cpu_ms + db_ms, 2),
        }


def merged(runs: list[Run]) -> Run:
    """Several runs of one target at one concurrency as one."""
    total = Run(runs[0].target, runs[0].concurrency, sum(run.seconds for run in runs))
    for run in runs:
        total.latencies.extend(run.latencies)
        total.errors += run.errors
        total.completed += run.completed
        total.cpu_seconds += run.cpu_seconds
        total.db_cpu_seconds += run.db_cpu_seconds
    return total


CONNECT_SPACING = 0.005
"""Seconds between opening two connections of a run."""


class ProtocolError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readuntil(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length: int | None = None
    chunked = False
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        if length is None:
            raise ProtocolError("no Content-Length")
        return status, await reader.readexactly(length)
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return status, b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def answered(status: int, body: bytes) -> bool:
    """A 200 carrying data and no top-level errors (an unescaped ``"errors":`` can only be that key)."""
    return (
        status == 200
        and body.startswith(b'{"data"')
        and b'"errors":' not in body
        and b'"errors" :' not in body
    )


async def send(target: Target, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    writer.write(target.request())
    status, body = await read_response(reader)
    if not answered(status, body):
        raise ProtocolError(f"{target.name}: {status} {body[:300]!r}")
    return body


async def drive(target: Target, concurrency: int, seconds: float, warmup: float = 1.0) -> Run:
    """Requests answered within a window of ``seconds`` that opens once ``warmup`` has passed and every
    connection has had an answer (so that a slow server is measured in its steady state, not while its
    first answers are still on their way). New requests stop at the end of the window."""
    request = target.request()
    run = Run(target.name, concurrency, seconds)
    window: list[float] = []
    answered_once = 0
    everyone = asyncio.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal answered_once
        first = True
        try:
            while not window or time.perf_counter() < window[1]:
                sent = time.perf_counter()
                writer.write(request)
                status, body = await read_response(reader)
                done = time.perf_counter()
                run.completed += 1
                if first:
                    first = False
                    answered_once += 1
                    if answered_once == concurrency:
                        everyone.set()
                if window and window[0] <= done <= window[1]:
                    run.latencies.append(done - sent)
                    if not answered(status, body):
                        run.errors += 1
        finally:
            writer.close()

    # Every connection is open before the first request: uvicorn's workers share the listening socket and
    # the worker that wakes up accepts every connection waiting, so connects in a burst, or while one worker
    # is busy, would pile onto one worker. Opened one at a time to idle workers, they spread evenly.
    opened_connections = []
    for _ in range(concurrency):
        opened_connections.append(await asyncio.open_connection(target.host, target.port))
        await asyncio.sleep(CONNECT_SPACING)
    tasks = [asyncio.create_task(connection(*pair)) for pair in opened_connections]
    await asyncio.sleep(warmup)
    waiting = asyncio.create_task(everyone.wait())
    await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if not everyone.is_set():  # a connection failed before its first answer
        waiting.cancel()
        await asyncio.gather(*tasks)
    opened = time.perf_counter()
    window.extend((opened, opened + seconds))
    await asyncio.gather(*tasks)
    return run


async def alternating(targets: list[Target], rounds: int, seed: int = 0) -> dict[str, list[float]]:
    """Latencies (seconds) of ``rounds`` requests to each target, one request at a time, taking the targets
    in turn (each on a connection of its own) in a shuffled order each round, so that a noisy neighbour,
    or the work a server does after answering, weighs on all of them alike."""
    connections = [await asyncio.open_connection(target.host, target.port) for target in targets]
    found: dict[str, list[float]] = {target.name: [] for target in targets}
    order = list(zip(targets, connections, strict=True))
    shuffle = random.Random(seed).shuffle
    try:
        for _ in range(rounds):
            shuffle(order)
            for target, (reader, writer) in order:
                sent = time.perf_counter()
                await send(target, reader, writer)
                found[target.name].append(time.perf_counter() - sent)
    finally:
        for _, writer in connections:
            writer.close()
    return found
