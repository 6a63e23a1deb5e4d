"""The servers of the ticket-page benchmark as real processes, and the CPU time they use (Linux /proc)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.seed import SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            found.setdefault(parent, []).append(int(entry.name))
    return found


def process_tree(root: int) -> list[int]:
    """The process and its descendants (uvicorn's supervisor and its workers)."""
    children, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by these processes (Linux /proc)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def serving_pid(port: int) -> int:
    """The ``deskql serve --port PORT`` process."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in command and str(port).encode() in command and any(b"deskql" in c for c in command):
                return int(entry.name)
    raise RuntimeError(f"no deskql serve on port {port}")


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{base} exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{base} did not get ready:\n{log.read_text()}")
        time.sleep(0.2)


@contextmanager
def servers(url: str, folder: Path) -> Iterator[dict[str, tuple[int, int]]]:
    """Port and process id of deskql and of the baseline while the block runs: both with 2 workers,
    deskql with Redis."""
    from tests.processes import RedisServer
    from tests.servers import environment, free_port, serving

    redis = RedisServer(folder)
    redis.start()
    port = free_port()
    log = folder / "baseline.log"
    env = {**os.environ, "DESKQL_BENCH_BASELINE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.baseline:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    command += ["--workers", "2", "--log-level", "warning", "--no-access-log"]
    try:
        settings = {"database_url": url, "broadcast_url": redis.url, "workers": "2", "secret_key": SECRET_KEY}
        with (
            serving(environment(log_level="warning", **settings), folder, free_port()) as deskql,
            log.open("wb") as output,
        ):
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            try:
                _wait_ready(process, f"http://127.0.0.1:{port}", log)
                ours = int(deskql.rsplit(":", 1)[1])
                yield {"deskql": (ours, serving_pid(ours)), "baseline": (port, process.pid)}
            finally:
                process.terminate()
                process.wait(timeout=20)
    finally:
        redis.stop()
