"""Calling the API the way a client does: HTTP against the real application, in process."""

from __future__ import annotations

from typing import Any

import httpx

from app.database import Database
from app.main import create_app
from app.settings import Settings

TEST_SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnop"


class Api:
    def __init__(self, database: Database, **settings: Any) -> None:
        settings.setdefault("secret_key", TEST_SECRET_KEY)
        self.app = create_app(Settings(database_url=database.url, **settings), database=database)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://deskql.test")

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        async with self.client() as client:
            return await client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
            )

    async def run(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The whole response body; asserts the HTTP exchange itself succeeded."""
        response = await self.post(query, variables, token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The data of a response that must have no errors."""
        body = await self.run(query, variables, token)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> list[dict[str, Any]]:
        """The top-level errors of a response that must have some."""
        body = await self.run(query, variables, token)
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors
