"""What deskql serves to browsers besides the API: the built reference page at / (and at its own addresses),
its assets, and GraphiQL from deskql's own files; strawberry's CDN page where web/ is not built.

These run on a folder laid out like ``web/dist`` (npm is not needed); tests/test_browser.py drives the real
build in Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.database import Database
from app.main import create_app
from app.settings import Settings
from tests.api import TEST_SECRET_KEY
from tests.servers import environment, free_port, serving

PAGE = '<!doctype html><title>deskql: ticket page</title><script type="module" src="/assets/main-a1.js"></script>'
GRAPHIQL = '<!doctype html><title>deskql GraphiQL</title><script type="module" src="/assets/graphiql-b2.js"></script>'

Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "graphiql").mkdir()
    (dist / "index.html").write_text(PAGE)
    (dist / "graphiql" / "index.html").write_text(GRAPHIQL)
    (dist / "assets" / "main-a1.js").write_text("document.title;")
    return dist


def app_for(web_dir: Path, tmp_path: Path, graphiql: bool = True) -> object:
    """The application; nothing here reads the database, which is never opened."""
    url = f"sqlite://{tmp_path}/unused.sqlite3"
    settings = Settings(database_url=url, secret_key=TEST_SECRET_KEY, web_dir=web_dir, graphiql=graphiql)
    return create_app(settings, database=Database(url))


@pytest.fixture
def client(tmp_path: Path) -> Client:
    @asynccontextmanager
    async def open_client(web_dir: Path, graphiql: bool = True) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app_for(web_dir, tmp_path, graphiql))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://deskql.test") as http:
            yield http

    return open_client


async def test_graphiql_in_a_browser_is_deskqls_own_page_with_scripts_deskql_serves(
    client: Client, built: Path
) -> None:
    async with client(built) as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.text == GRAPHIQL
    assert "unpkg.com" not in page.text


async def test_graphiql_falls_back_to_strawberrys_page_from_a_cdn_where_web_is_not_built(
    client: Client, tmp_path: Path
) -> None:
    async with client(tmp_path / "not-built") as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        root = await http.get("/")
    assert page.status_code == 200
    assert "https://unpkg.com/graphiql" in page.text
    assert root.status_code == 404


async def test_graphiqls_page_is_not_served_beside_the_page_and_not_at_all_when_graphiql_is_off(
    client: Client, built: Path
) -> None:
    async with client(built, graphiql=False) as http:
        ide = await http.get("/graphql", headers={"Accept": "text/html"})
        folder = await http.get("/graphiql/")
        page = await http.get("/graphiql/index.html")
    assert GRAPHIQL not in ide.text
    assert (folder.status_code, folder.text) == (200, PAGE)
    assert (page.status_code, page.text) == (200, PAGE)


async def test_the_page_is_served_at_the_root_and_at_its_own_addresses(client: Client, built: Path) -> None:
    async with client(built) as http:
        root = await http.get("/")
        ticket = await http.get("/tickets/200")
        script = await http.get("/assets/main-a1.js")
        missing_script = await http.get("/assets/main-zz.js")
        missing_icon = await http.get("/favicon.ico")
        # only the page's own addresses get the page: a wrong calendar feed address stays a 404
        elsewhere = [
            await http.get(path) for path in ("/nothing-here", "/calendar/abc.ics%2F.ics", "/tickets/x")
        ]
    assert [answer.status_code for answer in elsewhere] == [404, 404, 404]
    assert (root.status_code, root.text) == (200, PAGE)
    assert (ticket.status_code, ticket.text) == (200, PAGE)
    assert ticket.headers["cache-control"] == "no-cache"
    assert script.status_code == 200
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing_script.status_code == 404
    assert missing_icon.status_code == 404


async def test_the_api_keeps_its_addresses_beside_the_page(client: Client, built: Path) -> None:
    async with client(built) as http:
        answer = await http.post("/graphql", json={"query": "{ __typename }"})
        health = await http.get("/healthz")
    assert answer.json() == {"data": {"__typename": "Query"}}
    assert health.json() == {"status": "ok"}


def test_a_websocket_to_an_address_of_the_page_is_closed(built: Path, tmp_path: Path) -> None:
    with (
        TestClient(app_for(built, tmp_path)) as http,  # type: ignore[arg-type]
        pytest.raises(WebSocketDisconnect),
        http.websocket_connect("/tickets/200"),
    ):
        pass


def test_serve_says_in_one_line_that_the_page_is_not_built(tmp_path: Path) -> None:
    env = environment(database_url=f"sqlite://{tmp_path}/deskql.sqlite3", web_dir=str(tmp_path / "not-built"))
    port = free_port()
    with serving(env, tmp_path, port):
        pass
    lines = (tmp_path / f"server-{port}.log").read_text().splitlines()
    said = [line for line in lines if "not-built is not built" in line]
    assert len(said) == 1, lines
    assert "GraphiQL on /graphql loads its scripts from a CDN" in said[0]
