"""Requests the server cannot or will not take: a clear JSON answer with a code, and a log that keeps stack
traces for the server's own failures."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx
import pytest

from schema.ids import encode
from tests.api import Api
from tests.factories import make_world

PREFLIGHT = {"GraphQL-Preflight": "1"}
MAX_DEPTH = 100
"""The documented bound on nesting of the JSON a request carries."""


def nested(levels: int) -> str:
    """A JSON array ``levels`` deep."""
    return "[" * levels + "]" * levels


def body(variables: str) -> str:
    """A request body whose ``variables`` (one more level) hold the given JSON."""
    return '{"query": "{ __typename }", "variables": {"a": ' + variables + "}}"


async def send(client: httpx.AsyncClient, where: str, value: str) -> httpx.Response:
    """A request carrying ``value`` (JSON) where a client can put JSON."""
    typename = '{"query": "{ __typename }"}'
    match where:
        case "POST body":
            headers = {"Content-Type": "application/json"}
            return await client.post("/graphql", content=body(value), headers=headers)
        case "POST persisted query":
            extensions = '{"persistedQuery": {"version": 1, "sha256Hash": "' + "0" * 64 + '"}, "a": '
            headers = {"Content-Type": "application/json"}
            return await client.post(
                "/graphql", content='{"extensions": ' + extensions + value + "}}", headers=headers
            )
        case "GET variables":
            return await client.get(
                "/graphql", params={"query": "{ __typename }", "variables": '{"a": ' + value + "}"}
            )
        case "GET extensions":
            return await client.get(
                "/graphql", params={"query": "{ __typename }", "extensions": '{"a": ' + value + "}"}
            )
        case "multipart operations":
            files = {"operations": (None, body(value)), "map": (None, "{}")}
            return await client.post("/graphql", files=files, headers=PREFLIGHT)
        case "multipart map":
            files = {"operations": (None, typename), "map": (None, '{"a": ' + value + "}")}
            return await client.post("/graphql", files=files, headers=PREFLIGHT)
    raise AssertionError(where)


PLACES = [
    "POST body",
    "POST persisted query",
    "GET variables",
    "GET extensions",
    "multipart operations",
    "multipart map",
]


def refusal(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    return dict(error)


@pytest.mark.parametrize("where", PLACES)
async def test_json_nested_deeper_than_the_limit_is_refused_with_400_wherever_a_request_carries_it(
    api: Api, where: str
) -> None:
    levels = 5_000 if where.startswith("GET") else 50_000  # a URL holds no more than 64 KB
    async with api.client() as client:
        far = refusal(await send(client, where, nested(levels)))
        just_past = refusal(await send(client, where, nested(MAX_DEPTH)))
    expected = f"The request's JSON is nested more than {MAX_DEPTH} levels deep."
    assert far["message"] == just_past["message"] == expected


async def test_json_nested_as_deep_as_the_limit_is_read(api: Api) -> None:
    async with api.client() as client:
        deepest = await send(client, "POST body", nested(MAX_DEPTH - 2))  # the body and `variables` are two
        by_get = await send(client, "GET variables", nested(MAX_DEPTH - 2))
    assert deepest.json() == by_get.json() == {"data": {"__typename": "Query"}}


async def test_a_cursor_of_deeply_nested_json_is_bad_user_input(api: Api) -> None:
    world = await make_world()
    cursor = base64.urlsafe_b64encode(nested(50_000).encode()).decode()
    query = "query($c: String) { tickets(after: $c) { edges { node { id } } } }"
    [error] = await api.errors(query, {"c": cursor}, token=world.technician_token)
    assert error["message"] == "`after`: not a cursor of this connection."
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_body_that_is_not_json_is_refused_in_json(api: Api) -> None:
    async with api.client() as client:
        response = await client.post(
            "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert refusal(response)["message"] == "Unable to parse request body as JSON"


def traced(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at ERROR or above, or with a stack trace."""
    return [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]


def client_error_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "deskql.requests"]


async def test_a_validation_error_is_one_short_line_in_the_log_without_a_stack_trace(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    [error] = await api.errors("{ noSuchField }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert traced(caplog) == []
    [line] = client_error_lines(caplog)
    assert "GRAPHQL_VALIDATION_FAILED" in line
    assert "noSuchField" in line


async def test_an_unauthenticated_request_is_one_short_line_in_the_log_without_a_stack_trace(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    [error] = await api.errors("{ viewer { technician { name } } }")
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert traced(caplog) == []
    [line] = client_error_lines(caplog)
    assert "UNAUTHENTICATED" in line
    assert "viewer" in line


async def test_bad_user_input_is_one_short_line_in_the_log_without_a_stack_trace(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    world = await make_world()
    caplog.set_level(logging.DEBUG)
    query = "query($id: ID!) { node(id: $id) { id } }"
    [error] = await api.errors(query, {"id": encode("Password", 1)}, token=world.technician_token)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert traced(caplog) == []
    [line] = client_error_lines(caplog)
    assert "BAD_USER_INPUT" in line


async def test_an_unexpected_error_is_logged_once_with_its_stack_trace_and_the_request_id(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from services import visibility

    world = await make_world()

    def broken(viewer: object) -> object:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(visibility, "statuses", broken)
    caplog.set_level(logging.DEBUG)
    response = await api.post("{ ticketStatuses { name } }", token=world.technician_token)
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    [record] = traced(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "the disk is on fire" in str(record.exc_info[1])
    assert response.headers["x-request-id"] in record.getMessage()
    assert client_error_lines(caplog) == []


async def test_an_unexpected_error_outside_execution_is_logged_once_with_its_stack_trace(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Errors raised by an extension's hook (parsing, validation) never reach the masking executor."""
    from schema.masking import ErrorCodes

    def broken(self: ErrorCodes) -> Any:
        raise RuntimeError("the validator is on fire")

    monkeypatch.setattr(ErrorCodes, "on_validate", broken)
    caplog.set_level(logging.DEBUG)
    response = await api.post("{ __typename }")
    request_id = response.headers["x-request-id"]
    [record] = traced(caplog)
    assert record.exc_info is not None
    assert "the validator is on fire" in str(record.exc_info[1])
    assert request_id in record.getMessage()
    [error] = response.json()["errors"]
    assert error["message"] == "Unexpected error. Quote the requestId when reporting it."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
