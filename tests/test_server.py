"""The README's promises end to end: the CLI and uvicorn, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import websockets

from tests.api import UPLOAD
from tests.conftest import PostgresDatabases, require
from tests.servers import admin_of_new_account, deskql, environment, free_port, migrate, serving

TICKET_PAGE = "{ ticketByNumber(number: 200) { title requester { name recentTickets { number } } conversation(first: 3) { edges { node { kind } } } } }"


def _token(output: str, role: str) -> str:
    match = re.search(rf"^\s+{role}\s+\S+\s+(dq_\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


SNAPSHOT = 'subscription { ticketUpdated(ticketId: "%s") { kind ticket { number } } }'


async def _websocket_subscribes(url: str, protocol: str, token: str, ticket_id: str) -> None:
    """Both protocols: connection_init with the token, then a subscription's first result."""
    async with websockets.connect(url, subprotocols=[protocol]) as socket:  # type: ignore[list-item]
        assert socket.subprotocol == protocol
        await socket.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        start = "subscribe" if protocol == "graphql-transport-ws" else "start"
        await socket.send(json.dumps({"id": "1", "type": start, "payload": {"query": SNAPSHOT % ticket_id}}))
        result = json.loads(await socket.recv())
        assert result["payload"]["data"]["ticketUpdated"] == {"kind": "SNAPSHOT", "ticket": {"number": 200}}


async def _websocket_refuses(url: str, protocol: str, payload: dict[str, str]) -> None:
    """No token, or a bad one: the connection is closed with 4401."""
    async with websockets.connect(url, subprotocols=[protocol]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _read_until_closed(socket)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


async def _read_until_closed(socket: websockets.ClientConnection) -> None:
    while True:
        await socket.recv()


async def _reply_with_a_file_and_a_status(client: httpx.AsyncClient, token: str) -> None:
    """The README's worked example, over a real socket: upload, reply with it and a status, download."""
    auth = {"Authorization": f"Bearer {token}"}
    operations = {"query": UPLOAD, "variables": {"file": None}}
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("error log.txt", b"0x80070005 access denied", "text/plain")},
        headers={**auth, "GraphQL-Preflight": "1"},
    )
    attachment = response.json()["data"]["uploadAttachment"]["attachment"]
    statuses = (
        await client.post("/graphql", json={"query": "{ ticketStatuses { id name } }"}, headers=auth)
    ).json()
    pending = next(s["id"] for s in statuses["data"]["ticketStatuses"] if s["name"] == "Pending")
    page = (
        await client.post("/graphql", json={"query": "{ ticketByNumber(number: 200) { id } }"}, headers=auth)
    ).json()
    reply = """mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) {
      ... on AddCommentSuccess { comment { attachments { filename downloadUrl } } ticket { status { name } } } } }"""
    variables = {
        "input": {
            "ticketId": page["data"]["ticketByNumber"]["id"],
            "body": "<p>Log attached.</p>",
            "attachmentIds": [attachment["id"]],
            "setStatusId": pending,
        }
    }
    result = (
        await client.post("/graphql", json={"query": reply, "variables": variables}, headers=auth)
    ).json()
    saved = result["data"]["addPublicReply"]
    assert saved["ticket"]["status"] == {"name": "Pending"}
    [file] = saved["comment"]["attachments"]
    download = await client.get(file["downloadUrl"])
    assert (download.status_code, download.content) == (200, b"0x80070005 access denied")


