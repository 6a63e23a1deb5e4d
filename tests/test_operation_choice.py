"""Which operation of a document runs: the one named by ``operationName``, the only one, or none (a request
error). Subscriptions run only over the websocket, never once over HTTP."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from schema.context import Context
from services.authentication import authenticate
from tests.api import Api
from tests.factories import make_world
from tests.live import Live

TWO = "query First { __typename } mutation Second { __typename }"
MUST_NAME = "Must provide operation name if query contains multiple operations."
RESPONSE_JSON = "application/graphql-response+json"
SUBSCRIPTION = "subscription Timers { timerState { __typename } }"


async def ask(client: httpx.AsyncClient, method: str, accept: str, **fields: Any) -> httpx.Response:
    headers = {"Accept": accept}
    if method == "GET":
        params = {
            key: json.dumps(value) if isinstance(value, dict) else value for key, value in fields.items()
        }
        return await client.get("/graphql", params=params, headers=headers)
    return await client.post("/graphql", json=fields, headers=headers)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("accept", [RESPONSE_JSON, "application/json"])
async def test_a_document_of_several_operations_without_a_name_runs_none(
    api: Api, method: str, accept: str
) -> None:
    query = "query First { __typename } query Second { __typename }"
    async with api.client() as client:
        unnamed = await ask(client, method, accept, query=query)
        unknown = await ask(client, method, accept, query=query, operationName="Third")
        named = await ask(client, method, accept, query=query, operationName="Second")
    expected_status = 400 if accept == RESPONSE_JSON else 200
    assert unnamed.status_code == expected_status, unnamed.text
    assert unnamed.headers["content-type"] == accept
    assert unnamed.json()["errors"] == [{"message": MUST_NAME, "extensions": {"code": "BAD_REQUEST"}}]
    assert unnamed.json().get("data") is None
    assert unknown.status_code == 400
    assert unknown.json() == {
        "errors": [{"message": 'Unknown operation named "Third".', "extensions": {"code": "BAD_REQUEST"}}]
    }
    assert named.json() == {"data": {"__typename": "Query"}}


async def test_a_mutation_second_in_an_unnamed_document_is_never_run_nor_chosen_by_its_type(api: Api) -> None:
    world = await make_world()
    headers = {"Authorization": f"Bearer {world.technician_token}", "Accept": RESPONSE_JSON}
    mutation = "mutation Out { logout(input: {}) { __typename } }"
    async with api.client() as client:
        refused = await client.post(
            "/graphql", json={"query": "query In { __typename } " + mutation}, headers=headers
        )
        still = await client.post(
            "/graphql", json={"query": "{ viewer { technician { name } } }"}, headers=headers
        )
    assert (refused.status_code, refused.json()["errors"][0]["message"]) == (400, MUST_NAME)
    assert still.json() == {"data": {"viewer": {"technician": {"name": "Tom Tech"}}}}


async def test_a_persisted_document_of_several_operations_needs_a_name_too(api: Api) -> None:
    digest = hashlib.sha256(TWO.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with api.client() as client:
        first = await ask(client, "POST", RESPONSE_JSON, query=TWO, extensions=persisted)
        by_hash = await ask(client, "POST", RESPONSE_JSON, extensions=persisted)
        named = await ask(client, "GET", RESPONSE_JSON, extensions=persisted, operationName="First")
    assert (first.status_code, first.json()["errors"][0]["message"]) == (400, MUST_NAME)
    assert (by_hash.status_code, by_hash.json()["errors"][0]["message"]) == (400, MUST_NAME)
    assert named.json() == {"data": {"__typename": "Query"}}


async def test_a_batch_is_refused_before_any_of_its_operations_is_chosen(api: Api) -> None:
    async with api.client() as client:
        batch = await client.post("/graphql", json=[{"query": TWO}, {"query": TWO}])
    assert batch.status_code == 400
    assert batch.json()["errors"][0]["extensions"]["code"] == "BATCHING_NOT_SUPPORTED"


async def test_a_subscription_over_the_websocket_protocols_needs_a_name_in_such_a_document_too(
    db: Any,
) -> None:
    world = await make_world()
    async with Live(db) as live:
        context = Context(
            request_id="test",
            environment=live.graphql.environment,
            viewer_or_none=await authenticate(world.technician_token),
        )
        result = await live.graphql.schema.subscribe(
            "subscription A { timerState { __typename } } subscription B { timerState { __typename } }",
            context_value=context,
        )
        if not hasattr(result, "errors"):
            result = await anext(aiter(result))  # type: ignore[arg-type]
    assert [error.message for error in result.errors or []] == [MUST_NAME]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("accept", [RESPONSE_JSON, "application/json"])
async def test_a_subscription_over_http_is_a_client_error_that_points_to_the_websocket(
    api: Api, method: str, accept: str
) -> None:
    world = await make_world()
    async with api.client() as client:
        client.headers["Authorization"] = f"Bearer {world.technician_token}"
        alone = await ask(client, method, accept, query=SUBSCRIPTION)
        named = await ask(
            client, method, accept, query="query Q { __typename } " + SUBSCRIPTION, operationName="Timers"
        )
    for answer in (alone, named):
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"] == accept
        [error] = answer.json()["errors"]
        assert error["extensions"] == {"code": "SUBSCRIPTION_OVER_HTTP"}
        assert "websocket" in error["message"]
        assert "data" not in answer.json()
