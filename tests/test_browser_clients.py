"""What single-page apps on other origins and spec-following clients meet: CORS, the websocket's Origin check,
absolute download links, the GraphQL-over-HTTP media type, batches, upload preflight headers, and
graphql-http's audit of a real `deskql serve`."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from graphql import get_introspection_query
from websockets.exceptions import InvalidStatus

from app.database import Database
from app.graphql_over_http import GRAPHQL_RESPONSE_JSON, media_type
from app.settings import SettingsError, load_settings
from tests.api import UPLOAD, Api
from tests.factories import make_world
from tests.servers import environment, free_port, migrate, serving

SPA = "http://localhost:5173"
FOREIGN = "https://evil.example"
PUBLIC = "https://api.desk.example"
NODE_TESTS = Path(__file__).parent / "node"
APOLLO_CLIENT_4_ACCEPT = "application/graphql-response+json,application/json;q=0.9"


@pytest.fixture
def spa_api(db: Database) -> Api:
    return Api(db, cors_origins=f"{SPA}, https://dash.example.com", public_url=PUBLIC)


def preflight(origin: str, headers: str = "authorization, content-type") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": headers,
    }


# CORS


async def test_a_preflight_from_a_listed_origin_is_answered_with_the_methods_and_the_headers_asked_for(
    spa_api: Api,
) -> None:
    asked = (
        "authorization, content-type, graphql-preflight, apollo-require-preflight, x-apollo-operation-name"
    )
    async with spa_api.client() as client:
        response = await client.options("/graphql", headers=preflight(SPA, asked))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SPA
    assert {"GET", "POST"} <= set(
        response.headers["access-control-allow-methods"].replace(" ", "").split(",")
    )
    allowed = {header.strip() for header in response.headers["access-control-allow-headers"].split(",")}
    assert set(asked.replace(" ", "").split(",")) <= allowed
    assert "access-control-allow-credentials" not in response.headers


async def test_an_answer_to_a_listed_origin_names_it_and_exposes_the_request_id(spa_api: Api) -> None:
    async with spa_api.client() as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": SPA})
    assert response.json() == {"data": {"__typename": "Query"}}
    assert response.headers["access-control-allow-origin"] == SPA
    assert "Origin" in response.headers["vary"]
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in exposed
    assert "retry-after" in exposed


async def test_a_refusal_before_graphql_reads_the_request_still_names_the_listed_origin(spa_api: Api) -> None:
    """A page must be able to read a 400 or 413 too."""
    async with spa_api.client() as client:
        response = await client.post(
            "/graphql",
            files={"0": ("a.txt", b"hello", "text/plain")},
            data={"operations": "{}", "map": "{}"},
            headers={"Origin": SPA},
        )
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == SPA


async def test_an_origin_not_listed_gets_no_access_control_allow_origin(spa_api: Api) -> None:
    async with spa_api.client() as client:
        asked = await client.options("/graphql", headers=preflight(FOREIGN))
        answered = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": FOREIGN}
        )
        default_port = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "http://localhost:5174"}
        )
    assert asked.status_code == 400
    assert "access-control-allow-origin" not in asked.headers
    assert "access-control-allow-origin" not in answered.headers
    assert "access-control-allow-origin" not in default_port.headers


async def test_without_the_setting_no_cors_header_is_sent(api: Api) -> None:
    async with api.client() as client:
        asked = await client.options("/graphql", headers=preflight(SPA))
        answered = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": SPA})
    assert asked.status_code == 405
    assert not any(name.startswith("access-control-") for name in asked.headers)
    assert not any(name.startswith("access-control-") for name in answered.headers)


async def test_any_origin_may_be_allowed_without_credentials(db: Database) -> None:
    anyone = Api(db, cors_origins="*", public_url=PUBLIC)
    async with anyone.client() as client:
        response = await client.options("/graphql", headers=preflight(FOREIGN))
    assert (response.status_code, response.headers["access-control-allow-origin"]) == (200, "*")


async def test_credentials_are_allowed_for_listed_origins_when_the_setting_says_so(db: Database) -> None:
    proxied = Api(db, cors_origins=SPA, public_url=PUBLIC, cors_allow_credentials=True)
    async with proxied.client() as client:
        response = await client.options("/graphql", headers=preflight(SPA))
    assert response.headers["access-control-allow-origin"] == SPA
    assert response.headers["access-control-allow-credentials"] == "true"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"cors_origins": "*", "cors_allow_credentials": "true", "public_url": PUBLIC},
            "DESKQL_CORS_ORIGINS=* cannot be used with DESKQL_CORS_ALLOW_CREDENTIALS=true: list the origins",
        ),
        ({"cors_origins": SPA}, "DESKQL_CORS_ORIGINS needs DESKQL_PUBLIC_URL"),
        (
            {"cors_origins": f"{SPA}/app", "public_url": PUBLIC},
            "DESKQL_CORS_ORIGINS: 'http://localhost:5173/app'",
        ),
        ({"cors_origins": f"*, {SPA}", "public_url": PUBLIC}, "DESKQL_CORS_ORIGINS: * stands alone"),
        ({"public_url": "api.example.com"}, "DESKQL_PUBLIC_URL: must be an address such as"),
    ],
)
def test_wrong_cors_settings_stop_the_start_with_a_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(f"DESKQL_{name.upper()}", value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value).startswith(message)


def test_listed_origins_are_kept_as_browsers_send_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKQL_CORS_ORIGINS", " HTTPS://Desk.Example.com:443/, http://localhost:5173 ,")
    monkeypatch.setenv("DESKQL_PUBLIC_URL", "https://api.example.com/")
    settings = load_settings()
    assert settings.cors_origin_list == ["https://desk.example.com", "http://localhost:5173"]
    assert settings.public_url == "https://api.example.com"


# Download links


async def _upload(api: Api, token: str, headers: dict[str, str]) -> httpx.Response:
    async with api.client() as client:
        return await client.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("report.txt", b"all fine", "text/plain")},
            headers={"Authorization": f"Bearer {token}", **headers},
        )


async def test_download_links_are_absolute_under_the_public_url_and_answer_listed_origins(
    spa_api: Api,
) -> None:
    world = await make_world()
    response = await _upload(spa_api, world.technician_token, {"GraphQL-Preflight": "1", "Origin": SPA})
    link = response.json()["data"]["uploadAttachment"]["attachment"]["downloadUrl"]
    assert link.startswith(f"{PUBLIC}/attachments/")
    async with spa_api.client() as client:
        download = await client.get(link.removeprefix(PUBLIC), headers={"Origin": SPA})
    assert (download.status_code, download.content) == (200, b"all fine")
    assert download.headers["access-control-allow-origin"] == SPA
    assert "content-disposition" in download.headers["access-control-expose-headers"].lower()


async def test_a_calendar_feed_address_is_under_the_public_url(spa_api: Api) -> None:
    world = await make_world()
    feed = """mutation { createCalendarFeed { ... on CalendarFeedSuccess { feed { url webcalUrl } } } }"""
    made = (await spa_api.data(feed, token=world.technician_token))["createCalendarFeed"]["feed"]
    assert made["url"].startswith(f"{PUBLIC}/calendar/")
    assert made["webcalUrl"] == made["url"].replace("https://", "webcal://")


async def test_without_a_public_url_download_links_stay_paths_on_the_api(api: Api) -> None:
    world = await make_world()
    response = await _upload(api, world.technician_token, {"GraphQL-Preflight": "1"})
    assert response.json()["data"]["uploadAttachment"]["attachment"]["downloadUrl"].startswith(
        "/attachments/"
    )


# Upload preflight headers


@pytest.mark.parametrize(
    "header", ["GraphQL-Preflight", "Apollo-Require-Preflight", "X-Apollo-Operation-Name"]
)
async def test_an_upload_with_any_header_apollo_server_accepts_is_taken(api: Api, header: str) -> None:
    world = await make_world()
    response = await _upload(api, world.technician_token, {header: "UploadAttachment"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["uploadAttachment"]["__typename"] == "UploadAttachmentSuccess"


@pytest.mark.parametrize("headers", [{}, {"X-Apollo-Operation-Name": " "}, {"GraphQL-Preflight": ""}])
async def test_an_upload_without_a_non_empty_preflight_header_is_refused(
    api: Api, headers: dict[str, str]
) -> None:
    world = await make_world()
    response = await _upload(api, world.technician_token, headers)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "X-Apollo-Operation-Name" in error["message"]


# Media types and statuses


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        (APOLLO_CLIENT_4_ACCEPT, GRAPHQL_RESPONSE_JSON),
        (
            "application/graphql-response+json, application/graphql+json, application/json",
            GRAPHQL_RESPONSE_JSON,
        ),
        ("application/json, application/graphql-response+json;q=0.5", "application/json"),
        ("application/graphql-response+json;q=0, */*", "application/json"),
        ("text/html", "application/json"),
    ],
)
def test_the_media_type_is_the_one_the_client_prefers(accept: str | None, expected: str) -> None:
    assert media_type(accept) == expected


async def _ask(api: Api, body: Any, accept: str | None, token: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with api.client() as client:
        return await client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{"},
        {"query": "{ noSuchField }"},
        {"query": "query($n: Int!) { ticketByNumber(number: $n) { id } }", "variables": {"n": "two"}},
    ],
    ids=["parse", "validation", "variables"],
)
async def test_a_request_error_is_400_without_data_for_graphql_response_json_and_200_for_json(
    api: Api, body: dict[str, Any]
) -> None:
    spec = await _ask(api, body, APOLLO_CLIENT_4_ACCEPT)
    assert spec.status_code == 400
    assert spec.headers["content-type"] == GRAPHQL_RESPONSE_JSON
    assert "data" not in spec.json()
    assert spec.json()["errors"]
    legacy = await _ask(api, body, "application/json")
    assert (legacy.status_code, legacy.headers["content-type"]) == (200, "application/json")
    assert legacy.json()["data"] is None
    assert legacy.json()["errors"] == spec.json()["errors"]


async def test_an_executed_operation_keeps_its_data_and_200_with_either_media_type(api: Api) -> None:
    """UNAUTHENTICATED is an error of a field: execution began, so `data` is there (null)."""
    for accept in (APOLLO_CLIENT_4_ACCEPT, None):
        response = await _ask(api, {"query": "{ viewer { account { name } } }"}, accept)
        body = response.json()
        assert response.status_code == 200
        assert "data" in body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    ok = await _ask(api, {"query": "{ __typename }"}, APOLLO_CLIENT_4_ACCEPT)
    assert (ok.status_code, ok.headers["content-type"], ok.json()) == (
        200,
        GRAPHQL_RESPONSE_JSON,
        {"data": {"__typename": "Query"}},
    )


async def test_an_answer_too_large_to_send_keeps_data_and_200_for_execution_had_begun(db: Database) -> None:
    small = Api(db, max_response_bytes=100_000)
    response = await _ask(small, {"query": get_introspection_query()}, APOLLO_CLIENT_4_ACCEPT)
    assert (response.status_code, response.headers["content-type"]) == (200, GRAPHQL_RESPONSE_JSON)
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


async def test_a_rate_limited_operation_keeps_429_with_graphql_response_json(db: Database) -> None:
    limited = Api(db, rate_limit_mutations_per_minute=1)
    world = await make_world()
    touch = {"query": "mutation { markNotificationsRead(input: {all: true}) { __typename } }"}
    assert (await _ask(limited, touch, APOLLO_CLIENT_4_ACCEPT, world.technician_token)).status_code == 200
    refused = await _ask(limited, touch, APOLLO_CLIENT_4_ACCEPT, world.technician_token)
    assert refused.status_code == 429
    assert "data" not in refused.json()
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_an_unreadable_request_is_refused_in_the_media_type_asked_for(api: Api) -> None:
    async with api.client() as client:
        response = await client.post(
            "/graphql",
            content=b"{not json",
            headers={"Content-Type": "application/json", "Accept": APOLLO_CLIENT_4_ACCEPT},
        )
    assert (response.status_code, response.headers["content-type"]) == (400, GRAPHQL_RESPONSE_JSON)
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# Batches


@pytest.mark.parametrize("accept", [None, APOLLO_CLIENT_4_ACCEPT])
async def test_a_batch_is_refused_with_a_json_error_and_a_code(api: Api, accept: str | None) -> None:
    response = await _ask(api, [{"query": "{ __typename }"}, {"query": "{ __typename }"}], accept)
    assert response.status_code == 400
    assert response.headers["content-type"] == media_type(accept)
    assert response.json() == {
        "errors": [
            {
                "message": "Batched requests (a JSON array of operations) are not supported: send one "
                "operation per request.",
                "extensions": {"code": "BATCHING_NOT_SUPPORTED"},
            }
        ]
    }


# A real server: websockets' Origin and graphql-http's audit


@pytest.fixture(scope="module")
def spa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`deskql serve` on SQLite with DESKQL_CORS_ORIGINS listing the SPA."""
    folder = tmp_path_factory.mktemp("spa-server")
    port = free_port()
    env = environment(secret_key="s" * 40, cors_origins=SPA, public_url=f"http://127.0.0.1:{port}")
    migrate(env, folder)
    with serving(env, folder, port) as base:
        yield base


