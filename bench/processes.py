"""The servers of the ticket-page benchmark as real processes, and the CPU time they use (Linux /proc)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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


def local_ports(pids: list[int]) -> set[int]:
    """The local TCP ports of the sockets these processes hold (Linux /proc): a server's connections to
    PostgreSQL among them, which pg_stat_activity knows by ``client_port``."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports: set[int] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


BACKENDS = (
    "SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[]) AND backend_type = 'client backend'"
)


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds([pid]) for pid in pids}


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds these processes used since ``before`` (a process not in it: all of its time)."""
    return sum(max(0.0, cpu_seconds([pid]) - before.get(pid, 0.0)) for pid in pids)


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
def servers(url: str, folder: Path, node: Path | None = None) -> Iterator[dict[str, tuple[int, int]]]:
    """Port and process id of deskql, of the baseline and (given Node) of PostGraphile while the block
    runs: each with 2 workers, deskql with Redis."""
    from bench import postgraphile
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
            ExitStack() as stack,
        ):
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            try:
                _wait_ready(process, f"http://127.0.0.1:{port}", log)
                ours = int(deskql.rsplit(":", 1)[1])
                running = {"deskql": (ours, serving_pid(ours)), "baseline": (port, process.pid)}
                if node is not None:
                    theirs = free_port()
                    pid = stack.enter_context(
                        postgraphile.serving(node, url, theirs, folder / "postgraphile.log")
                    )
                    running["postgraphile"] = (theirs, pid)
                yield running
            finally:
                process.terminate()
                process.wait(timeout=20)
    finally:
        redis.stop()
