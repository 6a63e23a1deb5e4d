"""Real processes for realtime tests: a Redis server of the test's own, and several deskql servers."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

from tests.servers import DESKQL, environment, free_port


class RedisServer:
    """redis-server on a free port, which a test may stop and start again (nothing is persisted)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the realtime tests"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if redis.Redis(port=self.port).ping():
                    return
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def kill(self) -> None:
        """kill -9: no shutdown, no cleanup, like a crashed worker."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@dataclass
class Cluster:
    """Several single-worker deskql servers sharing one PostgreSQL database and one Redis."""

    env: dict[str, str]
    folder: Path
    servers: list[Server] = field(default_factory=list)

    def start(self, count: int) -> None:
        for _ in range(count):
            port = free_port()
            log = self.folder / f"server-{port}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [DESKQL, "serve", "--port", str(port)],
                    env=self.env,
                    cwd=self.folder,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            self.servers.append(Server(process, port, log))
        for server in self.servers:
            deadline = time.monotonic() + 180  # starting takes seconds; on a busy machine a minute or more
            while True:
                assert server.process.poll() is None, server.log.read_text()
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{server.http}/readyz", timeout=1).status_code == 200:
                        break
                assert time.monotonic() < deadline, server.log.read_text()
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM to every server still running, then a wait for each (they shut down side by side)."""
        running = [server for server in self.servers if server.process.poll() is None]
        for server in running:
            server.process.terminate()
        for server in running:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


@contextlib.contextmanager
def cluster(
    database_url: str, redis_url: str, folder: Path, count: int, **settings: str
) -> Iterator[Cluster]:
    settings.setdefault("log_level", "warning")
    env = environment(database_url=database_url, broadcast_url=redis_url, secret_key="r" * 40, **settings)
    env["PYTHONUNBUFFERED"] = "1"
    running = Cluster(env, folder)
    try:
        running.start(count)
        yield running
    finally:
        running.stop()


class PostgresServer:
    """A PostgreSQL cluster of the test's own on a free port, which a test may stop and start again.

    PostgreSQL refuses to run as root, so the cluster belongs to the ``postgres`` user when the tests run
    as root (CI), in a folder of its own under the system's temporary directory.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="deskql-pg-"))
        self.data = self.folder / "data"
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        binary = shutil.which(tool)
        assert binary, f"{tool} is needed for the database fault tests"
        subprocess.run([*self._as_owner, binary, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )

    def stop(self) -> None:
        """An immediate shutdown: every connection is cut, like a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
