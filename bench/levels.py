"""The ticket page at each concurrency level: deskql, the baseline and PostGraphile in turn, with the CPU
each server uses per page, its own processes and the PostgreSQL backends serving its connections."""

from __future__ import annotations

import os
import sys
from typing import Any

import asyncpg

from bench import load, report
from bench.processes import BACKENDS, cpu_by_pid, cpu_since, local_ports, process_tree

SECONDS = float(os.environ.get("DESKQL_BENCH_SECONDS", "5"))
WARMUP = 1.0
LEVELS = [int(level) for level in os.environ.get("DESKQL_BENCH_LEVELS", "1,8,32,64").split(",")]


def turns(names: list[str]) -> list[str]:
    """The order of one level's runs: every server in turn and back (deskql, baseline, PostGraphile,
    PostGraphile, baseline, deskql), so that a machine getting busier or quieter during a level weighs on
    each alike. Only ratios within one run mean much on a shared machine."""
    return [*names, *reversed(names)]


class ServerCpu:
    """CPU seconds used between ``start`` and ``stop`` by a server's process tree and by the PostgreSQL
    backends of its connections (found by their client ports; a connection opened during the run counts
    whole, one closed during it is lost)."""

    def __init__(self, root: int, monitor: asyncpg.Connection) -> None:
        self.root, self.monitor = root, monitor
        self.pids: list[int] = []
        self.backends: list[int] = []
        self.before: dict[int, float] = {}

    async def _backends(self) -> list[int]:
        ports = sorted(local_ports(self.pids))
        return [row["pid"] for row in await self.monitor.fetch(BACKENDS, ports)]

    async def start(self) -> None:
        self.pids = process_tree(self.root)
        self.backends = await self._backends()
        self.before = cpu_by_pid(self.pids + self.backends)

    async def stop(self) -> tuple[float, float]:
        backends = sorted(set(self.backends) | set(await self._backends()))
        return cpu_since(self.before, self.pids), cpu_since(self.before, backends)


def ratios(row: dict[str, Any]) -> dict[str, Any]:
    """deskql against the baseline (targets: p50 within 3x, a third of its throughput) and against
    PostGraphile (target: at least its throughput)."""
    d, b = row["deskql"], row["baseline"]
    found: dict[str, Any] = {
        "p50_ratio": round(d["p50_ms"] / b["p50_ms"], 2),
        "mean_ratio": round(d["mean_ms"] / b["mean_ms"], 2),
        "rps_ratio": round(d["rps"] / b["rps"], 3),
    }
    found["p50_met"] = found["p50_ratio"] <= report.P50_TARGET
    found["rps_met"] = found["rps_ratio"] >= report.RPS_TARGET
    if (p := row.get("postgraphile")) is not None:
        found["postgraphile_rps_ratio"] = round(d["rps"] / p["rps"], 3)
        found["postgraphile_p50_ratio"] = round(d["p50_ms"] / p["p50_ms"], 2)
        found["postgraphile_rps_met"] = found["postgraphile_rps_ratio"] >= report.POSTGRAPHILE_RPS_TARGET
    return found


async def levels(
    targets: list[load.Target], roots: dict[str, int], url: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per level (each server's merged runs and the ratios) and every run's summary."""
    for target in targets:  # every worker of each warm (caches, prepared statements, pools)
        await load.drive(target, 8, 3.0, warmup=0)
    names = [target.name for target in targets]
    by_name = {target.name: target for target in targets}
    monitor = await asyncpg.connect(url)
    rows, runs = [], []
    try:
        for concurrency in LEVELS:
            done: dict[str, list[load.Run]] = {name: [] for name in names}
            for name in turns(names):
                cpu = ServerCpu(roots[name], monitor)
                await cpu.start()
                run = await load.drive(by_name[name], concurrency, SECONDS, WARMUP)
                run.cpu_seconds, run.db_cpu_seconds = await cpu.stop()
                done[name].append(run)
                runs.append(run.summary())
                print(f"  {concurrency:>3} connections {name:<12} {run.rps:7.1f} req/s", file=sys.stderr)
            row: dict[str, Any] = {"concurrency": concurrency}
            row |= {name: load.merged(done[name]).summary() for name in names}
            rows.append(row | ratios(row))
    finally:
        await monitor.close()
    return rows, runs