async def _handshake(url: str, origin: str | None) -> int:
    """The handshake's HTTP status: 101 when the websocket opened."""
    try:
        async with websockets.connect(
            url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            origin=origin,  # type: ignore[arg-type]
        ):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_a_websocket_from_an_origin_not_listed_is_refused_at_the_handshake(spa_server: str) -> None:
    url = spa_server.replace("http://", "ws://") + "/graphql"
    assert await _handshake(url, FOREIGN) == 403
    assert await _handshake(url, SPA) == 101
    assert await _handshake(url, spa_server) == 101  # the API's own origin
    assert await _handshake(url, None) == 101  # not a browser


async def test_without_the_setting_a_websocket_from_another_origin_is_refused(tmp_path: Path) -> None:
    port = free_port()
    env = environment(secret_key="s" * 40)
    migrate(env, tmp_path)
    with serving(env, tmp_path, port) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        assert await _handshake(url, SPA) == 403
        assert await _handshake(url, base) == 101
        assert await _handshake(url, None) == 101


def _node_packages() -> Path:
    """tests/node's packages (graphql-http), installed with `npm ci` when they are not there yet."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for graphql-http's audit (npm ci --prefix tests/node)")
    if not (NODE_TESTS / "node_modules" / "graphql-http" / "package.json").exists():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(NODE_TESTS)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert installed.returncode == 0, installed.stderr
    return NODE_TESTS


def test_graphql_http_audits_the_server_without_a_warning(spa_server: str) -> None:
    folder = _node_packages()
    audited = subprocess.run(
        ["node", str(folder / "server-audit.mjs"), f"{spa_server}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert audited.returncode == 0, audited.stderr
    results = json.loads(audited.stdout)
    assert len(results) >= 61
    failed = [f"{r['status']} {r['id']} {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert failed == []
