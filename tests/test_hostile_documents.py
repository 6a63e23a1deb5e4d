"""Documents built to make validation expensive: each is refused with QUERY_TOO_LARGE at a cost linear in
its size, and the server keeps answering others meanwhile."""

from __future__ import annotations

import gc
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query, parse

from api.execution import DeskqlExecutor
from app.database import Database
from schema.ids import encode
from tests.api import Api
from tests.factories import add_comment, make_world
from tests.servers import deskql, environment, free_port, migrate, serving
from tests.ws import LEGACY_WS, TRANSPORT_WS, WSClient


def spread_fragments(levels: int) -> str:
    """Each fragment spreads the previous one three times: 3^levels fields once spread."""
    fragments = ["fragment F0 on Query { viewer { account { name } } }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return "\n".join([*fragments, f"query {{ ...F{levels} }}"])


REPEATED = "{ " + " ".join("viewer { account { id name } }" for _ in range(440)) + " }"
CONFLICTING = (
    "{ " + " ".join("a: viewer { account { id } } a: tickets { totalCount }" for _ in range(225)) + " }"
)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (spread_fragments(12), "This document selects 1594323 fields once its fragments are spread"),
        (spread_fragments(39), "once its fragments are spread; the limit is 10000."),
        (REPEATED, "This document selects the same fields too many times in one place"),
        (CONFLICTING, "This document selects the same fields too many times in one place"),
    ],
    ids=["12-levels-of-fragments", "39-levels-of-fragments", "440-repeated-fields", "450-conflicting-fields"],
)
async def test_a_document_that_expands_past_the_bound_is_refused_in_far_less_than_a_second(
    api: Api, document: str, message: str
) -> None:
    parse_cost = min(_cpu_of(lambda: parse(document)) for _ in range(3))
    gc.collect()
    gc.disable()  # the cost of refusing it, not of collecting the garbage the rest of the suite left
    try:
        started = time.process_time()
        response = await api.post(document)
        spent = time.process_time() - started
    finally:
        gc.enable()
    errors = response.json()["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["QUERY_TOO_LARGE"]
    assert message in errors[0]["message"]
    assert "data" not in response.json() or response.json()["data"] is None
    # The whole request, parsing and the in-process client included, against parsing the document alone on
    # the same machine (about 10x here): 12 levels took 9.5 s before, over 300 times its parsing.
    assert spent < max(1.0, 25 * parse_cost)


def _cpu_of(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


async def test_fragments_spread_a_few_times_still_work_and_count_once_each_toward_the_budget(
    api: Api,
) -> None:
    world = await make_world()
    await world.ticket()
    query = """
      fragment Row on Ticket { id title }
      fragment Rows on Query { tickets(first: $n) { edges { node { ...Row ...Row } } } }
      query($n: Int!) { ...Rows ...Rows again: tickets(first: 1) { edges { node { ...Row } } } }"""
    data = await api.data(query, {"n": 2}, token=world.technician_token)
    assert data["tickets"]["edges"][0]["node"]["title"]
    error = (await api.run(query, {"n": 101}, token=world.technician_token))["errors"][0]
    assert error["message"] == "`first` on `tickets` must be between 0 and 100 (got 101)."


async def test_a_fragment_too_deep_is_refused_once_wherever_it_is_spread(api: Api) -> None:
    world = await make_world()
    inner = "id"
    for _ in range(8):
        inner = f"requester {{ recentTickets {{ {inner} }} }}"
    query = f'fragment Deep on Ticket {{ {inner} }} {{ tickets {{ edges {{ node {{ ...Deep }} }} }} a: ticket(id: "x") {{ ...Deep }} }}'
    errors = (await api.run(query, token=world.technician_token))["errors"]
    assert [error["message"] for error in errors] == ["'anonymous' exceeds maximum operation depth of 15"]


def test_the_server_keeps_answering_while_it_refuses_a_fragment_bomb(tmp_path: Path) -> None:
    env = environment(database_url=f"sqlite://{tmp_path}/deskql.sqlite3")
    migrate(env, tmp_path)
    with serving(env, tmp_path, free_port()) as base:
        answers: list[httpx.Response] = []
        attack = threading.Thread(
            target=lambda: answers.append(
                httpx.post(f"{base}/graphql", json={"query": spread_fragments(39)}, timeout=60)
            )
        )
        attack.start()
        with httpx.Client(base_url=base, timeout=5) as probe:
            while attack.is_alive():
                assert probe.get("/healthz").json() == {"status": "ok"}
        attack.join()
        assert answers[0].json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


async def test_an_answer_past_the_byte_budget_is_refused_whole_and_a_smaller_one_is_answered(
    db: Database,
) -> None:
    api = Api(db, max_response_bytes=150_000)
    world = await make_world()
    ticket = await world.ticket()
    for _ in range(5):
        await add_comment(ticket, world.technician, body="x" * 10_000)
    page = "conversation(first: 100) { edges { node { body text } } }"
    query = f"query($id: ID!) {{ ticket(id: $id) {{ {page} }} }}"
    ticket_id = encode("Ticket", ticket.id)
    data = await api.data(query, {"id": ticket_id}, token=world.technician_token)
    assert len(data["ticket"]["conversation"]["edges"]) == 5
    aliases = " ".join(f"a{i}: {page}" for i in range(10))
    body = await api.run(
        f"query($id: ID!) {{ ticket(id: $id) {{ {aliases} }} }}",
        {"id": ticket_id},
        token=world.technician_token,
    )
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "This answer would be larger than 150000 bytes. "
            "Ask for fewer fields, fewer aliases or smaller pages (`first`).",
            "extensions": {"code": "QUERY_TOO_LARGE"},
        }
    ]


