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


UPLOAD = """mutation($file: Upload!) { uploadAttachment(file: $file) { __typename
  ... on UploadAttachmentSuccess { attachment { id filename contentType size downloadUrl } }
  ... on ValidationError { fields { field message } } } }"""


async def upload(
    api: Api,
    token: str,
    filename: str,
    content: bytes,
    *,
    preflight: bool = True,
    claimed_type: str = "application/octet-stream",
) -> httpx.Response:
    """The GraphQL multipart request an upload client sends."""
    import json

    headers = {"Authorization": f"Bearer {token}"}
    if preflight:
        headers["GraphQL-Preflight"] = "1"
    async with api.client() as client:
        return await client.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": (filename, content, claimed_type)},
            headers=headers,
        )


async def uploaded(api: Api, token: str, filename: str, content: bytes) -> dict[str, Any]:
    response = await upload(api, token, filename, content)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["uploadAttachment"]
    assert result["__typename"] == "UploadAttachmentSuccess", result
    attachment: dict[str, Any] = result["attachment"]
    return attachment


async def get(api: Api, url: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with api.client() as client:
        return await client.get(url, headers=headers)
