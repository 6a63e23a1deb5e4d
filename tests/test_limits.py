"""Bad and abusive queries: each gets a clear, specific error, never a 500 or a stack trace."""

from __future__ import annotations

import logging

import pytest

from schema.ids import encode
from tests.api import Api
from tests.factories import make_world


async def _error(api: Api, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    response = await api.post(query, variables, token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors"), body
    assert "Traceback" not in response.text
    error: dict = body["errors"][0]
    return error


async def test_first_above_100_is_refused_before_anything_runs(api: Api) -> None:
    world = await make_world()
    error = await _error(
        api, "{ tickets(first: 1000) { edges { node { id } } } }", token=world.technician_token
    )
    assert error["message"] == "`first` on `tickets` must be between 0 and 100 (got 1000)."
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
    error = await _error(
        api,
        "query($n: Int!) { tickets(first: $n) { edges { node { id } } } }",
        {"n": 101},
        token=world.technician_token,
    )
    assert "got 101" in error["message"]


async def test_a_document_validated_before_still_has_its_variables_checked(api: Api) -> None:
    world = await make_world()
    query = "query($n: Int!) { tickets(first: $n) { edges { node { id } } } }"
    for _ in range(2):
        fine = await api.post(query, {"n": 5}, token=world.technician_token)
        assert "errors" not in fine.json()
    error = await _error(api, query, {"n": 101}, token=world.technician_token)
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
    unknown = await _error(api, "{ tickets { nope } }", token=world.technician_token)
    again = await _error(api, "{ tickets { nope } }", token=world.technician_token)
    assert unknown["extensions"]["code"] == again["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_kept_budget_is_counted_again_for_other_values_of_its_variables(api: Api) -> None:
    world = await make_world()
    query = """query($n: Int, $m: Int) { tickets(first: $n) { edges { node {
      conversation(first: $m) { edges { node { id } } } } } } }"""
    token = world.technician_token
    for _ in range(2):
        assert "errors" not in (await api.post(query, {"n": 5, "m": 5}, token=token)).json()
        assert "errors" not in (await api.post(query, {"n": 5}, token=token)).json()
    # $n defaults to 25 tickets when absent, each with 100 comments: within the budget; 100 tickets are not
    assert "errors" not in (await api.post(query, {"m": 100}, token=token)).json()
    error = await _error(api, query, {"n": 100, "m": 100}, token=token)
    assert "could return" in error["message"]
    error = await _error(api, query, {"n": 5, "m": 101}, token=token)
    assert "got 101" in error["message"]
    assert "errors" not in (await api.post(query, {"n": 5, "m": 5}, token=token)).json()


async def test_a_negative_first_is_refused(api: Api) -> None:
    world = await make_world()
    error = await _error(
        api, "{ tickets(first: -1) { edges { node { id } } } }", token=world.technician_token
    )
    assert "between 0 and 100" in error["message"]


async def test_nested_pages_beyond_the_node_budget_are_refused(api: Api) -> None:
    world = await make_world()
    query = """{ tickets(first: 100) { edges { node { conversation(first: 100) { edges { node { id } } }
      activity(first: 100) { edges { node { id } } } } } } }"""
    error = await _error(api, query, token=world.technician_token)
    assert error["message"].startswith("This query could return 20100 nodes; the limit is 10000.")
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"


async def test_defaults_of_first_count_toward_the_budget(api: Api) -> None:
    world = await make_world()
    # tickets defaults to 25, conversation to 50, activity to 20: 25 + 1250 + 500 nodes, within the budget
    query = "{ tickets { edges { node { conversation { edges { node { id } } } activity { edges { node { id } } } } } } }"
    assert "tickets" in await api.data(query, token=world.technician_token)


async def test_a_query_30_levels_deep_is_refused(api: Api) -> None:
    world = await make_world()
    inner = "id"
    for _ in range(15):
        inner = f"requester {{ recentTickets {{ {inner} }} }}"
    error = await _error(
        api, f"{{ tickets {{ edges {{ node {{ {inner} }} }} }} }}", token=world.technician_token
    )
    assert "exceeds maximum operation depth of 15" in error["message"]


async def test_500_aliases_are_refused(api: Api) -> None:
    world = await make_world()
    query = "{ " + " ".join(f"a{i}: viewer {{ account {{ name }} }}" for i in range(500)) + " }"
    error = await _error(api, query, token=world.technician_token)
    assert error["message"] == "500 aliases found. Allowed: 30"


async def test_a_document_with_too_many_tokens_is_refused(api: Api) -> None:
    world = await make_world()
    query = "{ viewer { account { " + "name " * 6000 + "} } }"
    error = await _error(api, query, token=world.technician_token)
    assert error["message"] == "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_an_unknown_field_is_a_validation_error(api: Api) -> None:
    world = await make_world()
    error = await _error(api, "{ viewer { password } }", token=world.technician_token)
    assert error["message"] == "Cannot query field 'password' on type 'Viewer'."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_syntax_error_is_reported_with_its_position(api: Api) -> None:
    error = await _error(api, "{ viewer { ")
    assert error["message"].startswith("Syntax Error")
    # Raised while parsing, before any hook could label it (found while fuzzing, tests/test_fuzz.py)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-an-id", "'not-an-id' is not a valid ID."),
        (encode("Requester", 1), "is not a Ticket ID."),
        (encode("Nonsense", 1), "is not a Ticket ID."),
        ("VGlja2V0OjA", "is not a valid ID."),  # Ticket:0
        ("VGlja2V0OjAx", "is not a valid ID."),  # Ticket:01
    ],
)
async def test_a_malformed_or_mistyped_id_is_a_bad_user_input_error(
    api: Api, value: str, message: str
) -> None:
    world = await make_world()
    error = await _error(
        api, "query($id: ID!) { ticket(id: $id) { id } }", {"id": value}, token=world.technician_token
    )
    assert message in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_node_with_an_id_of_no_known_type_is_a_bad_user_input_error(api: Api) -> None:
    world = await make_world()
    error = await _error(
        api,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": encode("Password", 1)},
        token=world.technician_token,
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cursor_that_was_not_issued_is_refused(api: Api) -> None:
    world = await make_world()
    for cursor in ("garbage", "WzFd", "WyJ4IiwieSJd"):  # not base64 JSON; [1]; ["x","y"]
        error = await _error(
            api,
            "query($c: String) { tickets(after: $c) { edges { node { id } } } }",
            {"c": cursor},
            token=world.technician_token,
        )
        assert error["message"] == "`after`: not a cursor of this connection."
        assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_more_than_100_ids_in_nodes_are_refused(api: Api) -> None:
    world = await make_world()
    ids = [encode("Ticket", i) for i in range(1, 102)]
    error = await _error(
        api, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, token=world.technician_token
    )
    assert error["message"] == "`ids`: at most 100 (got 101)."


async def test_an_unexpected_failure_is_masked_with_the_request_id_the_log_also_carries(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from services import visibility

    world = await make_world()

    def broken(viewer: object) -> object:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(visibility, "statuses", broken)
    with caplog.at_level(logging.ERROR, logger="deskql.errors"):
        response = await api.post("{ ticketStatuses { name } }", token=world.technician_token)
    body = response.json()
    [error] = body["errors"]
    request_id = response.headers["x-request-id"]
    assert error["message"] == "Unexpected error. Quote the requestId when reporting it."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert "hunter2" not in response.text
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)


async def test_the_client_may_choose_its_request_id(api: Api) -> None:
    response = await api.post("{ __typename }", headers={"X-Request-Id": "client-chosen-42"})
    assert response.headers["x-request-id"] == "client-chosen-42"
    response = await api.post("{ __typename }", headers={"X-Request-Id": "bad id with spaces"})
    assert response.headers["x-request-id"] != "bad id with spaces"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"n": "abc"}, "Variable '$n' has invalid value: Int cannot represent non-integer value: 'abc'"),
        ({}, "Variable '$n' has invalid value: Expected a value of non-null type 'Int!' to be provided."),
    ],
)
async def test_a_variable_that_does_not_fit_its_type_is_bad_user_input(
    api: Api, variables: dict, message: str
) -> None:
    world = await make_world()
    query = "query($n: Int!) { tickets(first: $n) { totalCount } }"
    error = await _error(api, query, variables, token=world.technician_token)
    assert error["message"] == message
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