async def test_introspection_is_executed_once_per_document_and_variables(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed: list[str] = []
    execute = DeskqlExecutor.execute_operation

    def counted(self: DeskqlExecutor, serially: bool | None = None) -> Any:
        executed.append(self.operation.loc.source.body if self.operation.loc else "")
        return execute(self, serially)

    monkeypatch.setattr(DeskqlExecutor, "execute_operation", counted)
    introspection = get_introspection_query(descriptions=True)
    first, second = (await api.post(introspection)).json(), (await api.post(introspection)).json()
    assert first == second
    assert first["data"]["__schema"]["queryType"]["name"] == "Query"
    by_name = "query($n: String!) { __type(name: $n) { name kind } }"
    for name in ("Ticket", "Comment", "Ticket"):
        assert (await api.data(by_name, {"n": name}))["__type"] == {"name": name, "kind": "OBJECT"}
    world = await make_world()
    mixed = "{ __typename viewer { account { name } } }"
    for _ in range(2):
        assert (await api.data(mixed, token=world.technician_token))["__typename"] == "Query"
    assert executed == [introspection, by_name, by_name, mixed, mixed]


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_a_subscribe_that_does_not_parse_is_answered_with_the_protocols_error_message(
    tmp_path: Path, protocol: str
) -> None:
    env = environment(database_url=f"sqlite://{tmp_path}/deskql.sqlite3")
    migrate(env, tmp_path)
    demo = deskql("demo", env=env, cwd=tmp_path)
    token = re.search(r"^\s+technician\s+\S+\s+(dq_\S+)$", demo.stdout, re.MULTILINE)
    assert token, demo.stdout
    port = free_port()
    with serving(env, tmp_path, port):
        client = await WSClient.open(f"ws://127.0.0.1:{port}/graphql", token.group(1), protocol)
        too_long = 'subscription { ticketUpdated(ticketId: "1") { ' + "kind " * 6000 + "} }"
        for document, message in (
            ("subscription { ticketUpdated(", "Syntax Error: Expected Name, found <EOF>."),
            (too_long, "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."),
        ):
            operation = await client.subscribe(document, {})
            answer = await client.receive()
            assert answer["type"] == "error", answer
            assert answer["id"] == operation
            errors = answer["payload"] if protocol == TRANSPORT_WS else [answer["payload"]]
            assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
                (message, "GRAPHQL_VALIDATION_FAILED")
            ]
        # The connection stays open and serves the next operation.
        operation = await client.subscribe("subscription { timerState { __typename } }", {})
        await client.send({"id": operation, "type": "complete" if protocol == TRANSPORT_WS else "stop"})
        await client.close()


async def test_introspection_asked_anew_past_the_allowance_is_refused_but_kept_answers_are_not(
    api: Api,
) -> None:
    query = "query($n: String!) { __type(name: $n) { name } }"
    for index in range(30):
        assert (await api.data(query, {"n": f"Type{index}"}))["__type"] is None
    refused = await api.post(query, {"n": "Type30"})
    assert refused.status_code == 429
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("Too many new introspection queries; retry in ")
    assert (await api.data(query, {"n": "Type3"}))["__type"] is None
