"""The HTTP surface besides GraphQL itself."""

from __future__ import annotations

import httpx

from app.database import Database
from app.main import create_app
from app.settings import Settings
from tests.api import TEST_SECRET_KEY, Api


async def test_healthz_answers_while_the_process_is_up(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_answers_ready_when_the_database_is_reachable(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


async def test_readyz_answers_503_when_the_database_is_not_reachable() -> None:
    closed = Database("sqlite://:memory:")
    app = create_app(Settings(secret_key=TEST_SECRET_KEY), database=closed)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://deskql.test"
    ) as client:
        response = await client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"status": "database unreachable"})


async def test_graphiql_is_served_on_get(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_mutations_are_refused_over_get(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/graphql", params={"query": "mutation { logout { revoked } }"})
    assert response.status_code == 400