async def test_the_embedded_default_migrates_loads_demo_data_and_serves(tmp_path: Path) -> None:
    env = environment(database_url=f"sqlite://{tmp_path}/deskql.sqlite3")
    assert deskql("migrate", env=env, cwd=tmp_path).returncode == 0
    first = deskql("demo", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "loading demo data" in first.stdout
    second = deskql("demo", env=env, cwd=tmp_path)
    assert "loading demo data" not in second.stdout  # first run only
    technician = _token(second.stdout, "technician")
    old_technician = _token(first.stdout, "technician")

    port = free_port()
    with serving(env, tmp_path, port) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            assert "graphiql" in (await client.get("/graphql", headers={"Accept": "text/html"})).text.lower()
            response = await client.post(
                "/graphql", json={"query": TICKET_PAGE}, headers={"Authorization": f"Bearer {technician}"}
            )
            page = response.json()["data"]["ticketByNumber"]
            assert page["requester"]["recentTickets"][0] == {"number": 200}
            assert len(page["conversation"]["edges"]) == 3
            stale = await client.post(
                "/graphql",
                json={"query": "{ viewer { account { name } } }"},
                headers={"Authorization": f"Bearer {old_technician}"},
            )
            assert stale.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            await _reply_with_a_file_and_a_status(client, technician)
            ticket_id = (
                await client.post(
                    "/graphql",
                    json={"query": "{ ticketByNumber(number: 200) { id } }"},
                    headers={"Authorization": f"Bearer {technician}"},
                )
            ).json()["data"]["ticketByNumber"]["id"]
        for protocol in ("graphql-transport-ws", "graphql-ws"):
            await _websocket_subscribes(f"ws://127.0.0.1:{port}/graphql", protocol, technician, ticket_id)
            for payload in (
                {},
                {"authorization": "Bearer dq_nope"},
                {"authorization": f"Bearer {old_technician}"},
            ):
                await _websocket_refuses(f"ws://127.0.0.1:{port}/graphql", protocol, payload)


async def test_the_production_shape_serves_on_postgresql_with_two_workers(
    tmp_path: Path, postgres_databases: PostgresDatabases | None, redis_url: str
) -> None:
    require("x" if postgres_databases else "", "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create(migrated=True)
    env = environment(database_url=database_url, broadcast_url=redis_url, workers="2", secret_key="s" * 40)
    migrate(env, tmp_path)
    admin_token = admin_of_new_account(env, tmp_path, name="Initech", email="bill@initech.test", admin="Bill")
    assert admin_token.startswith("dq_")
    again = deskql("create-token", "--email", "BILL@initech.test", env=env, cwd=tmp_path)
    api_token = again.stdout.strip()

    with serving(env, tmp_path, free_port()) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            for token in (admin_token, api_token):
                response = await client.post(
                    "/graphql",
                    json={"query": "{ viewer { technician { name role } } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.json() == {
                    "data": {"viewer": {"technician": {"name": "Bill", "role": "ADMIN"}}}
                }


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("port", "eighty", "DESKQL_PORT: Input should be a valid integer"),
        (
            "database_url",
            "mysql://x",
            "DESKQL_DATABASE_URL: must start with sqlite://, postgres:// or postgresql://",
        ),
        ("workers", "2", "DESKQL_WORKERS > 1 needs DESKQL_BROADCAST_URL=redis://..."),
        ("secret_key", "short", "DESKQL_SECRET_KEY: must be at least 32 characters"),
    ],
)
def test_a_wrong_setting_fails_at_start_with_one_line_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    env = environment(**{variable: value})
    result = deskql("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"deskql: {message}")


SIGN_IN = """mutation($email: String!) { login(input: {email: $email, password: "not it"}) { __typename } }"""


@pytest.mark.parametrize(
    ("believed", "counted_apart"),
    [("127.0.0.1", True), ("192.0.2.1", False)],
    ids=["proxy-believed", "forwarded-header-ignored"],
)
async def test_sign_ins_are_counted_per_forwarded_client_only_behind_a_believed_proxy(
    tmp_path: Path, believed: str, counted_apart: bool
) -> None:
    env = environment(
        database_url=f"sqlite://{tmp_path}/deskql.sqlite3",
        forwarded_allow_ips=believed,
        rate_limit_sign_ins_per_client="2",
    )
    migrate(env, tmp_path)
    with serving(env, tmp_path, free_port()) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:

            async def sign_in_from(address: str, n: int) -> str:
                answer = await client.post(
                    "/graphql",
                    json={"query": SIGN_IN, "variables": {"email": f"guess{n}@acme.test"}},
                    headers={"X-Forwarded-For": address},
                )
                name: str = answer.json()["data"]["login"]["__typename"]
                return name

            first = [await sign_in_from("203.0.113.7", n) for n in range(3)]
            assert first == ["InvalidCredentialsError"] * 2 + ["RateLimitedError"]
            # Another client behind the proxy has its own allowance only when the proxy is believed.
            other = await sign_in_from("203.0.113.8", 3)
            assert other == ("InvalidCredentialsError" if counted_apart else "RateLimitedError")
