"""Real deskql processes for end-to-end tests: the CLI as a user runs it, uvicorn serving on loopback."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx

DESKQL = str(Path(sys.executable).with_name("deskql"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def in_process(app: Any, **config: Any) -> AsyncIterator[int]:
    """``app`` served by uvicorn in this process on a free port (yielded) while the block runs."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off", **config))
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


def environment(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DESKQL_")}
    env.update({f"DESKQL_{key.upper()}": value for key, value in settings.items()})
    return env


def deskql(*args: str, env: dict[str, str], cwd: Path, input: str = "") -> subprocess.CompletedProcess[str]:
    """The command with ``input`` on its standard input, then end of file, and no terminal to turn to."""
    return subprocess.run(
        [DESKQL, *args],
        env=env,
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,
    )


_sqlite_template: list[Path] = []


def sqlite_template() -> Path:
    """A SQLite database migrated by `deskql migrate` once per test run (in a folder removed at exit):
    the migrations take seconds of CPU each time, a copy of their result milliseconds."""
    if not _sqlite_template:
        folder = Path(tempfile.mkdtemp(prefix="deskql-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "template.sqlite3"
        done = deskql("migrate", env=environment(database_url=f"sqlite://{template}"), cwd=folder)
        assert done.returncode == 0, done.stderr
        _sqlite_template.append(template)
    return _sqlite_template[0]


def migrate(env: dict[str, str], cwd: Path) -> None:
    """`deskql migrate` as a user runs it, for a test whose point is not the migrations: a SQLite database
    that does not exist yet starts as a copy of sqlite_template(), so the command finds it up to date (a
    PostgreSQL database is cloned from a migrated one by conftest's PostgresDatabases)."""
    url = env.get("DESKQL_DATABASE_URL", "sqlite://var/deskql.sqlite3")
    if url.startswith("sqlite://"):
        path = cwd / url.removeprefix("sqlite://")  # an absolute path stays itself
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sqlite_template(), path)
    done = deskql("migrate", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr


def admin_of_new_account(
    env: dict[str, str], cwd: Path, name: str = "Acme", email: str = "ada@acme.test", admin: str = "Ada Admin"
) -> str:
    """`deskql create-account` as a user runs it; the token of the new account's admin, which it prints last."""
    created = deskql(
        "create-account", "--name", name, "--admin-email", email, "--admin-name", admin, env=env, cwd=cwd
    )
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


@contextmanager
def serving(env: dict[str, str], cwd: Path, port: int) -> Iterator[str]:
    """`deskql serve` until the block ends; yields the base URL once /readyz answers."""
    log = cwd / f"server-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [DESKQL, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # starting takes seconds; on a busy machine a minute or more
        while True:
            if process.poll() is not None:
                raise AssertionError(f"deskql serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"deskql serve did not get ready:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
